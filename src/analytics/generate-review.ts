/**
 * Review packs from stored data: the weekly pipeline review, the monthly SLA health check and the quarterly ICP
 * review, each built by the pure builders (src/core/reviews) from the loaders here, rendered to Markdown and one
 * self-contained HTML page, and stored once per (kind, period) — regenerating a period replaces its pack. The
 * "changes since the last pack" compare with the stored pack of the previous period (else the latest earlier one;
 * else the previous period computed afresh). Action items a pack generates are tracked in `action_item`, so they
 * stay open in later packs until someone marks them done.
 */
import { sql } from 'kysely'
import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import {
  isoWeekLabel,
  type Period,
  parsePeriod,
  previousPeriod,
  quarterOf,
  trailingPeriods,
} from '../core/metrics/index.ts'
import {
  type ActionItem,
  type BreachRecord,
  buildMonthlySlaHealth,
  buildQuarterlyIcpReview,
  buildWeeklyPipelineReview,
  type ReviewPack,
  type ReviewPackKind,
  renderHtml,
  renderMarkdown,
} from '../core/reviews/index.ts'
import { type AnalyticsSettings, loadAnalyticsSettings } from './analytics-settings.ts'
import { getAttribution } from './attribution.queries.ts'
import { calibrateFromHistory } from './calibrate-from-history.ts'
import { getDrift } from './feedback.queries.ts'
import { loadFunnelLeads } from './funnel.queries.ts'
import { loadDispositions, loadHandoffs, loadSlaClocks, toDispositionRecord } from './handoff.queries.ts'
import { FIT_BANDS, loadOpportunityRecords } from './opportunities.queries.ts'

export const REVIEW_KINDS = {
  weekly: 'weekly_pipeline',
  monthly: 'monthly_sla_health',
  quarterly: 'quarterly_icp',
} as const satisfies Record<string, ReviewPackKind>

export type ReviewCadence = keyof typeof REVIEW_KINDS

const DAY_MS = 86_400_000

/**
 * The last completed period of a cadence at `now`: the ISO week before this one, the month before, the quarter
 * before. A pack is due from the first instant of the next period (Monday 00:00 UTC, the 1st, the quarter start).
 *
 * @example lastCompletedPeriod('weekly', Date.parse('2026-11-23T08:00:00Z')).label // '2026-W47'
 */
