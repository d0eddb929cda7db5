/**
 * The lead funnel of a period. The result has exactly the shape and the cohort convention of the pure core's
 * `funnel` (src/core/metrics/funnel.ts, FUNNEL_CONVENTION); a test checks both agree on the same leads.
 *
 * Stage entries are the `stage_transition` rows, plus each lead's entry into `Lead` at its first event (the engine
 * creates a lead in stage Lead without a transition row). A cohort entry's exit is the lead's next transition.
 * `getFunnel` reads them from the pre-aggregate `funnel_entry` (migration 0007), which holds each entry with its
 * exit and the lead's dimensions already worked out; `loadFunnelLeads` (a week, for the review pack) reads the
 * ledger itself.
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
  summarize,
} from '../core/metrics/index.ts'
import { type BreakdownFilter, filterSql, isFiltered } from './breakdown-filter.ts'
import { readInt64 } from './packed-rows.ts'

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

/** The column of `funnel_entry` (migration 0007) holding a lead breakdown; `team` maps the owner through `rt`. */
function entryDimensionSql(by: string, path: string): RawBuilder<string | null> {
  switch (by) {
    case 'source':
      return sql`f.source`
    case 'medium':
      return sql`f.medium`
    case 'campaign':
      return sql`f.campaign`
    case 'segment':
      return sql`f.segment`
    case 'industry':
      return sql`f.industry`
    case 'tier':
      return sql`f.tier`
    case 'team':
      return sql`rt.team`
    case 'owner':
      return sql`f.owner_rep_id`
  }
  return leadDimensionSql(by, path) // throws the error naming the breakdown
}

/** The breakdown of funnel_day (migration 0011) a lead breakdown is counted under; `team` is counted per owner. */
const DAY_DIM: Record<LeadDimension, string> = {
  source: 'source',
  medium: 'medium',
  campaign: 'campaign',
  segment: 'segment',
  industry: 'industry',
  tier: 'tier',
  team: 'owner',
  owner: 'owner',
}

/** The durations of one cell of the finest grouping: a stage and one value per breakdown. */
type DurationCell = {
  stage: string
  keys: (string | null)[]
  durations: Float64Array
  /** The cell's durations summed exactly (numeric text), so a group's mean is the database's numeric mean. */
  sumMs: string
}

/** A numeric's text as an integer of 10^-scale units, and back; exact, for any number of cells. */
const scaleOf = (n: string) => (n.includes('.') ? n.length - n.indexOf('.') - 1 : 0)
const toUnits = (n: string, scale: number) => {
  const [int, frac = ''] = n.split('.')
  return BigInt(`${int}${frac.padEnd(scale, '0')}`)
}
const fromUnits = (u: bigint, scale: number) => {
  const neg = u < 0n
  const digits = (neg ? -u : u).toString().padStart(scale + 1, '0')
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
  return neg ? `-${text}` : text
}

/**
 * A cell's durations, sent packed (int8send of funnel_entry.duration_us, microseconds), in ms as doubles: the
 * division rounds once, as `(extract(epoch from exited_at - at) * 1000)::float8` does.
 */
function unpackDurations(packed: string): Float64Array {
  const bytes = Buffer.from(packed, 'base64')
  const out = new Float64Array(bytes.length / 8)
  for (let i = 0; i < out.length; i++) out[i] = readInt64(bytes, 8 * i) / 1000
  return out
}

const DAY_MS = 86_400_000
/** A UTC midnight as the date funnel_day keys it by. */
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * The conditions on funnel_entry `f` of the entries of a period that funnel_day does not count: the partial days at
 * the edges (the whole period when it holds no whole UTC day), and the re-entries of the whole days.
 */
function uncountedRanges({ from, to }: { from: number; to: number }): RawBuilder<unknown>[] {
  const dayFrom = Math.ceil(from / DAY_MS) * DAY_MS
  const dayTo = Math.floor(to / DAY_MS) * DAY_MS
  if (dayFrom >= dayTo) return [sql`f.at >= ${new Date(from)} and f.at < ${new Date(to)}`]
  return [
    ...(from < dayFrom ? [sql`f.at >= ${new Date(from)} and f.at < ${new Date(dayFrom)}`] : []),
    ...(dayTo < to ? [sql`f.at >= ${new Date(dayTo)} and f.at < ${new Date(to)}`] : []),
    sql`f.at >= ${new Date(dayFrom)} and f.at < ${new Date(dayTo)} and f.prev_at is not null`,
  ]
}

