/**
 * A rep (or sales) pauses a lead's running SLA clock for a reason the Agreement lists under `sla.pause_when` — e.g.
 * `waiting_on_lead` when the lead asked to be called back at a set time. While paused no business time is used and
 * no warning, breach or escalation fires. The pause, with its reason code, actor and note, goes on the clock's
 * history in the same transaction. A clock already past its due instant is not paused: the deadline has gone, and a
 * pause must not hide that (the timer poller breaches it).
 */
import { findActiveEngine } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { formatMinuteInZone } from '../core/calendar/index.ts'
import { AppError } from '../core/errors.ts'
import { pauseClock } from '../core/sla/index.ts'
import { saveClock } from './clock-store.ts'
import { getHandoffPlan } from './handoff-plan.ts'
import { type Actor, lockLeadForAction } from './lead-action.ts'
import { type ClockActionResult, clockActionResult, lockOpenClock } from './open-clock.ts'

export type PauseInput = { workspaceId: number; ref: string; actor: Actor; reasonCode: string; note?: string }

/**
 * @example await pauseLeadClock(ctx, { workspaceId, ref: 'dana@acme-health.com', actor, reasonCode: 'waiting_on_lead',
 *   note: 'Asked to be called back Tuesday 14:00' })
 * // { status: 'paused', reason: 'paused Mon 09:10: 40 business minutes used of 1 business hour, 20 business minutes remain', … }
 */
export async function pauseLeadClock(ctx: Pick<Ctx, 'db' | 'clock'>, input: PauseInput): Promise<ClockActionResult> {
  const now = ctx.clock()
  const active = await findActiveEngine(ctx, input.workspaceId, now)
  if (!active) throw new AppError('conflict', 'no Agreement is in force: pausing needs its sla.pause_when reasons')
  const allowed = getHandoffPlan(active.engine, now).compiled.sla.pauseWhen
  if (!allowed.includes(input.reasonCode)) {
    const message =
      allowed.length === 0
        ? 'the Agreement in force lists no pause reasons (sla.pause_when is empty): its SLA clocks are never paused'
        : `expected one of ${allowed.join(', ')} (sla.pause_when in the Agreement)`
    throw new AppError('invalid_input', `reason_code: "${input.reasonCode}" is not a pause reason; ${message}`, [
      { path: 'reason_code', message },
    ])
  }
  return ctx.db.transaction().execute(async (tx) => {
    const lead = await lockLeadForAction(tx, input.workspaceId, input.ref, input.actor)
    const open = await lockOpenClock(tx, ctx, lead.id, now)
    if (!open) throw new AppError('conflict', `lead ${lead.id} has no open SLA clock to pause`)
    const { clock, calendar } = open
    const at = (ms: number) => formatMinuteInZone(ms, calendar.timeZone)
    if (clock.state === 'paused')
      throw new AppError('conflict', `lead ${lead.id}: the SLA clock is already paused since ${at(clock.pausedAt!)}`)
    if (clock.state === 'breached')
      throw new AppError(
        'conflict',
        `lead ${lead.id}: the SLA clock breached at ${at(clock.breachedAt!)}; a breached clock is not paused — escalation continues until the first touch`,
      )
    if (clock.dueAt !== null && now >= clock.dueAt)
      throw new AppError(
        'conflict',
        `lead ${lead.id}: the SLA clock was due ${at(clock.dueAt)}; a clock past due is not paused — it breaches`,
      )
    const change = pauseClock(clock, now, calendar)
    await saveClock(tx, {
      workspaceId: input.workspaceId,
      clockId: open.id,
      clock: change.clock,
      steps: open.plan.escalation.steps,
      calendar,
      agreementVersionId: open.agreementVersionId,
      now,
      events: [
        {
          kind: 'paused',
          at: now,
          actor: input.actor.label,
          reasonCode: input.reasonCode,
          note: input.note ?? null,
          reason: `${change.reason} (${input.reasonCode})`,
        },
      ],
    })
    return clockActionResult(lead.id, open, change.clock, change.reason, now)
  })
}
