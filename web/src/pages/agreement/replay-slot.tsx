/**
 * The what-if replay of a version (`POST /v1/agreements/:ref/replay`): the stored history run through this version
 * and compared with the one in force — qualified leads, MQLs per week, tier mix, how gained and lost leads actually
 * converted, and examples with their reasons. Renders only when the server documents the route (OpenAPI at
 * /docs/json), and nothing when it does not or answers 404. The window (`?from=&to=`, dates) is in the query string
 * so a replay can be shared. Keep `data-slot="replay"`: the browser tests find the view by it.
 */
import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useEffect, useMemo, useState } from 'react'
import { ApiError, api } from '../../api.ts'
import { formatDate, formatNumber, formatPercent, shortHash } from '../../format.ts'
import { Link, navigate, useSearchParam } from '../../router.tsx'
import { Badge, Card, Code } from '../../ui/kit.tsx'
import { SeriesChart } from '../../ui/series-chart.tsx'
import { ErrorState, Loading } from '../../ui/states.tsx'
import '../../ui/report.css'

const REPLAY_PATH = '/v1/agreements/{ref}/replay'

type Conversion = { leads: number; known: number; sal: number; opportunity: number; won: number }
type Examples = { count: number; examples: { personKey: string; reasons: string[] }[] }

/** `ReplayReport` of src/leads/replay-agreement.ts as JSON. */
type ReplayReport = {
  qualified: { active: number; candidate: number }
  mqlsPerWeek: { week: string; active: number; candidate: number }[]
  tierMix: { tier: string; active: number; candidate: number }[]
  gained: Examples
  lost: Examples
  conversion: { gained: Conversion; lost: Conversion; both: Conversion }
  window: { from: string; to: string }
  events: number
  people: number
  active: { versionId: number; hash: string }
  candidate: { hash: string; title: string }
  people_by_key: Record<string, string>
}

function useReplayDocumented() {
  return useQuery({
    queryKey: ['openapi', 'paths'],
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      const doc = await api.get<{ paths?: Record<string, Record<string, unknown>> }>('/docs/json', signal)
      return Boolean(doc.paths?.[REPLAY_PATH]?.post)
    },
  })
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

export function ReplaySlot({ versionRef }: { versionRef: string }) {
  const documented = useReplayDocumented()
  const [fromParam] = useSearchParam('from')
  const [toParam] = useSearchParam('to')
  const from = DATE.test(fromParam) ? fromParam : ''
  const to = DATE.test(toParam) ? toParam : ''
  const replay = useQuery({
    queryKey: ['agreement', 'replay', versionRef, from, to],
    enabled: documented.data === true,
    staleTime: 5 * 60_000,
    retry: false,
    queryFn: () =>
      api.post<ReplayReport>(`/v1/agreements/${encodeURIComponent(versionRef)}/replay`, {
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      }),
  })
  if (documented.data !== true) return null
  if (replay.isError && replay.error instanceof ApiError && replay.error.status === 404) return null
  const report = replay.data
  return (
    <div data-slot="replay">
      <Card
        title="What-if replay"
        id="replay"
        actions={
          report ? (
            <span className="muted small">
              this version vs the one in force <Code>{shortHash(report.active.hash)}</Code>
            </span>
          ) : undefined
        }
      >
        <WindowForm
          from={from}
          to={to}
          shown={report?.window}
          busy={replay.isFetching}
          onRerun={() => void replay.refetch()}
        />
        {replay.isPending ? (
          <Loading label="Replaying the stored history under this version and the one in force…" />
        ) : replay.isError ? (
          <ErrorState error={replay.error} onRetry={() => replay.refetch()} title="The replay failed" />
        ) : (
          <div className={replay.isFetching ? 'report-stale' : undefined}>
            <ReplayView report={replay.data} />
          </div>
        )}
      </Card>
    </div>
  )
}

