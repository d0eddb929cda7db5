/**
 * The funnel computed from the ledger itself (lead, account, stage_transition), exactly as getFunnel did before the
 * pre-aggregate `funnel_entry` (migration 0007) existed: the reference the pre-aggregated funnel must equal.
 *
 * Example: `assert.deepEqual(await getFunnel(ctx, ws, o), await ledgerFunnel(ctx, ws, o))`
 */
import { sql } from 'kysely'
import type { FunnelOptions, FunnelView } from '../../src/analytics/funnel.queries.ts'
import { leadDimensionSql } from '../../src/analytics/funnel.queries.ts'
import type { Ctx } from '../../src/context.ts'
import { AppError } from '../../src/core/errors.ts'
import {
  compareKeys,
  FUNNEL_CONVENTION,
  type FunnelGroup,
  type GroupKey,
  type Period,
  type Summary,
} from '../../src/core/metrics/index.ts'

type Row = {
  stage: string
  dim: number
  key: string | null
  entered: number
  advanced: number
  timed: number
  mean_ms: number | null
  median_ms: number | null
  p90_ms: number | null
}

const summary = (r: Row): Summary => ({
  count: r.timed,
  mean: r.mean_ms === null ? null : Number(r.mean_ms),
  median: r.median_ms === null ? null : Number(r.median_ms),
  p90: r.p90_ms === null ? null : Number(r.p90_ms),
})

export async function ledgerFunnel(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  options: FunnelOptions & { period: Period | { from: number; to: number } },
): Promise<FunnelView> {
  const stages = [...options.stages]
  if (stages.length === 0)
    throw new AppError('invalid_input', 'a funnel needs stages', [{ path: 'stages', message: 'empty' }])
  const by = [...(options.by ?? [])]
  const exprs = by.map((b, i) => leadDimensionSql(b, `by[${i}]`))
  const teams = [...(options.repTeams ?? new Map()).entries()]
  const from = new Date(options.period.from)
  const to = new Date(options.period.to)
  // One grouping set per breakdown plus the overall one; `dim` says which (0 = overall, i + 1 = by[i]).
  const keyCase =
    exprs.length === 0
      ? sql`null::text`
      : sql`case ${sql.join(
          exprs.map((e, i) => sql`when g.dim = ${i + 1} then ${e}`),
          sql` `,
        )} end`
  const rows = await sql<Row>`
    with entries as (
      select t.lead_id, t.to_stage as stage, t.at, t.id as seq
      from stage_transition t
      where t.workspace_id = ${workspaceId} and t.to_stage = any(${stages}::text[]) and t.at >= ${from} and t.at < ${to}
      union all
      select l.id, 'Lead', coalesce(l.first_event_at, l.created_at), 0
      from lead l
      where l.workspace_id = ${workspaceId} and 'Lead' = any(${stages}::text[])
        and coalesce(l.first_event_at, l.created_at) >= ${from} and coalesce(l.first_event_at, l.created_at) < ${to}
    ),
    cohort as (
      select distinct on (lead_id, stage) lead_id, stage, at, seq from entries order by lead_id, stage, at, seq
    ),
    measured as (
      select c.lead_id, c.stage, c.at, x.advanced, x.exited_at
      from cohort c
      cross join lateral (
        select coalesce(bool_or(array_position(${stages}::text[], n.to_stage) > array_position(${stages}::text[], c.stage)), false) as advanced,
               min(n.at) filter (where n.at > c.at or n.id > c.seq) as exited_at
        from stage_transition n where n.lead_id = c.lead_id and n.at >= c.at
      ) x
    ),
    g as (select generate_series(0, ${exprs.length}) as dim)
    select m.stage, g.dim, ${keyCase} as key,
      count(*)::int as entered,
      count(*) filter (where m.advanced)::int as advanced,
      count(m.exited_at)::int as timed,
      avg(extract(epoch from m.exited_at - m.at) * 1000)::float8 as mean_ms,
      percentile_cont(0.5) within group (order by extract(epoch from m.exited_at - m.at) * 1000) as median_ms,
      percentile_cont(0.9) within group (order by extract(epoch from m.exited_at - m.at) * 1000) as p90_ms
    from measured m
    join lead l on l.id = m.lead_id
    left join account a on a.id = l.account_id
    left join unnest(${teams.map((x) => x[0])}::text[], ${teams.map((x) => x[1])}::text[]) as rt(rep, team)
      on rt.rep = l.owner_rep_id
    cross join g
    group by m.stage, g.dim, 3`.execute(ctx.db)

  const group = (key: GroupKey, members: Row[]): FunnelGroup => ({
    key,
    stages: stages.map((stage, i) => {
      const r = members.find((m) => m.stage === stage)
      const last = i === stages.length - 1
      const entered = r?.entered ?? 0
      const advanced = r?.advanced ?? 0
      return {
        stage,
        entered,
        advanced: last ? null : advanced,
        conversion: last || entered === 0 ? null : advanced / entered,
        timeInStageMs: r ? summary(r) : { count: 0, mean: null, median: null, p90: null },
      }
    }),
  })
  const breakdowns = by.map((b, i) => {
    const mine = rows.rows.filter((r) => r.dim === i + 1)
    const keys = [...new Set(mine.map((r) => r.key))].sort(compareKeys)
    return {
      by: b,
      groups: keys.map((k) =>
        group(
          k,
          mine.filter((r) => r.key === k),
        ),
      ),
    }
  })
  return {
    cohort: 'entered_in_period',
    convention: FUNNEL_CONVENTION,
    period: { from: options.period.from, to: options.period.to },
    ...('label' in options.period ? { periodLabel: options.period.label } : {}),
    by: by[0] ?? null,
    overall: group(
      null,
      rows.rows.filter((r) => r.dim === 0),
    ),
    groups: breakdowns[0]?.groups ?? [],
    breakdowns,
  }
}
