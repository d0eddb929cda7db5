// Whether a rep can take a lead at an instant, and why not. Out-of-office entries are converted to instants once
// per Rep object (reps are compiled once per Agreement version), so the hot path compares numbers.

import { Temporal } from 'temporal-polyfill'
import { type Calendar, isOpen, nextOpenInstant } from '../calendar/index.ts'
import type { AvailabilitySource, OutOfOffice, Rep, RepLoad, Unavailability } from './routing-types.ts'

/** An out-of-office entry read into instants; `until` is the last day (dates) or the local end (date-times). */
export type Absence = {
  readonly fromMs: number
  readonly toMs: number
  readonly until: string
  readonly note?: string
  readonly source?: AvailabilitySource
}
type ReadAbsences = { readonly absences: readonly Absence[]; readonly unreadable: Unavailability | null }

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const absenceCache = new WeakMap<Rep, ReadAbsences>()

function readBound(text: string, timeZone: string, edge: 'from' | 'to'): { ms: number; until: string } | null {
  try {
    if (DATE_ONLY.test(text)) {
      // An inclusive last day ends where the next local day starts (DST-safe: Temporal picks that day's midnight).
      const date = Temporal.PlainDate.from(text, { overflow: 'reject' })
      const day = edge === 'to' ? date.add({ days: 1 }) : date
      return { ms: day.toZonedDateTime({ timeZone }).epochMilliseconds, until: text }
    }
    const instant = Temporal.Instant.from(text)
    const until = instant.toZonedDateTimeISO(timeZone).toString({ timeZoneName: 'never', smallestUnit: 'minute' })
    return { ms: instant.epochMilliseconds, until }
  } catch {
    return null
  }
}

function readAbsences(rep: Rep): ReadAbsences {
  const cached = absenceCache.get(rep)
  if (cached) return cached
  const absences: Absence[] = []
  let unreadable: Unavailability | null = null
  rep.outOfOffice.forEach((entry, index) => {
    const from = readBound(entry.from, rep.calendar.timeZone, 'from')
    const to = readBound(entry.to, rep.calendar.timeZone, 'to')
    if (from === null || to === null) {
      unreadable ??= { kind: 'unreadable_out_of_office', index, text: from === null ? entry.from : entry.to }
      return
    }
    absences.push({
      fromMs: from.ms,
      toMs: to.ms,
      until: to.until,
      ...(entry.note ? { note: entry.note } : {}),
      ...(entry.source === 'rep_status' ? { source: 'rep_status' as const } : {}),
    })
  })
  const read = { absences, unreadable }
  absenceCache.set(rep, read)
  return read
}

/**
 * Why the rep cannot be given a lead at `now` as a named owner (account owner, `to: rep`): inactive or out of
 * office; null when it can. Working hours and caps do not apply to named owners: the account stays with its owner
 * and the SLA clock waits for the owner's hours.
 * An out-of-office entry that cannot be read makes the rep unavailable: better a loud skip than a lead handed to
 * someone who may be away (the Agreement validator refuses such entries first).
 * @example findOwnerUnavailability(ana, Date.parse('2026-12-01T15:00:00Z')) // { kind: 'out_of_office', until: '2026-12-02', … }
 */
export function findOwnerUnavailability(rep: Rep, now: number): Unavailability | null {
  if (!rep.active) return rep.activeSource === 'rep_status' ? INACTIVE_BY_STATUS : INACTIVE
  const { absences, unreadable } = readAbsences(rep)
  if (unreadable) return unreadable
  // Overlapping absences chain: report the end of the whole stretch away, not of the first entry.
  let away: Absence | null = null
  let at = now
  for (let changed = true; changed; ) {
    changed = false
    for (const absence of absences) {
      if (absence.fromMs <= at && at < absence.toMs && (away === null || absence.toMs > away.toMs)) {
        away = absence
        at = absence.toMs
        changed = true
      }
    }
  }
  if (away === null) return null
  return {
    kind: 'out_of_office',
    until: away.until,
    timeZone: rep.calendar.timeZone,
    ...(away.note ? { note: away.note } : {}),
    ...(away.source ? { source: away.source } : {}),
  }
}

const INACTIVE: Unavailability = { kind: 'inactive' }
const INACTIVE_BY_STATUS: Unavailability = { kind: 'inactive', source: 'rep_status' }

/**
 * The rep's absences that have not ended at `now`, in start order: the current one (if any) first.
 * Unreadable entries are left out (findOwnerUnavailability reports them).
 * @example listCurrentAndUpcomingAbsences(chloe, Date.parse('2026-12-01T15:00:00Z'))
 * // [{ fromMs: <Dec 21 00:00 NY>, toMs: <Jan 2 00:00 NY>, until: '2027-01-01', note: 'Parental leave' }]
 */
