import { Temporal } from 'temporal-polyfill'
import { type CompiledAgreement, listCalendarHolidays } from '../core/agreement/index.ts'
import { buildCalendar, type Calendar, CalendarSpecError, type HolidayEntry } from '../core/calendar/index.ts'
import { AppError } from '../core/errors.ts'

/** The names of the Agreement's calendars, in the order the file lists them. */
export function listAgreementCalendarNames(compiled: CompiledAgreement): string[] {
  return Object.keys(compiled.calendars)
}

/**
 * The core business-time `Calendar` for the Agreement calendar `name`: its weekly hours and overrides as written,
 * and its closed dates (public holidays of `holidays.country/state`, plus `add`, minus `remove`) for `years`.
 * Without `years`, the year of the Agreement's `effective_from` and the next one are seeded. Holidays exist only
 * for the seeded years, so seed every year a computation touches: `yearsSpanning` gives them for two instants, and
 * `addAgreementBusinessTime` / `measureAgreementBusinessTime` seed them for you.
 * Throws `AppError('not_found')` listing the Agreement's calendars when `name` is not one of them.
 *
 * Example: `buildAgreementCalendar(compileAgreement(agreement), 'new_york', [2026]).holidays.get('2026-11-26')` → `''`
 */
export function buildAgreementCalendar(
  compiled: CompiledAgreement,
  name: string,
  years: readonly number[] = defaultYears(compiled),
): Calendar {
  const { source, seeded } = getCalendarSources(compiled, name)
  const names = new Map(seeded.addedHolidays.map((h) => [h.date, h.name]))
  const holidays: HolidayEntry[] = listCalendarHolidays(seeded, years).map((date) => ({
    date,
    name: names.get(date) ?? '',
  }))
  try {
    // Windows come from the Agreement text rather than the compiled weekday ranges: the compiled form splits an
    // overnight window at midnight, and the core then lets a holiday on the second date cut it, while a window
    // belongs to the day it starts on.
    return buildCalendar({
      name,
      timeZone: source.time_zone,
      weekly: source.hours,
      holidays,
      overrides: source.overrides.map((o) => ({ date: o.date, windows: o.hours, ...(o.note ? { name: o.note } : {}) })),
    })
  } catch (e) {
    // Only reachable for an Agreement that skipped parseAgreement; keep every issue and point into the file's shape.
    if (e instanceof CalendarSpecError) {
      throw new AppError(
        'invalid_input',
        `calendar "${name}" cannot be built`,
        e.issues.map((i) => ({
          path: `calendars.${name}.${i.path.replace(/^weekly\./, 'hours.')}`,
          message: i.message,
        })),
      )
    }
    throw e
  }
}

/**
 * The local years whose holidays can change business time between two instants in `timeZone`, in order. The day
 * before the earlier instant counts too: a window belongs to the day it starts on, so a holiday on New Year's Eve
 * closes an overnight window that is still open on 1 January.
 *
 * Example: `yearsSpanning(Date.parse('2027-01-01T12:00:00Z'), Date.parse('2027-03-01T12:00:00Z'), 'UTC')` → `[2026, 2027]`
 */
export function yearsSpanning(fromMs: number, toMs: number, timeZone: string): number[] {
  const first = localDate(Math.min(fromMs, toMs), timeZone).subtract({ days: 1 }).year
  const last = localDate(Math.max(fromMs, toMs), timeZone).year
  const years: number[] = []
  for (let y = first; y <= last; y++) years.push(y)
  return years
}

/**
 * The time zone of the Agreement calendar `name`; throws `AppError('not_found')` like `buildAgreementCalendar`.
 *
 * Example: `getAgreementCalendarTimeZone(compiled, 'new_york')` → `'America/New_York'`
 */
export function getAgreementCalendarTimeZone(compiled: CompiledAgreement, name: string): string {
  return getCalendarSources(compiled, name).seeded.timeZone
}

function getCalendarSources(compiled: CompiledAgreement, name: string) {
  // Own keys only: a calendar named "toString" must not find Object.prototype.toString.
  const source = Object.hasOwn(compiled.agreement.calendars, name) ? compiled.agreement.calendars[name] : undefined
  const seeded = Object.hasOwn(compiled.calendars, name) ? compiled.calendars[name] : undefined
  if (source === undefined || seeded === undefined) {
    const names = listAgreementCalendarNames(compiled)
    throw new AppError(
      'not_found',
      `calendars.${name}: no such calendar in the Agreement; its calendars are ${names.length > 0 ? names.join(', ') : '(none)'}`,
    )
  }
  return { source, seeded }
}

/** The local calendar year of an instant. */
export function localYear(ms: number, timeZone: string): number {
  return localDate(ms, timeZone).year
}

function localDate(ms: number, timeZone: string): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).toPlainDate()
}

function defaultYears(compiled: CompiledAgreement): number[] {
  const year = Number(compiled.effectiveFrom.slice(0, 4))
  return [year, year + 1]
}
