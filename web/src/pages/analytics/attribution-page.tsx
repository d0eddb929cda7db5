/**
 * Attribution (GET /v1/attribution): credit by channel or campaign under the model the Agreement locked for the
 * period, other models side by side and labelled as alternatives (never in its place), and sourced versus
 * influenced pipeline from the same touch ledger. Period, credit level and the alternatives shown live in the query
 * string (`?period=2026-Q4&by=campaign&models=first,last,markov`).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { api } from '../../api.ts'
import { formatNumber, shortHash } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { Link, useSearchParam } from '../../router.tsx'
import { Chart } from '../../ui/chart.tsx'
import { Badge, Card, Code, Page, PageHeader, Stat, useTitle } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import { DASH, MODEL_LABELS, modelLabel, money, num } from './analytics-format.ts'
import type { Attribution, AttributionResult, PipelineCredit } from './analytics-types.ts'
import { Convention, FilterBar, ParamSelect, PeriodPicker, usePeriodParam } from './analytics-ui.tsx'
import { describePeriod } from './period.ts'
import './analytics.css'

/** Models a reader may put beside the locked one (`custom` needs the Agreement's own weights, so it is not offered). */
const ALTERNATIVES = ['first', 'last', 'linear', 'time_decay', 'u_shaped', 'w_shaped', 'full_path', 'markov'] as const
const DEFAULT_MODELS = 'first,last,linear'
const TOP = 12

const conversions = (n: number) => (Math.round(n * 100) / 100).toLocaleString('en-US')

export default function AttributionPage(_: PageProps) {
  useTitle('Attribution')
  const [period] = usePeriodParam()
  const [by] = useSearchParam('by', 'channel')
  const [models, setModels] = useSearchParam('models', DEFAULT_MODELS)
  // 'none' keeps "no alternatives" in the URL (an empty parameter would fall back to the default ones).
  const chosen = models === 'none' ? [] : models.split(',').filter(Boolean)
  const q = new URLSearchParams({ by, model: chosen.join(',') })
  if (period) q.set('period', period)
  const attribution = useQuery({
    queryKey: ['attribution', q.toString()],
    queryFn: ({ signal }) => api.get<Attribution>(`/v1/attribution?${q}`, signal),
    placeholderData: keepPreviousData,
  })
  const data = attribution.data
  const lockedModel = data?.locked.model
  const toggle = (m: string, on: boolean) => {
    const next = ALTERNATIVES.filter((x) => (x === m ? on : chosen.includes(x)))
    setModels(next.length === 0 ? 'none' : next.join(','))
  }
  return (
    <Page ready={attribution.isSuccess && !attribution.isPlaceholderData} name="attribution">
      <PageHeader
        eyebrow="Revenue"
        title="Attribution"
        subtitle={
          data
            ? `${describePeriod(data.period.label)}: ${num(data.journeys.opportunities)} opportunities opened, ${num(data.journeys.touches)} touches within the ${num(data.lookbackDays)}-day lookback.`
            : 'Which channels and campaigns earned the pipeline, under the model both owners signed before the period began.'
        }
      />
      <FilterBar label="Attribution period and models">
        <PeriodPicker />
        <ParamSelect
          name="by"
          label="Credit by"
          fallback="channel"
          options={[
            { value: 'channel', label: 'Channel' },
            { value: 'campaign', label: 'Campaign' },
          ]}
        />
        <fieldset className="model-picker">
          <legend>Alternatives beside the locked model</legend>
          {ALTERNATIVES.map((m) => (
            <label key={m}>
              <input
                type="checkbox"
                checked={m === lockedModel || chosen.includes(m)}
                disabled={m === lockedModel}
                onChange={(e) => toggle(m, e.target.checked)}
              />
              {MODEL_LABELS[m]}
              {m === lockedModel && <span className="muted small"> (locked)</span>}
            </label>
          ))}
        </fieldset>
      </FilterBar>
      {attribution.isPending ? (
        <Card>
          <Skeleton rows={8} />
        </Card>
      ) : attribution.isError ? (
        <Card>
          <ErrorState
            error={attribution.error}
            onRetry={() => attribution.refetch()}
            title="Attribution could not be computed"
          />
        </Card>
      ) : (
        <div
          className={`analytics-body ${attribution.isPlaceholderData ? 'analytics-stale' : ''}`}
          aria-busy={attribution.isFetching}
        >
          <AttributionView data={data!} by={by} />
        </div>
      )}
    </Page>
  )
}

