/**
 * The lead page's SLA clock: the latest clock as My queue shows it (live countdown in the calendar's business time)
 * and every clock of the lead with its history — started, paused, resumed, warned, breached, met, cancelled.
 */
import { useQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'
import { formatBusiness, humanize } from '../../format.ts'
import { Badge, Card } from '../../ui/kit.tsx'
import { ErrorState, Skeleton } from '../../ui/states.tsx'
import { useActiveAgreement } from '../agreement/queries.ts'
import { ClockCard } from '../queue/clock-card.tsx'
import { queueKeys } from '../queue/queue-queries.ts'
import { calendarTimeZone, formatInZone } from '../queue/queue-time.ts'
import type { SlaClock, SlaResponse } from '../queue/queue-types.ts'

const STATUS_TONE = { running: 'accent', paused: 'warn', breached: 'bad', met: 'good', cancelled: 'muted' } as const

export function LeadSla({ leadId }: { leadId: number }) {
  const agreement = useActiveAgreement()
  const sla = useQuery({
    queryKey: queueKeys.sla(leadId),
    queryFn: ({ signal }) => api.get<SlaResponse>(`/v1/leads/${leadId}/sla`, signal),
  })
  if (sla.isPending)
    return (
      <Card title="SLA clock">
        <Skeleton rows={2} />
      </Card>
    )
  if (sla.isError)
    return <ErrorState error={sla.error} onRetry={() => sla.refetch()} title="The SLA clock could not be loaded" />
  const clocks = sla.data.clocks
  const zoneOf = (c: SlaClock) => calendarTimeZone(agreement.data?.document, c.calendar)
  const latest = clocks[0] ?? null
  return (
    <Card title="SLA clock" id="lead-clock">
      <div className="lead-sla">
        <ClockCard clock={latest} fetchedAt={sla.dataUpdatedAt} zone={latest ? zoneOf(latest) : null} touch={null} />
        {clocks.map((c) => (
          <details key={c.id} className="lead-sla-history" open={c === latest}>
            <summary>
              <Badge tone={STATUS_TONE[c.status]}>{c.status}</Badge> {humanize(c.kind)} clock #{c.id} for{' '}
              <span className="mono">{c.rep_id}</span> · target {formatBusiness(c.target_ms)} · started{' '}
              {formatInZone(c.started_at, zoneOf(c))}
            </summary>
            <ol className="lead-sla-events">
              {c.history.map((h, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the history is append-only and never reordered
                <li key={i}>
                  <span className="lead-sla-kind">{humanize(h.kind)}</span>{' '}
                  <span className="muted small">
                    {formatInZone(h.at, zoneOf(c))} · {h.actor}
                  </span>
                  <div className="small">{h.reason}</div>
                  {h.note && <div className="small muted">“{h.note}”</div>}
                </li>
              ))}
            </ol>
          </details>
        ))}
      </div>
    </Card>
  )
}