/** The window as dates; `to` is exclusive on the server (events before that day's midnight UTC). */
function WindowForm(props: {
  from: string
  to: string
  shown?: { from: string; to: string }
  busy: boolean
  onRerun(): void
}) {
  const shownFrom = props.shown?.from.slice(0, 10) ?? ''
  const shownTo = props.shown?.to.slice(0, 10) ?? ''
  const [from, setFrom] = useState(props.from || shownFrom)
  const [to, setTo] = useState(props.to || shownTo)
  useEffect(() => setFrom(props.from || shownFrom), [props.from, shownFrom])
  useEffect(() => setTo(props.to || shownTo), [props.to, shownTo])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const url = new URL(window.location.href)
    const same = (url.searchParams.get('from') ?? '') === from && (url.searchParams.get('to') ?? '') === to
    if (from) url.searchParams.set('from', from)
    else url.searchParams.delete('from')
    if (to) url.searchParams.set('to', to)
    else url.searchParams.delete('to')
    if (same) props.onRerun()
    else navigate(url.pathname + url.search + url.hash, { replace: true })
  }
  const reset = () => {
    const url = new URL(window.location.href)
    url.searchParams.delete('from')
    url.searchParams.delete('to')
    navigate(url.pathname + url.search + url.hash, { replace: true })
  }
  return (
    <form className="report-window" onSubmit={submit} aria-label="Replay window">
      <div className="report-field">
        <label htmlFor="replay-from">From</label>
        <input id="replay-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="report-field">
        <label htmlFor="replay-to">To (exclusive)</label>
        <input id="replay-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={props.busy}>
        {props.busy ? 'Replaying…' : 'Re-run replay'}
      </button>
      {(props.from || props.to) && (
        <button type="button" className="btn btn-ghost" onClick={reset}>
          Last 91 days
        </button>
      )}
    </form>
  )
}

