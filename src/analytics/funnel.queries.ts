/**
 * The lead funnel of a period, computed in the database (a quarter of a large workspace holds hundreds of thousands
 * of stage entries: they are counted where they are, not shipped to the process). The result has exactly the shape
 * and the cohort convention of the pure core's `funnel` (src/core/metrics/funnel.ts, FUNNEL_CONVENTION); a test
 * checks both agree on the same leads.
 *
 * Stage entries are the `stage_transition` rows, plus each lead's entry into `Lead` at its first event (the engine
 * creates a lead in stage Lead without a transition row). A cohort entry's exit is the lead's next transition.
 */
import { type RawBuilder, sql } from 'kysely'
import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import {
  compareKeys,
  FUNNEL_CONVENTION,
  type FunnelGroup,
  type FunnelLead,
  type FunnelResult,
  type GroupKey,
  type Period,
  type Summary,
} from '../core/metrics/index.ts'

/** Breakdowns of leads. `team` is the owner's team in the Agreement. */
export const LEAD_DIMENSIONS = ['source', 'medium', 'campaign', 'segment', 'industry', 'tier', 'team', 'owner'] as const
export type LeadDimension = (typeof LEAD_DIMENSIONS)[number]

/** The SQL expression of a lead breakdown over `l` (lead), `a` (account), `rt` (rep → team). */
export function leadDimensionSql(by: string, path = 'by'): RawBuilder<string | null> {
  switch (by) {
    case 'source':
      return sql`l.source`
    case 'medium':
      return sql`l.medium`
    case 'campaign':
      return sql`l.campaign`
    case 'segment':
      return sql`a.segment`
    case 'industry':
      return sql`a.industry`
    case 'tier':
      return sql`l.tier`
    case 'team':
      return sql`rt.team`
    case 'owner':
      return sql`l.owner_rep_id`
  }
  throw new AppError('invalid_input', `cannot break leads down by "${by}"`, [
    { path, message: `expected one of ${LEAD_DIMENSIONS.join(', ')}` },
  ])
}

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

export type FunnelOptions = {
  period: { from: number; to: number }
  stages: readonly string[]
  /** Breakdowns, each computed in the same pass; the first is the result's `by`, all are in `breakdowns`. */
  by?: readonly string[]
  repTeams?: ReadonlyMap<string, string>
}

export type FunnelView = FunnelResult & {
  periodLabel?: string
  /** Every requested breakdown (the first is also `by`/`groups`). */
  breakdowns: { by: string; groups: FunnelGroup[] }[]
}

/**
 * Entered, advanced, conversion and time in stage per stage for the leads entering each stage in the period,
 * overall and per value of each breakdown (GET /v1/metrics/funnel).
 *
 * @example await getFunnel(ctx, 1, { period: parsePeriod('2026-Q4'), stages: ['Lead', 'MQL', 'SQL'], by: ['source'] })
 */
export async function getFunnel(
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

/**
 * Leads that entered a stage in a period (distinct leads; the first entry counts), e.g. MQLs against marketing's
 * volume commitment. Uses the (workspace_id, to_stage, at) index.
 */
export async function countStageEntries(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  stage: string,
  period: { from: number; to: number },
): Promise<number> {
  const r = await sql<{ n: number }>`select count(distinct lead_id)::int as n from stage_transition
      where workspace_id = ${workspaceId} and to_stage = ${stage} and at >= ${new Date(period.from)} and at < ${new Date(period.to)}`.execute(
    ctx.db,
  )
  return r.rows[0]!.n
}

/**
 * Stage histories of the leads with a stage entry in the period (a week for the weekly pack), for the pure
 * `funnel` of the review builders; entries carry their exit (the lead's next transition).
 */
export async function loadFunnelLeads(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  period: { from: number; to: number },
  by: string,
  repTeams: ReadonlyMap<string, string>,
): Promise<FunnelLead[]> {
  const teams = [...repTeams.entries()]
  const from = new Date(period.from)
  const to = new Date(period.to)
  const rows = await sql<{
    lead_id: string
    key: string | null
    entries: { s: string; at: string; ex: string | null }[]
  }>`
    with cohort as (
      select lead_id from stage_transition where workspace_id = ${workspaceId} and at >= ${from} and at < ${to}
      union
      select id from lead where workspace_id = ${workspaceId}
        and coalesce(first_event_at, created_at) >= ${from} and coalesce(first_event_at, created_at) < ${to}
    )
    select l.id::text as lead_id, ${leadDimensionSql(by)} as key,
      (select jsonb_agg(jsonb_build_object('s', e.stage, 'at', e.at, 'ex', e.ex) order by e.at)
       from (
         select 'Lead' as stage, coalesce(l.first_event_at, l.created_at) as at,
           (select min(t.at) from stage_transition t where t.lead_id = l.id) as ex
         union all
         select t.to_stage, t.at, lead(t.at) over (order by t.at, t.id)
         from stage_transition t where t.lead_id = l.id
       ) e) as entries
    from cohort c join lead l on l.id = c.lead_id
    left join account a on a.id = l.account_id
    left join unnest(${teams.map((x) => x[0])}::text[], ${teams.map((x) => x[1])}::text[]) as rt(rep, team)
      on rt.rep = l.owner_rep_id`.execute(ctx.db)
  return rows.rows.map((r) => ({
    id: r.lead_id,
    dims: { [by]: r.key },
    stages: (r.entries ?? []).map((e) => ({
      stage: e.s,
      enteredAt: Date.parse(e.at),
      exitedAt: e.ex === null ? null : Date.parse(e.ex),
    })),
  }))
}
