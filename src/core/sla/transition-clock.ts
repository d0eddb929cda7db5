// SLA clock transitions. Each returns a new clock (never mutates) and a reason. A transition that does not
// apply to the clock's state returns it unchanged with the reason, never throws: events race in real life
// (a touch arrives after a cancel). An instant earlier than the clock's last change is read as that change,
// so a late-delivered event can never make business time run backwards.

import { addBusinessTime, businessTimeBetween, type Calendar, formatBusinessDuration } from '../calendar/index.ts'
import { describeDue, minuteIn, weekdayIn } from './describe-clock.ts'
import type { SlaClock, SlaClockChange } from './sla-clock-types.ts'

export type StartClockInput = {
  readonly at: number
  readonly targetMs: number
  /** e.g. 0.75 for "warn at 75%"; null or absent for no warning. */
  readonly warnAtFraction?: number | null
  readonly calendar: Calendar
}

/**
 * Starts a running clock at handoff.
 * @example startClock({ at: Date.parse('2026-11-20T16:30:00-05:00'), targetMs: 3_600_000, warnAtFraction: 0.75, calendar: newYork })
 *   // dueAt Mon 2026-11-23 09:30 New York, warnAt 09:15, dueReason 'due 2026-11-23T09:30-05:00: 1 business hour from Fri 16:30 in calendar new_york'
 * @throws RangeError when targetMs is not a positive finite number or warnAtFraction is outside (0, 1).
 */
export function startClock(input: StartClockInput): SlaClock {
  const { at, targetMs, calendar } = input
  const warnAtFraction = input.warnAtFraction ?? null
  if (!(targetMs > 0) || !Number.isFinite(targetMs))
    throw new RangeError(`targetMs: expected business ms > 0, got ${targetMs}`)
  if (warnAtFraction !== null && !(warnAtFraction > 0 && warnAtFraction < 1)) {
    throw new RangeError(`warnAtFraction: expected a fraction strictly between 0 and 1, got ${warnAtFraction}`)
  }
  const clock: SlaClock = {
    state: 'running',
    calendarName: calendar.name,
    targetMs,
    warnAtFraction,
    startedAt: at,
    consumedMs: 0,
    runningSince: at,
    pausedAt: null,
    dueAt: null,
    warnAt: null,
    breachedAt: null,
    metAt: null,
    late: false,
    cancelledAt: null,
    firedTimers: [],
    dueReason: '',
  }
  return runFrom(clock, at, 0, calendar, false)
}

/** A clock running from `at` with `consumedMs` already used: due and warn from the remaining business time. */
function runFrom(clock: SlaClock, at: number, consumedMs: number, calendar: Calendar, resumed: boolean): SlaClock {
  const dueAt = addBusinessTime(at, clock.targetMs - consumedMs, calendar)
  let warnAt: number | null = null
  if (clock.warnAtFraction !== null && !clock.firedTimers.includes('warn')) {
    const warnTarget = Math.round(clock.warnAtFraction * clock.targetMs)
    warnAt = addBusinessTime(at, Math.max(0, warnTarget - consumedMs), calendar)
  }
  return {
    ...clock,
    state: 'running',
    calendarName: calendar.name,
    consumedMs,
    runningSince: at,
    pausedAt: null,
    dueAt,
    warnAt,
    dueReason: describeDue({ dueAt, from: at, targetMs: clock.targetMs, consumedMs, calendar, resumed }),
  }
}

function unchanged(clock: SlaClock, reason: string): SlaClockChange {
  return { clock, changed: false, reason }
}

function finishedReason(clock: SlaClock, calendar: Calendar): string | null {
  if (clock.state === 'met') return `already met at ${minuteIn(calendar, clock.metAt!)}`
  if (clock.state === 'cancelled') return `already cancelled at ${minuteIn(calendar, clock.cancelledAt!)}`
  return null
}

/** Business time used by a running or breached clock up to `at`. */
function usedBy(clock: SlaClock, at: number, calendar: Calendar): number {
  return clock.consumedMs + businessTimeBetween(clock.runningSince!, at, calendar)
}

