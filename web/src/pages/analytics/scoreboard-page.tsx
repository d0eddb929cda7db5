/**
 * The scoreboard both teams open (GET /v1/metrics/scoreboard): the headline numbers, progress against the
 * Agreement's shared targets, the funnel with stage-to-stage conversion, conversion by the chosen breakdown and by
 * campaign, opportunities by the breakdown, speed-to-lead and SLA compliance by tier and team, and what reps did
 * with the leads. Period, breakdown and breakdown filters live in the query string
 * (`?period=2026-Q4&by=source&segment=Enterprise`): a value in a breakdown table narrows the whole page to it, and its
 * chip under the pickers widens it again. Every figure is the API's; the page only prints it.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react'
import { api } from '../../api.ts'
import { formatDateTime, humanize, shortHash } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { Link, navigate, useLocation } from '../../router.tsx'
import { Chart } from '../../ui/chart.tsx'
import { Badge, Card, Code, Page, PageHeader, useTitle } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import {
  breakdownLabel,
  businessHours,
  DASH,
  days,
  keyLabel,
  money,
  type Names,
  num,
  pct,
  stageTime,
} from './analytics-format.ts'
import type {
  DispositionRow,
  FunnelGroup,
  Key,
  OpportunityStats,
  Scoreboard,
  SlaRow,
  SpeedRow,
  TargetLine,
} from './analytics-types.ts'
import { Convention, FilterBar, ParamSelect, PeriodPicker, ShareBar, useNames } from './analytics-ui.tsx'
import { describePeriod } from './period.ts'
import { isScoreboardFilter, type ScoreboardFilter, scoreboardFilters, scoreboardRequest } from './scoreboard-query.ts'
import './analytics.css'

export const SCOREBOARD_BREAKDOWNS = ['source', 'medium', 'campaign', 'segment', 'tier', 'team', 'owner'] as const

/** Sets (value) or removes (null) one breakdown filter of the page; a new history entry, so Back undoes it. */
type Narrow = (dimension: ScoreboardFilter, value: string | null) => void

/** The page's filters and how to change them, for the tables deep inside it. */
const FiltersContext = createContext<{ active: [ScoreboardFilter, string][]; narrow: Narrow }>({
  active: [],
  narrow: () => {},
})

export default function ScoreboardPage(_: PageProps) {
  useTitle('Scoreboard')
  const { search, href } = useLocation()
  const names = useNames()
  const { queryKey, path } = scoreboardRequest(search)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `search` is a new object each render; `href` is its identity
  const active = useMemo(() => scoreboardFilters(search), [href])
  const narrow = useCallback<Narrow>((dimension, value) => {
    const url = new URL(window.location.href)
    if (value === null) url.searchParams.delete(dimension)
    else url.searchParams.set(dimension, value)
    navigate(url.pathname + url.search)
  }, [])
  const filters = useMemo(() => ({ active, narrow }), [active, narrow])
  const board = useQuery({
    queryKey,
    queryFn: ({ signal }) => api.get<Scoreboard>(path, signal),
    placeholderData: keepPreviousData,
  })
  const data = board.data
  return (
    <Page ready={board.isSuccess && !board.isPlaceholderData} name="scoreboard">
      <PageHeader
        eyebrow="Revenue"
        title="Scoreboard"
        subtitle={
          data ? (
            <>
              {describePeriod(data.period.label)} · the same numbers for marketing and sales, as of{' '}
              {formatDateTime(data.asOf)}
              {data.agreement && (
                <>
                  {' '}
                  under Agreement <Code>{shortHash(data.agreement.hash)}</Code>
                </>
              )}
            </>
          ) : (
            'The same numbers for marketing and sales, from one ledger.'
          )
        }
      />
      <FilterBar label="Scoreboard period and breakdown">
        <PeriodPicker />
        <ParamSelect
          name="by"
          label="Break down by"
          fallback="source"
          options={SCOREBOARD_BREAKDOWNS.map((b) => ({ value: b, label: breakdownLabel(b) }))}
        />
      </FilterBar>
      <FilterChips active={active} narrow={narrow} names={names} />
      {board.isPending ? (
        <Card>
          <Skeleton rows={6} />
        </Card>
      ) : board.isError ? (
        <Card>
          <ErrorState error={board.error} onRetry={() => board.refetch()} title="The scoreboard could not be loaded" />
        </Card>
      ) : (
        <div
          className={`analytics-body ${board.isPlaceholderData ? 'analytics-stale' : ''}`}
          aria-busy={board.isFetching}
        >
          <FiltersContext.Provider value={filters}>
            <ScoreboardView board={data!} names={names} />
          </FiltersContext.Provider>
        </div>
      )}
    </Page>
  )
}

