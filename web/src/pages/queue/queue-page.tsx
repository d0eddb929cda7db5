import { useQuery } from '@tanstack/react-query'
import { useRef } from 'react'
import { api } from '../../api.ts'
import { humanize } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { useSearchParam } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { Badge, Card, Page, PageHeader, useTitle } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import { useActiveAgreement } from '../agreement/queries.ts'
import { personName, tierTone } from '../leads/lead-format.ts'
import { QueueLeadPanel } from './queue-lead.tsx'
import { queueKeys, useBrief } from './queue-queries.ts'
import {
  businessCountdown,
  formatBusinessCountdown,
  formatInZone,
  refetchDelay,
  repTimeZone,
  serverNow,
  URGENCY_LABEL,
  URGENCY_RANK,
  type Urgency,
  urgencyOf,
  useNow,
} from './queue-time.ts'
import type { BriefResponse, Queue, QueueLead } from './queue-types.ts'
import './queue.css'

const nameOf = (l: QueueLead) => l.name ?? personName({ first_name: null, last_name: null, email: l.email })

export default function QueuePage(_: PageProps) {
  const session = useSession()
  const own = session.principal.repId
  // A rep reads only its own queue; anyone who may read every lead picks a rep (their own by default, when they are one).
  const picks = session.can('leads:read')
  const [repParam, setRep] = useSearchParam('rep')
  const [leadParam, setLead] = useSearchParam('lead')
  const rep = picks ? repParam || own || '' : (own ?? '')
  const agreement = useActiveAgreement()
  const doc = agreement.data?.document
  const repName = doc?.reps.find((r) => r.id === rep)?.name ?? rep
  const zone = rep ? repTimeZone(doc, rep) : null
  const title = picks && rep !== own ? (rep ? `${repName}’s queue` : 'Queues') : 'My queue'
  useTitle(title)

  const queue = useQuery({
    queryKey: queueKeys.list(rep),
    enabled: rep !== '',
    queryFn: ({ signal }) => api.get<Queue>(`/v1/queue?rep=${encodeURIComponent(rep)}`, signal),
    // Countdowns run on their own between reads; read again once a calendar opened or closed (to learn the next
    // change), and at least every minute.
    refetchInterval: (query) => refetchDelay(query.state.data?.leads ?? [], query.state.dataUpdatedAt, Date.now()),
  })
  const leads = queue.data?.leads ?? []
  const selectedId = Number.parseInt(leadParam, 10) || leads[0]?.lead_id || null
  const canAct = session.can('leads:act_any') || (session.can('leads:act_own') && rep === own)

  const detail = useRef<HTMLDivElement>(null)
  const select = (id: number) => {
    setLead(String(id))
    // On a phone the brief sits below the list: bring it into view, as a tap on a lead expects.
    if (window.matchMedia('(max-width: 900px)').matches)
      requestAnimationFrame(() => detail.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }))
  }

  const picker = picks && (
    <div className="queue-picker">
      <label htmlFor="queue-rep">Rep</label>
      <select id="queue-rep" value={rep} onChange={(e) => setRep(e.target.value === own ? '' : e.target.value)}>
        {!rep && <option value="">Choose a rep…</option>}
        {rep && !doc?.reps.some((r) => r.id === rep) && <option value={rep}>{rep}</option>}
        {(doc?.reps ?? []).map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
            {r.id === own ? ' (you)' : ''}
          </option>
        ))}
      </select>
    </div>
  )

  const header = (
    <PageHeader
      eyebrow="Revenue"
      title={title}
      subtitle={
        <>
          {picks && rep !== own ? 'Their open leads' : 'Your open leads'}, most urgent SLA first.
          {zone && (
            <>
              {' '}
              Times in <strong>{zone.replace(/_/g, ' ')}</strong>, {rep === own ? 'your' : 'the rep’s'} business hours.
            </>
          )}
        </>
      }
      actions={picker}
    />
  )

  if (!rep)
    return (
      <Page ready={agreement.isSuccess} name="queue">
        {header}
        <Card>
          <Empty title="Choose a rep">Pick a rep above to see their open leads, SLA clocks and briefs.</Empty>
        </Card>
      </Page>
    )

  return (
    <Page ready={queue.isSuccess && agreement.isSuccess} name="queue">
      {header}
      {queue.isPending ? (
        <div className="queue-layout">
          <Card>
            <Skeleton rows={6} />
          </Card>
          <Card>
            <Skeleton rows={10} />
          </Card>
        </div>
      ) : queue.isError ? (
        <ErrorState error={queue.error} onRetry={() => queue.refetch()} title="The queue could not be loaded" />
      ) : (
        <div className="queue-layout">
          <QueueList
            leads={leads}
            fetchedAt={queue.dataUpdatedAt}
            zone={zone}
            selectedId={selectedId}
            onSelect={select}
          />
          <div ref={detail} className="queue-detail-anchor">
            {selectedId !== null ? (
              <QueueLeadPanel
                key={selectedId}
                leadId={selectedId}
                row={leads.find((l) => l.lead_id === selectedId) ?? null}
                rep={rep}
                zone={zone}
                canAct={canAct}
                onActed={() => setLead(String(selectedId))}
              />
            ) : (
              <Card className="queue-done">
                <Empty title="Nothing waiting — good work">
                  {rep === own ? 'You have' : `${repName} has`} no open leads. New handoffs appear here the moment they
                  are routed, with their brief and SLA clock.
                </Empty>
              </Card>
            )}
          </div>
        </div>
      )}
    </Page>
  )
}