export type FunnelOptions = {
  period: { from: number; to: number }
  stages: readonly string[]
  /** Breakdowns, each computed in the same pass; the first is the result's `by`, all are in `breakdowns`. */
  by?: readonly string[]
  repTeams?: ReadonlyMap<string, string>
  /** Only the leads whose breakdown values equal these (their funnel is counted from funnel_entry alone). */
  filter?: BreakdownFilter
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
 * The cohort entry of a lead and stage is the one whose previous entry into that stage is before the period (or
 * absent). Three reads, in one snapshot:
 * - counts of the period's whole UTC days from funnel_day (migration 0011: first entries per day, stage, single
 *   breakdown value and stages entered later — a quarter is tens of thousands of rows, not every entry);
 * - counts of what funnel_day does not hold from funnel_entry (migration 0007): the partial days at the period's
 *   edges, and re-entries whose previous entry is before the period (through the partial index of re-entries);
 * - the durations of the entries that left their stage, per stage and combination of breakdown values, from
 *   funnel_entry through its partial index of exited entries (most of a quarter's entries are still in Lead), so
 *   medians and p90s stay exact: the groups' durations are summarized here with the core's `summarize` (R-7, as
 *   percentile_cont) and the mean is the exact numeric sum divided in the database as avg() does.
 * "Advanced" (the lead entered, at or after this entry, a stage listed after this one) is decided here from the
 * entry's stages entered later, for any stage list.
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
  const exprs = by.map((b, i) => entryDimensionSql(b, `by[${i}]`))
  const repTeams = options.repTeams ?? new Map<string, string>()
  const teams = [...repTeams.entries()]
  const { from, to } = options.period
  const fromAt = new Date(from)
  const toAt = new Date(to)
  // The whole UTC days inside the period are counted from funnel_day, the rest from funnel_entry. funnel_day's cells
  // hold one breakdown value, so a filtered funnel counts every entry from funnel_entry.
  const filtered = isFiltered(options.filter)
  const dayFrom = Math.ceil(from / DAY_MS) * DAY_MS
  const dayTo = Math.floor(to / DAY_MS) * DAY_MS
  const wholeDays = dayFrom < dayTo && !filtered
  const selected = filterSql(options.filter, (d) => entryDimensionSql(d, `filter.${d}`))
  const stageSet = [...new Set(stages)]

  const keyColumns = exprs.map((e, i) => sql`${e} as ${sql.ref(`k${i}`)}`)
  const groupKeys = exprs.map((_, i) => sql.ref(`k${i}`))
  const teamJoin = sql`left join unnest(${teams.map((x) => x[0])}::text[], ${teams.map((x) => x[1])}::text[]) as rt(rep, team)
      on rt.rep = f.owner_rep_id`
  const cohort = sql`f.workspace_id = ${workspaceId} and f.stage = any(${stageSet}::text[])
      and (f.prev_at is null or f.prev_at < ${fromAt})`
  const ranges = filtered ? [sql`f.at >= ${fromAt} and f.at < ${toAt}`] : uncountedRanges(options.period)
  const entryCounts = sql<Record<string, unknown> & { stage: string; later_stages: string[]; entered: number }>`
    select f.stage, ${sql.join([...keyColumns, sql`f.later_stages`, sql`count(*)::int as entered`], sql`, `)}
    from (${sql.join(
      ranges.map((r) => sql`select * from funnel_entry f where ${cohort} and ${r}`),
      sql` union all `,
    )}) f
    ${teamJoin}
    where ${selected}
    group by ${sql.join([sql`f.stage`, ...groupKeys, sql`f.later_stages`], sql`, `)}`
  const dims = ['', ...new Set(by.map((b) => DAY_DIM[b as LeadDimension]))]
  const dayCounts = sql<{ stage: string; dim: string; value: string | null; later_stages: string[]; entered: number }>`
    select stage, dim, value, later_stages, sum(entered)::int as entered
    from funnel_day
    where workspace_id = ${workspaceId} and dim = any(${dims}::text[]) and day >= ${dayOf(dayFrom)}::date
      and day < ${dayOf(dayTo)}::date and stage = any(${stageSet}::text[])
    group by stage, dim, value, later_stages
    having sum(entered) <> 0`
  const durationCells = sql<Record<string, unknown> & { stage: string; durations: string; sum_ms: string }>`
    select f.stage, ${sql.join(
      [
        ...keyColumns,
        sql`encode(string_agg(int8send(f.duration_us), ''::bytea), 'base64') as durations`,
        // Microseconds to ms at the scale extract(epoch …) * 1000 gives (6), so the mean divides the same numeric.
        sql`(sum(f.duration_us) * 0.001000)::text as sum_ms`,
      ],
      sql`, `,
    )}
    from funnel_entry f
    ${teamJoin}
    where ${cohort} and ${selected} and f.exited_at is not null and f.at >= ${fromAt} and f.at < ${toAt}
    group by ${sql.join([sql`f.stage`, ...groupKeys], sql`, `)}`
  // One snapshot for the three reads. A quarter's cells hold ~100,000 durations: with the default 4 MB their
  // aggregate spilled to a sort on disk. Local to this transaction only.
  const [counted, days, timed] = await ctx.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`set local work_mem = '64MB'`.execute(trx)
      const d = wholeDays ? (await dayCounts.execute(trx)).rows : []
      const c = (await entryCounts.execute(trx)).rows
      const t = (await durationCells.execute(trx)).rows
      return [c, d, t] as const
    })

  // Counts per breakdown (0 = overall, i + 1 = by[i]), stage and key.
  const tallies = [null, ...by].map(() => new Map<string, Map<GroupKey, { entered: number; advanced: number }>>())
  // "Advanced": the lead entered, at or after this entry, a stage listed after this one.
  const laterOf = new Map(stageSet.map((s) => [s, stages.filter((x) => stages.indexOf(x) > stages.indexOf(s))]))
  const add = (t: number, stage: string, key: GroupKey, later: readonly string[], n: number) => {
    const byStage = tallies[t]!.get(stage) ?? new Map<GroupKey, { entered: number; advanced: number }>()
    tallies[t]!.set(stage, byStage)
    const cell = byStage.get(key) ?? { entered: 0, advanced: 0 }
    byStage.set(key, cell)
    cell.entered += n
    const wanted = laterOf.get(stage)!
    if (later.some((s) => wanted.includes(s))) cell.advanced += n
  }
  for (const r of days) {
    if (r.dim === '') add(0, r.stage, null, r.later_stages, r.entered)
    else
      by.forEach((b, i) => {
        if (DAY_DIM[b as LeadDimension] !== r.dim) return
        const key = b === 'team' ? (r.value === null ? null : (repTeams.get(r.value) ?? null)) : r.value
        add(i + 1, r.stage, key, r.later_stages, r.entered)
      })
  }
  for (const r of counted) {
    add(0, r.stage, null, r.later_stages, r.entered)
    for (let i = 0; i < by.length; i++)
      add(i + 1, r.stage, (r[`k${i}`] ?? null) as string | null, r.later_stages, r.entered)
  }
  const cells: DurationCell[] = timed.map((r) => ({
    stage: r.stage,
    keys: by.map((_, i) => (r[`k${i}`] ?? null) as string | null),
    // Sent packed: parsing a float8[] (or text) of a quarter's durations cost more than the query.
    durations: unpackDurations(r.durations),
    sumMs: r.sum_ms,
  }))

  // Means are the database's: the exact sum of a group's durations divided as numeric, as avg() did, then rounded
  // once to a double (a sum of doubles could differ in the last digit). Filled in by one small query below.
  const means: { sum: string; count: number; set(mean: number): void }[] = []
  const group = (t: number, key: GroupKey, members: DurationCell[]): FunnelGroup => ({
    key,
    stages: stages.map((stage, i) => {
      const mine = members.filter((m) => m.stage === stage)
      const last = i === stages.length - 1
      const count = tallies[t]!.get(stage)?.get(key) ?? { entered: 0, advanced: 0 }
      // The cells' durations side by side in one array (copied, not pushed one by one).
      let n = 0
      for (const m of mine) n += m.durations.length
      const durations = new Float64Array(n)
      n = 0
      for (const m of mine) {
        durations.set(m.durations, n)
        n += m.durations.length
      }
      const timeInStageMs = summarize(durations)
      if (mine.length > 0 && timeInStageMs.count > 0) {
        const sums = mine.map((m) => m.sumMs)
        const scale = Math.max(...sums.map(scaleOf))
        const sum = fromUnits(
          sums.reduce((acc, x) => acc + toUnits(x, scale), 0n),
          scale,
        )
        means.push({
          sum,
          count: timeInStageMs.count,
          set: (mean) => {
            timeInStageMs.mean = mean
          },
        })
      }
      return {
        stage,
        entered: count.entered,
        advanced: last ? null : count.advanced,
        conversion: last || count.entered === 0 ? null : count.advanced / count.entered,
        timeInStageMs,
      }
    }),
  })
  const breakdowns = by.map((b, i) => {
    const byKey = new Map<GroupKey, DurationCell[]>()
    for (const counts of tallies[i + 1]!.values())
      for (const [key, c] of counts) if (c.entered !== 0 && !byKey.has(key)) byKey.set(key, [])
    for (const c of cells) byKey.get(c.keys[i]!)?.push(c)
    const keys = [...byKey.keys()].sort(compareKeys)
    return { by: b, groups: keys.map((k) => group(i + 1, k, byKey.get(k)!)) }
  })
  const overall = group(0, null, cells)
  if (means.length > 0) {
    const r = await sql<{ mean: number }>`select (x.s::numeric / x.n)::float8 as mean
        from unnest(${means.map((m) => m.sum)}::text[], ${means.map((m) => m.count)}::int[]) with ordinality as x(s, n, i)
        order by x.i`.execute(ctx.db)
    for (const [i, row] of r.rows.entries()) means[i]!.set(row.mean)
  }
  return {
    cohort: 'entered_in_period',
    convention: FUNNEL_CONVENTION,
    period: { from: options.period.from, to: options.period.to },
    ...('label' in options.period ? { periodLabel: options.period.label } : {}),
    by: by[0] ?? null,
    overall,
    groups: breakdowns[0]?.groups ?? [],
    breakdowns,
  }
}