/**
 * Pauses a running clock, banking the business time used. Pausing after dueAt breaches instead: the deadline
 * had already passed, and a pause must not hide that.
 * @example pauseClock(clock, Date.parse('2026-11-23T09:10:00-05:00'), newYork).clock.consumedMs // 2_400_000
 */
export function pauseClock(clock: SlaClock, at: number, calendar: Calendar): SlaClockChange {
  const done = finishedReason(clock, calendar)
  if (done !== null) return unchanged(clock, `not paused: ${done}`)
  if (clock.state === 'paused')
    return unchanged(clock, `not paused: already paused since ${minuteIn(calendar, clock.pausedAt!)}`)
  if (clock.state === 'breached') {
    return unchanged(
      clock,
      `not paused: breached at ${minuteIn(calendar, clock.breachedAt!)}; escalation continues until first touch`,
    )
  }
  const when = Math.max(at, clock.runningSince!)
  if (when > clock.dueAt!) {
    const breached: SlaClock = { ...clock, state: 'breached', breachedAt: clock.dueAt }
    return {
      clock: breached,
      changed: true,
      reason: `not paused: due ${minuteIn(calendar, clock.dueAt!)} passed before the pause at ${minuteIn(calendar, when)}; the clock is breached`,
    }
  }
  const consumedMs = usedBy(clock, when, calendar)
  const paused: SlaClock = {
    ...clock,
    state: 'paused',
    consumedMs,
    runningSince: null,
    pausedAt: when,
    dueAt: null,
    warnAt: null,
  }
  return {
    clock: paused,
    changed: true,
    reason: `paused ${weekdayIn(calendar, when)}: ${formatBusinessDuration(consumedMs)} used of ${formatBusinessDuration(clock.targetMs)}, ${formatBusinessDuration(clock.targetMs - consumedMs)} remain`,
  }
}

/**
 * Resumes a paused clock; due and warn are recomputed from the remaining business time, so both move out by the
 * business time the pause lasted (the reason says how much).
 * @example resumeClock(paused, Date.parse('2026-11-23T13:00:00-05:00'), newYork).clock.dueAt // Mon 13:20 New York
 */
export function resumeClock(clock: SlaClock, at: number, calendar: Calendar): SlaClockChange {
  const done = finishedReason(clock, calendar)
  if (done !== null) return unchanged(clock, `not resumed: ${done}`)
  if (clock.state !== 'paused') return unchanged(clock, `not resumed: the clock is ${clock.state}, not paused`)
  const when = Math.max(at, clock.pausedAt!)
  const resumed = runFrom(clock, when, clock.consumedMs, calendar, true)
  const paused = businessTimeBetween(clock.pausedAt!, when, calendar)
  return {
    clock: resumed,
    changed: true,
    reason: `resumed ${weekdayIn(calendar, when)} after ${formatBusinessDuration(paused)} paused; ${resumed.dueReason}`,
  }
}

/**
 * Records the first touch. A running or breached clock becomes `met`; after dueAt it is met with `late: true`
 * and breachedAt set to dueAt if the breach timer had not fired yet. A paused clock is met in time.
 * @example stopClock(clock, Date.parse('2026-11-23T09:20:00-05:00'), newYork).clock // { state: 'met', late: false, … }
 */
export function stopClock(clock: SlaClock, at: number, calendar: Calendar): SlaClockChange {
  const done = finishedReason(clock, calendar)
  if (done !== null) return unchanged(clock, `not stopped: ${done}`)
  if (clock.state === 'paused') {
    const metAt = Math.max(at, clock.pausedAt!)
    const met: SlaClock = { ...clock, state: 'met', metAt, pausedAt: null, late: false }
    return {
      clock: met,
      changed: true,
      reason: `met at ${minuteIn(calendar, metAt)} while paused, after ${formatBusinessDuration(clock.consumedMs)} of ${formatBusinessDuration(clock.targetMs)}`,
    }
  }
  const metAt = Math.max(at, clock.runningSince!)
  const consumedMs = usedBy(clock, metAt, calendar)
  const dueAt = clock.dueAt!
  const late = metAt > dueAt
  const met: SlaClock = {
    ...clock,
    state: 'met',
    consumedMs,
    runningSince: null,
    metAt,
    late,
    breachedAt: clock.breachedAt ?? (late ? dueAt : null),
  }
  const reason = late
    ? `met late at ${minuteIn(calendar, metAt)}: due ${minuteIn(calendar, dueAt)}, first touch ${formatBusinessDuration(businessTimeBetween(dueAt, metAt, calendar))} after it`
    : `met at ${minuteIn(calendar, metAt)} after ${formatBusinessDuration(consumedMs)}, within ${formatBusinessDuration(clock.targetMs)} (due ${minuteIn(calendar, dueAt)})`
  return { clock: met, changed: true, reason }
}

