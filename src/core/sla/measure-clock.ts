// How much of a clock's business time is used and left at an instant, and whether it is ticking: what a rep's
// queue shows. Business time counts only while the owner's calendar is open, so a countdown stands still at night.
import { businessTimeBetween, type Calendar, isOpen, listOpenIntervals, nextOpenInstant } from '../calendar/index.ts'
import type { SlaClock } from './sla-clock-types.ts'

export type ClockMeasure = {
  /** Business ms used as of the instant (final once met or cancelled, banked while paused). */
  readonly consumedMs: number
  /** targetMs − consumedMs: negative once the clock is past due (business time overdue). */
  readonly remainingMs: number
  /** True when business time is being used right now: the clock runs (or is breached) and the calendar is open. */
  readonly ticking: boolean
  readonly calendarOpen: boolean
  /**
   * The next instant the calendar opens or closes, so a reader knows until when the countdown keeps its pace;
   * at most a week ahead (a calendar open around the clock says "look again in a week"); null when it never opens.
   */
  readonly nextChangeAt: number | null
}

const HORIZON_MS = 7 * 86_400_000

/**
 * @example measureClock(clock, Date.parse('2026-11-23T09:10:00-05:00'), newYork)
 *   // { consumedMs: 2_400_000, remainingMs: 1_200_000, ticking: true, calendarOpen: true, nextChangeAt: Mon 17:00 }
 */
export function measureClock(clock: SlaClock, at: number, calendar: Calendar): ClockMeasure {
  const counting = clock.state === 'running' || clock.state === 'breached'
  const since = clock.runningSince
  const consumedMs =
    counting && since !== null
      ? clock.consumedMs + businessTimeBetween(since, Math.max(at, since), calendar)
      : clock.consumedMs
  const calendarOpen = isOpen(at, calendar)
  let nextChangeAt: number | null
  if (calendarOpen) nextChangeAt = listOpenIntervals(at, at + HORIZON_MS, calendar)[0]?.endMs ?? at + HORIZON_MS
  else {
    const opens = nextOpenInstant(at, calendar)
    nextChangeAt = Number.isFinite(opens) ? opens : null
  }
  return {
    consumedMs,
    remainingMs: clock.targetMs - consumedMs,
    ticking: counting && calendarOpen,
    calendarOpen,
    nextChangeAt,
  }
}
