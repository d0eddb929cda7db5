/**
 * What the rep actions on an SLA clock (pause, resume) share: the lead's open clock, locked, with the plan of the
 * Agreement version it counts under and its calendar.
 */
import { getEngineForVersion } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import type { Calendar } from '../core/calendar/index.ts'
import { measureClock, type SlaClock } from '../core/sla/index.ts'
import type { Tx } from '../db/transaction.ts'
import { fromStoredClock } from './clock-store.ts'
import { getHandoffPlan, type HandoffPlan } from './handoff-plan.ts'

export type OpenClock = {
  id: number
  agreementVersionId: number
  clock: SlaClock
  plan: HandoffPlan
  calendar: Calendar
}

/**
 * Locks the lead's open clock (running, paused or breached; the newest) for this transaction; null when it has none.
 * Call after locking the lead, the order every rep action takes.
 */
export async function lockOpenClock(
  tx: Tx,
  ctx: Pick<Ctx, 'db'>,
  leadId: number,
  now: number,
): Promise<OpenClock | null> {
  const row = await tx
    .selectFrom('sla_clock')
    .select(['id', 'agreement_version_id', 'started_at', 'state'])
    .where('lead_id', '=', leadId)
    .where('status', 'in', ['running', 'paused', 'breached'])
    .orderBy('id', 'desc')
    .forUpdate()
    .executeTakeFirst()
  if (!row) return null
  const plan = getHandoffPlan(await getEngineForVersion(ctx, row.agreement_version_id), now)
  const clock = fromStoredClock(row.state)
  // The state's calendar name, not the column's: a re-plan after a calendar edit may have renamed it.
  const calendar = plan.calendar(clock.calendarName, row.started_at.getTime(), now + 90 * 86_400_000)
  return { id: row.id, agreementVersionId: row.agreement_version_id, clock, plan, calendar }
}

/** What a pause or resume answers: the clock after it, in business time as of `now`. */
export type ClockActionResult = {
  leadId: number
  clockId: number
  status: SlaClock['state']
  reason: string
  dueAt: string | null
  warnAt: string | null
  consumedBusinessMs: number
  remainingBusinessMs: number
}

const iso = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString())

export function clockActionResult(leadId: number, open: OpenClock, clock: SlaClock, reason: string, now: number) {
  const m = measureClock(clock, now, open.calendar)
  return {
    leadId,
    clockId: open.id,
    status: clock.state,
    reason,
    dueAt: iso(clock.dueAt),
    warnAt: iso(clock.warnAt),
    consumedBusinessMs: Math.round(m.consumedMs),
    remainingBusinessMs: Math.round(m.remainingMs),
  } satisfies ClockActionResult
}