/**
 * Merges the funnel's day counts (funnel_day, migration 0011) that triggers wrote as changes into one row per key,
 * for up to `maxDays` days; returns the days merged. The workers run it every round: a funnel reads about one row
 * per key of its days instead of one per writing statement. Safe beside writers and other workers (see the
 * migration); the counts read are the same before and after.
 *
 * @example await compactFunnelDays(ctx, 1)
 */
export async function compactFunnelDays(ctx: Pick<Ctx, 'db'>, workspaceId: number, maxDays = 31): Promise<number> {
  const r = await sql<{ days: number }>`select funnel_day_compact(${workspaceId}, ${maxDays}) as days`.execute(ctx.db)
  return r.rows[0]!.days
}

/**
 * Leads that entered each stage in a period (distinct leads; the first entry counts), e.g. MQLs against marketing's
 * volume commitment: the funnel's "entered" of that stage, read the same way (funnel_day for the whole days,
 * funnel_entry for the partial days and re-entries), in one query for all the stages. Equal to counting the distinct
 * leads of the period's stage_transition rows into the stage (the first such entry of a lead is the one whose
 * previous entry into the stage is before the period); `Lead` also counts a lead's entry at its first event.
 *
 * @example const [mqls, sqls] = await countStageEntries(ctx, 1, ['MQL', 'SQL'], parsePeriod('2026-Q4'))
 */
export async function countStageEntries(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  stages: readonly string[],
  period: { from: number; to: number },
): Promise<number[]> {
  const { from, to } = period
  const dayFrom = Math.ceil(from / DAY_MS) * DAY_MS
  const dayTo = Math.floor(to / DAY_MS) * DAY_MS
  const wholeDays = dayFrom < dayTo
  const fromAt = new Date(from)
  const ranges = uncountedRanges(period)
  const r = await sql<{ n: number }>`
    select (coalesce((select sum(d.entered) from funnel_day d
        where d.workspace_id = ${workspaceId} and d.dim = '' and d.stage = s.stage and ${wholeDays}
          and d.day >= ${dayOf(dayFrom)}::date and d.day < ${dayOf(dayTo)}::date), 0)
      + (select count(*) from (${sql.join(
        ranges.map(
          (range) => sql`select 1 from funnel_entry f where f.workspace_id = ${workspaceId} and f.stage = s.stage
            and (f.prev_at is null or f.prev_at < ${fromAt}) and ${range}`,
        ),
        sql` union all `,
      )}) e))::int as n
    from unnest(${[...stages]}::text[]) with ordinality as s(stage, i)
    order by s.i`.execute(ctx.db)
  return r.rows.map((x) => x.n)
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
