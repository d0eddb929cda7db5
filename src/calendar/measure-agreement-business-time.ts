import type { CompiledAgreement } from '../core/agreement/index.ts'
import { businessTimeBetween, type Calendar } from '../core/calendar/index.ts'
import { buildAgreementCalendar, getAgreementCalendarTimeZone, yearsSpanning } from './build-agreement-calendar.ts'

/**
 * Business time from `fromMs` to `toMs` on the Agreement calendar `name` (negative when `toMs` is earlier), with
 * holidays seeded for every year in between. Returns the calendar used, for formatting in its time zone.
 * Throws `AppError('not_found')` for an unknown calendar.
 *
 * Example: `measureAgreementBusinessTime(compiled, 'new_york', Date.parse('2026-11-25T20:00:00Z'),
 * Date.parse('2026-11-30T17:00:00Z')).businessMs` → 34_200_000 (9h 30m: Thanksgiving closed, a half day after it)
 */
export function measureAgreementBusinessTime(
  compiled: CompiledAgreement,
  name: string,
  fromMs: number,
  toMs: number,
): { businessMs: number; calendar: Calendar } {
  const timeZone = getAgreementCalendarTimeZone(compiled, name)
  const calendar = buildAgreementCalendar(compiled, name, yearsSpanning(fromMs, toMs, timeZone))
  return { businessMs: businessTimeBetween(fromMs, toMs, calendar), calendar }
}
