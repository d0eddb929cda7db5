/**
 * A lead's SLA clock as a rep reads it: a live countdown in business time while it runs, why it stands still while
 * paused, and how it stopped (met, met late, cancelled). Used by My queue and the lead page.
 */
import { formatBusiness, humanize } from '../../format.ts'
import {
  businessCountdown,
  formatBusinessCountdown,
  formatInZone,
  formatTimeInZone,
  readMetReason,
  serverNow,
  URGENCY_LABEL,
  urgencyOf,
  useNow,
} from './queue-time.ts'
import type { SlaClock, TouchResult } from './queue-types.ts'
import './clock-card.css'

export function ClockCard({
  clock,
  fetchedAt,
  zone,
  touch,
}: {
  clock: SlaClock | null
  /** When the clock arrived, on the reader's clock. */
  fetchedAt: number
  zone: string | null
  touch: TouchResult | null
}) {
  const readerNow = useNow(1000)
  const now = serverNow(clock?.as_of ?? null, fetchedAt, readerNow)
  if (!clock)
    return (
      <div className="queue-clock queue-clock-none" data-testid="sla-clock">
        <div className="queue-clock-label">SLA clock</div>
        <div className="queue-clock-main">No SLA clock</div>
        <div className="queue-clock-meta">This lead’s tier has no first-touch target.</div>
      </div>
    )
  const target = formatBusiness(clock.target_ms)
  if (clock.status === 'met') {
    const met = clock.met_at ? formatTimeInZone(clock.met_at, zone) : ''
    // The touch's answer in this session, else the same sentence from the clock's history after a reload.
    const reason =
      (touch?.clock?.id === clock.id ? touch.clock.reason : null) ??
      clock.history.findLast((h) => h.kind === 'met')?.reason ??
      null
    const read = reason ? readMetReason(reason) : null
    return (
      <div className={`queue-clock ${clock.late ? 'queue-clock-late' : 'queue-clock-met'}`} data-testid="sla-clock">
        <div className="queue-clock-label">SLA clock stopped</div>
        <div className="queue-clock-main">
          <span className="queue-clock-check" aria-hidden="true">
            {clock.late ? '!' : '✓'}
          </span>
          {clock.late ? 'Met late' : 'Met'} at {met}
          {read && (
            <span className="queue-clock-used">
              {' '}
              — {read.used} of {read.target}
            </span>
          )}
        </div>
        <div className="queue-clock-meta">
          {read
            ? `First touch ${clock.met_at ? formatInZone(clock.met_at, zone) : ''}; due ${clock.due_at ? formatInZone(clock.due_at, zone) : '—'}.`
            : reason
              ? reason
              : clock.late
                ? `Due ${clock.due_at ? formatInZone(clock.due_at, zone) : '—'}; target ${target}.`
                : `Within the ${target} target (due ${clock.due_at ? formatInZone(clock.due_at, zone) : '—'}).`}
        </div>
      </div>
    )
  }
  if (clock.status === 'cancelled')
    return (
      <div className="queue-clock queue-clock-none" data-testid="sla-clock">
        <div className="queue-clock-label">SLA clock stopped</div>
        <div className="queue-clock-main">
          Stopped at {clock.cancelled_at ? formatTimeInZone(clock.cancelled_at, zone) : '—'}
        </div>
        <div className="queue-clock-meta">
          The lead left the queue without a first touch
          {clock.breached_at ? `, after breaching at ${formatInZone(clock.breached_at, zone)}` : ''}.
        </div>
      </div>
    )
  if (clock.status === 'paused') {
    const pause = clock.history.findLast((h) => h.kind === 'paused')
    const left = clock.remaining_business_ms
    return (
      <div className="queue-clock queue-clock-none" data-testid="sla-clock">
        <div className="queue-clock-label">SLA clock paused</div>
        <div className="queue-clock-main">
          Paused{pause?.reason_code ? ` — ${humanize(pause.reason_code).toLowerCase()}` : ''}
        </div>
        <div className="queue-clock-meta">
          {pause && (
            <>
              Since {formatInZone(pause.at, zone)} by {pause.actor}
              {pause.note ? `: “${pause.note}”` : ''}.{' '}
            </>
          )}
          {left !== null && `${formatBusinessCountdown(left)} of the ${target} target left when it resumes.`}
        </div>
      </div>
    )
  }
  const urgency = urgencyOf(clock, now)
  const countdown = businessCountdown(clock, now)
  return (
    <div className={`queue-clock queue-clock-${urgency}`} data-testid="sla-clock">
      <div className="queue-clock-label">
        First touch due · <span className="queue-clock-state">{URGENCY_LABEL[urgency]}</span>
      </div>
      <div className="queue-clock-main">
        {clock.due_at === null || countdown === null ? (
          'Never due: the calendar has no open time'
        ) : (
          <>
            <span className="queue-clock-figure" data-testid="clock-countdown">
              {formatBusinessCountdown(countdown.remainingMs)}
            </span>{' '}
            <span className="queue-clock-unit">
              {urgency === 'overdue' || countdown.remainingMs < 0 ? 'overdue' : 'left'}
            </span>
          </>
        )}
      </div>
      <div className="queue-clock-meta">
        {clock.due_at && (
          <>
            Due <strong>{formatInZone(clock.due_at, zone)}</strong> · target {target} in calendar{' '}
            <span className="mono">{clock.calendar}</span>
            {clock.warn_at && urgency === 'on_track' && <> · warning at {formatTimeInZone(clock.warn_at, zone)}</>}
          </>
        )}
        <div className="queue-clock-note">
          {countdown?.opensAt != null
            ? `Calendar closed: the clock stands still until ${formatInZone(countdown.opensAt, zone)}. `
            : ''}
          Business time in the rep’s calendar: it counts only while the calendar is open.
        </div>
      </div>
    </div>
  )
}
