import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { api } from '../../api.ts'
import { formatDateTime } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { Link, navigate, useLocation, useSearchParam } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { Badge, Card, Page, PageHeader, useTitle } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import { useActiveAgreement } from '../agreement/queries.ts'
import { formatAgo, formatElapsed, formatScore, personName, stageTone, tierTone } from './lead-format.ts'
import { type LeadList, type LeadRow, STAGES } from './lead-types.ts'
import './leads.css'

const PAGE_SIZE = 25
const FILTERS = ['q', 'stage', 'tier', 'owner', 'source', 'sla', 'needs_data', 'page'] as const

/** The SLA filter: the state of each lead's latest clock (GET /v1/leads?sla=…). */
const SLA_STATES = [
  ['running', 'Clock running'],
  ['breached', 'Breached'],
  ['paused', 'Paused'],
  ['met', 'Met'],
  ['cancelled', 'Cancelled'],
  ['none', 'No clock'],
] as const

/**
 * A text filter that writes to the query string once typing pauses, so the list does not refetch per keystroke
 * and the URL stays shareable. The field follows the URL when it changes from elsewhere (Clear filters, Back).
 */
function useDebouncedParam(name: string, onCommit: () => void): [string, (v: string) => void] {
  const [value, setParam] = useSearchParam(name)
  const [draft, setDraft] = useState(value)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(() => setDraft(value), [value])
  useEffect(() => () => clearTimeout(timer.current ?? undefined), [])
  const change = (v: string) => {
    setDraft(v)
    clearTimeout(timer.current ?? undefined)
    timer.current = setTimeout(() => {
      setParam(v.trim())
      onCommit()
    }, 300)
  }
  return [draft, change]
}

function useRepNames(): Map<string, string> {
  const agreement = useActiveAgreement()
  return new Map((agreement.data?.document.reps ?? []).map((r) => [r.id, r.name]))
}

