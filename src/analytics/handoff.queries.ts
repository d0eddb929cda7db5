/**
 * Loaders of the handoff's records (migration 0005: sla_clock, disposition, lead_activity) for the pure metrics:
 * speed-to-lead, SLA compliance by tier/team/rep, acceptance and rejection/recycle reasons. A period's handoffs
 * are few next to its events, so rows go to the core, which owns the definitions.
 */
import { type RawBuilder, sql } from 'kysely'
import type { Ctx } from '../context.ts'
import { type Disposition, describeSegments } from '../core/feedback/index.ts'
import type { DispositionRecord, HandoffRecord, SlaClockRecord } from '../core/metrics/index.ts'
import { type BreakdownFilter, type FilterDimension, filterSql } from './breakdown-filter.ts'

const OUTCOME = { accept: 'accepted', reject: 'rejected', recycle: 'recycled' } as const

type Window = { from: number; to: number }

/**
 * A clock's breakdown values over `c` (sla_clock), `l` (lead), `a` (account) and `rt` (rep → team): the lead's source,
 * campaign, segment and industry; the clock's rep and that rep's team, as SLA compliance is broken down.
 */
const CLOCK_DIMENSION: Record<FilterDimension, RawBuilder<unknown>> = {
  source: sql`l.source`,
  campaign: sql`l.campaign`,
  segment: sql`a.segment`,
  industry: sql`a.industry`,
  team: sql`rt.team`,
  owner: sql`c.rep_id`,
}

/** The joins and the condition a filter on clocks needs (the joins only when the filter reads them). */
function clockFilter(filter: BreakdownFilter | undefined, repTeams: ReadonlyMap<string, string>) {
  const teams = [...repTeams.entries()]
  return sql`${filter?.segment !== undefined || filter?.industry !== undefined ? sql`left join account a on a.id = l.account_id` : sql``}
      ${filter?.team !== undefined ? sql`left join unnest(${teams.map((t) => t[0])}::text[], ${teams.map((t) => t[1])}::text[]) as rt(rep, team) on rt.rep = c.rep_id` : sql``}
      where ${filterSql(filter, (d) => CLOCK_DIMENSION[d])}`
}

/**
 * Handoffs started in the period with their first touch: business ms to touch is the clock's consumed business
 * time when it was met (counted in the owner's calendar by the SLA core).
 */
export async function loadHandoffs(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  period: Window,
  repTeams: ReadonlyMap<string, string>,
  filter?: BreakdownFilter,
): Promise<HandoffRecord[]> {
  const rows = await sql<{
    started_ms: string
    met_ms: string | null
    consumed: string | null
    tier: string | null
    rep_id: string
  }>`select (extract(epoch from c.started_at) * 1000)::bigint as started_ms,
        (extract(epoch from c.met_at) * 1000)::bigint as met_ms,
        c.state->>'consumedMs' as consumed, l.tier, c.rep_id
      from sla_clock c join lead l on l.id = c.lead_id ${clockFilter(filter, repTeams)}
        and c.workspace_id = ${workspaceId} and c.started_at >= ${new Date(period.from)} and c.started_at < ${new Date(period.to)}`.execute(
    ctx.db,
  )
  return rows.rows.map((r) => ({
    handedOffAt: Number(r.started_ms),
    firstTouchAt: r.met_ms === null ? null : Number(r.met_ms),
    businessMsToTouch: r.met_ms === null || r.consumed === null ? null : Number(r.consumed),
    tier: r.tier,
    team: repTeams.get(r.rep_id) ?? null,
    owner: r.rep_id,
  }))
}