function AttributionView({ data, by }: { data: Attribution; by: string }) {
  if (data.journeys.opportunities === 0)
    return (
      <Card>
        <Empty title={`No opportunities opened in ${describePeriod(data.period.label)}`}>
          Attribution credits the opportunities opened in the period with the touches on their accounts. Import
          opportunities from the CRM (or pick another period) to see it.
        </Empty>
      </Card>
    )
  return (
    <>
      <LockedModel data={data} by={by} />
      <Alternatives data={data} by={by} />
      <SourcedInfluenced data={data} />
    </>
  )
}

function LockedModel({ data, by }: { data: Attribution; by: string }) {
  const { locked } = data
  const r = locked.result
  const top = useMemo(() => r.channels.slice(0, TOP), [r])
  const chart = useMemo(
    () => ({
      categories: top.map((c) => c.channel),
      series: [{ name: 'Credited value', data: top.map((c) => c.value), color: '#3b5bdb' }],
    }),
    [top],
  )
  return (
    <Card
      title={`Credit under the locked model: ${modelLabel(locked.model)}`}
      id="locked-model"
      actions={
        locked.locked ? (
          <Badge tone="good">locked from {locked.lockedFrom}</Badge>
        ) : (
          <Badge tone="warn">not locked</Badge>
        )
      }
    >
      <div data-testid="locked-model">
        <p className="muted small">
          {locked.reason}
          {locked.agreement && (
            <>
              {' '}
              · Agreement{' '}
              <Link to={`/agreement/versions/${locked.agreement.versionId}`}>
                <Code>{shortHash(locked.agreement.hash)}</Code>
              </Link>
            </>
          )}
        </p>
        <div className="stats">
          <Stat
            label="Won value"
            value={money(r.totalValue)}
            hint={
              r.unattributed.value > 0 ? `${money(r.unattributed.value)} without a touch to credit` : 'all credited'
            }
          />
          <Stat label="Won deals" value={conversions(r.totalConversions)} />
          <Stat label="Journeys" value={num(r.journeyCount)} hint={`${num(r.pathCount)} distinct paths`} />
          <Stat label="Without any touch" value={num(r.unattributed.journeys)} hint="journeys (opportunities)" />
        </div>
        {r.totalConversions === 0 ? (
          <p className="note">
            No opportunity opened in this period has been won yet, so there is no credit to share. Sourced and
            influenced pipeline below counts every opportunity.
          </p>
        ) : (
          <>
            <h3 className="sub">Won value by {by}</h3>
            <Chart
              label={`Credited value by ${by} under ${modelLabel(locked.model)}: ${top
                .map((c) => `${c.channel} ${money(c.value)}`)
                .join(', ')}`}
              categories={chart.categories}
              series={chart.series}
              horizontal
              format="money"
              height={Math.max(180, top.length * 30)}
            />
            <CreditTable result={r} by={by} />
          </>
        )}
      </div>
    </Card>
  )
}

function CreditTable({ result, by }: { result: AttributionResult; by: string }) {
  const [all, setAll] = useState(false)
  const rows = all ? result.channels : result.channels.slice(0, TOP)
  return (
    <>
      <div className="table-wrap">
        <table className="table table-compact" data-testid="locked-table">
          <thead>
            <tr>
              <th scope="col">{by === 'campaign' ? 'Channel / campaign' : 'Channel'}</th>
              <th scope="col" className="num">
                Won deals credited
              </th>
              <th scope="col" className="num">
                Won value credited
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.channel}>
                <th scope="row" className="key-cell">
                  {c.channel}
                </th>
                <td className="num">{conversions(c.conversions)}</td>
                <td className="num">{money(c.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.channels.length > TOP && (
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setAll((a) => !a)}>
          {all ? `Show the top ${TOP}` : `Show all ${result.channels.length}`}
        </button>
      )}
    </>
  )
}

