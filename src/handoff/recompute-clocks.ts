/**
 * Calendars live in the Agreement, so a calendar is edited by signing a new version. When a new version is in
 * force, running clocks stamped with an older one are re-planned: business time used so far is counted in the
 * calendar that was in force, the new calendar applies from now (the core's `recomputeClock`). Paused clocks take
 * the new calendar on resume; breached, met and cancelled clocks are never touched — a finished clock's outcome
 * must not change after the fact. Each re-planned clock is re-stamped with the new version, and its timers moved.
 *
 * A running clock already past its due instant is not re-planned here: its breach belongs to the timer poller, which
 * records it with its notification and escalations (re-planning it first would breach it silently and drop the
 * breach timer). Once breached it is finished, so it keeps the version it was started under.
 */
import { sql } from 'kysely'
import { findActiveEngine, getEngineForVersion } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { recomputeClock } from '../core/sla/index.ts'
import { fromStoredClock, saveClock } from './clock-store.ts'
import { getHandoffPlan } from './handoff-plan.ts'

export type RecomputeResult = { examined: number; recomputed: { clockId: number; reason: string }[] }

/**
 * @example await recomputeClocks(ctx, workspaceId) // { examined: 4, recomputed: [{ clockId: 9, reason: 'recomputed: due …' }] }
 */
export async function recomputeClocks(ctx: Pick<Ctx, 'db' | 'clock'>, workspaceId: number): Promise<RecomputeResult> {
  const now = ctx.clock()
  const active = await findActiveEngine(ctx, workspaceId, now)
  if (!active) return { examined: 0, recomputed: [] }
  return ctx.db.transaction().execute(async (tx) => {
    const rows = await sql<{
      id: number
      rep_id: string
      calendar: string
      agreement_version_id: number
      started_at: Date
      state: unknown
    }>`select c.id, c.rep_id, c.calendar, c.agreement_version_id, c.started_at, c.state from sla_clock c
        join lead l on l.id = c.lead_id
        where c.workspace_id = ${workspaceId} and c.agreement_version_id <> ${active.versionId}
          and (c.status = 'paused' or (c.status = 'running' and (c.due_at is null or c.due_at > ${new Date(now).toISOString()})))
        order by c.id for no key update of c, l skip locked`.execute(tx)
    const next = getHandoffPlan(active.engine, now)
    const recomputed: RecomputeResult['recomputed'] = []
    for (const row of rows.rows) {
      const previous = getHandoffPlan(await getEngineForVersion(ctx, row.agreement_version_id), now)
      const horizon = now + 90 * 86_400_000
      const before = previous.calendar(row.calendar, row.started_at.getTime(), horizon)
      const name = next.calendarOf(row.rep_id) ?? row.calendar
      const after = next.calendar(name, row.started_at.getTime(), horizon)
      const change = recomputeClock(fromStoredClock(row.state), after, now, before)
      await saveClock(tx, {
        workspaceId,
        clockId: row.id,
        clock: change.clock,
        steps: next.escalation.steps,
        calendar: after,
        agreementVersionId: active.versionId,
        now,
        events: change.changed ? [{ kind: 'recomputed', at: now, reason: change.reason }] : [],
      })
      if (change.changed) recomputed.push({ clockId: row.id, reason: change.reason })
    }
    return { examined: rows.rows.length, recomputed }
  })
}
