import { Temporal } from 'temporal-polyfill'

/**
 * An instant as people type it. With an offset or `Z` it is exact; without one (`2026-11-20T16:30`, `2026-07-01`)
 * it is a wall-clock time in `timeZone`, the calendar's zone, which is how people say "Friday 16:30 in New York".
 * Null when the text is neither.
 *
 * Example: `readInstant('2026-11-20T16:30', 'America/New_York')` → `Date.parse('2026-11-20T21:30:00Z')`
 */
export function readInstant(text: string, timeZone: string): number | null {
  try {
    return Temporal.Instant.from(text).epochMilliseconds
  } catch {
    // No offset: read it as local time below.
  }
  try {
    if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(text.trim())) {
      return Temporal.PlainDateTime.from(text.trim()).toZonedDateTime(timeZone).epochMilliseconds
    }
  } catch {
    // An impossible date (2026-02-30): not an instant.
  }
  return null
}
