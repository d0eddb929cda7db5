/**
 * The SLA timer poller: claims due timer rows, lets the pure SLA core decide which warn / breach / escalation events
 * are due, applies them to the clock, and does what they say — notify the rep, the manager or the Agreement owners
 * through the outbox, or reassign the lead to the backup pool — all in one transaction per claim.
 *
 * What must stay true:
 * - A timer fires once even with several pollers: the claim locks timer, clock and lead rows `FOR NO KEY UPDATE
 *   SKIP LOCKED` (a poller never waits, so it cannot deadlock with a touch or a disposition holding the lead; and the
 *   no-key lock leaves foreign-key checks of concurrent ingestion — stage transitions inserted for the lead — free to
 *   proceed), and the clock records each fired key (`applyTimerEvent` is idempotent).
 * - A timer that came due while no poller ran fires on the next claim: due rows are found by `due_at <= now`.
 */
import { sql } from 'kysely'
import { getEngineForVersion } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import type { LeadState } from '../core/engine/index.ts'
import {
  applyTimerEvent,
  cancelClock,
  decideTimers,
  type SlaClock,
  type SlaClockChange,
  type SlaTimerEvent,
} from '../core/sla/index.ts'
import type { Tx } from '../db/transaction.ts'
import { type ClockEvent, fromStoredClock, saveClock } from './clock-store.ts'
import { type Audience, enqueueNotifications } from './enqueue-notifications.ts'
import { linksFor, loadRoutingInput, startLeadClock } from './hand-off-leads.ts'
import { getHandoffPlan, type HandoffPlan } from './handoff-plan.ts'
import { loadLeadBrief } from './lead-brief.ts'
import { routeLead } from './route-lead.ts'

export type FiredTimer = { clockId: number; leadId: number; key: string; kind: SlaTimerEvent['kind']; reason: string }
export type TimerRound = { claimed: number; fired: FiredTimer[] }

type ClaimedClock = {
  id: number
  workspace_id: number
  lead_id: number
  assignment_id: number
  rep_id: string
  calendar: string
  agreement_version_id: number
  started_at: Date
  target_ms: number
  state: unknown
}

/**
 * One round: claim up to `batch` due timers and fire them.
 * @example await runTimers(ctx) // { claimed: 2, fired: [{ key: 'warn', … }, { key: 'breach', … }] }
 */
export async function runTimers(
  ctx: Pick<Ctx, 'db' | 'clock' | 'config' | 'logger'>,
  opts: { batch?: number } = {},
): Promise<TimerRound> {
  const now = ctx.clock()
  return ctx.db.transaction().execute(async (tx) => {
    const claimed = await sql<{ clock_id: number }>`select t.clock_id from sla_timer t
        join sla_clock c on c.id = t.clock_id
        join lead l on l.id = c.lead_id
        where t.fired_at is null and t.due_at <= ${new Date(now).toISOString()}
        order by t.due_at, t.id limit ${opts.batch ?? 50}
        for no key update of t, c, l skip locked`.execute(tx)
    const clockIds = [...new Set(claimed.rows.map((r) => r.clock_id))].sort((a, b) => a - b)
    const fired: FiredTimer[] = []
    if (clockIds.length === 0) return { claimed: 0, fired }
    const clocks = await tx
      .selectFrom('sla_clock')
      .select([
        'id',
        'workspace_id',
        'lead_id',
        'assignment_id',
        'rep_id',
        'calendar',
        'agreement_version_id',
        'started_at',
        'target_ms',
        'state',
      ])
      .where('id', 'in', clockIds)
      .orderBy('id')
      .execute()
    for (const row of clocks as ClaimedClock[]) fired.push(...(await fireClock(tx, ctx, row, now)))
    return { claimed: claimed.rows.length, fired }
  })
}

