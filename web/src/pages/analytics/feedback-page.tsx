/**
 * The feedback loop: why reps reject and recycle leads, week by week and by source, campaign, segment…
 * (GET /v1/feedback/reasons?by=week and ?by=<dimension>), and drift — a segment whose recent rate moved beyond
 * chance — with its evidence and the Agreement amendment it proposes (GET /v1/feedback/drift), linked to the
 * Agreement editor. Period, breakdown and drift windows live in the query string.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { api } from '../../api.ts'
import { formatDate, humanize } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { Link, useSearchParam } from '../../router.tsx'
import { Chart } from '../../ui/chart.tsx'
import { Badge, Card, Page, PageHeader, useTitle } from '../../ui/kit.tsx'
import type { ChartSeries } from '../../ui/series-chart.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import { breakdownLabel, keyLabel, type Names, num, pct, pValue } from './analytics-format.ts'
import type { Drift, DriftAlert, ReasonRow, Reasons } from './analytics-types.ts'
import { Convention, FilterBar, ParamSelect, PeriodPicker, useNames, usePeriodParam } from './analytics-ui.tsx'
import { describePeriod, describeWeek } from './period.ts'
import './analytics.css'

export const FEEDBACK_BREAKDOWNS = [
  'source',
  'campaign',
  'segment',
  'industry',
  'employees_band',
  'tier',
  'team',
  'rule',
] as const

const METRICS = [
  { value: 'rejection_rate', label: 'Rejection rate' },
  { value: 'recycle_rate', label: 'Recycle rate' },
  { value: 'acceptance_rate', label: 'Acceptance rate' },
]

const TOP_REASONS = 6
const REJECT_COLORS = ['#f04438', '#f79009', '#ee46bc', '#b42318', '#fdb022', '#c11574']
const RECYCLE_COLORS = ['#0ba5ec', '#7a5af8', '#2e90fa', '#6172f3', '#53b1fd', '#9e77ed']

function useReasons(period: string, by: string) {
  const q = new URLSearchParams({ by })
  if (period) q.set('period', period)
  return useQuery({
    queryKey: ['feedback', 'reasons', q.toString()],
    queryFn: ({ signal }) => api.get<Reasons>(`/v1/feedback/reasons?${q}`, signal),
    placeholderData: keepPreviousData,
  })
}

export default function FeedbackPage(_: PageProps) {
  useTitle('Feedback')
  const [period] = usePeriodParam()
  const [by] = useSearchParam('by', 'source')
  const [metric] = useSearchParam('metric', 'rejection_rate')
  const [recent] = useSearchParam('recent', '4')
  const [baseline] = useSearchParam('baseline', '12')
  const names = useNames()
  const weekly = useReasons(period, 'week')
  const breakdown = useReasons(period, by)
  const driftQuery = new URLSearchParams({ metric, recent_weeks: recent, baseline_weeks: baseline })
  const drift = useQuery({
    queryKey: ['feedback', 'drift', driftQuery.toString()],
    queryFn: ({ signal }) => api.get<Drift>(`/v1/feedback/drift?${driftQuery}`, signal),
    placeholderData: keepPreviousData,
  })
  const ready = [weekly, breakdown, drift].every((q) => q.isSuccess && !q.isPlaceholderData)
  return (
    <Page ready={ready} name="feedback">
      <PageHeader
        eyebrow="Revenue"
        title="Feedback"
        subtitle="Why reps reject and recycle the leads marketing hands over, and where that is changing — with the Agreement amendment each change suggests."
      />
      <FilterBar label="Feedback period and breakdown">
        <PeriodPicker />
        <ParamSelect
          name="by"
          label="Break down by"
          fallback="source"
          options={FEEDBACK_BREAKDOWNS.map((b) => ({ value: b, label: breakdownLabel(b) }))}
        />
      </FilterBar>
      <Card title="Rejection and recycle reasons over time" id="reasons-over-time">
        {weekly.isPending ? (
          <Skeleton rows={5} />
        ) : weekly.isError ? (
          <ErrorState error={weekly.error} onRetry={() => weekly.refetch()} title="The reasons could not be loaded" />
        ) : (
          <ReasonsOverTime reasons={weekly.data} stale={weekly.isPlaceholderData} />
        )}
      </Card>
      <Card title={`Reasons by ${breakdownLabel(by).toLowerCase()}`} id="reasons-by">
        {breakdown.isPending ? (
          <Skeleton rows={5} />
        ) : breakdown.isError ? (
          <ErrorState
            error={breakdown.error}
            onRetry={() => breakdown.refetch()}
            title="The reasons could not be loaded"
          />
        ) : (
          <ReasonsBy reasons={breakdown.data} by={by} names={names} stale={breakdown.isPlaceholderData} />
        )}
      </Card>
      <Card
        title="Drift alerts"
        id="drift"
        actions={drift.data && <span className="muted small">{num(drift.data.alerts.length)} raised</span>}
      >
        <FilterBar label="Drift windows">
          <ParamSelect name="metric" label="Watch" fallback="rejection_rate" options={METRICS} />
          <ParamSelect
            name="recent"
            label="Recent window"
            fallback="4"
            options={[2, 4, 6, 8, 13].map((w) => ({ value: String(w), label: `${w} weeks` }))}
          />
          <ParamSelect
            name="baseline"
            label="Against the baseline of"
            fallback="12"
            options={[8, 12, 26, 52].map((w) => ({ value: String(w), label: `${w} weeks before` }))}
          />
        </FilterBar>
        {drift.isPending ? (
          <Skeleton rows={4} />
        ) : drift.isError ? (
          <ErrorState error={drift.error} onRetry={() => drift.refetch()} title="Drift could not be checked" />
        ) : (
          <DriftAlerts drift={drift.data} stale={drift.isPlaceholderData} />
        )}
      </Card>
    </Page>
  )
}

type ReasonKey = `${ReasonRow['reasons'][number]['outcome']}:${string}`

function ReasonsOverTime({ reasons, stale }: { reasons: Reasons; stale: boolean }) {
  const weeks = useMemo(
    () => [...reasons.rows].sort((a, b) => String(a.key.week).localeCompare(String(b.key.week))),
    [reasons],
  )
  const chart = useMemo(() => {
    // The most frequent reasons get their own series; the rest of each outcome is summed as "other".
    const totals = new Map<ReasonKey, number>()
    for (const w of weeks)
      for (const r of w.reasons) {
        const k: ReasonKey = `${r.outcome}:${r.reasonCode ?? '(no reason)'}`
        totals.set(k, (totals.get(k) ?? 0) + r.count)
      }
    const top = [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_REASONS)
      .map(([k]) => k)
    const series: ChartSeries[] = []
    let rejectIndex = 0
    let recycleIndex = 0
    for (const k of top) {
      const [outcome, code] = k.split(/:(.*)/s) as [string, string]
      const color =
        outcome === 'rejected'
          ? REJECT_COLORS[rejectIndex++ % REJECT_COLORS.length]
          : RECYCLE_COLORS[recycleIndex++ % RECYCLE_COLORS.length]
      series.push({
        name: `${outcome} · ${code}`,
        stack: 'reasons',
        color,
        data: weeks.map((w) =>
          w.reasons
            .filter((r) => r.outcome === outcome && (r.reasonCode ?? '(no reason)') === code)
            .reduce((a, r) => a + r.count, 0),
        ),
      })
    }
    for (const outcome of ['rejected', 'recycled'] as const) {
      const other = weeks.map((w) =>
        w.reasons
          .filter((r) => r.outcome === outcome && !top.includes(`${outcome}:${r.reasonCode ?? '(no reason)'}`))
          .reduce((a, r) => a + r.count, 0),
      )
      if (other.some((n) => n > 0))
        series.push({ name: `${outcome} · other reasons`, stack: 'reasons', color: '#98a2b3', data: other })
    }
    return { categories: weeks.map((w) => describeWeek(String(w.key.week))), series }
  }, [weeks])
  if (reasons.total === 0)
    return (
      <Empty title={`No dispositions in ${describePeriod(reasons.period)}`}>
        Reps’ accept, reject and recycle decisions appear here with their reason codes.
      </Empty>
    )
  const rejected = weeks.reduce((a, w) => a + w.rejected, 0)
  const recycled = weeks.reduce((a, w) => a + w.recycled, 0)
  return (
    <div className={stale ? 'analytics-stale' : undefined}>
      <p className="muted small">
        {num(reasons.total)} dispositions in {describePeriod(reasons.period)}: {num(rejected)} rejected, {num(recycled)}{' '}
        recycled. Each bar is a week; each colour a reason.
      </p>
      {chart.series.length === 0 ? (
        <p className="muted">Every lead in this period was accepted.</p>
      ) : (
        <Chart
          label={`Rejections and recycles per week by reason: ${weeks
            .map((w) => `${w.key.week} ${w.rejected} rejected, ${w.recycled} recycled`)
            .join('; ')}`}
          categories={chart.categories}
          series={chart.series}
          height={320}
        />
      )}
      <details className="report-numbers">
        <summary>The numbers, week by week</summary>
        <div className="table-wrap">
          <table className="table table-compact" data-testid="reasons-weekly">
            <thead>
              <tr>
                <th scope="col">Week</th>
                <th scope="col" className="num">
                  Dispositions
                </th>
                <th scope="col" className="num">
                  Rejected
                </th>
                <th scope="col" className="num">
                  Recycled
                </th>
                <th scope="col">Reasons</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((w) => (
                <tr key={String(w.key.week)}>
                  <th scope="row">{describeWeek(String(w.key.week))}</th>
                  <td className="num">{num(w.total)}</td>
                  <td className="num">
                    {num(w.rejected)} <span className="muted small">({pct(w.rejectionRate)})</span>
                  </td>
                  <td className="num">
                    {num(w.recycled)} <span className="muted small">({pct(w.recycleRate)})</span>
                  </td>
                  <td className="small">
                    <ReasonChips row={w} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  )
}

function ReasonChips({ row }: { row: ReasonRow }) {
  if (row.reasons.length === 0) return <span className="muted">—</span>
  return (
    <span className="chips">
      {row.reasons.map((r) => (
        <Badge key={`${r.outcome}:${r.reasonCode}`} tone={r.outcome === 'rejected' ? 'warn' : 'accent'}>
          {r.reasonCode ?? '(no reason)'} {r.count}
        </Badge>
      ))}
    </span>
  )
}

function ReasonsBy({ reasons, by, names, stale }: { reasons: Reasons; by: string; names: Names; stale: boolean }) {
  const rows = reasons.rows
  const chart = useMemo(() => {
    const top = rows.slice(0, 10)
    return {
      categories: top.map((r) => keyLabel(by, r.key[by] ?? null, names)),
      series: [
        { name: 'accepted', stack: 'outcome', color: '#12b76a', data: top.map((r) => r.accepted) },
        { name: 'rejected', stack: 'outcome', color: '#f04438', data: top.map((r) => r.rejected) },
        { name: 'recycled', stack: 'outcome', color: '#0ba5ec', data: top.map((r) => r.recycled) },
      ] satisfies ChartSeries[],
    }
  }, [rows, by, names])
  if (reasons.total === 0)
    return <Empty title={`No dispositions in ${describePeriod(reasons.period)}`}>Nothing to break down yet.</Empty>
  return (
    <div className={stale ? 'analytics-stale' : undefined}>
      <Chart
        label={`Dispositions by ${by}: ${rows
          .slice(0, 10)
          .map((r) => `${keyLabel(by, r.key[by] ?? null, names)} ${r.accepted} accepted, ${r.rejected} rejected`)
          .join('; ')}`}
        categories={chart.categories}
        series={chart.series}
        horizontal
        height={Math.max(180, chart.categories.length * 34 + 40)}
      />
      <div className="table-wrap">
        <table className="table table-compact" data-testid="reasons-by">
          <thead>
            <tr>
              <th scope="col">{breakdownLabel(by)}</th>
              <th scope="col" className="num">
                Dispositions
              </th>
              <th scope="col" className="num">
                Accepted
              </th>
              <th scope="col" className="num">
                Rejected
              </th>
              <th scope="col" className="num">
                Recycled
              </th>
              <th scope="col">Reasons</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={JSON.stringify(r.key)}>
                <th scope="row" className="key-cell">
                  {keyLabel(by, r.key[by] ?? null, names)}
                </th>
                <td className="num">{num(r.total)}</td>
                <td className="num">{pct(r.acceptanceRate)}</td>
                <td className="num">
                  {pct(r.rejectionRate)} <span className="muted small">({num(r.rejected)})</span>
                </td>
                <td className="num">
                  {pct(r.recycleRate)} <span className="muted small">({num(r.recycled)})</span>
                </td>
                <td className="small">
                  <ReasonChips row={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function DriftAlerts({ drift, stale }: { drift: Drift; stale: boolean }) {
  const window = (w: { from: string; to: string }) => `${formatDate(w.from)} – ${formatDate(w.to)}`
  return (
    <div className={stale ? 'analytics-stale' : undefined}>
      <p className="muted small">
        {humanize(drift.metric)} in the recent window ({window(drift.recent)}) against the baseline (
        {window(drift.baseline)}): {num(drift.tested)} segments tested across {num(drift.dimensions.length)} dimensions,{' '}
        {num(drift.skipped)} left out for too few leads.
      </p>
      {drift.alerts.length === 0 ? (
        <Empty title="No drift">
          No segment’s {humanize(drift.metric).toLowerCase()} moved beyond chance between the two windows.
        </Empty>
      ) : (
        <ul className="drift-list" data-testid="drift-alerts">
          {/* Alerts that come with an amendment first: they are the ones someone can act on. */}
          {[...drift.alerts.filter((a) => a.amendment), ...drift.alerts.filter((a) => !a.amendment)].map((a) => (
            <DriftItem key={`${a.dimension}=${a.value}`} alert={a} />
          ))}
        </ul>
      )}
      <Convention>
        Each segment’s rate in the recent window is compared with its own baseline by a two-proportion z-test (Fisher’s
        exact test when a cell is small); the p-values of all segments tested are corrected for multiple comparisons (
        {drift.alerts[0]?.evidence.correction === 'benjamini_hochberg' ? 'Benjamini–Hochberg' : 'Holm'}) and an alert is
        raised when the adjusted p-value is below α. Segments with too few leads in either window are not tested.
      </Convention>
    </div>
  )
}