function weekLabel(week: string): string {
  return new Date(`${week}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' })
}

function ReplayView({ report }: { report: ReplayReport }) {
  const { qualified, gained, lost } = report
  const delta = qualified.candidate - qualified.active
  const series = useMemo(
    () => [
      { name: 'Active version', data: report.mqlsPerWeek.map((w) => w.active), color: '#98a2b3' },
      { name: 'This version', data: report.mqlsPerWeek.map((w) => w.candidate), color: '#3b5bdb' },
    ],
    [report],
  )
  const categories = useMemo(() => report.mqlsPerWeek.map((w) => weekLabel(w.week)), [report])
  return (
    <div className="replay">
      <div className="report-headline">
        <p className="report-headline-text" data-testid="replay-headline">
          {formatNumber(qualified.active)} → {formatNumber(qualified.candidate)} qualified ({formatNumber(gained.count)}{' '}
          gained, {formatNumber(lost.count)} lost)
        </p>
        <Badge tone={delta > 0 ? 'good' : delta < 0 ? 'warn' : 'neutral'}>
          {delta === 0
            ? 'no change'
            : `${delta > 0 ? '+' : '−'}${formatNumber(Math.abs(delta))} (${
                qualified.active > 0 ? formatPercent(Math.abs(delta) / qualified.active) : '—'
              })`}
        </Badge>
      </div>
      <p className="muted small report-scope">
        History {formatDate(report.window.from)} → {formatDate(report.window.to)}: {formatNumber(report.events)} events
        from {formatNumber(report.people)} people, replayed under this version{' '}
        <Code>{shortHash(report.candidate.hash)}</Code> and under the version in force{' '}
        <Code>{shortHash(report.active.hash)}</Code>. Nothing is written.
      </p>

      <h3 className="sub">Qualified leads per week</h3>
      {report.mqlsPerWeek.length === 0 ? (
        <p className="muted">Neither version qualifies any lead in this window.</p>
      ) : (
        <>
          <SeriesChart
            label={`Qualified leads per week: ${report.mqlsPerWeek
              .map((w) => `${w.week} active ${w.active}, this version ${w.candidate}`)
              .join('; ')}`}
            categories={categories}
            series={series}
          />
          <details className="report-numbers">
            <summary>The numbers, week by week</summary>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Week of</th>
                    <th scope="col" className="num">
                      Active
                    </th>
                    <th scope="col" className="num">
                      This version
                    </th>
                    <th scope="col" className="num">
                      Change
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {report.mqlsPerWeek.map((w) => (
                    <tr key={w.week}>
                      <td>{formatDate(w.week)}</td>
                      <td className="num">{w.active}</td>
                      <td className="num">{w.candidate}</td>
                      <td className="num">
                        <Change value={w.candidate - w.active} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}

      <div className="grid-2 report-tables">
        <div>
          <h3 className="sub">Tier mix</h3>
          <TierMix rows={report.tierMix} />
        </div>
        <div>
          <h3 className="sub">How these leads actually converted</h3>
          <ConversionTable conversion={report.conversion} />
        </div>
      </div>

      <div className="grid-2 report-examples">
        <ExampleList title="Lost" tone="warn" data={lost} people={report.people_by_key} />
        <ExampleList title="Gained" tone="good" data={gained} people={report.people_by_key} />
      </div>
    </div>
  )
}

function Change({ value }: { value: number }) {
  if (value === 0) return <span className="muted">0</span>
  return (
    <span className={value > 0 ? 'change-up' : 'change-down'}>
      {value > 0 ? '+' : '−'}
      {formatNumber(Math.abs(value))}
    </span>
  )
}

function TierMix({ rows }: { rows: ReplayReport['tierMix'] }) {
  if (rows.length === 0) return <p className="muted">No qualified leads, so no tiers.</p>
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Tier</th>
            <th scope="col" className="num">
              Active
            </th>
            <th scope="col" className="num">
              This version
            </th>
            <th scope="col" className="num">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.tier}>
              <td>{r.tier === '(none)' ? <span className="muted">no tier</span> : <Badge>{r.tier}</Badge>}</td>
              <td className="num">{formatNumber(r.active)}</td>
              <td className="num">{formatNumber(r.candidate)}</td>
              <td className="num">
                <Change value={r.candidate - r.active} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Rate({ n, of }: { n: number; of: number }) {
  if (of === 0) return <span className="muted">—</span>
  return (
    <>
      {formatPercent(n / of)}
      <div className="muted small">{formatNumber(n)}</div>
    </>
  )
}

const GROUPS: { key: keyof ReplayReport['conversion']; label: string; hint: string }[] = [
  { key: 'gained', label: 'Gained', hint: 'qualified only by this version' },
  { key: 'lost', label: 'Lost', hint: 'qualified only by the active version' },
  { key: 'both', label: 'Both', hint: 'qualified by both' },
]

function ConversionTable({ conversion }: { conversion: ReplayReport['conversion'] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Leads</th>
            <th scope="col" className="num">
              Outcome known
            </th>
            <th scope="col" className="num">
              SAL
            </th>
            <th scope="col" className="num">
              Opportunity
            </th>
            <th scope="col" className="num">
              Won
            </th>
          </tr>
        </thead>
        <tbody>
          {GROUPS.map(({ key, label, hint }) => {
            const c = conversion[key]
            return (
              <tr key={key}>
                <td>
                  <span className="cell-title">{label}</span>
                  <div className="muted small">{hint}</div>
                </td>
                <td className="num">
                  {formatNumber(c.known)} <span className="muted small">of {formatNumber(c.leads)}</span>
                </td>
                <td className="num">
                  <Rate n={c.sal} of={c.known} />
                </td>
                <td className="num">
                  <Rate n={c.opportunity} of={c.known} />
                </td>
                <td className="num">
                  <Rate n={c.won} of={c.known} />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function ExampleList({
  title,
  tone,
  data,
  people,
}: {
  title: string
  tone: 'good' | 'warn'
  data: Examples
  people: Record<string, string>
}) {
  return (
    <div>
      <h3 className="sub">
        {title}{' '}
        <Badge tone={data.count === 0 ? 'neutral' : tone}>
          {formatNumber(data.count)} lead{data.count === 1 ? '' : 's'}
        </Badge>
        {data.examples.length < data.count && (
          <span className="muted small"> · first {data.examples.length} shown</span>
        )}
      </h3>
      {data.examples.length === 0 ? (
        <p className="muted small">
          {title === 'Lost' ? 'No lead qualified today would be lost.' : 'No lead would newly qualify.'}
        </p>
      ) : (
        <ul className="report-examples-list">
          {data.examples.map((ex) => {
            const email = people[ex.personKey] ?? `person ${ex.personKey}`
            return (
              <li key={ex.personKey}>
                {people[ex.personKey] ? (
                  <Link to={`/leads/${encodeURIComponent(email)}`} className="cell-title">
                    {email}
                  </Link>
                ) : (
                  <span className="cell-title">{email}</span>
                )}
                <ul className="plain small">
                  {ex.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}
