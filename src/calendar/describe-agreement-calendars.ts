import { Temporal } from 'temporal-polyfill'
import type { CompiledAgreement } from '../core/agreement/index.ts'
import {
  type Calendar,
  formatInZone,
  formatWindow,
  isOpen,
  listOpenIntervals,
  nextOpenInstant,
  seedHolidays,
} from '../core/calendar/index.ts'
import { buildAgreementCalendar } from './build-agreement-calendar.ts'

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

export type CalendarHolidayView = {
  date: string
  weekday: (typeof DAYS)[number]
  name: string
  /** seeded: a public holiday of `holidays.country/state` (date-holidays); added: the Agreement's `holidays.add`. */
  source: 'seeded' | 'added'
}

export type CalendarView = {
  name: string
  time_zone: string
  /** The wall-clock time in the calendar's zone at the moment described, with its offset. */
  local_now: string
  open_now: boolean
  next_change_at: string | null
  /** Weekly windows, Monday first; minutes from local midnight (an overnight window ends past 1440). */
  weekly: { day: (typeof DAYS)[number]; windows: { start: number; end: number; text: string }[] }[]
  weekly_minutes: number
  holidays: {
    country: string | null
    state: string | null
    year: number
    dates: CalendarHolidayView[]
    /** Public holidays the Agreement removes (`holidays.remove`): working days after all. */
    removed: { date: string; name: string }[]
  }
  /** Dated overrides of the year, as written; `hours: []` closes the day. */
  overrides: { date: string; hours: string[]; note: string | null }[]
  used_by: { teams: string[]; reps: string[] }
}

/**
 * Open or closed at `now`, and when that changes: the end of the open stretch, or the next opening (null when the
 * calendar never opens again, or stays open for two weeks straight).
 * @example describeOpenNow(newYork, Date.parse('2026-11-23T15:00:00Z')) // { open_now: true, next_change_at: '2026-11-23T22:30:00.000Z' }
 */
export function describeOpenNow(calendar: Calendar, now: number): { open_now: boolean; next_change_at: string | null } {
  if (isOpen(now, calendar)) {
    const horizon = now + 14 * 86_400_000
    const end = listOpenIntervals(now, horizon, calendar)[0]?.endMs ?? now
    return { open_now: true, next_change_at: end < horizon ? new Date(end).toISOString() : null }
  }
  const opens = nextOpenInstant(now, calendar)
  return { open_now: false, next_change_at: Number.isFinite(opens) ? new Date(opens).toISOString() : null }
}

/**
 * An Agreement calendar as Settings shows it: the weekly grid, the year's closed dates with their names and where
 * they come from, the removed public holidays, the overrides, open or closed at `now`, and who works by it.
 * Throws `AppError('not_found')` for an unknown calendar (like buildAgreementCalendar).
 * @example describeAgreementCalendar(compiled, 'new_york', { year: 2026, now }).holidays.dates.find((h) => h.date === '2026-11-26')
 * // { date: '2026-11-26', weekday: 'thu', name: 'Thanksgiving Day', source: 'seeded' }
 */
export function describeAgreementCalendar(
  compiled: CompiledAgreement,
  name: string,
  at: { year: number; now: number },
): CalendarView {
  const { year, now } = at
  const written = compiled.agreement.calendars[name]
  // Seed the year shown and the years around `now`, so "open now" honours today's holiday whatever year is shown.
  const nowYear = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(written?.time_zone ?? 'UTC').year
  const years = [...new Set([year, nowYear - 1, nowYear, nowYear + 1])].sort((a, b) => a - b)
  const calendar = buildAgreementCalendar(compiled, name, years)
  const source = compiled.calendars[name]!
  const seededNames = new Map<string, string>()
  if (source.holidaySource) {
    try {
      for (const h of seedHolidays(source.holidaySource.country, source.holidaySource.state, [year]))
        seededNames.set(h.date, h.name)
    } catch {
      // The Agreement validator refuses unknown countries; without names the dates below still list.
    }
  }
  const added = new Map(source.addedHolidays.map((h) => [h.date, h.name]))
  const dates = [...calendar.holidays.keys()]
    .filter((d) => d.startsWith(`${year}-`))
    .sort()
    .map((date) => ({
      date,
      weekday: DAYS[Temporal.PlainDate.from(date).dayOfWeek - 1]!,
      name: added.get(date) ?? seededNames.get(date) ?? calendar.holidays.get(date) ?? '',
      source: added.has(date) ? ('added' as const) : ('seeded' as const),
    }))
  const removed = (written?.holidays?.remove ?? [])
    .filter((r) => r.date.startsWith(`${year}-`))
    .map((r) => ({ date: r.date, name: r.name ?? seededNames.get(r.date) ?? '' }))
  const weekly = DAYS.map((day, i) => ({
    day,
    windows: (calendar.weekly[(i + 1) as 1] ?? []).map((w) => ({ start: w.start, end: w.end, text: formatWindow(w) })),
  }))
  const reps = compiled.reps.filter((r) => (r.calendar ?? compiled.teams[r.team]?.calendar) === name).map((r) => r.id)
  return {
    name,
    time_zone: calendar.timeZone,
    local_now: formatInZone(Math.floor(now / 1000) * 1000, calendar.timeZone),
    ...describeOpenNow(calendar, now),
    weekly,
    weekly_minutes: weekly.reduce((n, d) => n + d.windows.reduce((m, w) => m + (w.end - w.start), 0), 0),
    holidays: {
      country: source.holidaySource?.country ?? null,
      state: source.holidaySource?.state ?? null,
      year,
      dates,
      removed,
    },
    overrides: (written?.overrides ?? [])
      .filter((o) => o.date.startsWith(`${year}-`))
      .map((o) => ({ date: o.date, hours: o.hours, note: o.note ?? null }))
      .sort((a, b) => (a.date < b.date ? -1 : 1)),
    used_by: {
      teams: Object.entries(compiled.teams)
        .filter(([, t]) => t.calendar === name)
        .map(([id]) => id),
      reps,
    },
  }
}
