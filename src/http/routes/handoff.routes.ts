import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { findActiveEngine } from '../../agreement/active-agreement.ts'
import type { Ctx } from '../../context.ts'
import { can } from '../../core/auth/roles.ts'
import { renderBriefMarkdown, renderBriefText } from '../../core/brief/index.ts'
import { AppError } from '../../core/errors.ts'
import { listAssignments, listClocks, listDispositions, listOutbox, listQueue } from '../../handoff/handoff.queries.ts'
import { getHandoffPlan } from '../../handoff/handoff-plan.ts'
import type { Actor } from '../../handoff/lead-action.ts'
import { loadLeadBrief } from '../../handoff/lead-brief.ts'
import {
  createEndpoint,
  disableEndpoint,
  ENDPOINT_TOPICS,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
} from '../../handoff/manage-endpoints.ts'
import { ADVANCE_STAGES, advanceLeadStage, REOPEN_STAGES, reopenLeadStage } from '../../handoff/move-lead.ts'
import { pauseLeadClock } from '../../handoff/pause-clock.ts'
import { recordDisposition } from '../../handoff/record-disposition.ts'
import { recordTouch } from '../../handoff/record-touch.ts'
import { resumeLeadClock } from '../../handoff/resume-clock.ts'
import { retryDeadLetter } from '../../handoff/retry-dead-letter.ts'
import { sendTestNotification } from '../../handoff/send-test-notification.ts'
import { getLead } from '../../leads/leads.queries.ts'
import { principalOf, requirePermission } from '../auth.ts'

function actorOf(request: FastifyRequest): Actor {
  const p = principalOf(request)
  return { label: p.repId ? `rep:${p.repId}` : `${p.role}:${p.name}`, role: p.role, repId: p.repId }
}

/** Reads are scoped like the lead API: a rep sees its own leads only. */
async function findLeadId(ctx: Ctx, request: FastifyRequest, ref: string): Promise<number> {
  const p = principalOf(request)
  const scope = can(p.role, 'leads:read')
    ? { workspaceId: p.workspaceId }
    : { workspaceId: p.workspaceId, ownerRepId: p.repId }
  const lead = await getLead(ctx, scope, ref)
  return lead.id as number
}

const ref = z.object({ ref: z.string() })

