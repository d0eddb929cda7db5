/**
 * The first touch (a call, an email, a meeting…) from the API, the CLI or a CRM sync: recorded as an activity and,
 * in the same transaction, stops the lead's open SLA clock — met, or met late. A synced activity carries an
 * `external_id`: sending it again changes nothing.
 */
import { getEngineForVersion } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { stopClock } from '../core/sla/index.ts'
import type { Tx } from '../db/transaction.ts'
import { fromStoredClock, saveClock } from './clock-store.ts'
import { getHandoffPlan } from './handoff-plan.ts'
import { type Actor, lockLeadForAction, resolveActionInstant } from './lead-action.ts'

export type TouchInput = {
  workspaceId: number
  ref: string
  actor: Actor
  at?: string
  channel?: string
  note?: string
  externalId?: string
}

export type TouchResult = {
  leadId: number
  activityId: number
  firstTouch: boolean
  duplicate: boolean
  clock: { id: number; status: string; late: boolean; reason: string } | null
}

/**
 * @example await recordTouch(ctx, { workspaceId, ref: 'dana@acme-health.com', actor, channel: 'call' })
 * // { firstTouch: true, clock: { status: 'met', late: false, reason: 'met at 2026-11-23T09:20-05:00 after 20m …' } }
 */
export async function recordTouch(ctx: Pick<Ctx, 'db' | 'clock'>, input: TouchInput): Promise<TouchResult> {
  const now = ctx.clock()
  const at = resolveActionInstant(input.at, now)
  return ctx.db.transaction().execute(async (tx) => {
    const lead = await lockLeadForAction(tx, input.workspaceId, input.ref, input.actor)
    if (input.externalId) {
      const seen = await tx
        .selectFrom('lead_activity')
        .select(['id', 'lead_id'])
        .where('workspace_id', '=', input.workspaceId)
        .where('external_id', '=', input.externalId)
        .executeTakeFirst()
      if (seen) return { leadId: seen.lead_id, activityId: seen.id, firstTouch: false, duplicate: true, clock: null }
    }
    const earlier = await tx
      .selectFrom('lead_activity')
      .select('id')
      .where('lead_id', '=', lead.id)
      .where('kind', '=', 'first_touch')
      .executeTakeFirst()
    const activity = await tx
      .insertInto('lead_activity')
      .values({
        workspace_id: input.workspaceId,
        lead_id: lead.id,
        kind: earlier ? 'touch' : 'first_touch',
        channel: input.channel ?? null,
        rep_id: input.actor.repId ?? lead.owner_rep_id,
        actor: input.actor.label,
        at: new Date(at).toISOString(),
        note: input.note ?? null,
        external_id: input.externalId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const clock = await stopOpenClock(tx, ctx, input.workspaceId, lead.id, at, now, input.actor)
    return { leadId: lead.id, activityId: activity.id, firstTouch: !earlier, duplicate: false, clock }
  })
}

/** Stops the lead's open first-touch clock (running, paused or breached) at `at`; null when none is open. */
async function stopOpenClock(
  tx: Tx,
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  leadId: number,
  at: number,
  now: number,
  actor: Actor,
) {
  const row = await tx
    .selectFrom('sla_clock')
    .select(['id', 'agreement_version_id', 'calendar', 'started_at', 'state'])
    .where('lead_id', '=', leadId)
    .where('status', 'in', ['running', 'paused', 'breached'])
    .orderBy('id', 'desc')
    .forUpdate()
    .executeTakeFirst()
  if (!row) return null
  const plan = getHandoffPlan(await getEngineForVersion(ctx, row.agreement_version_id), now)
  const calendar = plan.calendar(row.calendar, row.started_at.getTime(), Math.max(now, at) + 90 * 86_400_000)
  const change = stopClock(fromStoredClock(row.state), at, calendar)
  await saveClock(tx, {
    workspaceId,
    clockId: row.id,
    clock: change.clock,
    steps: plan.escalation.steps,
    calendar,
    agreementVersionId: row.agreement_version_id,
    now,
    events: change.changed
      ? [{ kind: 'met', at: change.clock.metAt ?? at, actor: actor.label, reason: change.reason }]
      : [],
  })
  return { id: row.id, status: change.clock.state, late: change.clock.late, reason: change.reason }
}