/** The filters in force, each removable, and a way back to all leads. */
function FilterChips({
  active,
  narrow,
  names,
}: {
  active: [ScoreboardFilter, string][]
  narrow: Narrow
  names: Names
}) {
  if (active.length === 0) return null
  return (
    <div className="filter-chips" data-testid="scoreboard-filters">
      <span className="muted small">Narrowed to</span>
      {active.map(([d, v]) => (
        <span key={d} className="filter-chip" data-dimension={d} data-value={v}>
          {breakdownLabel(d)}: {keyLabel(d, v, names)}
          <button
            type="button"
            aria-label={`Remove the filter ${breakdownLabel(d)} = ${keyLabel(d, v, names)}`}
            onClick={() => narrow(d, null)}
          >
            ×
          </button>
        </span>
      ))}
      {active.length > 1 && (
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => {
            const url = new URL(window.location.href)
            for (const [d] of active) url.searchParams.delete(d)
            navigate(url.pathname + url.search)
          }}
        >
          Clear all
        </button>
      )}
    </div>
  )
}

/**
 * A breakdown value in a table: a button narrowing the page to it when the API can filter by that breakdown and the
 * page is not already narrowed to it; plain text otherwise.
 */
function KeyCell({ by, value, names }: { by: string; value: Key; names: Names }) {
  const { active, narrow } = useContext(FiltersContext)
  const label = keyLabel(by, value, names)
  if (value === null || !isScoreboardFilter(by) || active.some(([d]) => d === by)) return <>{label}</>
  return (
    <button
      type="button"
      className="link-button"
      title={`Show the scoreboard for ${breakdownLabel(by).toLowerCase()} ${label} only`}
      onClick={() => narrow(by, String(value))}
    >
      {label}
    </button>
  )
}

function isEmpty(b: Scoreboard): boolean {
  return (
    b.funnel.overall.stages.every((s) => s.entered === 0) &&
    b.opportunities.created.count === 0 &&
    b.opportunities.won.count + b.opportunities.lost.count === 0 &&
    b.speedToLead.overall.handoffs === 0 &&
    b.sla.overall.clocks === 0
  )
}

