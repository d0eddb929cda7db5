/** The selected lead on My queue: its SLA clock, the actions a rep takes, and the handoff brief. */
import { useQuery } from '@tanstack/react-query'
import { type ReactNode, useState } from 'react'
import { ApiError, api } from '../../api.ts'
import { Link } from '../../router.tsx'
import { Badge, Callout, Card } from '../../ui/kit.tsx'
import { ErrorState, Skeleton } from '../../ui/states.tsx'
import { useActiveAgreement } from '../agreement/queries.ts'
import { tierTone } from '../leads/lead-format.ts'
import { ClockCard } from './clock-card.tsx'
import { ClockPauseControl } from './clock-pause.tsx'
import { QueueActions } from './queue-actions.tsx'
import { queueKeys, useBrief } from './queue-queries.ts'
import { calendarTimeZone } from './queue-time.ts'
import type { Brief, DispositionResult, QueueLead, SlaResponse, TouchResult } from './queue-types.ts'

export function QueueLeadPanel({
  leadId,
  row,
  zone: repZone,
  canAct,
  onActed,
}: {
  leadId: number
  /** The lead's queue row; null once it has left the queue (accepted, rejected, recycled, reassigned). */
  row: QueueLead | null
  rep: string
  zone: string | null
  canAct: boolean
  /** Keeps this lead selected (in the URL) once it leaves the queue, so the outcome stays on screen. */
  onActed: () => void
}) {
  const brief = useBrief(leadId)
  const sla = useQuery({
    queryKey: queueKeys.sla(leadId),
    queryFn: ({ signal }) => api.get<SlaResponse>(`/v1/leads/${leadId}/sla`, signal),
  })
  const agreement = useActiveAgreement()
  const [touch, setTouch] = useState<TouchResult | null>(null)
  const [done, setDone] = useState<DispositionResult | null>(null)
  const clock = sla.data?.clocks[0] ?? null
  const zone = (clock && calendarTimeZone(agreement.data?.document, clock.calendar)) ?? repZone

  if (brief.isError && brief.error instanceof ApiError && brief.error.status === 404)
    return (
      <Card>
        <ErrorState error={brief.error} title="This lead is not in the queue" />
      </Card>
    )
  const b = brief.data?.brief
  const touched = touch !== null || clock?.status === 'met'
  return (
    <div className="queue-detail" data-testid="queue-detail" aria-live="polite" aria-busy={brief.isPending}>
      <section className="card queue-lead-head" aria-labelledby="queue-lead-title">
        <div className="queue-lead-head-row">
          <div className="queue-lead-head-text">
            <h2 id="queue-lead-title">
              {b ? (b.facts.person ?? b.who) : (row?.name ?? row?.email ?? `Lead ${leadId}`)}
            </h2>
            <div className="queue-lead-sub">{b ? b.who.replace(/^[^—]*— /, '') : (row?.company ?? '')}</div>
          </div>
          <div className="row">
            {row?.tier && <Badge tone={tierTone(row.tier)}>{row.tier}</Badge>}
            {done ? (
              <Badge tone={done.outcome === 'accept' ? 'good' : 'muted'}>{done.stage}</Badge>
            ) : (
              row && <Badge tone="accent">{row.stage}</Badge>
            )}
            <Link to={`/leads/${leadId}`} className="btn btn-small btn-ghost">
              Lead page →
            </Link>
          </div>
        </div>
        {b && <p className="queue-headline">{b.headline}</p>}
      </section>

      {sla.isPending ? (
        <Card>
          <Skeleton rows={2} />
        </Card>
      ) : sla.isError ? (
        <ErrorState error={sla.error} onRetry={() => sla.refetch()} title="The SLA clock could not be loaded" />
      ) : (
        <ClockCard clock={clock} fetchedAt={sla.dataUpdatedAt} zone={zone} touch={touch} />
      )}
      {canAct && clock && done === null && (
        <ClockPauseControl leadId={leadId} clock={clock} reasons={agreement.data?.document.sla.pause_when ?? []} />
      )}

      {canAct && (row !== null || done !== null || touch !== null) && (
        <QueueActions
          leadId={leadId}
          touched={touched}
          hasClock={clock !== null}
          done={done}
          onTouched={(r) => {
            setTouch(r)
            onActed()
          }}
          onDone={(r) => {
            setDone(r)
            onActed()
          }}
          dispositions={agreement.data?.document.dispositions ?? null}
        />
      )}
      {row === null && done === null && touch === null && (
        <Callout title="No longer in the queue">
          This lead has been accepted, rejected, recycled or reassigned. Its brief and SLA clock are kept below.
        </Callout>
      )}
      {!canAct && row && (
        <p className="muted small queue-readonly">
          You can read this queue; only the owner or a sales lead acts on it.
        </p>
      )}

      {brief.isPending ? (
        <Card title="Brief">
          <Skeleton rows={8} />
        </Card>
      ) : brief.isError ? (
        <ErrorState error={brief.error} onRetry={() => brief.refetch()} title="The brief could not be loaded" />
      ) : (
        <BriefCard brief={brief.data.brief} />
      )}
    </div>
  )
}

