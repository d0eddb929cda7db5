/**
 * The Agreement's business-hours calendars, read-only (a calendar changes through a proposed Agreement version),
 * and "when is it due?" / "how much business time between?" over them.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { findActiveEngine } from '../../agreement/active-agreement.ts'
import { addAgreementBusinessTime } from '../../calendar/add-agreement-business-time.ts'
import { getAgreementCalendarTimeZone } from '../../calendar/build-agreement-calendar.ts'
import { describeAgreementCalendar } from '../../calendar/describe-agreement-calendars.ts'
import { measureAgreementBusinessTime } from '../../calendar/measure-agreement-business-time.ts'
import { readInstant } from '../../calendar/read-instant.ts'
import type { Ctx } from '../../context.ts'
import { type CompiledAgreement, formatDuration, parseDuration } from '../../core/agreement/index.ts'
import { formatBusinessDuration, formatInZone } from '../../core/calendar/index.ts'
import { AppError } from '../../core/errors.ts'
import { principalOf, requirePermission } from '../auth.ts'

const nameParams = z.object({ name: z.string().min(1).max(200) })
const INSTANT_HINT =
  'an ISO-8601 date-time such as 2026-11-20T16:30:00-05:00 (without an offset: local to the calendar)'

function readInstantField(text: string | undefined, field: string, timeZone: string, now: number): number {
  if (text === undefined || text.trim() === '') return now
  const ms = readInstant(text, timeZone)
  if (ms === null)
    throw new AppError('invalid_input', `${field}: expected ${INSTANT_HINT}`, [
      { path: field, message: `expected ${INSTANT_HINT}, got ${JSON.stringify(text)}` },
    ])
  return ms
}

export const calendarsRoutes =
  (ctx: Ctx): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>()
    const read = requirePermission('agreement:read')

    async function activeCompiled(workspaceId: number, now: number): Promise<CompiledAgreement> {
      const active = await findActiveEngine(ctx, workspaceId, now)
      if (!active) throw new AppError('conflict', 'no Agreement is in force: calendars come from it')
      return active.engine.compiled
    }
    const yearQuery = z.object({
      year: z.coerce.number().int().min(1970).max(2200).optional().describe('holidays of this year (default: now)'),
    })

    app.get(
      '/calendars',
      {
        schema: {
          tags: ['calendars'],
          summary:
            'The active Agreement’s calendars: weekly hours, the year’s holidays (seeded and added) and overrides, open now',
          querystring: yearQuery,
        },
        preHandler: read,
      },
      async (req) => {
        const now = ctx.clock()
        const compiled = await activeCompiled(principalOf(req).workspaceId, now)
        const year = req.query.year ?? new Date(now).getUTCFullYear()
        return {
          as_of: new Date(now).toISOString(),
          year,
          calendars: Object.keys(compiled.calendars).map((name) =>
            describeAgreementCalendar(compiled, name, { year, now }),
          ),
        }
      },
    )
    app.get(
      '/calendars/:name',
      {
        schema: { tags: ['calendars'], summary: 'One calendar', params: nameParams, querystring: yearQuery },
        preHandler: read,
      },
      async (req) => {
        const now = ctx.clock()
        const compiled = await activeCompiled(principalOf(req).workspaceId, now)
        const year = req.query.year ?? new Date(now).getUTCFullYear()
        return describeAgreementCalendar(compiled, req.params.name, { year, now })
      },
    )
    app.get(
      '/calendars/:name/due',
      {
        schema: {
          tags: ['calendars'],
          summary: 'When is it due? FROM + DURATION of business time → the due instant in the calendar',
          params: nameParams,
          querystring: z.object({
            from: z.string().max(100).optional().describe(`${INSTANT_HINT}; default now`),
            duration: z.string().min(1).max(40).describe('business time: 4h, 90m, 1h30m'),
          }),
        },
        preHandler: read,
      },
      async (req) => {
        const now = ctx.clock()
        const compiled = await activeCompiled(principalOf(req).workspaceId, now)
        const name = req.params.name
        const timeZone = getAgreementCalendarTimeZone(compiled, name)
        const fromMs = readInstantField(req.query.from, 'from', timeZone, now)
        const duration = parseDuration(req.query.duration, ['h', 'm'])
        if (!duration.ok)
          throw new AppError('invalid_input', `duration: ${duration.message}`, [
            { path: 'duration', message: duration.message },
          ])
        if (duration.ms > 10_000 * 3_600_000)
          throw new AppError('invalid_input', 'duration: at most 10000h', [
            { path: 'duration', message: 'at most 10000h' },
          ])
        const { dueMs } = addAgreementBusinessTime(compiled, name, fromMs, duration.ms)
        const finite = Number.isFinite(dueMs)
        return {
          calendar: name,
          time_zone: timeZone,
          from: formatInZone(fromMs, timeZone),
          duration: formatDuration(duration.ms),
          duration_ms: duration.ms,
          business: formatBusinessDuration(duration.ms),
          due: finite ? formatInZone(dueMs, timeZone) : null,
          due_utc: finite ? new Date(dueMs).toISOString() : null,
          elapsed_ms: finite ? dueMs - fromMs : null,
          reason: finite ? null : `calendar ${name} never opens for that much business time`,
        }
      },
    )
    app.get(
      '/calendars/:name/between',
      {
        schema: {
          tags: ['calendars'],
          summary: 'Business time between two instants in the calendar (negative when TO is earlier)',
          params: nameParams,
          querystring: z.object({
            from: z.string().min(1).max(100).describe(INSTANT_HINT),
            to: z.string().max(100).optional().describe(`${INSTANT_HINT}; default now`),
          }),
        },
        preHandler: read,
      },
      async (req) => {
        const now = ctx.clock()
        const compiled = await activeCompiled(principalOf(req).workspaceId, now)
        const name = req.params.name
        const timeZone = getAgreementCalendarTimeZone(compiled, name)
        const fromMs = readInstantField(req.query.from, 'from', timeZone, now)
        const toMs = readInstantField(req.query.to, 'to', timeZone, now)
        const { businessMs } = measureAgreementBusinessTime(compiled, name, fromMs, toMs)
        return {
          calendar: name,
          time_zone: timeZone,
          from: formatInZone(fromMs, timeZone),
          to: formatInZone(toMs, timeZone),
          business_ms: businessMs,
          business: formatBusinessDuration(businessMs),
        }
      },
    )
  }