async function fireClock(
  tx: Tx,
  ctx: Pick<Ctx, 'db' | 'config'>,
  row: ClaimedClock,
  now: number,
): Promise<FiredTimer[]> {
  const engine = await getEngineForVersion(ctx, row.agreement_version_id)
  const plan = getHandoffPlan(engine, now)
  const calendar = plan.calendar(row.calendar, row.started_at.getTime(), now + 90 * 86_400_000)
  let clock: SlaClock = fromStoredClock(row.state)
  const decision = decideTimers(clock, plan.escalation.steps, now, calendar)
  const fired: FiredTimer[] = []
  const outcomes = new Map<string, string>()
  const history: ClockEvent[] = []
  for (const event of decision.due) {
    const change = applyTimerEvent(clock, event)
    if (!change.changed) continue
    clock = change.clock
    outcomes.set(event.key, event.reason)
    history.push({ kind: HISTORY_KIND[event.kind], at: event.at, reason: event.reason })
    fired.push({ clockId: row.id, leadId: row.lead_id, key: event.key, kind: event.kind, reason: event.reason })
    const base = {
      leadId: row.lead_id,
      repId: row.rep_id,
      data: { lead_id: row.lead_id, clock_id: row.id, rep_id: row.rep_id, reason: event.reason },
    }
    if (event.kind === 'warn') {
      await enqueueNotifications(tx, plan, row.workspace_id, now, {
        ...base,
        topic: 'sla.warning',
        subject: `clock:${row.id}:warn`,
        audiences: ['rep'],
        title: `SLA warning: lead ${row.lead_id} is due soon`,
        lines: [event.reason],
      })
    } else if (event.kind === 'breach') {
      await enqueueNotifications(tx, plan, row.workspace_id, now, {
        ...base,
        topic: 'sla.breached',
        subject: `clock:${row.id}:breach`,
        audiences: ['rep'],
        title: `SLA breached: lead ${row.lead_id} had no first touch in time`,
        lines: [event.reason],
      })
    } else {
      const step = plan.escalation.written[event.step]
      const audiences = (step?.notify ?? []) as Audience[]
      if (audiences.length > 0)
        await enqueueNotifications(tx, plan, row.workspace_id, now, {
          ...base,
          topic: 'sla.escalated',
          subject: `clock:${row.id}:${event.key}`,
          audiences,
          title: `SLA escalation: lead ${row.lead_id} (${row.rep_id}) is past due`,
          lines: [event.reason],
        })
      if (step?.reassign) {
        const moved = await reassignLead(tx, ctx, plan, row, clock, step.reassign, now, event.reason)
        if (moved) {
          clock = moved.clock
          history.push({ kind: 'cancelled', at: now, reason: moved.reason })
        }
      }
    }
  }
  await saveClock(tx, {
    workspaceId: row.workspace_id,
    clockId: row.id,
    clock,
    steps: plan.escalation.steps,
    calendar,
    agreementVersionId: row.agreement_version_id,
    now,
    outcomes,
    events: history,
  })
  return fired
}

const HISTORY_KIND = { warn: 'warned', breach: 'breached', escalate: 'escalated' } as const

/**
 * Escalation "reassign": route the lead through the backup pool of the pool it came from (or a named pool), never
 * back to the rep who let it lapse; cancel the old clock and start a fresh one for the new owner. Returns the
 * cancelled clock with the reason, or null when nobody could take the lead (the lead stays where it is; the trace is
 * recorded).
 */
async function reassignLead(
  tx: Tx,
  ctx: Pick<Ctx, 'db' | 'config'>,
  plan: HandoffPlan,
  row: ClaimedClock,
  clock: SlaClock,
  target: 'backup_pool' | { pool: string },
  now: number,
  why: string,
): Promise<SlaClockChange | null> {
  const current = await tx
    .selectFrom('assignment')
    .select(['pool'])
    .where('id', '=', row.assignment_id)
    .executeTakeFirst()
  const pools = plan.compiled.pools
  let pool: string | null
  if (typeof target !== 'string') pool = target.pool
  else if (current?.pool) pool = pools[current.pool]?.backup ?? current.pool
  else {
    const last = [...plan.rules].reverse().find((r) => r.to.kind === 'pool')
    pool = last?.to.kind === 'pool' ? last.to.pool : null
  }
  if (!pool) return null
  const engine = await getEngineForVersion(ctx, plan.versionId)
  const { input, state } = await loadRoutingInput(tx, plan, { engine }, row.lead_id, now)
  const routed = await routeLead(tx, {
    workspaceId: row.workspace_id,
    plan,
    leadId: row.lead_id,
    input,
    now,
    reason: 'reassigned',
    rules: [{ name: `SLA escalation: reassign to pool ${pool}`, condition: null, to: { kind: 'pool', pool } }],
    excludeRep: row.rep_id,
  })
  if (routed.decision.kind !== 'assigned') {
    // Nobody could take it: keep the current owner rather than park a breached lead with no one.
    await tx
      .updateTable('assignment')
      .set({ ended_at: new Date(now).toISOString() })
      .where('id', '=', routed.assignmentId)
      .execute()
    await tx.updateTable('assignment').set({ ended_at: null }).where('id', '=', row.assignment_id).execute()
    await tx.updateTable('lead').set({ owner_rep_id: row.rep_id }).where('id', '=', row.lead_id).execute()
    return null
  }
  const repId = routed.decision.repId
  const calendar = plan.calendar(row.calendar, row.started_at.getTime(), now + 90 * 86_400_000)
  const cancelled = cancelClock(clock, now, calendar, `reassigned to ${repId}: ${why}`)
  const sla = (state as LeadState).tier?.sla
  await startLeadClock(tx, {
    workspaceId: row.workspace_id,
    plan,
    leadId: row.lead_id,
    assignmentId: routed.assignmentId,
    repId,
    now,
    targetMs: sla?.firstTouchBusinessMs ?? Number(row.target_ms),
  })
  const { brief } = await loadLeadBrief(tx, plan, row.workspace_id, row.lead_id, now)
  await enqueueNotifications(tx, plan, row.workspace_id, now, {
    topic: 'lead.reassigned',
    subject: `assignment:${routed.assignmentId}`,
    leadId: row.lead_id,
    repId,
    audiences: ['rep'],
    title: `Reassigned to you: ${brief.headline}`,
    lines: [why, ...brief.whyThisRep],
    brief: { brief, links: linksFor(ctx, row.lead_id) },
    data: {
      lead_id: row.lead_id,
      rep_id: repId,
      previous_rep_id: row.rep_id,
      assignment_id: routed.assignmentId,
      brief,
    },
  })
  return cancelled
}
