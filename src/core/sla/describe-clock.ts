// Sentences for SLA reasons. Instants are shown in the clock's calendar zone, to the minute.

import { type Calendar, formatBusinessDuration, formatMinuteInZone, formatWeekdayTime } from '../calendar/index.ts'

export function minuteIn(calendar: Calendar, ms: number): string {
  return Number.isFinite(ms) ? formatMinuteInZone(ms, calendar.timeZone) : 'never'
}

export function weekdayIn(calendar: Calendar, ms: number): string {
  return formatWeekdayTime(ms, calendar.timeZone)
}

export function describeDue(input: {
  dueAt: number
  from: number
  targetMs: number
  consumedMs: number
  calendar: Calendar
  resumed: boolean
}): string {
  const { dueAt, from, targetMs, consumedMs, calendar, resumed } = input
  const remaining = targetMs - consumedMs
  const amount =
    consumedMs === 0
      ? formatBusinessDuration(targetMs)
      : `${formatBusinessDuration(remaining)} remaining of ${formatBusinessDuration(targetMs)}`
  const since = `${resumed ? 'the resume at ' : ''}${weekdayIn(calendar, from)} in calendar ${calendar.name}`
  if (!Number.isFinite(dueAt))
    return `never due: calendar ${calendar.name} has no ${amount} of open time after ${minuteIn(calendar, from)}`
  return `due ${minuteIn(calendar, dueAt)}: ${amount} from ${since}`
}