export const handoffRoutes =
  (ctx: Ctx): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>()
    const read = requirePermission('leads:read', 'leads:read_own')
    const act = requirePermission('leads:act_any', 'leads:act_own')
    const admin = requirePermission('settings:manage')

    app.get(
      '/leads/:ref/brief',
      {
        schema: { tags: ['handoff'], summary: 'The handoff brief: structured, Markdown and text', params: ref },
        preHandler: read,
      },
      async (req) => {
        const leadId = await findLeadId(ctx, req, req.params.ref)
        const { workspaceId } = principalOf(req)
        const now = ctx.clock()
        const active = await findActiveEngine(ctx, workspaceId, now)
        if (!active) throw new AppError('conflict', 'no Agreement is in force')
        const { brief } = await loadLeadBrief(ctx.db, getHandoffPlan(active.engine, now), workspaceId, leadId, now)
        return { lead_id: leadId, brief, markdown: renderBriefMarkdown(brief), text: renderBriefText(brief) }
      },
    )
    app.get(
      '/leads/:ref/assignment',
      {
        schema: {
          tags: ['handoff'],
          summary: 'Who owns the lead and why: assignments with routing traces',
          params: ref,
        },
        preHandler: read,
      },
      async (req) => {
        const leadId = await findLeadId(ctx, req, req.params.ref)
        const assignments = await listAssignments(ctx, leadId)
        return { lead_id: leadId, current: assignments.find((a) => a.ended_at === null) ?? null, assignments }
      },
    )
    app.get(
      '/leads/:ref/sla',
      {
        schema: {
          tags: ['handoff'],
          summary: 'The lead’s SLA clocks with their timers, history and business time used and left',
          params: ref,
        },
        preHandler: read,
      },
      async (req) => {
        const leadId = await findLeadId(ctx, req, req.params.ref)
        return { lead_id: leadId, clocks: await listClocks(ctx, leadId, ctx.clock()) }
      },
    )
    app.post(
      '/leads/:ref/sla/pause',
      {
        schema: {
          tags: ['handoff'],
          summary: 'Pause the lead’s running SLA clock for a reason the Agreement lists (sla.pause_when)',
          params: ref,
          body: z.strictObject({
            reason_code: z.string().min(1).describe('one of the Agreement’s sla.pause_when, e.g. waiting_on_lead'),
            note: z.string().max(2000).optional(),
          }),
        },
        preHandler: act,
      },
      async (req) =>
        pauseLeadClock(ctx, {
          workspaceId: principalOf(req).workspaceId,
          ref: req.params.ref,
          actor: actorOf(req),
          reasonCode: req.body.reason_code,
          ...(req.body.note ? { note: req.body.note } : {}),
        }),
    )
    app.post(
      '/leads/:ref/sla/resume',
      {
        schema: {
          tags: ['handoff'],
          summary: 'Resume the lead’s paused SLA clock: due and warning move out by the business time paused',
          params: ref,
          body: z.strictObject({ note: z.string().max(2000).optional() }).default({}),
        },
        preHandler: act,
      },
      async (req) =>
        resumeLeadClock(ctx, {
          workspaceId: principalOf(req).workspaceId,
          ref: req.params.ref,
          actor: actorOf(req),
          ...(req.body.note ? { note: req.body.note } : {}),
        }),
    )
    app.post(
      '/leads/:ref/touch',
      {
        schema: {
          tags: ['handoff'],
          summary: 'Record a touch; the first one stops the SLA clock (idempotent on external_id)',
          params: ref,
          body: z
            .strictObject({
              at: z.iso.datetime({ offset: true }).optional(),
              channel: z.enum(['call', 'email', 'meeting', 'linkedin', 'sms', 'other']).optional(),
              note: z.string().max(2000).optional(),
              external_id: z.string().min(1).max(200).optional(),
            })
            .default({}),
        },
        preHandler: act,
      },
      async (req) => {
        const b = req.body
        return recordTouch(ctx, {
          workspaceId: principalOf(req).workspaceId,
          ref: req.params.ref,
          actor: actorOf(req),
          ...(b.at ? { at: b.at } : {}),
          ...(b.channel ? { channel: b.channel } : {}),
          ...(b.note ? { note: b.note } : {}),
          ...(b.external_id ? { externalId: b.external_id } : {}),
        })
      },
    )
    app.post(
      '/leads/:ref/disposition',
      {
        schema: {
          tags: ['handoff'],
          summary: 'Accept (SAL), reject or recycle the lead with a reason code from the Agreement',
          params: ref,
          body: z.strictObject({
            outcome: z.enum(['accept', 'reject', 'recycle']),
            reason_code: z.string().min(1),
            note: z.string().max(2000).optional(),
            at: z.iso.datetime({ offset: true }).optional(),
          }),
        },
        preHandler: act,
      },
      async (req) => {
        const b = req.body
        return recordDisposition(ctx, {
          workspaceId: principalOf(req).workspaceId,
          ref: req.params.ref,
          actor: actorOf(req),
          outcome: b.outcome,
          reasonCode: b.reason_code,
          ...(b.note ? { note: b.note } : {}),
          ...(b.at ? { at: b.at } : {}),
        })
      },
    )
    const stageMove = {
      reason: z.string().trim().min(1, 'say why (it is recorded with the transition)').max(500),
      at: z.iso.datetime({ offset: true }).optional(),
    }
    app.post(
      '/leads/:ref/stage',
      {
        schema: {
          tags: ['handoff'],
          summary: 'Move the lead forward to SQL, Opportunity, Won or Lost (Won and Lost close its cycle)',
          params: ref,
          body: z.strictObject({ to: z.enum(ADVANCE_STAGES), ...stageMove }),
        },
        preHandler: act,
      },
      async (req) =>
        advanceLeadStage(ctx, {
          workspaceId: principalOf(req).workspaceId,
          ref: req.params.ref,
          actor: actorOf(req),
          to: req.body.to,
          reason: req.body.reason,
          ...(req.body.at ? { at: req.body.at } : {}),
        }),
    )
    app.post(
      '/leads/:ref/reopen',
      {
        schema: {
          tags: ['handoff'],
          summary: 'Re-open a disqualified, lost, won or recycled lead at an earlier stage (default Lead)',
          params: ref,
          body: z.strictObject({ to: z.enum(REOPEN_STAGES).optional(), ...stageMove }),
        },
        preHandler: act,
      },
      async (req) =>
        reopenLeadStage(ctx, {
          workspaceId: principalOf(req).workspaceId,
          ref: req.params.ref,
          actor: actorOf(req),
          reason: req.body.reason,
          ...(req.body.to ? { to: req.body.to } : {}),
          ...(req.body.at ? { at: req.body.at } : {}),
        }),
    )
    app.get(
      '/dispositions',
      {
        schema: {
          tags: ['handoff'],
          summary: 'Every disposition with its reason code, source and campaign (the feedback loop)',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        },
        preHandler: requirePermission('leads:read'),
      },
      async (req) => ({
        dispositions: await listDispositions(ctx, principalOf(req).workspaceId, { limit: req.query.limit }),
      }),
    )
    app.get(
      '/queue',
      {
        schema: {
          tags: ['handoff'],
          summary:
            'A rep’s open leads, most urgent SLA first, with business time left in the owner’s calendar (rep keys: their own; others: ?rep=)',
          querystring: z.object({ rep: z.string().optional() }),
        },
        preHandler: read,
      },
      async (req) => {
        const p = principalOf(req)
        let rep = req.query.rep
        if (!can(p.role, 'leads:read')) {
          if (rep !== undefined && rep !== p.repId)
            throw new AppError('forbidden', 'a rep key reads only its own queue')
          rep = p.repId ?? undefined
        }
        if (!rep)
          throw new AppError('invalid_input', 'rep: name the rep whose queue to read (?rep=ana_ruiz)', [
            { path: 'rep', message: 'required' },
          ])
        return { rep, leads: await listQueue(ctx, p.workspaceId, rep, ctx.clock()) }
      },
    )
    app.get(
      '/endpoints',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Notification endpoints with their deliveries of the last 7 days (secrets are never listed)',
          querystring: z.object({
            include_disabled: z
              .enum(['true', 'false'])
              .optional()
              .describe('true: list disabled endpoints too (with disabled_at)'),
          }),
        },
        preHandler: admin,
      },
      async (req) => ({
        endpoints: await listEndpoints(ctx, principalOf(req).workspaceId, {
          includeDisabled: req.query.include_disabled === 'true',
        }),
      }),
    )
    app.post(
      '/endpoints',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Add a Slack, email or signed-webhook endpoint (a webhook secret is shown once)',
          body: z.strictObject({
            kind: z.enum(['slack', 'email', 'webhook']),
            name: z.string().min(1).max(200),
            url: z.string().max(2000).optional(),
            secret: z.string().optional(),
            email_to: z.email().optional(),
            rep_id: z.string().optional(),
            team: z.string().optional(),
            topics: z
              .array(z.string())
              .optional()
              .describe(`any of ${ENDPOINT_TOPICS.join(', ')}; empty = all`),
          }),
        },
        preHandler: admin,
      },
      async (req, reply) => {
        const b = req.body
        const created = await createEndpoint(ctx, principalOf(req).workspaceId, {
          kind: b.kind,
          name: b.name,
          ...(b.url !== undefined ? { url: b.url } : {}),
          ...(b.secret !== undefined ? { secret: b.secret } : {}),
          ...(b.email_to !== undefined ? { emailTo: b.email_to } : {}),
          ...(b.rep_id !== undefined ? { repId: b.rep_id } : {}),
          ...(b.team !== undefined ? { team: b.team } : {}),
          ...(b.topics !== undefined ? { topics: b.topics } : {}),
        })
        reply.code(201)
        return created
      },
    )
    const endpointParams = z.object({ id: z.coerce.number().int().positive() })
    app.patch(
      '/endpoints/:id',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Edit an endpoint (fields present overwrite; `enabled` disables or re-enables it)',
          params: endpointParams,
          body: z.strictObject({
            name: z.string().trim().min(1).max(200).optional(),
            url: z.string().max(2000).optional(),
            email_to: z.email().nullable().optional(),
            rep_id: z.string().min(1).nullable().optional(),
            team: z.string().min(1).nullable().optional(),
            topics: z
              .array(z.string())
              .optional()
              .describe(`any of ${ENDPOINT_TOPICS.join(', ')}; empty = all`),
            enabled: z.boolean().optional(),
          }),
        },
        preHandler: admin,
      },
      async (req) => {
        const b = req.body
        return updateEndpoint(ctx, principalOf(req).workspaceId, req.params.id, {
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.url !== undefined ? { url: b.url } : {}),
          ...(b.email_to !== undefined ? { emailTo: b.email_to } : {}),
          ...(b.rep_id !== undefined ? { repId: b.rep_id } : {}),
          ...(b.team !== undefined ? { team: b.team } : {}),
          ...(b.topics !== undefined ? { topics: b.topics } : {}),
          ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
        })
      },
    )
    app.post(
      '/endpoints/:id/test',
      {
        schema: {
          tags: ['notifications'],
          summary:
            'Send a test notification now, signed and delivered like a real one; answers with the outcome (recorded in the outbox as endpoint.test)',
          params: endpointParams,
          body: z
            .strictObject({
              to: z.email().optional().describe('email endpoints without a fixed address: where the test goes'),
            })
            .default({}),
        },
        preHandler: admin,
      },
      async (req) => {
        const p = principalOf(req)
        return sendTestNotification(ctx, p.workspaceId, req.params.id, {
          actor: `${p.role}:${p.name}`,
          ...(req.body.to ? { to: req.body.to } : {}),
        })
      },
    )
    app.post(
      '/endpoints/:id/secret',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Rotate a webhook endpoint’s signing secret; the new secret is shown once',
          params: endpointParams,
        },
        preHandler: admin,
      },
      async (req) => rotateEndpointSecret(ctx, principalOf(req).workspaceId, req.params.id),
    )
    app.delete(
      '/endpoints/:id',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Disable an endpoint',
          params: z.object({ id: z.coerce.number().int() }),
        },
        preHandler: admin,
      },
      async (req) => disableEndpoint(ctx, principalOf(req).workspaceId, req.params.id),
    )
    app.get(
      '/outbox',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Notifications and their delivery state; ?status=dead lists the dead letters',
          querystring: z.object({
            status: z.enum(['pending', 'delivered', 'dead']).optional(),
            endpoint_id: z.coerce.number().int().positive().optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
          }),
        },
        preHandler: admin,
      },
      async (req) => ({
        notifications: await listOutbox(ctx, principalOf(req).workspaceId, {
          ...(req.query.status ? { status: req.query.status } : {}),
          ...(req.query.endpoint_id ? { endpointId: req.query.endpoint_id } : {}),
          limit: req.query.limit,
        }),
      }),
    )
    app.post(
      '/outbox/:id/retry',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Send a dead letter again: pending with a fresh retry schedule, same idempotency id',
          params: z.object({ id: z.coerce.number().int().positive() }),
        },
        preHandler: admin,
      },
      async (req) => retryDeadLetter(ctx, principalOf(req).workspaceId, req.params.id),
    )
  }