export function lastCompletedPeriod(cadence: ReviewCadence, now: number): Period {
  const d = new Date(now)
  switch (cadence) {
    case 'weekly':
      return previousPeriod(parsePeriod(isoWeekLabel(now)))
    case 'monthly':
      return previousPeriod(parsePeriod(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`))
    case 'quarterly':
      return previousPeriod(quarterOf(now))
  }
}

const PERIOD_KIND: Record<ReviewCadence, Period['kind']> = { weekly: 'week', monthly: 'month', quarterly: 'quarter' }

export type StoredReview = {
  id: number
  kind: ReviewPackKind
  period: string
  generatedAt: string
  markdown: string
  html: string
  pack: ReviewPack
}

async function findPreviousPack(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  kind: ReviewPackKind,
  period: Period,
): Promise<ReviewPack | null> {
  const adb = ctx.db
  const previous = previousPeriod(period).label
  const row =
    (await adb
      .selectFrom('review_pack')
      .select('data')
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', kind)
      .where('period', '=', previous)
      .executeTakeFirst()) ??
    (await adb
      .selectFrom('review_pack')
      .select('data')
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', kind)
      .where('period', '<>', period.label)
      .orderBy('generated_at', 'desc')
      .limit(1)
      .executeTakeFirst())
  return row ? (row.data as ReviewPack) : null
}

async function loadActionItems(ctx: Pick<Ctx, 'db'>, workspaceId: number, kind: ReviewPackKind) {
  const rows = await ctx.db
    .selectFrom('action_item')
    .select(['key', 'text', 'owner', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('pack_kind', '=', kind)
    .execute()
  return rows.map(
    (r): ActionItem => ({ id: r.key, text: r.text, owner: r.owner, dueAt: null, status: r.status, source: 'tracked' }),
  )
}

async function loadBreaches(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  period: Period,
  settings: AnalyticsSettings,
): Promise<BreachRecord[]> {
  const rows = await sql<{
    lead_id: string
    email: string | null
    rep_id: string
    tier: string | null
    due_at: Date | null
    breached_at: Date
    met_at: Date | null
    escalations: string[] | null
  }>`select c.lead_id::text as lead_id, p.email, c.rep_id, l.tier, c.due_at, c.breached_at, c.met_at,
        (select array_agg(t.key || coalesce(': ' || t.outcome, '') order by t.due_at) from sla_timer t
          where t.clock_id = c.id and t.fired_at is not null and t.key like 'escalation:%') as escalations
      from sla_clock c join lead l on l.id = c.lead_id join person p on p.id = l.person_id
      where c.workspace_id = ${workspaceId} and c.breached_at >= ${new Date(period.from)} and c.breached_at < ${new Date(period.to)}
      order by c.breached_at`.execute(ctx.db)
  return rows.rows.map((r) => ({
    leadId: r.lead_id,
    leadName: r.email,
    owner: r.rep_id,
    team: settings.repTeams.get(r.rep_id) ?? null,
    tier: r.tier,
    dueAt: (r.due_at ?? r.breached_at).getTime(),
    breachedAt: r.breached_at.getTime(),
    touchedAt: r.met_at?.getTime() ?? null,
    escalations: r.escalations ?? [],
  }))
}

async function buildPack(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  cadence: ReviewCadence,
  period: Period,
  now: number,
): Promise<ReviewPack> {
  const kind = REVIEW_KINDS[cadence]
  const settings = await loadAnalyticsSettings(ctx, workspaceId, now)
  const previous = await findPreviousPack(ctx, workspaceId, kind, period)
  const actionItems = await loadActionItems(ctx, workspaceId, kind)
  const drift = await getDrift(ctx, workspaceId, { to: period.to })
  const driftAlerts = drift.alerts
  const options = { period, now, previous }
  switch (cadence) {
    case 'weekly': {
      // Enough history for the trend (8 weeks), the previous week and the target's quarter to date.
      const trendFrom = trailingPeriods(period, 8)[0]!.from
      const quarterFrom = quarterOf(period.to - 1).from
      const window = { from: Math.min(trendFrom, quarterFrom), to: period.to }
      const { records } = await loadOpportunityRecords(ctx, workspaceId, {
        period: window,
        by: 'source',
        repTeams: settings.repTeams,
      })
      const leads = await loadFunnelLeads(ctx, workspaceId, period, 'source', settings.repTeams)
      return buildWeeklyPipelineReview(
        { opportunities: records, leads, stages: settings.stages, targets: settings.targets, actionItems, driftAlerts },
        options,
      )
    }
    case 'monthly': {
      const trendFrom = Math.min(period.from, period.to - 6 * 7 * DAY_MS)
      const window = { from: Math.min(trendFrom, previousPeriod(period).from), to: period.to }
      const [clocks, handoffs, dispositions, breaches] = await Promise.all([
        loadSlaClocks(ctx, workspaceId, window, settings.repTeams),
        loadHandoffs(ctx, workspaceId, window, settings.repTeams),
        loadDispositions(ctx, workspaceId, window, settings),
        loadBreaches(ctx, workspaceId, period, settings),
      ])
      const target = settings.targets.find((t) => {
        const tp = parsePeriod(t.period)
        return period.to - 1 >= tp.from && period.to - 1 < tp.to
      })
      return buildMonthlySlaHealth(
        {
          clocks,
          handoffs,
          dispositions: dispositions.map(toDispositionRecord),
          breaches,
          slaTarget: target?.sla_compliance ?? null,
          actionItems,
          driftAlerts,
        },
        options,
      )
    }
    case 'quarterly': {
      const window = { from: previousPeriod(period).from, to: period.to }
      const [{ records }, dispositions, attribution] = await Promise.all([
        loadOpportunityRecords(ctx, workspaceId, { period: window, by: 'fit_band', repTeams: settings.repTeams }),
        loadDispositions(ctx, workspaceId, window, settings),
        getAttribution(ctx, workspaceId, { period, alternatives: ['first', 'last', 'linear', 'markov'] }),
      ])
      let calibration = null
      try {
        calibration = await calibrateFromHistory(ctx, workspaceId, { to: period.to })
      } catch (e) {
        // Too little won/lost history is a normal state for a new workspace: the section is left out.
        if (!(e instanceof AppError && e.code === 'invalid_input')) throw e
      }
      return buildQuarterlyIcpReview(
        {
          opportunities: records,
          fitBandDimension: 'fit_band',
          fitBands: FIT_BANDS,
          calibration,
          driftAlerts,
          amendments: drift.alerts.flatMap((a) => (a.amendment ? [a.amendment] : [])),
          attribution: {
            locked: attribution.locked.result,
            alternatives: attribution.alternatives.map((a) => a.result),
          },
          dispositions: dispositions.map(toDispositionRecord),
          actionItems,
        },
        options,
      )
    }
  }
}

/**
 * Generates, renders and stores the pack of one cadence and period (default: the last completed one), replacing
 * a pack already stored for that period; records the pack's new action items.
 *
 * @example await generateReview(ctx, 1, { cadence: 'weekly', period: '2026-W47' }) // { id, kind: 'weekly_pipeline', period: '2026-W47', markdown, html, pack }
 */
export async function generateReview(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  input: { cadence: ReviewCadence; period?: string },
): Promise<StoredReview> {
  const now = ctx.clock()
  const period = input.period ? parsePeriod(input.period) : lastCompletedPeriod(input.cadence, now)
  if (period.kind !== PERIOD_KIND[input.cadence]) {
    throw new AppError('invalid_input', `a ${input.cadence} review covers a ${PERIOD_KIND[input.cadence]}`, [
      {
        path: 'period',
        message: `expected a ${PERIOD_KIND[input.cadence]} such as ${lastCompletedPeriod(input.cadence, now).label}, got "${input.period}"`,
      },
    ])
  }
  const pack = await buildPack(ctx, workspaceId, input.cadence, period, now)
  const markdown = renderMarkdown(pack)
  const html = renderHtml(pack)
  const adb = ctx.db
  const row = await adb
    .insertInto('review_pack')
    .values({
      workspace_id: workspaceId,
      kind: pack.kind,
      period: period.label,
      generated_at: new Date(now),
      markdown,
      html,
      data: JSON.stringify(pack),
    })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'kind', 'period']).doUpdateSet((eb) => ({
        generated_at: eb.ref('excluded.generated_at'),
        markdown: eb.ref('excluded.markdown'),
        html: eb.ref('excluded.html'),
        data: eb.ref('excluded.data'),
      })),
    )
    .returning(['id'])
    .executeTakeFirstOrThrow()
  const fresh = pack.actionItems.filter((i) => i.source === 'generated')
  if (fresh.length > 0) {
    await adb
      .insertInto('action_item')
      .values(
        fresh.map((i) => ({
          workspace_id: workspaceId,
          pack_kind: pack.kind,
          key: i.id,
          text: i.text,
          owner: i.owner,
        })),
      )
      .onConflict((oc) => oc.columns(['workspace_id', 'pack_kind', 'key']).doNothing())
      .execute()
  }
  return {
    id: row.id,
    kind: pack.kind,
    period: period.label,
    generatedAt: new Date(now).toISOString(),
    markdown,
    html,
    pack,
  }
}

/**
 * Scheduled generation: for every workspace and cadence, generates the pack of the last completed period when it is
 * not stored yet. Call it periodically (every few minutes) from the serve process; it is idempotent on
 * (workspace, kind, period), so several processes or a restart never duplicate a pack, and a missed Monday is
 * caught up on the next call. Returns what it generated.
 *
 * @example await generateDueReviews(ctx, Date.parse('2026-11-23T00:05:00Z')) // [{ workspaceId: 1, kind: 'weekly_pipeline', period: '2026-W47' }]
 */
export async function generateDueReviews(
  ctx: Pick<Ctx, 'db' | 'clock' | 'logger'>,
  now: number,
): Promise<{ workspaceId: number; kind: ReviewPackKind; period: string }[]> {
  const workspaces = await ctx.db.selectFrom('workspace').select('id').orderBy('id').execute()
  const done: { workspaceId: number; kind: ReviewPackKind; period: string }[] = []
  const at = { ...ctx, clock: () => now }
  for (const { id } of workspaces) {
    for (const cadence of Object.keys(REVIEW_KINDS) as ReviewCadence[]) {
      const period = lastCompletedPeriod(cadence, now)
      const kind = REVIEW_KINDS[cadence]
      const exists = await ctx.db
        .selectFrom('review_pack')
        .select('id')
        .where('workspace_id', '=', id)
        .where('kind', '=', kind)
        .where('period', '=', period.label)
        .executeTakeFirst()
      if (exists) continue
      await generateReview(at, id, { cadence, period: period.label })
      ctx.logger.info({ workspaceId: id, kind, period: period.label }, 'review pack generated')
      done.push({ workspaceId: id, kind, period: period.label })
    }
  }
  return done
}
