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
import { decodeColumns, pgInstantMs } from './packed-rows.ts'

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

/** Which opportunities a load reads: a period's, with the value of `by` and only those matching `filter`. */
export type OpportunityLoadOptions = {
  period: { from: number; to: number }
  by?: string | null
  repTeams?: ReadonlyMap<string, string>
  filter?: BreakdownFilter
}

/**
 * The opportunities a period's metrics read, with the breakdown value of `by` in `dims[by]`; with a `filter`, only
 * those whose breakdown values equal it.
 *
 * @example const { records } = await loadOpportunityRecords(ctx, 1, { period: parsePeriod('2026-Q4'), by: 'source' })
 */
export async function loadOpportunityRecords(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  options: OpportunityLoadOptions,
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

/**
 * The same opportunities as `loadOpportunityRecords`, with only what the metrics read (id, amount, instants, closed
 * and won, the breakdown value): one row per breakdown value holding its opportunities packed (binary columns in
 * base64, see src/analytics/packed-rows.ts), rebuilt here in the order the rows were read. A quarter's ~18,000 rows
 * of twelve text fields cost the driver more than the query; a test checks the records equal the full loader's.
 *
 * @example measureOpportunityLoad(await loadOpportunityFigures(ctx, 1, { period, by: 'source' }), { period, by: 'source' })
 */
export async function loadOpportunityFigures(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  options: OpportunityLoadOptions,
): Promise<OpportunityLoad> {
  const by = options.by ?? null
  const from = new Date(options.period.from)
  const to = new Date(options.period.to)
  const teams = [...(options.repTeams ?? new Map()).entries()]
  const dim = by === null ? sql<null>`null` : dimensionSql(by)
  const selected = filterSql(options.filter, dimensionSql)
  const joins = sql`left join account a on a.id = o.account_id
      left join unnest(${teams.map((t) => t[0])}::text[], ${teams.map((t) => t[1])}::text[]) as rt(rep, team)
        on rt.rep = o.owner`
  // flags: 1 closed, 2 won, 4 has a close instant.
  const [groups, undated] = await Promise.all([
    sql<PackedFigures>`
      select t.dim, encode(string_agg(int4send(t.ord::int), ''::bytea), 'base64') as ords,
        encode(string_agg(convert_to(t.external_id, 'UTF8'), ''::bytea), 'base64') as ids,
        encode(string_agg(int4send(octet_length(convert_to(t.external_id, 'UTF8'))), ''::bytea), 'base64') as id_lengths,
        encode(string_agg(float8send(t.amount), ''::bytea), 'base64') as amounts,
        encode(string_agg(timestamptz_send(t.opened_at), ''::bytea), 'base64') as opened,
        encode(string_agg(timestamptz_send(t.closed_at), ''::bytea), 'base64') as closed,
        encode(string_agg(int2send(t.flags), ''::bytea), 'base64') as flags
      from (
        select ${dim} as dim, row_number() over () - 1 as ord, o.external_id, coalesce(o.amount, 0)::float8 as amount,
          o.opened_at, coalesce(o.closed_at, o.opened_at) as closed_at,
          (o.is_closed::int + 2 * o.is_won::int + 4 * (o.closed_at is not null)::int)::int2 as flags
        from opportunity o
        ${joins}
        where o.workspace_id = ${workspaceId} and o.opened_at is not null and ${selected}
          and ((o.opened_at >= ${from} and o.opened_at < ${to})
            or (o.closed_at >= ${from} and o.closed_at < ${to})
            or (o.opened_at < ${to} and (not o.is_closed or o.closed_at >= ${to})))
      ) t
      group by t.dim`.execute(ctx.db),
    sql<{ n: number }>`select count(*)::int as n from opportunity o
      ${joins}
      where o.workspace_id = ${workspaceId} and o.opened_at is null and ${selected}`.execute(ctx.db),
  ])
  const packed = groups.rows.map((g) => ({
    dim: g.dim,
    ...decodeColumns(g, ['ords', 'ids', 'id_lengths', 'amounts', 'opened', 'closed', 'flags']),
  }))
  // Where each row read is (group, index in the group, start of its id), then the records appended in that order.
  let total = 0
  for (const g of packed) total += g.ords.length / 4
  const groupAt = new Int32Array(total)
  const indexAt = new Int32Array(total)
  const idAt = new Int32Array(total)
  packed.forEach((g, k) => {
    let start = 0
    for (let i = 0; i < g.ords.length / 4; i++) {
      const ord = g.ords.readInt32BE(i * 4)
      groupAt[ord] = k
      indexAt[ord] = i
      idAt[ord] = start
      start += g.id_lengths.readInt32BE(i * 4)
    }
  })
  const records: OpportunityRecord[] = []
  for (let ord = 0; ord < total; ord++) {
    const g = packed[groupAt[ord]!]!
    const i = indexAt[ord]!
    const flags = g.flags.readInt16BE(i * 2)
    records.push({
      id: g.ids.toString('utf8', idAt[ord]!, idAt[ord]! + g.id_lengths.readInt32BE(i * 4)),
      amount: g.amounts.readDoubleBE(i * 8),
      createdAt: pgInstantMs(g.opened, i * 8),
      closedAt: flags & 4 ? pgInstantMs(g.closed, i * 8) : null,
      isClosed: (flags & 1) !== 0,
      isWon: (flags & 2) !== 0,
      dims: by === null ? {} : { [by]: g.dim },
    })
  }
  return { records, undated: undated.rows[0]!.n }
}

type PackedFigures = { dim: string | null } & Record<
  'ords' | 'ids' | 'id_lengths' | 'amounts' | 'opened' | 'closed' | 'flags',
  string
>

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
  return measureOpportunityLoad(await loadOpportunityFigures(ctx, workspaceId, options), options)
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