function DriftItem({ alert }: { alert: DriftAlert }) {
  const e = alert.evidence
  const amendment = alert.amendment
  // Rejections or recycles going up, or acceptance going down, is the adverse direction.
  const adverse = (alert.metric === 'acceptance_rate') === (alert.direction === 'down')
  const proposeHref = amendment
    ? `/agreement/propose?${new URLSearchParams({ amendment: amendment.yaml, evidence: amendment.evidence })}`
    : null
  return (
    <li className={`drift ${adverse ? '' : 'drift-favourable'}`} data-testid="drift-alert">
      <div className="row">
        <Badge tone="accent">
          {alert.dimension} = {alert.value}
        </Badge>
        <Badge tone={adverse ? 'warn' : 'good'}>
          {humanize(alert.metric)} {alert.direction === 'up' ? 'rose' : 'fell'}
        </Badge>
      </div>
      <p className="drift-sentence">{alert.sentence}</p>
      <dl className="drift-evidence" data-testid="drift-evidence">
        <div>
          <dt>Recent ({alert.windowLabel})</dt>
          <dd>
            {num(e.recent.hits)} of {num(e.recent.total)} · {pct(e.recentRate)}
          </dd>
        </div>
        <div>
          <dt>Baseline</dt>
          <dd>
            {num(e.baseline.hits)} of {num(e.baseline.total)} · {pct(e.baselineRate)}
          </dd>
        </div>
        <div>
          <dt>{e.test === 'fisher_exact' ? 'Fisher’s exact test' : 'Two-proportion z-test'}</dt>
          <dd>
            z = {e.z.toFixed(2)}, p = {pValue(e.p)}
          </dd>
        </div>
        <div>
          <dt>Adjusted ({e.correction === 'holm' ? 'Holm' : 'Benjamini–Hochberg'})</dt>
          <dd>
            p = {pValue(e.adjustedP)} &lt; α = {e.alpha}
          </dd>
        </div>
        {alert.dominantReason && (
          <div>
            <dt>Main reason lately</dt>
            <dd>
              {alert.dominantReason.code} ({num(alert.dominantReason.count)})
            </dd>
          </div>
        )}
      </dl>
      {amendment ? (
        <div className="amendment" data-testid="amendment">
          <div className="row-between">
            <strong>Proposed amendment: {humanize(amendment.kind)}</strong>
            {proposeHref && (
              <Link to={proposeHref} className="btn btn-small">
                Propose it in the Agreement editor →
              </Link>
            )}
          </div>
          <p className="muted small">{amendment.evidence}</p>
          <pre>{amendment.yaml}</pre>
        </div>
      ) : (
        <p className="muted small">
          {adverse
            ? 'No amendment is proposed for this kind of segment: read the evidence and decide in the next review.'
            : 'The move is favourable: no amendment is proposed.'}
        </p>
      )}
    </li>
  )
}