export function listCurrentAndUpcomingAbsences(rep: Rep, now: number): Absence[] {
  return readAbsences(rep)
    .absences.filter((a) => a.toMs > now)
    .sort((a, b) => a.fromMs - b.fromMs || a.toMs - b.toMs)
}

export type OutOfOfficeCheck =
  | { readonly ok: true; readonly fromMs: number; readonly toMs: number }
  | { readonly ok: false; readonly field: 'from' | 'to'; readonly message: string }

const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/**
 * Whether an out-of-office entry can be read, before it is stored: both ends dates (`YYYY-MM-DD`, inclusive, local
 * to `timeZone`) or both date-times with an offset, and the end not before the start. Routing treats an unreadable
 * entry as "away", so refusing it at the edge keeps that safety net from ever being needed.
 * @example checkOutOfOffice({ from: '2026-11-25', to: '2026-11-24' }, 'America/New_York')
 * // { ok: false, field: 'to', message: 'ends (2026-11-24) before it starts (2026-11-25)' }
 */
export function checkOutOfOffice(entry: OutOfOffice, timeZone: string): OutOfOfficeCheck {
  const kindOf = (text: string) =>
    DATE_ONLY.test(text) ? 'date' : DATE_TIME_WITH_OFFSET.test(text) ? 'date-time' : null
  const fromKind = kindOf(entry.from)
  const toKind = kindOf(entry.to)
  const hint = 'expected a date (YYYY-MM-DD) or a date-time with an offset (2026-11-24T13:00:00-05:00)'
  if (fromKind === null) return { ok: false, field: 'from', message: `${hint}, got ${JSON.stringify(entry.from)}` }
  if (toKind === null) return { ok: false, field: 'to', message: `${hint}, got ${JSON.stringify(entry.to)}` }
  if (fromKind !== toKind)
    return { ok: false, field: 'to', message: `must be a ${fromKind} like \`from\` (both dates or both date-times)` }
  const from = readBound(entry.from, timeZone, 'from')
  const to = readBound(entry.to, timeZone, 'to')
  if (from === null) return { ok: false, field: 'from', message: `not a real ${fromKind}: ${entry.from}` }
  if (to === null) return { ok: false, field: 'to', message: `not a real ${toKind}: ${entry.to}` }
  if (fromKind === 'date' ? entry.to < entry.from : to.ms <= from.ms)
    return { ok: false, field: 'to', message: `ends (${entry.to}) before it starts (${entry.from})` }
  return { ok: true, fromMs: from.ms, toMs: to.ms }
}

function findClosedHours(calendar: Calendar, now: number): Unavailability | null {
  if (isOpen(now, calendar)) return null
  const opensAtMs = nextOpenInstant(now, calendar)
  return {
    kind: 'outside_hours',
    opensAtMs: Number.isFinite(opensAtMs) ? opensAtMs : null,
    timeZone: calendar.timeZone,
  }
}

/**
 * Why a pool member cannot take a lead now, checked in the order people ask: inactive, out of office, outside
 * working hours, daily cap, weekly cap. Null when it can.
 * @example findMemberUnavailability(ben, load.ben, saturdayNoon, { respectWorkingHours: true, respectCapacity: true })
 * // { kind: 'outside_hours', opensAtMs: <Mon 09:00>, timeZone: 'America/New_York' }
 */
export function findMemberUnavailability(
  rep: Rep,
  load: RepLoad | undefined,
  now: number,
  options: { readonly respectWorkingHours: boolean; readonly respectCapacity: boolean },
  /** Per-decision memo: reps of one team share a calendar, so its hours are read once per decision. */
  hoursMemo?: Map<Calendar, Unavailability | null>,
): Unavailability | null {
  const owner = findOwnerUnavailability(rep, now)
  if (owner) return owner
  if (options.respectWorkingHours) {
    let closed = hoursMemo?.get(rep.calendar)
    if (closed === undefined) {
      closed = findClosedHours(rep.calendar, now)
      hoursMemo?.set(rep.calendar, closed)
    }
    if (closed) return closed
  }
  if (options.respectCapacity && rep.capacity) {
    const daily = rep.capacity.daily
    const weekly = rep.capacity.weekly
    const today = load?.today ?? 0
    const thisWeek = load?.thisWeek ?? 0
    if (daily !== undefined && today >= daily) return { kind: 'daily_cap', cap: daily, count: today }
    if (weekly !== undefined && thisWeek >= weekly) return { kind: 'weekly_cap', cap: weekly, count: thisWeek }
  }
  return null
}
