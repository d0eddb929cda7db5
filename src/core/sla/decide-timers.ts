// Which SLA timer events are due, and applying one. A poller calls decideTimers with `now`, applies each due
// event with applyTimerEvent (and writes the outbox rows) in one transaction, then sleeps until `next`.

import { addBusinessTime, type Calendar, formatBusinessDuration } from '../calendar/index.ts'
import { minuteIn } from './describe-clock.ts'
import type {
  EscalationAction,
  EscalationStep,
  SlaClock,
  SlaClockChange,
  SlaTimerDecision,
  SlaTimerEvent,
} from './sla-clock-types.ts'

function describeAction(action: EscalationAction): string {
  switch (action.kind) {
    case 'notify':
      return `notify ${action.who}`
    case 'reassign':
      return `reassign to ${action.to}`
  }
}

/**
 * Timer events of a clock: the warning at warnAt, the breach at dueAt, and each escalation step at
 * breach + its offset in business time. Only running and breached clocks have timers. A warning overtaken by
 * the breach (dueAt <= now) is dropped rather than sent late. Steps must have afterBreachMs >= 0.
 * @example decideTimers(clock, [{ afterBreachMs: 0, action: { kind: 'notify', who: 'manager' } }], now, newYork).due
 */
export function decideTimers(
  clock: SlaClock,
  steps: readonly EscalationStep[],
  now: number,
  calendar: Calendar,
): SlaTimerDecision {
  if (clock.state !== 'running' && clock.state !== 'breached') {
    return { due: [], next: null, reason: `no timers: the clock is ${clock.state}` }
  }
  const fired = new Set(clock.firedTimers)
  const events: SlaTimerEvent[] = []
  const dueAt = clock.dueAt!
  if (clock.state === 'running') {
    if (clock.warnAt !== null && !fired.has('warn') && clock.warnAt < dueAt && dueAt > now) {
      const percent = Math.round((clock.warnAtFraction ?? 0) * 100)
      events.push({
        kind: 'warn',
        key: 'warn',
        at: clock.warnAt,
        reason: `warn at ${minuteIn(calendar, clock.warnAt)}: ${percent}% of ${formatBusinessDuration(clock.targetMs)} used; ${clock.dueReason}`,
      })
    }
    if (Number.isFinite(dueAt)) {
      events.push({
        kind: 'breach',
        key: 'breach',
        at: dueAt,
        reason: `breach at ${minuteIn(calendar, dueAt)}: no first touch; ${clock.dueReason}`,
      })
    }
  }
  const breachAt = clock.breachedAt ?? dueAt
  if (Number.isFinite(breachAt)) {
    steps.forEach((step, index) => {
      const key = `escalation:${index}` as const
      if (fired.has(key)) return
      const at = addBusinessTime(breachAt, step.afterBreachMs, calendar)
      if (!Number.isFinite(at)) return
      const offset = step.afterBreachMs === 0 ? 'breach' : `breach + ${formatBusinessDuration(step.afterBreachMs)}`
      events.push({
        kind: 'escalate',
        key,
        step: index,
        action: step.action,
        at,
        reason: `escalate at ${minuteIn(calendar, at)} (${offset}, breach ${minuteIn(calendar, breachAt)}): ${describeAction(step.action)}`,
      })
    })
  }
  // Stable by time; at equal times warn < breach < escalations in list order (the push order).
  const ordered = events
    .map((event, order) => ({ event, order }))
    .sort((a, b) => a.event.at - b.event.at || a.order - b.order)
  const due = ordered.filter(({ event }) => event.at <= now).map(({ event }) => event)
  const next = ordered.find(({ event }) => event.at > now)?.event ?? null
  const reason =
    due.length > 0
      ? `${due.length} timer event(s) due at ${minuteIn(calendar, now)}: ${due.map((e) => e.key).join(', ')}`
      : next !== null
        ? `nothing due; next ${next.key} at ${minuteIn(calendar, next.at)}`
        : 'nothing due and nothing scheduled'
  return { due, next, reason }
}

/**
 * Records a timer event as fired (idempotent). A breach — or an escalation reaching a still-running clock —
 * moves the clock to `breached` at its due instant. An event for a clock that was met or cancelled meanwhile
 * is stale and changes nothing.
 * @example applyTimerEvent(clock, breachEvent).clock.state // 'breached'
 */
export function applyTimerEvent(clock: SlaClock, event: SlaTimerEvent): SlaClockChange {
  if (clock.firedTimers.includes(event.key)) return { clock, changed: false, reason: `${event.key} already applied` }
  if (clock.state !== 'running' && clock.state !== 'breached') {
    return { clock, changed: false, reason: `stale ${event.key}: the clock is ${clock.state}` }
  }
  const firedTimers = [...clock.firedTimers, event.key]
  if (event.kind === 'warn') return { clock: { ...clock, firedTimers }, changed: true, reason: event.reason }
  const breaches = clock.state === 'running' && event.at >= clock.dueAt!
  const next: SlaClock = breaches
    ? { ...clock, firedTimers, state: 'breached', breachedAt: clock.dueAt }
    : { ...clock, firedTimers }
  return { clock: next, changed: true, reason: event.reason }
}
