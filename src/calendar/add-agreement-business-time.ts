import type { CompiledAgreement } from '../core/agreement/index.ts'
import { addBusinessTime, type Calendar } from '../core/calendar/index.ts'
import {
  buildAgreementCalendar,
  getAgreementCalendarTimeZone,
  localYear,
  yearsSpanning,
} from './build-agreement-calendar.ts'

/**
 * When `durationMs` of business time has elapsed since `startMs` on the Agreement calendar `name`, with holidays
 * seeded for every year up to the due instant however far it lands. `dueMs` is `Infinity` when the calendar never
 * opens enough (no weekly hours). Returns the calendar used, for formatting in its time zone.
 * Throws `AppError('not_found')` for an unknown calendar; RangeError for a negative duration.
 *
 * Example: a lead created Friday 2026-11-20 16:30 New York with a 1-hour SLA on 09:00–17:00 hours →
 * `addAgreementBusinessTime(compiled, 'ny', Date.parse('2026-11-20T21:30:00Z'), 3_600_000).dueMs` is Monday 09:30.
 */
export function addAgreementBusinessTime(
  compiled: CompiledAgreement,
  name: string,
  startMs: number,
  durationMs: number,
): { dueMs: number; calendar: Calendar } {
  const timeZone = getAgreementCalendarTimeZone(compiled, name)
  // The next year is seeded from the start: most SLA targets are short, and this spares a rebuild near New Year.
  let years = yearsSpanning(startMs, startMs, timeZone)
  years.push(years.at(-1)! + 1)
  for (;;) {
    const calendar = buildAgreementCalendar(compiled, name, years)
    const dueMs = addBusinessTime(startMs, durationMs, calendar)
    // Holidays of later years can only fall after a due instant within the seeded years, so they cannot move it;
    // a due instant beyond them may be too early (a holiday there was not seeded), so seed through it and retry.
    // Each retry only moves the due instant later, so this ends.
    if (!Number.isFinite(dueMs) || localYear(dueMs, timeZone) <= years.at(-1)!) return { dueMs, calendar }
    years = yearsSpanning(startMs, dueMs, timeZone)
    years.push(years.at(-1)! + 1)
  }
}