/**
 * Stops a clock without a touch (lead disqualified, recycled, reassigned). A breach that already happened is kept.
 * @example cancelClock(clock, now, newYork, 'lead disqualified: competitor').clock.state // 'cancelled'
 */
export function cancelClock(clock: SlaClock, at: number, calendar: Calendar, why: string): SlaClockChange {
  const done = finishedReason(clock, calendar)
  if (done !== null) return unchanged(clock, `not cancelled: ${done}`)
  const cancelledAt = Math.max(at, clock.runningSince ?? clock.pausedAt ?? clock.startedAt)
  const running = clock.state === 'running' || clock.state === 'breached'
  const consumedMs = running ? usedBy(clock, cancelledAt, calendar) : clock.consumedMs
  const breachedAt = clock.breachedAt ?? (running && cancelledAt > clock.dueAt! ? clock.dueAt : null)
  const cancelled: SlaClock = { ...clock, state: 'cancelled', consumedMs, runningSince: null, cancelledAt, breachedAt }
  const after = breachedAt !== null ? `, after breaching at ${minuteIn(calendar, breachedAt)}` : ''
  return { clock: cancelled, changed: true, reason: `cancelled at ${minuteIn(calendar, cancelledAt)}${after}: ${why}` }
}

/**
 * The owner's calendar was edited (or the owner changed calendars). A running clock is re-planned:
 * with `previousCalendar`, business time up to `now` is counted in the calendar that was in force and the new one
 * applies from `now`; without it, the new calendar applies from the start of the current running stretch.
 * A running clock already past due under the previous calendar is breached at its old due instant. Paused clocks
 * only take the new calendar's name (they compute nothing until resumed); breached, met and cancelled clocks are
 * untouched.
 * @example recomputeClock(clock, newYorkWithExtraHoliday, now, newYork).clock.dueAt // later by the holiday
 */
export function recomputeClock(
  clock: SlaClock,
  newCalendar: Calendar,
  now: number,
  previousCalendar?: Calendar,
): SlaClockChange {
  if (clock.state === 'paused') {
    if (clock.calendarName === newCalendar.name) return unchanged(clock, 'paused: the new calendar applies on resume')
    return {
      clock: { ...clock, calendarName: newCalendar.name },
      changed: true,
      reason: `paused: calendar ${newCalendar.name} applies on resume`,
    }
  }
  if (clock.state !== 'running') return unchanged(clock, `not recomputed: the clock is ${clock.state}`)
  if (previousCalendar === undefined) {
    const replanned = runFrom(clock, clock.runningSince!, clock.consumedMs, newCalendar, clock.consumedMs > 0)
    return changeIfMoved(clock, replanned)
  }
  const when = Math.max(now, clock.runningSince!)
  if (when > clock.dueAt!) {
    return {
      clock: { ...clock, state: 'breached', breachedAt: clock.dueAt },
      changed: true,
      reason: `not recomputed: due ${minuteIn(previousCalendar, clock.dueAt!)} under the previous calendar had passed; the breach stands`,
    }
  }
  const consumedMs = usedBy(clock, when, previousCalendar)
  return changeIfMoved(clock, runFrom(clock, when, consumedMs, newCalendar, consumedMs > 0))
}

function changeIfMoved(before: SlaClock, after: SlaClock): SlaClockChange {
  const moved =
    after.dueAt !== before.dueAt || after.warnAt !== before.warnAt || after.calendarName !== before.calendarName
  return moved
    ? { clock: after, changed: true, reason: `recomputed: ${after.dueReason}` }
    : { clock: before, changed: false, reason: `recomputed: unchanged, ${before.dueReason}` }
}
