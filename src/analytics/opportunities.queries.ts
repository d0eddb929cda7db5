/**
 * Opportunity numbers for the dashboard: the rows a period needs, loaded in one indexed query and measured by the
 * pure core (src/core/metrics opportunityMetrics): pipeline created, bookings, win rate, deal size, cycle, velocity.
 *
 * Which rows: opened in the period, closed in the period, or open at its end. An opportunity without an open date
 * (`opened_at`: the CRM's create or engage date) is not in the pipeline's numbers yet — Maven's Prospecting rows —
 * and is counted apart as `undated`.
 */
import { type RawBuilder, sql } from 'kysely'
import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import {
  type OpportunityMetrics,
  type OpportunityRecord,
  opportunityMetrics,
  type Period,
} from '../core/metrics/index.ts'
import { type BreakdownFilter, filterSql } from './breakdown-filter.ts'

/** Breakdowns of opportunities: fixed dimensions, or any `attributes.<name>` the import set. */
export const OPPORTUNITY_DIMENSIONS = [
  'source',
  'campaign',
  'segment',
  'industry',
  'team',
  'owner',
  'product',
  'fit_band',
] as const

/** ICP fit bands of an opportunity: the best current fit of its account's leads (A ≥ 80, B ≥ 60, C ≥ 40, D below). */
export const FIT_BANDS = ['A', 'B', 'C', 'D'] as const

const ATTRIBUTE = /^attributes\.([A-Za-z0-9_]{1,64})$/

/** The SQL expression of a breakdown over `o` (opportunity), `a` (account) and `rt` (rep → team). */
function dimensionSql(by: string): RawBuilder<string | null> {
  switch (by) {
    case 'source':
      return sql<string | null>`o.source`
    case 'campaign':
      return sql<string | null>`o.attributes->>'campaign'`
    case 'segment':
      return sql<string | null>`a.segment`
    case 'industry':
      return sql<string | null>`a.industry`
    case 'team':
      // An imported team (Maven's regional office) wins over the Agreement's rep → team.
      return sql<string | null>`coalesce(o.attributes->>'team', rt.team)`
    case 'owner':
      return sql<string | null>`o.owner`
    case 'product':
      return sql<string | null>`o.attributes->>'product'`
    case 'fit_band':
      return sql<string | null>`(select case when max(l.fit) >= 80 then 'A' when max(l.fit) >= 60 then 'B'
        when max(l.fit) >= 40 then 'C' when max(l.fit) is not null then 'D' end
        from lead l where l.account_id = o.account_id)`
  }
  const m = ATTRIBUTE.exec(by)
  if (m) return sql<string | null>`o.attributes->>${m[1]!}`
  throw new AppError('invalid_input', `cannot break opportunities down by "${by}"`, [
    { path: 'by', message: `expected one of ${OPPORTUNITY_DIMENSIONS.join(', ')} or attributes.<name>` },
  ])
}

export type OpportunityLoad = { records: OpportunityRecord[]; undated: number }

/**
 * The opportunities a period's metrics read, with the breakdown value of `by` in `dims[by]`; with a `filter`, only
 * those whose breakdown values equal it.
 *
 * @example const { records } = await loadOpportunityRecords(ctx, 1, { period: parsePeriod('2026-Q4'), by: 'source' })
 */
export async function loadOpportunityRecords(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  options: {
    period: { from: number; to: number }
    by?: string | null
    repTeams?: ReadonlyMap<string, string>
    filter?: BreakdownFilter
  },
): Promise<OpportunityLoad> {
  const by = options.by ?? null
  const from = new Date(options.period.from)
  const to = new Date(options.period.to)
  const teams = [...(options.repTeams ?? new Map()).entries()]
  const dim = by === null ? sql<null>`null` : dimensionSql(by)
  const rows = await sql<{
    id: string
    name: string | null
    account: string | null
    amount: string | null
    stage: string
    is_closed: boolean
    is_won: boolean
    opened_ms: string
    closed_ms: string | null
    owner: string | null
    last_ms: string
    dim: string | null
  }>`select o.external_id as id, o.name, a.name as account, o.amount, o.stage, o.is_closed, o.is_won,
        (extract(epoch from o.opened_at) * 1000)::bigint as opened_ms,
        (extract(epoch from o.closed_at) * 1000)::bigint as closed_ms,
        o.owner, (extract(epoch from o.updated_at) * 1000)::bigint as last_ms, ${dim} as dim
      from opportunity o
      left join account a on a.id = o.account_id
      left join unnest(${teams.map((t) => t[0])}::text[], ${teams.map((t) => t[1])}::text[]) as rt(rep, team)
        on rt.rep = o.owner
      where o.workspace_id = ${workspaceId} and o.opened_at is not null and ${filterSql(options.filter, dimensionSql)}
        and ((o.opened_at >= ${from} and o.opened_at < ${to})
          or (o.closed_at >= ${from} and o.closed_at < ${to})
          or (o.opened_at < ${to} and (not o.is_closed or o.closed_at >= ${to})))`.execute(ctx.db)
  const undated = await sql<{ n: number }>`select count(*)::int as n from opportunity o
      left join account a on a.id = o.account_id
      left join unnest(${teams.map((t) => t[0])}::text[], ${teams.map((t) => t[1])}::text[]) as rt(rep, team)
        on rt.rep = o.owner
      where o.workspace_id = ${workspaceId} and o.opened_at is null and ${filterSql(options.filter, dimensionSql)}`.execute(
    ctx.db,
  )
  const records = rows.rows.map(
    (r): OpportunityRecord => ({
      id: r.id,
      name: r.name ?? r.id,
      account: r.account,
      amount: r.amount === null ? 0 : Number(r.amount),
      stage: r.stage,
      createdAt: Number(r.opened_ms),
      closedAt: r.closed_ms === null ? null : Number(r.closed_ms),
      isClosed: r.is_closed,
      isWon: r.is_won,
      owner: r.owner,
      lastActivityAt: Number(r.last_ms),
      dims: by === null ? {} : { [by]: r.dim },
    }),
  )
  return { records, undated: undated.rows[0]!.n }
}

export type OpportunityMetricsView = OpportunityMetrics & { periodLabel: string; undated: number }

/**
 * Opportunity metrics of a period, overall and by `by` (GET /v1/metrics/opportunities).
 *
 * @example await getOpportunityMetrics(ctx, 1, { period: parsePeriod('2017'), by: 'owner' }) // { winRate: 0.6315, groups: [...] }
 */
export async function getOpportunityMetrics(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  options: { period: Period; by?: string | null; repTeams?: ReadonlyMap<string, string>; filter?: BreakdownFilter },
): Promise<OpportunityMetricsView> {
  return measureOpportunityLoad(await loadOpportunityRecords(ctx, workspaceId, options), options)
}

/**
 * The metrics of one period from records loaded for a window holding it (the core counts by each record's own
 * instants, so rows of a wider window change nothing): the scoreboard measures its period and the target's period
 * to date from one load.
 *
 * @example measureOpportunityLoad(await loadOpportunityRecords(ctx, 1, { period: year }), { period: quarter })
 */
export function measureOpportunityLoad(
  load: OpportunityLoad,
  options: { period: Period; by?: string | null },
): OpportunityMetricsView {
  const metrics = opportunityMetrics(load.records, { period: options.period, by: options.by ?? undefined })
  return { ...metrics, periodLabel: options.period.label, undated: load.undated }
}
