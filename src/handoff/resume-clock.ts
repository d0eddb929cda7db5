/**
 * Resumes a lead's paused SLA clock: the due and warning instants move out by the business time the pause lasted
 * (in the owner's calendar — a pause over a night or a weekend costs no business time), and the timers are
 * re-armed at them, in the same transaction that writes the resume on the clock's history.
 */
import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import { resumeClock } from '../core/sla/index.ts'
import { saveClock } from './clock-store.ts'
import { type Actor, lockLeadForAction } from './lead-action.ts'
import { type ClockActionResult, clockActionResult, lockOpenClock } from './open-clock.ts'

export type ResumeInput = { workspaceId: number; ref: string; actor: Actor; note?: string }

/**
 * @example await resumeLeadClock(ctx, { workspaceId, ref: '42', actor })
 * // { status: 'running', reason: 'resumed Tue 14:00 after 4 business hours 50 minutes paused; due …', dueAt: … }
 */
export async function resumeLeadClock(ctx: Pick<Ctx, 'db' | 'clock'>, input: ResumeInput): Promise<ClockActionResult> {
  const now = ctx.clock()
  return ctx.db.transaction().execute(async (tx) => {
    const lead = await lockLeadForAction(tx, input.workspaceId, input.ref, input.actor)
    const open = await lockOpenClock(tx, ctx, lead.id, now)
    if (!open) throw new AppError('conflict', `lead ${lead.id} has no open SLA clock to resume`)
    if (open.clock.state !== 'paused')
      throw new AppError('conflict', `lead ${lead.id}: the SLA clock is ${open.clock.state}, not paused`)
    const change = resumeClock(open.clock, now, open.calendar)
    await saveClock(tx, {
      workspaceId: input.workspaceId,
      clockId: open.id,
      clock: change.clock,
      steps: open.plan.escalation.steps,
      calendar: open.calendar,
      agreementVersionId: open.agreementVersionId,
      now,
      events: [{ kind: 'resumed', at: now, actor: input.actor.label, note: input.note ?? null, reason: change.reason }],
    })
    return clockActionResult(lead.id, open, change.clock, change.reason, now)
  })
}
