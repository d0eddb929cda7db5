/**
 * When a new Agreement version becomes active (signed with an effective date that has come), the open leads decided
 * under an earlier version are re-evaluated under it from then on: their scores are re-read through the new rules,
 * and a lead that now meets a stage moves, with the reason "re-evaluated under agreement vN". Past transitions keep
 * the version they were made under — history is never rewritten.
 *
 * The sweep runs in the worker loop (src/handoff/workers.ts), a batch per transaction. A killed process loses
 * nothing: what is left to do is read from the leads themselves (their `agreement_version_id`), not from a queue.
 * One sweeper per workspace at a time (a transaction-scoped advisory lock); events that arrive meanwhile move their
 * lead to the new version themselves, and the sweep then finds nothing left for it.
 */
import { sql } from 'kysely'
import { findActiveEngine } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { withTransaction } from '../db/transaction.ts'
import { handOffLeads } from '../handoff/hand-off-leads.ts'
import { refreshLeads } from './qualify-events.ts'

/** Advisory lock class of the sweep (the second key is the workspace id). */
const SWEEP_LOCK = 0x4c_45_41_44 // "LEAD"

export type SweepResult = { versionId: number | null; leads: number; transitions: number; handoffs: number }

/**
 * Re-evaluates up to `batch` open leads decided under another version than the one active now.
 * Returns how many it took: 0 when none are left (or another process holds the workspace's sweep).
 *
 * Example: `while ((await reevaluateOpenLeads(ctx, ws)).leads > 0);`
 */
export async function reevaluateOpenLeads(
  ctx: Pick<Ctx, 'db' | 'clock'> & Partial<Pick<Ctx, 'config'>>,
  workspaceId: number,
  options: { batch?: number } = {},
): Promise<SweepResult> {
  const now = ctx.clock()
  const active = await findActiveEngine(ctx, workspaceId, now)
  if (!active) return { versionId: null, leads: 0, transitions: 0, handoffs: 0 }
  const batch = options.batch ?? 200
  return withTransaction(ctx.db, async (tx) => {
    const none = { versionId: active.versionId, leads: 0, transitions: 0, handoffs: 0 }
    const lock = await sql<{
      ok: boolean
    }>`select pg_try_advisory_xact_lock(${SWEEP_LOCK}, ${workspaceId}::int) as ok`.execute(tx)
    if (!lock.rows[0]!.ok) return none
    // Two index ranges (below and above the active version) rather than `<>`, which would scan every open lead's
    // index entry each round. Leads without a version were never decided by the engine: both leave them out.
    const stale = await sql<{ person_id: number }>`select person_id from lead
        where workspace_id = ${workspaceId} and closed_at is null
          and (agreement_version_id < ${active.versionId} or agreement_version_id > ${active.versionId})
        limit ${batch}`.execute(tx)
    if (stale.rows.length === 0) return none
    const result = await refreshLeads(
      tx,
      workspaceId,
      active,
      stale.rows.map((r) => r.person_id),
      now,
    )
    if (result.handoffs.length > 0) await handOffLeads(tx, ctx, workspaceId, active, result.handoffs, now)
    return {
      versionId: active.versionId,
      leads: result.leads,
      transitions: result.transitions,
      handoffs: result.handoffs.length,
    }
  })
}
