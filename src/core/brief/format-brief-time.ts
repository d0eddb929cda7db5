// Local times for people, in the rep's zone: 'Mon 23 Nov, 09:30 EST'. The zone abbreviation comes from ICU's
// English names; where English has none (Europe/Berlin in en-US is 'GMT+1') British English is tried ('CET'),
// and the GMT offset is kept when neither has one. ICU data ships with Node, so the output is deterministic per
// Node version.

import { Temporal } from 'temporal-polyfill'

const WEEKDAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const
const WEEKDAY_LONG = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const
const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const

function zoned(ms: number, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone)
}

// Building an Intl.DateTimeFormat costs far more than using one; a brief formats a dozen instants in one zone.
const formatters = new Map<string, Intl.DateTimeFormat>()

function zoneName(ms: number, timeZone: string, locale: string): string {
  const key = `${locale}|${timeZone}`
  let formatter = formatters.get(key)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
    formatters.set(key, formatter)
  }
  const parts = formatter.formatToParts(ms)
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone
}

export function zoneAbbreviation(ms: number, timeZone: string): string {
  const us = zoneName(ms, timeZone, 'en-US')
  if (!/^GMT[+-]/.test(us)) return us
  const gb = zoneName(ms, timeZone, 'en-GB')
  return /^GMT[+-]/.test(gb) ? us : gb
}

const pad = (n: number) => String(n).padStart(2, '0')

/** 'Mon 23 Nov' */
export function formatDay(ms: number, timeZone: string): string {
  const z = zoned(ms, timeZone)
  return `${WEEKDAY[z.dayOfWeek - 1]} ${z.day} ${MONTH[z.month - 1]}`
}

/** 'Mon 23 Nov, 09:30 EST' */
export function formatLocalInstant(ms: number, timeZone: string): string {
  const z = zoned(ms, timeZone)
  return `${formatDay(ms, timeZone)}, ${pad(z.hour)}:${pad(z.minute)} ${zoneAbbreviation(ms, timeZone)}`
}

/** 'Thu 19 Nov 14:02' — timeline lines, where the zone is said once in the heading. */
export function formatTimelineInstant(ms: number, timeZone: string): string {
  const z = zoned(ms, timeZone)
  return `${formatDay(ms, timeZone)} ${pad(z.hour)}:${pad(z.minute)}`
}

/**
 * When something happened, as a rep would say it relative to `now`: 'today', 'yesterday', 'on Thursday' (within the
 * last six days), else 'on 12 Nov'. Future instants (clock skew) read as 'today'.
 */
export function describeDayRelative(ms: number, now: number, timeZone: string): string {
  const day = zoned(ms, timeZone).toPlainDate()
  const today = zoned(now, timeZone).toPlainDate()
  const days = today.since(day, { largestUnit: 'days' }).days
  if (days <= 0) return 'today'
  if (days === 1) return 'yesterday'
  if (days <= 6) return `on ${WEEKDAY_LONG[day.dayOfWeek - 1]}`
  return `on ${day.day} ${MONTH[day.month - 1]}`
}
