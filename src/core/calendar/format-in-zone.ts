// Human-facing renderings of instants and business durations, used in SLA reasons and handoff briefs.

import { Temporal } from 'temporal-polyfill'

function zoned(ms: number, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone)
}

/**
 * ISO 8601 with the zone's offset, to the second (milliseconds only when present).
 * @example formatInZone(Date.parse('2026-11-23T14:30:00Z'), 'America/New_York') // '2026-11-23T09:30:00-05:00'
 */
export function formatInZone(ms: number, timeZone: string): string {
  return zoned(ms, timeZone).toString({ timeZoneName: 'never' })
}

/**
 * ISO 8601 to the minute, the form used in reasons.
 * @example formatMinuteInZone(Date.parse('2026-11-23T14:30:00Z'), 'America/New_York') // '2026-11-23T09:30-05:00'
 */
export function formatMinuteInZone(ms: number, timeZone: string): string {
  return zoned(ms, timeZone).toString({ timeZoneName: 'never', smallestUnit: 'minute', roundingMode: 'floor' })
}

const WEEKDAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

/**
 * Short local weekday and time.
 * @example formatWeekdayTime(Date.parse('2026-11-20T21:30:00Z'), 'America/New_York') // 'Fri 16:30'
 */
export function formatWeekdayTime(ms: number, timeZone: string): string {
  const z = zoned(ms, timeZone)
  return `${WEEKDAY[z.dayOfWeek - 1]} ${String(z.hour).padStart(2, '0')}:${String(z.minute).padStart(2, '0')}`
}

/**
 * A business duration in words, hours and minutes (seconds only below a minute).
 * @example formatBusinessDuration(5_400_000) // '1 business hour 30 minutes'
 */
export function formatBusinessDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unbounded business time'
  const sign = ms < 0 ? '-' : ''
  const abs = Math.abs(ms)
  const hours = Math.floor(abs / 3_600_000)
  const minutes = Math.floor((abs % 3_600_000) / 60_000)
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`
  if (hours > 0) {
    const head = `${sign}${hours} business hour${hours === 1 ? '' : 's'}`
    return minutes > 0 ? `${head} ${plural(minutes, 'minute')}` : head
  }
  if (minutes > 0) return `${sign}${plural(minutes, 'business minute')}`
  return `${sign}${plural(Math.floor(abs / 1000), 'business second')}`
}
