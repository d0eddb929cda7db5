/**
 * Routes one lead inside the caller's transaction, following the routing core's concurrency contract
 * (src/core/routing/README.md): merge the rep status into the Agreement's reps; lock the pool rows the decision may
 * read, in name order; read the reps' load only after the lock; decide; write the pool state back with a version
 * check; record the assignment with its trace.
 *
 * What must stay true: two transactions routing through one pool serialize on its `pool_state` row, so no turn of
 * the round robin is handed out twice (the assignment's `pool_version` is unique per pool to prove it).
 */
import { sql } from 'kysely'
import { AppError } from '../core/errors.ts'
import {
  applyRepStatuses,
  countAssignmentLoad,
  createPoolState,
  decideRoute,
  type Load,
  listPoolsToLock,
  type PoolState,
  type Rep,
  type RouteDecision,
  type RoutingInput,
  type RoutingRule,
} from '../core/routing/index.ts'
import type { AssignmentReason } from '../db/schema.ts'
import type { Tx } from '../db/transaction.ts'
import { loadRepStatuses } from '../reps/load-rep-statuses.ts'
import type { HandoffPlan } from './handoff-plan.ts'

export type RouteLeadResult = { decision: RouteDecision; assignmentId: number; poolVersion: number | null }

const WEEK_MS = 8 * 86_400_000

/**
 * Decides and records the owner of `leadId`; ends the lead's previous open assignment and sets `lead.owner_rep_id`.
 * `rules` defaults to the Agreement's routing; `excludeRep` treats a rep as inactive (reassignment away from them).
 * @example await routeLead(tx, { workspaceId, plan, leadId, input, now, reason: 'routed' })
 */
export async function routeLead(
  tx: Tx,
  args: {
    workspaceId: number
    plan: HandoffPlan
    leadId: number
    input: RoutingInput
    now: number
    reason: AssignmentReason
    rules?: readonly RoutingRule[]
    excludeRep?: string | null
  },
): Promise<RouteLeadResult> {
  const { plan, now, workspaceId } = args
  const rules = args.rules ?? plan.rules
  // The rep status (out of office, active override) is operational, not signed: read it in this transaction and
  // hand it to the pure core as data, so a rep marked away a second ago gets no new lead.
  const withStatus = applyRepStatuses(plan.reps, await loadRepStatuses(tx, workspaceId))
  const reps: readonly Rep[] = args.excludeRep
    ? withStatus.map((r) => (r.id === args.excludeRep ? { ...r, active: false } : r))
    : withStatus
  const pools = plan.pools
  const names = listPoolsToLock({ rules, input: args.input, reps, pools, now })
  const poolStates: Record<string, PoolState> = {}
  let load: Load = {}
  if (names.length > 0) {
    const fresh = names.map((n) => ({ pool: n, state: createPoolState(n) }))
    await sql`insert into pool_state (workspace_id, pool, state, version)
        select ${workspaceId}, r.pool, r.state, 0 from jsonb_to_recordset(${JSON.stringify(fresh)}::jsonb) as r(pool text, state jsonb)
        on conflict do nothing`.execute(tx)
    const locked = await sql<{ pool: string; state: PoolState; version: number }>`select pool, state, version
        from pool_state where workspace_id = ${workspaceId} and pool = any(${names}::text[])
        order by pool for update`.execute(tx)
    for (const row of locked.rows) poolStates[row.pool] = { ...row.state, poolName: row.pool, version: row.version }
    // Load is read after the lock: counted before it, two routings could both see a rep just under a cap.
    const members = [
      ...new Set(pools.filter((p) => names.includes(p.name)).flatMap((p) => p.members.map((m) => m.rep))),
    ]
    const rows = await sql<{ rep_id: string; assigned_at: Date }>`select rep_id, assigned_at from assignment
        where workspace_id = ${workspaceId} and rep_id = any(${members}::text[])
          and assigned_at >= ${new Date(now - WEEK_MS).toISOString()}`.execute(tx)
    const byRep = new Map<string, number[]>()
    for (const r of rows.rows) {
      const list = byRep.get(r.rep_id) ?? []
      list.push(r.assigned_at.getTime())
      byRep.set(r.rep_id, list)
    }
    const repIndex = new Map(reps.map((r) => [r.id, r]))
    const counted: Record<string, { today: number; thisWeek: number }> = {}
    for (const id of members) {
      const rep = repIndex.get(id)
      if (rep) counted[id] = countAssignmentLoad(byRep.get(id) ?? [], rep.calendar.timeZone, now)
    }
    load = counted
  }
  const decision = decideRoute({ rules, input: args.input, reps, pools, poolStates, load, now })
  let poolVersion: number | null = null
  if (decision.kind === 'assigned' && decision.newPoolState) {
    const next = decision.newPoolState
    poolVersion = next.version - 1
    const updated = await sql`update pool_state set state = ${JSON.stringify(next)}::jsonb, version = ${next.version},
          updated_at = now()
        where workspace_id = ${workspaceId} and pool = ${next.poolName} and version = ${next.version - 1}`.execute(tx)
    if (Number(updated.numAffectedRows ?? 0) !== 1)
      throw new AppError('conflict', `pool ${next.poolName} moved while this routing held its lock; retry`)
  }
  const nowIso = new Date(now).toISOString()
  await tx
    .updateTable('assignment')
    .set({ ended_at: nowIso })
    .where('lead_id', '=', args.leadId)
    .where('ended_at', 'is', null)
    .execute()
  const assigned = decision.kind === 'assigned' ? decision : null
  const row = await tx
    .insertInto('assignment')
    .values({
      workspace_id: workspaceId,
      lead_id: args.leadId,
      rep_id: assigned?.repId ?? null,
      rule: assigned?.ruleName ?? null,
      pool: assigned?.poolName ?? null,
      via_backup: assigned?.viaBackup ?? false,
      pool_version: poolVersion,
      trace: JSON.stringify(decision.trace),
      reason: args.reason,
      agreement_version_id: plan.versionId,
      assigned_at: nowIso,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await tx
    .updateTable('lead')
    .set({ owner_rep_id: assigned?.repId ?? null, updated_at: nowIso })
    .where('id', '=', args.leadId)
    .execute()
  return { decision, assignmentId: row.id, poolVersion }
}