export default function LeadsPage(_: PageProps) {
  const session = useSession()
  const mine = !session.can('leads:read')
  const title = mine ? 'My leads' : 'Leads'
  useTitle(title)
  const { search } = useLocation()
  const agreement = useActiveAgreement()
  const repNames = useRepNames()
  const [owner] = useSearchParam('owner')
  const [needsData, setNeedsData] = useSearchParam('needs_data')
  const [pageParam, setPage] = useSearchParam('page', '1')
  const resetPage = () => setPage('1')
  const [q, setQ] = useDebouncedParam('q', resetPage)
  const [source, setSource] = useDebouncedParam('source', resetPage)
  const page = Math.max(1, Number.parseInt(pageParam, 10) || 1)

  const query = new URLSearchParams()
  for (const key of ['stage', 'tier', 'owner', 'source', 'sla', 'q'] as const) {
    const v = search.get(key)
    if (v) query.set(key, v)
  }
  if (needsData === 'true') query.set('needs_data', 'true')
  query.set('limit', String(PAGE_SIZE))
  query.set('offset', String((page - 1) * PAGE_SIZE))
  const leads = useQuery({
    queryKey: ['leads', 'list', query.toString()],
    queryFn: ({ signal }) => api.get<LeadList>(`/v1/leads?${query}`, signal),
    placeholderData: keepPreviousData,
  })

  const filtered = FILTERS.some((f) => f !== 'page' && search.get(f))
  const clear = () => {
    const url = new URL(window.location.href)
    for (const f of FILTERS) url.searchParams.delete(f)
    navigate(url.pathname + url.search, { replace: true })
  }
  const tiers = agreement.data?.document.tiers.map((t) => t.name) ?? ['hot', 'warm', 'nurture']
  const reps = agreement.data?.document.reps ?? []
  const data = leads.data
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1
  const now = Date.now()

  return (
    <Page ready={leads.isSuccess && !leads.isPlaceholderData} name="leads">
      <PageHeader
        eyebrow="Revenue"
        title={title}
        subtitle={
          mine
            ? 'Leads routed to you, newest stage change first. Open one to read why it qualified.'
            : 'Every lead with its stage, tier and scores, newest stage change first. Open one to read why it moved.'
        }
      />
      <form className="lead-filters" aria-label="Filter leads" onSubmit={(e) => e.preventDefault()}>
        <div className="lead-filter lead-filter-q">
          <label htmlFor="lead-q">Search</label>
          <input
            id="lead-q"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Email, company or domain"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <FilterSelect
          param="stage"
          label="Stage"
          any="All stages"
          options={STAGES.map((st) => [st, st])}
          onPick={resetPage}
        />
        <FilterSelect param="tier" label="Tier" any="All tiers" options={tiers.map((t) => [t, t])} onPick={resetPage} />
        {!mine && (
          <FilterSelect
            param="owner"
            label="Owner"
            any="Any owner"
            // An owner from a shared URL who is no longer among the Agreement's reps stays selectable.
            options={[
              ...(owner && !reps.some((r) => r.id === owner) ? [[owner, owner] as const] : []),
              ...reps.map((r) => [r.id, r.name] as const),
            ]}
            onPick={resetPage}
          />
        )}
        <div className="lead-filter">
          <label htmlFor="lead-source">Source</label>
          <input
            id="lead-source"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            placeholder="google, linkedin…"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <FilterSelect param="sla" label="SLA" any="Any SLA state" options={SLA_STATES} onPick={resetPage} />
        <div className="lead-filter lead-filter-check">
          <input
            id="lead-needs-data"
            type="checkbox"
            checked={needsData === 'true'}
            onChange={(e) => {
              setNeedsData(e.target.checked ? 'true' : '')
              resetPage()
            }}
          />
          <label htmlFor="lead-needs-data">Needs data only</label>
        </div>
        {filtered && (
          <button type="button" className="btn btn-ghost btn-small lead-clear" onClick={clear}>
            Clear filters
          </button>
        )}
      </form>
      <Card>
        {leads.isPending ? (
          <Skeleton rows={8} />
        ) : leads.isError ? (
          <ErrorState error={leads.error} onRetry={() => leads.refetch()} title="The leads could not be loaded" />
        ) : data!.leads.length === 0 ? (
          filtered ? (
            <Empty
              title="No leads match these filters"
              action={
                <button type="button" className="btn" onClick={clear}>
                  Clear filters
                </button>
              }
            >
              Widen the search or pick another stage or tier.
            </Empty>
          ) : mine ? (
            <Empty title="No leads are assigned to you yet">
              Qualified leads routed to you appear here with their brief and reasons.
            </Empty>
          ) : (
            <Empty title="No leads yet">
              Leads appear as events arrive through the API, a webhook or a CSV import, once an Agreement is signed.
            </Empty>
          )
        ) : (
          <div className={leads.isPlaceholderData ? 'lead-list-stale' : undefined} aria-busy={leads.isFetching}>
            <div className="table-wrap lead-table">
              <table className="table table-rows">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Company</th>
                    <th scope="col">Stage</th>
                    <th scope="col">Tier</th>
                    <th scope="col" className="num">
                      Fit
                    </th>
                    <th scope="col" className="num">
                      Intent
                    </th>
                    <th scope="col">Source</th>
                    <th scope="col">Owner</th>
                    <th scope="col">SLA</th>
                    <th scope="col">Last activity</th>
                  </tr>
                </thead>
                <tbody>
                  {data!.leads.map((l) => (
                    <LeadTableRow key={l.id} lead={l} now={now} owner={ownerName(l, repNames)} />
                  ))}
                </tbody>
              </table>
            </div>
            <ul className="lead-cards" aria-label={title}>
              {data!.leads.map((l) => (
                <LeadCard key={l.id} lead={l} now={now} owner={ownerName(l, repNames)} />
              ))}
            </ul>
            <nav className="lead-pager" aria-label="Pages">
              <span className="muted small" aria-live="polite">
                {data!.total.toLocaleString('en-US')} lead{data!.total === 1 ? '' : 's'} · showing{' '}
                {(data!.offset + 1).toLocaleString('en-US')}–
                {(data!.offset + data!.leads.length).toLocaleString('en-US')}
              </span>
              {pages > 1 && (
                <span className="row">
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={page <= 1}
                    onClick={() => setPage(String(page - 1))}
                  >
                    ← Previous
                  </button>
                  <span className="small">
                    Page {page} of {pages}
                  </span>
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={page >= pages}
                    onClick={() => setPage(String(page + 1))}
                  >
                    Next →
                  </button>
                </span>
              )}
            </nav>
          </div>
        )}
      </Card>
    </Page>
  )
}

/** A filter kept in the query string (`?stage=MQL`): picking a value writes it and goes back to the first page. */
function FilterSelect({
  param,
  label,
  any,
  options,
  onPick,
}: {
  param: string
  label: string
  /** The label of the empty choice, which removes the filter. */
  any: string
  options: readonly (readonly [value: string, label: string])[]
  onPick: () => void
}) {
  const [value, setValue] = useSearchParam(param)
  return (
    <div className="lead-filter">
      <label htmlFor={`lead-${param}`}>{label}</label>
      <select
        id={`lead-${param}`}
        value={value}
        onChange={(e) => {
          setValue(e.target.value)
          onPick()
        }}
      >
        <option value="">{any}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  )
}

function ownerName(l: LeadRow, reps: Map<string, string>): string | null {
  return l.owner_rep_id ? (reps.get(l.owner_rep_id) ?? l.owner_rep_id) : null
}