function BriefSection({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={`brief-section ${wide ? 'brief-wide' : ''}`}>
      <h3 className="brief-label">{label}</h3>
      <div className="brief-body">{children}</div>
    </div>
  )
}

function BriefCard({ brief }: { brief: Brief }) {
  const [copied, setCopied] = useState(false)
  const chosen = brief.whyThisRep.at(-1)
  const copy = () => {
    void navigator.clipboard?.writeText(brief.suggestedOpener).then(
      () => setCopied(true),
      () => setCopied(false),
    )
  }
  return (
    <Card title="Handoff brief" id="queue-brief" actions={<span className="muted small">{brief.scores}</span>}>
      <div className="brief">
        <BriefSection label="Suggested opener" wide>
          <div className="brief-opener">
            <p>{brief.suggestedOpener}</p>
            <button type="button" className="btn btn-small" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </BriefSection>
        <BriefSection label="Who">{brief.who}</BriefSection>
        <BriefSection label="Company">{brief.company}</BriefSection>
        <BriefSection label="Trigger" wide>
          {brief.trigger}
        </BriefSection>
        <BriefSection label="Due">{brief.due ?? <span className="muted">no SLA clock</span>}</BriefSection>
        <BriefSection label="ICP matched">
          {brief.icpMatched.length === 0 ? (
            <span className="muted">no fit criterion met</span>
          ) : (
            <span className="chips">
              {brief.icpMatched.map((c) => (
                <Badge key={c} tone="good">
                  {c}
                </Badge>
              ))}
            </span>
          )}
        </BriefSection>
        <BriefSection label="What they did" wide>
          {brief.whatTheyDid.length === 0 ? (
            <span className="muted">no recorded events</span>
          ) : (
            <ol className="brief-timeline">
              {brief.whatTheyDid.map((line) => {
                const [when, what] = line.includes(' — ') ? line.split(/ — (.*)/s) : ['', line]
                return (
                  <li key={line} className="brief-event">
                    {when && <span className="brief-when">{when}</span>}
                    <span>{what}</span>
                  </li>
                )
              })}
            </ol>
          )}
        </BriefSection>
        <BriefSection label="Content engaged">
          {brief.contentEngaged.length === 0 ? (
            <span className="muted">none recorded</span>
          ) : (
            <ul className="plain">
              {brief.contentEngaged.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          )}
        </BriefSection>
        <BriefSection label="Why this rep">
          {chosen ? <p className="brief-why">{chosen}</p> : <span className="muted">no routing trace</span>}
          {brief.whyThisRep.length > 1 && (
            <details className="brief-more">
              <summary>
                {brief.whyThisRep.length - 1} rule{brief.whyThisRep.length === 2 ? '' : 's'} considered before
              </summary>
              <ul className="plain small">
                {brief.whyThisRep.slice(0, -1).map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </details>
          )}
        </BriefSection>
      </div>
    </Card>
  )
}
