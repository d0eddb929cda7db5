/**
 * One consistent picture of the reps at an instant, shared by the reps, teams and pools reads: the active
 * Agreement's reps with their rep status merged exactly as routing merges it, their calendars, and the load they
 * carry (assignments today and this ISO week, in each rep's own zone, as routing counts it against caps).
 */
import { findActiveEngine } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import { applyRepStatuses, countAssignmentLoad, type Rep, type RepLoad } from '../core/routing/index.ts'
import { getHandoffPlan, type HandoffPlan } from '../handoff/handoff-plan.ts'
import { listStoredRepStatuses, type StoredRepStatus, toRepStatus } from './load-rep-statuses.ts'

export type OperationalReps = {
  now: number
  plan: HandoffPlan
  /** The Agreement's reps with the rep status merged, as routing sees them now. */
  reps: readonly Rep[]
  statuses: ReadonlyMap<string, StoredRepStatus>
  loads: ReadonlyMap<string, RepLoad>
}

const LOAD_WINDOW_MS = 8 * 86_400_000

/** @example const snapshot = await loadOperationalReps(ctx, workspaceId, ctx.clock()) */
export async function loadOperationalReps(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  now: number,
): Promise<OperationalReps> {
  const active = await findActiveEngine(ctx, workspaceId, now)
  if (!active) throw new AppError('conflict', 'no Agreement is in force: reps, teams and pools come from it')
  const plan = getHandoffPlan(active.engine, now)
  const [stored, assigned] = await Promise.all([
    listStoredRepStatuses(ctx.db, workspaceId),
    ctx.db
      .selectFrom('assignment')
      .select(['rep_id', 'assigned_at'])
      .where('workspace_id', '=', workspaceId)
      .where('rep_id', 'is not', null)
      .where('assigned_at', '>=', new Date(now - LOAD_WINDOW_MS))
      .execute(),
  ])
  const reps = applyRepStatuses(plan.reps, stored.map(toRepStatus))
  const byRep = new Map<string, number[]>()
  for (const a of assigned) {
    const list = byRep.get(a.rep_id!) ?? []
    list.push(a.assigned_at.getTime())
    byRep.set(a.rep_id!, list)
  }
  const loads = new Map(reps.map((r) => [r.id, countAssignmentLoad(byRep.get(r.id) ?? [], r.calendar.timeZone, now)]))
  return { now, plan, reps, statuses: new Map(stored.map((s) => [s.rep_id, s])), loads }
}