function Alternatives({ data, by }: { data: Attribution; by: string }) {
  const [all, setAll] = useState(false)
  const models = [{ model: data.locked.model, locked: true, result: data.locked.result }].concat(
    data.alternatives.map((a) => ({ model: a.model, locked: false, result: a.result })),
  )
  const channels = data.locked.result.channels.map((c) => c.channel)
  for (const a of data.alternatives)
    for (const c of a.result.channels) if (!channels.includes(c.channel)) channels.push(c.channel)
  const shown = all ? channels : channels.slice(0, TOP)
  return (
    <Card title="Alternatives, side by side" id="alternatives">
      <p className="muted small">
        The locked model is the one both owners signed for this period; the others are computed on the same journeys for
        comparison only and never replace it.
      </p>
      {data.alternatives.length === 0 ? (
        <Empty title="No alternative chosen">Tick a model above to put it beside the locked one.</Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-compact" data-testid="alternatives">
              <thead>
                <tr>
                  <th scope="col">{by === 'campaign' ? 'Channel / campaign' : 'Channel'}</th>
                  {models.map((m) => (
                    <th key={m.model} scope="col" className={`num ${m.locked ? 'col-locked' : ''}`}>
                      {modelLabel(m.model)}
                      <div>
                        <Badge tone={m.locked ? 'good' : 'muted'}>{m.locked ? 'locked' : 'alternative'}</Badge>
                      </div>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shown.map((ch) => (
                  <tr key={ch}>
                    <th scope="row" className="key-cell">
                      {ch}
                    </th>
                    {models.map((m) => {
                      const c = m.result.channels.find((x) => x.channel === ch)
                      return (
                        <td key={m.model} className={`num ${m.locked ? 'col-locked num-strong' : ''}`}>
                          {c ? money(c.value) : DASH}
                          {c && <div className="muted small">{conversions(c.conversions)} deals</div>}
                        </td>
                      )
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {channels.length > TOP && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setAll((a) => !a)}>
              {all ? `Show the top ${TOP}` : `Show all ${channels.length}`}
            </button>
          )}
        </>
      )}
    </Card>
  )
}

function SourcedInfluenced({ data }: { data: Attribution }) {
  const [all, setAll] = useState(false)
  const p = data.pipeline
  const top = useMemo(() => p.byChannel.slice(0, TOP), [p])
  const chart = useMemo(
    () => ({
      categories: top.map((c) => c.channel),
      series: [
        { name: 'Sourced', data: top.map((c) => c.sourcedPipeline), color: '#3b5bdb' },
        { name: 'Influenced', data: top.map((c) => c.influencedPipeline), color: '#98a2b3' },
      ],
    }),
    [top],
  )
  const campaigns = all ? p.byCampaign : p.byCampaign.slice(0, TOP)
  return (
    <Card title="Sourced and influenced pipeline" id="sourced-influenced">
      <div data-testid="sourced-influenced">
        <Chart
          label={`Sourced and influenced pipeline by channel: ${top
            .map((c) => `${c.channel} sourced ${money(c.sourcedPipeline)}, influenced ${money(c.influencedPipeline)}`)
            .join('; ')}`}
          categories={chart.categories}
          series={chart.series}
          horizontal
          format="money"
          height={Math.max(200, top.length * 44 + 40)}
        />
        <PipelineTable rows={p.byChannel} label="Channel" testId="pipeline-by-channel" />
        {p.untouched.count > 0 && (
          <p className="note small">
            {num(p.untouched.count)} opportunit{p.untouched.count === 1 ? 'y' : 'ies'} worth{' '}
            {money(p.untouched.pipeline)} had no touch within the lookback: neither sourced nor influenced by marketing.
          </p>
        )}
        <h3 className="sub">By campaign</h3>
        <PipelineTable rows={campaigns} label="Channel / campaign" testId="pipeline-by-campaign" />
        {p.byCampaign.length > TOP && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setAll((a) => !a)}>
            {all ? `Show the top ${TOP}` : `Show all ${formatNumber(p.byCampaign.length)}`}
          </button>
        )}
        <Convention>
          Sourced: the earliest touch on the opportunity’s account within the {num(data.lookbackDays)} days before it
          was created gets the whole amount, so sourced pipeline adds up to the touched pipeline. Influenced: every
          channel (or campaign) with any touch in that window gets the whole amount once, so influenced pipeline
          deliberately counts an opportunity under each channel that touched it.
        </Convention>
      </div>
    </Card>
  )
}

function PipelineTable({ rows, label, testId }: { rows: PipelineCredit[]; label: string; testId: string }) {
  if (rows.length === 0) return <p className="muted">No touches within the lookback of any opportunity.</p>
  return (
    <div className="table-wrap">
      <table className="table table-compact" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col" className="num">
              Sourced
            </th>
            <th scope="col" className="num">
              Influenced
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.channel}/${r.campaign}`}>
              <th scope="row" className="key-cell">
                {r.campaign ? `${r.channel} / ${r.campaign}` : r.channel}
              </th>
              <td className="num">
                {money(r.sourcedPipeline)}
                <div className="muted small">{num(r.sourcedCount)} opps</div>
              </td>
              <td className="num">
                {money(r.influencedPipeline)}
                <div className="muted small">{num(r.influencedCount)} opps</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