function ScoreboardView({ board, names }: { board: Scoreboard; names: Names }) {
  const o = board.opportunities
  const speed = board.speedToLead.overall
  const sla = board.sla.overall
  const decided = sla.metInTime + sla.metLate + sla.breached
  return (
    <>
      <div className="kpis" data-testid="kpi-row">
        <Kpi
          id="pipeline"
          label="Pipeline created"
          value={money(o.created.amount)}
          raw={o.created.amount}
          hint={`${num(o.created.count)} opportunit${o.created.count === 1 ? 'y' : 'ies'}`}
        />
        <Kpi
          id="bookings"
          label="Bookings"
          value={money(o.won.amount)}
          raw={o.won.amount}
          hint={`${num(o.won.count)} won`}
        />
        <Kpi
          id="win-rate"
          label="Win rate"
          value={pct(o.winRate)}
          raw={o.winRate}
          hint={`${num(o.won.count)} won of ${num(o.won.count + o.lost.count)} closed`}
        />
        <Kpi
          id="deal-size"
          label="Average deal size"
          value={money(o.avgDealSize)}
          raw={o.avgDealSize}
          hint="won deals"
        />
        <Kpi
          id="cycle"
          label="Sales cycle"
          value={days(o.cycleDays.median)}
          raw={o.cycleDays.median}
          hint={`median of ${num(o.cycleDays.count)} won · p90 ${days(o.cycleDays.p90)}`}
        />
        <Kpi
          id="velocity"
          label="Pipeline velocity"
          value={o.velocity.perDay === null ? DASH : `${money(o.velocity.perDay)}/day`}
          raw={o.velocity.perDay}
          hint={`${num(o.velocity.openCount)} open worth ${money(o.velocity.openAmount)}`}
        />
        <Kpi
          id="speed"
          label="Speed to lead"
          value={businessHours(speed.businessHours.median)}
          raw={speed.businessHours.median}
          hint={`median first touch, business time · p90 ${businessHours(speed.businessHours.p90)}`}
        />
        <Kpi
          id="sla"
          label="SLA compliance"
          value={pct(sla.compliance)}
          raw={sla.compliance}
          hint={`${num(sla.metInTime)} of ${num(decided)} met in time`}
        />
      </div>
      {isEmpty(board) && (
        <Card>
          <Empty title="Nothing happened in this period yet">
            No lead entered a stage, no opportunity opened or closed and no lead was handed off in{' '}
            {describePeriod(board.period.label)}. Pick another period, or load data through the API or a CSV import.
          </Empty>
        </Card>
      )}
      <Targets board={board} />
      <div className="grid-2 analytics-pair">
        <Funnel board={board} />
        <Velocity stats={o} />
      </div>
      <FunnelBreakdown
        id="conversion-by"
        title={`Conversion by ${breakdownLabel(board.funnel.by ?? board.by).toLowerCase()}`}
        by={board.funnel.by ?? board.by}
        groups={board.funnel.groups}
        names={names}
        chart
      />
      {board.by !== 'campaign' && (
        <FunnelBreakdown
          id="conversion-by-campaign"
          title="Conversion by campaign"
          by="campaign"
          groups={board.funnel.breakdowns.find((b) => b.by === 'campaign')?.groups ?? []}
          names={names}
        />
      )}
      {o.by !== null && <OpportunitiesBy by={o.by} groups={o.groups} names={names} />}
      <SpeedAndSla board={board} names={names} />
      <Outcomes row={board.dispositions.overall} />
    </>
  )
}

function Kpi({
  id,
  label,
  value,
  raw,
  hint,
}: {
  id: string
  label: string
  value: string
  raw: number | null
  hint: ReactNode
}) {
  return (
    <div className="stat kpi" data-testid={`kpi-${id}`} data-value={raw === null ? '' : String(raw)}>
      <div className="stat-label">{label}</div>
      <div className="stat-value kpi-value">{value}</div>
      <div className="stat-hint">{hint}</div>
    </div>
  )
}

const TARGET_LABELS: Record<TargetLine['metric'], string> = {
  pipeline: 'Pipeline created',
  bookings: 'Bookings',
  mqls: 'MQLs',
  sqls: 'SQLs',
  opportunities: 'Opportunities created',
  sla_compliance: 'SLA compliance',
}

const STATUS_TONE = { ahead: 'good', on_track: 'accent', behind: 'warn' } as const

function targetValue(metric: TargetLine['metric'], v: number | null): string {
  if (metric === 'pipeline' || metric === 'bookings') return money(v)
  if (metric === 'sla_compliance') return pct(v)
  return num(v)
}

