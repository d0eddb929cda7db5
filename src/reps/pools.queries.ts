/**
 * Read for Settings › Pools (`GET /v1/pools`): each routing pool of the active Agreement with its members as the
 * round robin would see them if a lead arrived now — weight and share, caps against today's and this week's
 * assignments, the reason a member would be skipped (inactive, out of office, outside hours, cap reached), who is
 * next in turn, and the backup pool.
 */
import type { Ctx } from '../context.ts'
import {
  describeUnavailability,
  findMemberUnavailability,
  type PoolState,
  takeTurn,
  type Unavailability,
} from '../core/routing/index.ts'
import { loadOperationalReps } from './load-operational-reps.ts'

export type PoolMemberView = {
  rep: string
  name: string
  weight: number
  /** The member's weight as a share of the pool's total weight (what it receives while everyone is available). */
  share: number
  /** next: takes the next lead; available: would be passed over this turn; skipped: see `reason`. */
  status: 'next' | 'available' | 'skipped'
  reason: Unavailability | null
  reason_text: string | null
  capacity: { daily: number | null; weekly: number | null }
  load: { today: number; this_week: number }
}

/**
 * @example await listPools(ctx, workspaceId)
 * // { as_of, pools: [{ id: 'na_east', next_rep: 'ana_ruiz', backup: 'na_west', members: [{ rep: 'chloe_adams', status: 'skipped', reason_text: 'out of office until Jan 1, 2027 (Parental leave)' }, …] }] }
 */
export async function listPools(ctx: Pick<Ctx, 'db' | 'clock'>, workspaceId: number) {
  const snapshot = await loadOperationalReps(ctx, workspaceId, ctx.clock())
  const { plan, now } = snapshot
  const states = await ctx.db
    .selectFrom('pool_state')
    .select(['pool', 'state', 'version', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .execute()
  const stateOf = new Map(states.map((s) => [s.pool, s]))
  const repById = new Map(snapshot.reps.map((r) => [r.id, r]))
  const written = plan.compiled.agreement
  const pools = plan.pools.map((pool) => {
    const options = {
      respectWorkingHours: pool.respectWorkingHours !== false,
      respectCapacity: pool.respectCapacity !== false,
    }
    const total = pool.members.reduce((n, m) => n + (m.weight > 0 ? m.weight : 0), 0)
    const reasons = pool.members.map((m): Unavailability | null => {
      const rep = repById.get(m.rep)
      if (!rep) return { kind: 'unknown_rep' }
      if (!(m.weight > 0)) return { kind: 'zero_weight' }
      return findMemberUnavailability(rep, snapshot.loads.get(m.rep), now, options)
    })
    const stored = stateOf.get(pool.name)
    const turn = takeTurn(
      pool.members.map((m, i) => ({ rep: m.rep, weight: m.weight, available: reasons[i] === null })),
      ((stored?.state as PoolState | undefined)?.nextStart ?? {}) as Record<string, number>,
    )
    const members: PoolMemberView[] = pool.members.map((m, i) => {
      const rep = repById.get(m.rep)
      const load = snapshot.loads.get(m.rep) ?? { today: 0, thisWeek: 0 }
      const reason = reasons[i]!
      return {
        rep: m.rep,
        name: rep?.name ?? m.rep,
        weight: m.weight,
        share: total > 0 && m.weight > 0 ? m.weight / total : 0,
        status: i === turn.chosen ? 'next' : reason ? 'skipped' : 'available',
        reason,
        reason_text: reason ? describeUnavailability(reason, now) : null,
        capacity: { daily: rep?.capacity?.daily ?? null, weekly: rep?.capacity?.weekly ?? null },
        load: { today: load.today, this_week: load.thisWeek },
      }
    })
    return {
      id: pool.name,
      name: written.pools[pool.name]?.name ?? pool.name,
      backup: pool.backup ?? null,
      backup_for: plan.pools.filter((p) => p.backup === pool.name).map((p) => p.name),
      respect_working_hours: options.respectWorkingHours,
      respect_capacity: options.respectCapacity,
      rules: written.routing.flatMap((r, i) =>
        typeof r.to === 'object' && 'pool' in r.to && r.to.pool === pool.name ? [{ number: i + 1, name: r.name }] : [],
      ),
      state: stored ? { version: stored.version, updated_at: stored.updated_at } : null,
      next_rep: turn.chosen >= 0 ? pool.members[turn.chosen]!.rep : null,
      available: reasons.filter((r) => r === null).length,
      members,
    }
  })
  // In the order routing reaches them: by the first rule that names them, then backup-only pools by name.
  const firstRule = (p: { rules: { number: number }[] }) => p.rules[0]?.number ?? Number.POSITIVE_INFINITY
  pools.sort((a, b) => firstRule(a) - firstRule(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { as_of: new Date(now).toISOString(), agreement: { version_id: plan.versionId, hash: plan.hash }, pools }
}