/** SLA clocks due in the period (the core's period rule), with tier, team and rep. */
export async function loadSlaClocks(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  period: Window,
  repTeams: ReadonlyMap<string, string>,
  filter?: BreakdownFilter,
): Promise<SlaClockRecord[]> {
  const rows = await sql<{
    status: SlaClockRecord['state']
    late: boolean
    breached_ms: string | null
    due_ms: string | null
    tier: string | null
    rep_id: string
  }>`select c.status, c.late, (extract(epoch from c.breached_at) * 1000)::bigint as breached_ms,
        (extract(epoch from c.due_at) * 1000)::bigint as due_ms, l.tier, c.rep_id
      from sla_clock c join lead l on l.id = c.lead_id ${clockFilter(filter, repTeams)}
        and c.workspace_id = ${workspaceId} and c.due_at >= ${new Date(period.from)} and c.due_at < ${new Date(period.to)}`.execute(
    ctx.db,
  )
  return rows.rows.map((r) => ({
    state: r.status,
    late: r.late,
    breachedAt: r.breached_ms === null ? null : Number(r.breached_ms),
    dueAt: r.due_ms === null ? null : Number(r.due_ms),
    tier: r.tier,
    team: repTeams.get(r.rep_id) ?? null,
    owner: r.rep_id,
  }))
}

/** The dimensions a disposition is broken down and tested by (feedback loop). */
export const DISPOSITION_DIMENSIONS = [
  'source',
  'campaign',
  'segment',
  'industry',
  'employees_band',
  'country',
  'region',
  'tier',
  'team',
  'owner',
  'rule',
] as const

/**
 * Dispositions made in [from, to) with their segment dimensions: source and campaign (as recorded with the
 * disposition), the account's segment, industry, employee band, country and region, tier, team, rep, the rule
 * that moved the lead last before the disposition, and one `icp:<criterion>` dimension per ICP fit criterion
 * ('matched' / 'not_matched', from the lead's fit parts).
 */
export async function loadDispositions(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  window: Window,
  options: { repTeams: ReadonlyMap<string, string>; icpCriteria: readonly string[] },
): Promise<Disposition[]> {
  const rows = await sql<{
    at: Date
    outcome: keyof typeof OUTCOME
    reason_code: string | null
    source: string | null
    campaign: string | null
    segment: string | null
    industry: string | null
    employees: number | null
    country: string | null
    region: string | null
    tier: string | null
    rep_id: string | null
    rule: string | null
    parts: { name: string }[] | null
  }>`select d.at, d.outcome, d.reason_code, coalesce(d.source, l.source) as source,
        coalesce(d.campaign, l.campaign) as campaign, a.segment, a.industry, a.employees, a.country, a.region, l.tier,
        coalesce(d.rep_id, l.owner_rep_id) as rep_id,
        (select t.rule from stage_transition t where t.lead_id = d.lead_id and t.at <= d.at order by t.at desc, t.id desc limit 1) as rule,
        l.state->'fit'->'parts' as parts
      from disposition d join lead l on l.id = d.lead_id left join account a on a.id = l.account_id
      where d.workspace_id = ${workspaceId} and d.at >= ${new Date(window.from)} and d.at < ${new Date(window.to)}
      order by d.at, d.id`.execute(ctx.db)
  return rows.rows.map((r) => {
    const segments = describeSegments({
      employees: r.employees,
      industry: r.industry,
      country: r.country,
      region: r.region,
      source: r.source,
      campaign: r.campaign,
      matchedCriteria: (r.parts ?? []).map((p) => p.name),
      allCriteria: options.icpCriteria,
    })
    return {
      at: r.at,
      outcome: OUTCOME[r.outcome],
      reasonCode: r.reason_code,
      dimensions: {
        ...segments,
        segment: r.segment,
        tier: r.tier,
        team: r.rep_id ? (options.repTeams.get(r.rep_id) ?? null) : null,
        owner: r.rep_id,
        rule: r.rule,
      },
    }
  })
}

/** A feedback disposition as the metrics core reads it. */
export function toDispositionRecord(d: Disposition): DispositionRecord {
  return { at: new Date(d.at).getTime(), outcome: d.outcome, reasonCode: d.reasonCode, dims: d.dimensions }
}