function Targets({ board }: { board: Scoreboard }) {
  const t = board.targets
  if (Object.keys(board.filter).length > 0)
    return (
      <Card title="Shared targets" id="targets">
        <Empty title="The shared targets are company-wide">
          They are not compared against a part of the business. Remove the filters above to see progress against them.
        </Empty>
      </Card>
    )
  if (!t)
    return (
      <Card title="Shared targets" id="targets">
        <Empty title="No shared target for this period">
          The Agreement in force has no `targets` entry whose period holds {describePeriod(board.period.label)}. Add one
          in a proposed version and both owners sign it.
        </Empty>
      </Card>
    )
  return (
    <Card
      title={`Against the shared targets · ${describePeriod(t.period)} to date`}
      id="targets"
      actions={<span className="muted small">{pct(t.elapsed)} of the period elapsed</span>}
    >
      <ul className="targets" data-testid="targets">
        {t.lines.map((l) => (
          <li key={l.metric} className="target" data-metric={l.metric}>
            <div className="target-head">
              <span className="target-name">{TARGET_LABELS[l.metric]}</span>
              <Badge tone={STATUS_TONE[l.status]}>{humanize(l.status)}</Badge>
            </div>
            <div className="target-figures">
              <strong className="target-actual">{targetValue(l.metric, l.actual)}</strong>
              <span className="muted">
                {' '}
                of {targetValue(l.metric, l.target)} · {pct(l.share)}
                {l.metric !== 'sla_compliance' && <> (expected {pct(l.expectedShare)} by now)</>}
              </span>
            </div>
            <ShareBar
              share={l.share}
              expected={l.metric === 'sla_compliance' ? undefined : l.expectedShare}
              tone={STATUS_TONE[l.status]}
            />
          </li>
        ))}
      </ul>
      {t.mqlCommitment && (
        <p className="note small">
          Marketing’s volume commitment: {num(t.mqlCommitment.actual)} of {num(t.mqlCommitment.target)} MQLs —{' '}
          {t.mqlCommitment.met ? <Badge tone="good">met</Badge> : <Badge tone="warn">not met yet</Badge>}
        </p>
      )}
      <Convention>
        Targets are measured over the target’s own period to date, whatever period the page shows. Cumulative targets
        pace linearly: by now the target expects the elapsed share of itself; SLA compliance is a rate, expected in full
        at any time.
      </Convention>
    </Card>
  )
}