function StageCell({ lead, now }: { lead: LeadRow; now: number }) {
  return (
    <>
      <Badge tone={stageTone(lead.stage)}>{lead.stage}</Badge>
      <div className="muted small" title={formatDateTime(lead.stage_entered_at)}>
        for {formatAgo(lead.stage_entered_at, now).replace(/ ago$/, '')}
      </div>
    </>
  )
}

function TierBadge({ tier }: { tier: string | null }) {
  return tier ? <Badge tone={tierTone(tier)}>{tier}</Badge> : <span className="muted">—</span>
}

function LeadTableRow({ lead, now, owner }: { lead: LeadRow; now: number; owner: string | null }) {
  const to = `/leads/${lead.id}`
  return (
    <tr className="clickable" onClick={() => navigate(to)}>
      <td className="lead-person">
        <Link to={to} className="cell-title">
          {personName(lead)}
        </Link>
        {personName(lead) !== lead.email && <div className="muted small lead-email">{lead.email}</div>}
        {lead.title && <div className="small lead-title">{lead.title}</div>}
      </td>
      <td>{lead.account_name ?? lead.domain ?? <span className="muted">—</span>}</td>
      <td>
        <StageCell lead={lead} now={now} />
        {lead.needs_data.length > 0 && (
          <div className="lead-needs">
            <Badge tone="warn">needs data</Badge>
          </div>
        )}
      </td>
      <td>
        <TierBadge tier={lead.tier} />
      </td>
      <td className="num">
        <ScoreValue value={lead.fit} />
      </td>
      <td className="num">
        <ScoreValue value={lead.intent} />
      </td>
      <td className="small">
        {lead.source ?? <span className="muted">—</span>}
        {lead.campaign && <div className="muted lead-campaign">{lead.campaign}</div>}
      </td>
      <td className="small">{owner ?? <span className="muted">unassigned</span>}</td>
      <td className="small">
        <SlaCell lead={lead} now={now} />
      </td>
      <td className="small" title={lead.last_event_at ? formatDateTime(lead.last_event_at) : undefined}>
        {formatAgo(lead.last_event_at, now)}
      </td>
    </tr>
  )
}

const SLA_TONE = { running: 'accent', paused: 'warn', breached: 'bad', met: 'good', cancelled: 'muted' } as const

/** The latest clock: its state and, while it runs, when it is due ("due in 2 h" / "due 3 h ago"). */
function SlaCell({ lead, now }: { lead: LeadRow; now: number }) {
  if (!lead.sla_status) return <span className="muted">—</span>
  const due = lead.sla_due_at ? Date.parse(lead.sla_due_at) : null
  const open = lead.sla_status === 'running' || lead.sla_status === 'breached'
  return (
    <span className="lead-sla-cell" title={lead.sla_due_at ? `due ${formatDateTime(lead.sla_due_at)}` : undefined}>
      <Badge tone={SLA_TONE[lead.sla_status]}>{lead.sla_status}</Badge>
      {open && due !== null && (
        <span className="muted">
          {' '}
          {due > now ? `due in ${formatElapsed(due - now)}` : `due ${formatAgo(due, now)}`}
        </span>
      )}
    </span>
  )
}

function ScoreValue({ value }: { value: number }) {
  return <span className="lead-score">{formatScore(value)}</span>
}

function LeadCard({ lead, now, owner }: { lead: LeadRow; now: number; owner: string | null }) {
  return (
    <li>
      <Link to={`/leads/${lead.id}`} className="lead-card">
        <div className="lead-card-top">
          <span className="cell-title">{personName(lead)}</span>
          <TierBadge tier={lead.tier} />
        </div>
        <div className="small lead-card-sub">
          {[lead.title, lead.account_name ?? lead.domain].filter(Boolean).join(' · ') || lead.email}
        </div>
        <div className="lead-card-meta">
          <Badge tone={stageTone(lead.stage)}>{lead.stage}</Badge>
          <span className="muted small">for {formatAgo(lead.stage_entered_at, now).replace(/ ago$/, '')}</span>
          {lead.needs_data.length > 0 && <Badge tone="warn">needs data</Badge>}
        </div>
        <div className="lead-card-figures small">
          <span>
            Fit <strong>{formatScore(lead.fit)}</strong>
          </span>
          <span>
            Intent <strong>{formatScore(lead.intent)}</strong>
          </span>
          <span className="muted">{lead.source ?? 'no source'}</span>
          <span className="muted">{owner ?? 'unassigned'}</span>
          {lead.sla_status && (
            <span>
              <SlaCell lead={lead} now={now} />
            </span>
          )}
        </div>
      </Link>
    </li>
  )
}