function QueueList({
  leads,
  fetchedAt,
  zone,
  selectedId,
  onSelect,
}: {
  leads: QueueLead[]
  /** When the queue arrived, on the reader's clock. */
  fetchedAt: number
  zone: string | null
  selectedId: number | null
  onSelect: (id: number) => void
}) {
  const readerNow = useNow(1000)
  const now = serverNow(leads.find((l) => l.as_of !== null)?.as_of ?? null, fetchedAt, readerNow)
  const rows = leads
    .map((l) => ({ lead: l, urgency: urgencyOf({ status: l.sla_status, due_at: l.due_at, warn_at: l.warn_at }, now) }))
    .sort(
      (a, b) =>
        URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] ||
        (a.lead.due_at ? Date.parse(a.lead.due_at) : Number.POSITIVE_INFINITY) -
          (b.lead.due_at ? Date.parse(b.lead.due_at) : Number.POSITIVE_INFINITY) ||
        a.lead.lead_id - b.lead.lead_id,
    )
  const count = (u: Urgency) => rows.filter((r) => r.urgency === u).length
  return (
    <section className="card queue-list-card" aria-labelledby="queue-list-title">
      <div className="card-head">
        <h2 className="card-title" id="queue-list-title">
          Open leads <span className="queue-count">{leads.length}</span>
        </h2>
        <div className="row">
          {count('overdue') > 0 && <Badge tone="bad">{count('overdue')} overdue</Badge>}
          {count('warned') > 0 && <Badge tone="warn">{count('warned')} due soon</Badge>}
        </div>
      </div>
      {leads.length === 0 ? (
        <Empty title="Nothing waiting — good work">New handoffs appear here the moment they are routed.</Empty>
      ) : (
        <>
          <ul className="queue-list">
            {rows.map(({ lead, urgency }) => (
              <li key={lead.lead_id}>
                <QueueItem
                  lead={lead}
                  urgency={urgency}
                  now={now}
                  zone={zone}
                  selected={lead.lead_id === selectedId}
                  onSelect={() => onSelect(lead.lead_id)}
                />
              </li>
            ))}
          </ul>
          <p className="queue-footnote">
            Countdowns are business time in the rep’s calendar: they run only while its hours are open.
          </p>
        </>
      )}
    </section>
  )
}

function QueueItem({
  lead,
  urgency,
  now,
  zone,
  selected,
  onSelect,
}: {
  lead: QueueLead
  urgency: Urgency
  now: number
  zone: string | null
  selected: boolean
  onSelect: () => void
}) {
  const brief = useBrief(lead.lead_id)
  const countdown = businessCountdown({ ...lead, status: lead.sla_status }, now)
  return (
    <button
      type="button"
      className={`queue-item queue-${urgency} ${selected ? 'queue-item-selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      onClick={onSelect}
      data-lead={lead.lead_id}
    >
      <span className="queue-item-top">
        <span className="queue-item-name">{nameOf(lead)}</span>
        {lead.tier && <Badge tone={tierTone(lead.tier)}>{lead.tier}</Badge>}
      </span>
      <span className="queue-item-company">{lead.company ?? lead.email}</span>
      <span className="queue-item-trigger">{brief.data ? triggerOf(brief.data, nameOf(lead)) : '\u00a0'}</span>
      <span className="queue-item-clock">
        <span className={`queue-pill queue-pill-${urgency}`}>{URGENCY_LABEL[urgency]}</span>
        {countdown !== null && urgency !== 'stopped' && (
          <span
            className={`queue-countdown ${countdown.ticking ? '' : 'queue-countdown-still'}`}
            data-testid="countdown"
          >
            {countdown.remainingMs < 0 || urgency === 'overdue'
              ? `${formatBusinessCountdown(countdown.remainingMs)} over`
              : `${formatBusinessCountdown(countdown.remainingMs)} left`}
          </span>
        )}
      </span>
      {urgency === 'paused' && (
        <span className="queue-item-wait" data-testid="countdown-state">
          Paused{lead.pause_reason ? `: ${humanize(lead.pause_reason).toLowerCase()}` : ''}
        </span>
      )}
      {countdown?.opensAt != null && (
        <span className="queue-item-wait" data-testid="countdown-state">
          Calendar closed · counts again {formatInZone(countdown.opensAt, zone)}
        </span>
      )}
      {lead.due_at && <span className="queue-item-due">due {formatInZone(lead.due_at, zone)}</span>}
    </button>
  )
}

/**
 * What the person did, from the brief's headline ("Hot lead: Dana Reyes (CISO, Acme) requested a demo" →
 * "requested a demo"), with the trigger's name; the whole trigger sentence is in the brief.
 */
export function triggerOf(b: BriefResponse, name: string): string {
  const h = b.brief.headline
  const at = h.indexOf(b.brief.facts.person ?? name)
  const did =
    at >= 0
      ? h
          .slice(at + (b.brief.facts.person ?? name).length)
          .replace(/^ \([^)]*\)/, '')
          .trim()
      : ''
  const trigger = b.brief.facts.trigger ?? ''
  return did ? `${did.charAt(0).toUpperCase()}${did.slice(1)} · ${trigger}` : trigger
}