function Funnel({ board }: { board: Scoreboard }) {
  const stages = board.funnel.overall.stages
  const chart = useMemo(
    () => ({
      categories: stages.map((s) => s.stage),
      series: [
        {
          name: 'Entered',
          data: stages.map((s) => s.entered),
          color: '#3b5bdb',
          labels: stages.map((s) =>
            s.conversion === null ? num(s.entered) : `${num(s.entered)} · ${pct(s.conversion)} on`,
          ),
        },
      ],
    }),
    [stages],
  )
  return (
    <Card title="Funnel" id="funnel">
      <Chart
        label={`Leads entering each stage: ${stages.map((s) => `${s.stage} ${s.entered}`).join(', ')}`}
        categories={chart.categories}
        series={chart.series}
        horizontal
        height={Math.max(180, stages.length * 38)}
      />
      <div className="table-wrap">
        <table className="table table-compact" data-testid="funnel-table">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                Entered
              </th>
              <th scope="col" className="num">
                Moved on
              </th>
              <th scope="col" className="num">
                Conversion
              </th>
              <th scope="col" className="num">
                Median time
              </th>
            </tr>
          </thead>
          <tbody>
            {stages.map((s, i) => (
              <tr key={s.stage}>
                <th scope="row">{s.stage}</th>
                <td className="num">{num(s.entered)}</td>
                <td className="num">{s.advanced === null ? DASH : num(s.advanced)}</td>
                <td className="num" title={stages[i + 1] ? `${s.stage} → ${stages[i + 1]!.stage}` : undefined}>
                  {pct(s.conversion)}
                </td>
                <td className="num">{stageTime(s.timeInStageMs.median)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Convention>{board.funnel.convention}</Convention>
    </Card>
  )
}

function Velocity({ stats }: { stats: OpportunityStats }) {
  const v = stats.velocity
  return (
    <Card title="Pipeline velocity" id="velocity">
      <p className="velocity-headline">{v.perDay === null ? DASH : `${money(v.perDay)} per day`}</p>
      <dl className="deflist velocity-factors">
        <div>
          <dt>Open opportunities at period end</dt>
          <dd>
            {num(v.openCount)} · {money(v.openAmount)}
          </dd>
        </div>
        <div>
          <dt>× win rate</dt>
          <dd>
            {pct(v.winRate)} ({num(stats.won.count)} won, {num(stats.lost.count)} lost)
          </dd>
        </div>
        <div>
          <dt>× average won deal</dt>
          <dd>{money(v.avgDealSize)}</dd>
        </div>
        <div>
          <dt>÷ mean sales cycle</dt>
          <dd>{days(v.avgCycleDays)}</dd>
        </div>
        <div>
          <dt>Lost deals took</dt>
          <dd>
            {days(stats.lostCycleDays.median)} median ({num(stats.lostCycleDays.count)} lost)
          </dd>
        </div>
      </dl>
      <Convention>{v.formula}</Convention>
    </Card>
  )
}

const TOP = 10

function sortedGroups(groups: FunnelGroup[]): FunnelGroup[] {
  return [...groups].sort(
    (a, b) => (b.stages[0]?.entered ?? 0) - (a.stages[0]?.entered ?? 0) || String(a.key).localeCompare(String(b.key)),
  )
}

function FunnelBreakdown({
  id,
  title,
  by,
  groups,
  names,
  chart = false,
}: {
  id: string
  title: string
  by: string
  groups: FunnelGroup[]
  names: Names
  chart?: boolean
}) {
  const [all, setAll] = useState(false)
  const sorted = useMemo(() => sortedGroups(groups), [groups])
  const shown = all ? sorted : sorted.slice(0, TOP)
  const stages = groups[0]?.stages.map((s) => s.stage) ?? []
  const [first, second] = stages
  const chartData = useMemo(() => {
    const top = sorted.slice(0, TOP)
    return {
      categories: top.map((g) => keyLabel(by, g.key, names)),
      series: [
        {
          name: `${first} → ${second}`,
          data: top.map((g) => g.stages[0]?.conversion ?? 0),
          color: '#3b5bdb',
          labels: top.map((g) => {
            const s = g.stages[0]
            return s?.conversion == null ? '' : `${pct(s.conversion)} (${num(s.advanced)} of ${num(s.entered)})`
          }),
        },
      ],
    }
  }, [sorted, by, names, first, second])
  return (
    <Card title={title} id={id}>
      {groups.length === 0 ? (
        <Empty title="No leads in this period">Conversion appears once leads enter the funnel.</Empty>
      ) : (
        <>
          {chart && second && (
            <>
              <h3 className="sub">
                {first} → {second} conversion, top {Math.min(TOP, sorted.length)} by {first?.toLowerCase()}s
              </h3>
              <Chart
                label={`${first} to ${second} conversion by ${by}: ${chartData.categories
                  .map((c, i) => `${c} ${pct(chartData.series[0]!.data[i])}`)
                  .join(', ')}`}
                categories={chartData.categories}
                series={chartData.series}
                horizontal
                format="percent"
                height={Math.max(160, chartData.categories.length * 32)}
              />
            </>
          )}
          <div className="table-wrap">
            <table className="table table-compact" data-testid={`${id}-table`}>
              <thead>
                <tr>
                  <th scope="col">{breakdownLabel(by)}</th>
                  {stages.map((s) => (
                    <th key={s} scope="col" className="num">
                      {s}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shown.map((g) => (
                  <tr key={String(g.key)}>
                    <th scope="row" className="key-cell">
                      <KeyCell by={by} value={g.key} names={names} />
                    </th>
                    {g.stages.map((s) => (
                      <td key={s.stage} className="num">
                        {num(s.entered)}
                        {s.conversion !== null && s.entered > 0 && (
                          <div className="muted small" title={`share of ${s.stage} that moved on`}>
                            {pct(s.conversion)} on
                          </div>
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {sorted.length > TOP && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setAll((a) => !a)}>
              {all ? `Show the top ${TOP}` : `Show all ${sorted.length}`}
            </button>
          )}
        </>
      )}
    </Card>
  )
}

function OpportunitiesBy({
  by,
  groups,
  names,
}: {
  by: string
  groups: (OpportunityStats & { key: Key })[]
  names: Names
}) {
  const sorted = [...groups].sort((a, b) => b.created.amount - a.created.amount)
  return (
    <Card title={`Opportunities by ${breakdownLabel(by).toLowerCase()}`} id="opportunities-by">
      {groups.length === 0 ? (
        <Empty title="No opportunities in this period" />
      ) : (
        <div className="table-wrap">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">{breakdownLabel(by)}</th>
                <th scope="col" className="num">
                  Pipeline created
                </th>
                <th scope="col" className="num">
                  Bookings
                </th>
                <th scope="col" className="num">
                  Win rate
                </th>
                <th scope="col" className="num">
                  Avg deal
                </th>
                <th scope="col" className="num">
                  Cycle (median)
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((g) => (
                <tr key={String(g.key)}>
                  <th scope="row" className="key-cell">
                    <KeyCell by={by} value={g.key} names={names} />
                  </th>
                  <td className="num">
                    {money(g.created.amount)}
                    <div className="muted small">{num(g.created.count)} opps</div>
                  </td>
                  <td className="num">
                    {money(g.won.amount)}
                    <div className="muted small">{num(g.won.count)} won</div>
                  </td>
                  <td className="num">{pct(g.winRate)}</td>
                  <td className="num">{money(g.avgDealSize)}</td>
                  <td className="num">{days(g.cycleDays.median)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  )
}

type SlaLine = { kind: 'tier' | 'team'; key: Key; speed: SpeedRow | null; sla: SlaRow | null }

function joinByKey(kind: SlaLine['kind'], speed: SpeedRow[], sla: SlaRow[]): SlaLine[] {
  const keys = [...new Set([...speed.map((s) => s.key), ...sla.map((s) => s.key)])]
  return keys.map((key) => ({
    kind,
    key,
    speed: speed.find((s) => s.key === key) ?? null,
    sla: sla.find((s) => s.key === key) ?? null,
  }))
}

function SpeedAndSla({ board, names }: { board: Scoreboard; names: Names }) {
  const all = useMemo(
    () => [
      ...joinByKey('tier', board.speedToLead.byTier, board.sla.byTier),
      ...joinByKey('team', board.speedToLead.byTeam, board.sla.byTeam),
    ],
    [board],
  )
  const target = board.targets?.lines.find((l) => l.metric === 'sla_compliance')?.target
  const chart = useMemo(() => {
    const decided = all.filter((r) => r.sla && r.sla.compliance !== null)
    return {
      categories: decided.map((r) => `${r.kind === 'tier' ? 'Tier' : 'Team'} · ${keyLabel(r.kind, r.key, names)}`),
      series: [
        {
          name: 'SLA compliance',
          data: decided.map((r) => r.sla!.compliance!),
          color: '#12b76a',
          labels: decided.map(
            (r) =>
              `${pct(r.sla!.compliance)} (${num(r.sla!.metInTime)}/${num(r.sla!.metInTime + r.sla!.metLate + r.sla!.breached)})`,
          ),
        },
      ],
    }
  }, [all, names])
  return (
    <Card
      title="Speed to lead and SLA compliance"
      id="sla"
      actions={target !== undefined ? <span className="muted small">target {pct(target)}</span> : undefined}
    >
      {all.length === 0 ? (
        <Empty title="No handoffs in this period">
          Speed to lead and SLA compliance appear once qualified leads are routed to reps.
        </Empty>
      ) : (
        <>
          {chart.categories.length > 0 && (
            <Chart
              label={`SLA compliance: ${chart.categories.map((c, i) => `${c} ${pct(chart.series[0]!.data[i])}`).join(', ')}`}
              categories={chart.categories}
              series={chart.series}
              horizontal
              format="percent"
              height={Math.max(160, chart.categories.length * 30)}
            />
          )}
          <div className="table-wrap">
            <table className="table table-compact" data-testid="sla-table">
              <thead>
                <tr>
                  <th scope="col">Tier / team</th>
                  <th scope="col" className="num">
                    Handoffs
                  </th>
                  <th scope="col" className="num">
                    First touch (median)
                  </th>
                  <th scope="col" className="num">
                    p90
                  </th>
                  <th scope="col" className="num">
                    SLA compliance
                  </th>
                  <th scope="col" className="num">
                    Late / breached
                  </th>
                </tr>
              </thead>
              <tbody>
                {all.map((r) => (
                  <tr key={`${r.kind}:${r.key}`}>
                    <th scope="row" className="key-cell">
                      <span className="muted small">{r.kind === 'tier' ? 'Tier' : 'Team'}</span>{' '}
                      {keyLabel(r.kind, r.key, names)}
                    </th>
                    <td className="num">
                      {num(r.speed?.handoffs ?? 0)}
                      {(r.speed?.untouched ?? 0) > 0 && (
                        <div className="muted small">{num(r.speed!.untouched)} untouched</div>
                      )}
                    </td>
                    <td className="num">{businessHours(r.speed?.businessHours.median)}</td>
                    <td className="num">{businessHours(r.speed?.businessHours.p90)}</td>
                    <td className="num">{pct(r.sla?.compliance)}</td>
                    <td className="num">
                      {r.sla ? `${num(r.sla.metLate)} / ${num(r.sla.breached)}` : DASH}
                      {(r.sla?.pending ?? 0) > 0 && <div className="muted small">{num(r.sla!.pending)} pending</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Convention>
            First touch is business time from handoff to the first touch, in the owner’s calendar.{' '}
            {board.sla.convention}
          </Convention>
        </>
      )}
    </Card>
  )
}

function Outcomes({ row }: { row: DispositionRow }) {
  return (
    <Card
      title="What reps did with the leads"
      id="outcomes"
      actions={
        <Link to="/feedback" className="small">
          Reasons and drift →
        </Link>
      }
    >
      {row.total === 0 ? (
        <Empty title="No dispositions in this period">
          Accepted, rejected and recycled leads appear here with their reason codes.
        </Empty>
      ) : (
        <div className="grid-3 outcomes">
          <div>
            <div className="stat-label">Accepted</div>
            <div className="outcome-figure">{pct(row.acceptanceRate)}</div>
            <div className="muted small">
              {num(row.accepted)} of {num(row.total)}
            </div>
          </div>
          <ReasonList title="Rejected" rate={row.rejectionRate} count={row.rejected} reasons={row.rejectionReasons} />
          <ReasonList title="Recycled" rate={row.recycleRate} count={row.recycled} reasons={row.recycleReasons} />
        </div>
      )}
    </Card>
  )
}

function ReasonList({
  title,
  rate,
  count,
  reasons,
}: {
  title: string
  rate: number | null
  count: number
  reasons: DispositionRow['rejectionReasons']
}) {
  return (
    <div>
      <div className="stat-label">{title}</div>
      <div className="outcome-figure">{pct(rate)}</div>
      <div className="muted small">{num(count)} leads</div>
      {reasons.length > 0 && (
        <ul className="plain reason-list">
          {reasons.slice(0, 5).map((r) => (
            <li key={String(r.code)}>
              <span>{r.code ?? '(no reason)'}</span> <span className="muted">{num(r.count)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
