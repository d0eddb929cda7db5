import { Temporal } from 'temporal-polyfill'
import { CalendarSpecError } from './calendar-spec-error.ts'
import type {
  Calendar,
  CalendarIssue,
  CalendarSpec,
  IsoWeekday,
  TimeWindow,
  WeekdayName,
  WindowInput,
} from './calendar-types.ts'
import { parseIsoDate } from './local-date.ts'
import { createOpenTimeline } from './open-timeline.ts'
import { readWindow } from './parse-window.ts'

const DAY_NAMES: readonly WeekdayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7]

export type CalendarSpecResult =
  | { readonly kind: 'calendar'; readonly calendar: Calendar }
  | { readonly kind: 'invalid'; readonly issues: readonly CalendarIssue[] }

/**
 * Validates a calendar spec, collecting every problem with its path, and precomputes it for fast arithmetic.
 * A calendar with no weekly windows is legal (open only on override dates); after its last open
 * date the business-time functions answer Infinity ("never").
 * @example parseCalendarSpec({ name: 'ny', timeZone: 'America/New_York', weekly: { mon: ['09:00-17:00'] } }).kind // 'calendar'
 */
export function parseCalendarSpec(spec: CalendarSpec): CalendarSpecResult {
  const issues: CalendarIssue[] = []
  if (typeof spec.name !== 'string' || spec.name.trim() === '') {
    issues.push({ path: 'name', message: 'a calendar needs a non-empty name' })
  }
  if (!isTimeZone(spec.timeZone)) {
    issues.push({
      path: 'timeZone',
      message: `unknown time zone "${String(spec.timeZone)}"; use an IANA name such as "America/New_York" or an offset such as "+05:30"`,
    })
  }

  const weekly = {} as Record<IsoWeekday, readonly TimeWindow[]>
  const seenDay = new Map<IsoWeekday, string>()
  for (const [key, inputs] of Object.entries(spec.weekly ?? {})) {
    const day = weekdayOfKey(key)
    const path = `weekly.${key}`
    if (day === null) {
      issues.push({ path, message: `unknown day "${key}"; use 1–7 (1 = Monday) or mon, tue, wed, thu, fri, sat, sun` })
      continue
    }
    const earlier = seenDay.get(day)
    if (earlier !== undefined) {
      issues.push({ path, message: `the same day as weekly.${earlier}; list its windows once` })
      continue
    }
    seenDay.set(day, key)
    weekly[day] = readDayWindows(inputs ?? [], path, issues)
  }
  for (const day of WEEKDAYS) weekly[day] ??= []

  const holidays = new Map<string, string>()
  ;(spec.holidays ?? []).forEach((entry, i) => {
    const date = typeof entry === 'string' ? entry : entry?.date
    const path = typeof entry === 'string' ? `holidays[${i}]` : `holidays[${i}].date`
    if (typeof date !== 'string' || parseIsoDate(date) === null) {
      issues.push({ path, message: `"${String(date)}" is not a date; write YYYY-MM-DD` })
      return
    }
    if (!holidays.has(date)) holidays.set(date, typeof entry === 'string' ? '' : (entry.name ?? ''))
  })

  const overrides = new Map<string, readonly TimeWindow[]>()
  const overrideIndex = new Map<string, number>()
  ;(spec.overrides ?? []).forEach((override, i) => {
    const path = `overrides[${i}]`
    const windows = readDayWindows(override.windows ?? [], `${path}.windows`, issues)
    if (typeof override.date !== 'string' || parseIsoDate(override.date) === null) {
      issues.push({ path: `${path}.date`, message: `"${String(override.date)}" is not a date; write YYYY-MM-DD` })
      return
    }
    const first = overrideIndex.get(override.date)
    if (first !== undefined) {
      issues.push({ path: `${path}.date`, message: `${override.date} is already overridden by overrides[${first}]` })
      return
    }
    overrideIndex.set(override.date, i)
    overrides.set(override.date, windows)
  })

  if (issues.length > 0) return { kind: 'invalid', issues }

  const holidayDays = new Set<number>()
  for (const date of holidays.keys()) holidayDays.add(parseIsoDate(date)!)
  const overrideDays = new Map<number, readonly TimeWindow[]>()
  for (const [date, windows] of overrides) overrideDays.set(parseIsoDate(date)!, windows)
  const timeline = createOpenTimeline({
    timeZone: spec.timeZone,
    weeklyByDay: [[], ...WEEKDAYS.map((day) => weekly[day])],
    holidayDays,
    overrideDays,
  })
  return {
    kind: 'calendar',
    calendar: { name: spec.name, timeZone: spec.timeZone, weekly, holidays, overrides, timeline },
  }
}

/**
 * Validated, precomputed calendar.
 * @example buildCalendar({ name: 'berlin', timeZone: 'Europe/Berlin', weekly: { 1: ['09:00-17:00'] }, holidays: ['2026-12-25'] })
 * @throws CalendarSpecError listing every issue ('weekly.mon[0]: "17:00-08:00": end 08:00 is not after start 17:00; …').
 */
export function buildCalendar(spec: CalendarSpec): Calendar {
  const result = parseCalendarSpec(spec)
  if (result.kind === 'invalid') throw new CalendarSpecError(result.issues)
  return result.calendar
}

function weekdayOfKey(key: string): IsoWeekday | null {
  if (/^[1-7]$/.test(key)) return Number(key) as IsoWeekday
  const index = DAY_NAMES.indexOf(key.toLowerCase() as WeekdayName)
  return index < 0 ? null : ((index + 1) as IsoWeekday)
}

function isTimeZone(timeZone: unknown): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone)
    return true
  } catch {
    return false
  }
}

function readDayWindows(inputs: readonly WindowInput[], path: string, issues: CalendarIssue[]): TimeWindow[] {
  const windows: { window: TimeWindow; index: number }[] = []
  inputs.forEach((input, index) => {
    const at = `${path}[${index}]`
    if (typeof input === 'string') {
      const read = readWindow(input)
      if ('error' in read) issues.push({ path: at, message: read.error })
      else windows.push({ window: read, index })
      return
    }
    const problem = checkWindow(input)
    if (problem !== null) issues.push({ path: at, message: problem })
    else windows.push({ window: { start: input.start, end: input.end }, index })
  })
  windows.sort((a, b) => a.window.start - b.window.start)
  for (let i = 1; i < windows.length; i++) {
    const prev = windows[i - 1]!
    const next = windows[i]!
    if (next.window.start < prev.window.end) {
      issues.push({ path: `${path}[${next.index}]`, message: `overlaps ${path}[${prev.index}] on the same day` })
    }
  }
  return windows.map((w) => w.window)
}

function checkWindow(window: TimeWindow): string | null {
  const { start, end } = window ?? {}
  if (!Number.isInteger(start) || !Number.isInteger(end))
    return 'start and end must be whole minutes from local midnight'
  if (start < 0 || start >= 1440) return `start ${start} must be within the day (0 ≤ start < 1440 minutes)`
  if (end <= start) {
    return `end ${end} is not after start ${start}; an overnight window ends after 1440 (22:00–06:00 is { start: 1320, end: 1800 })`
  }
  if (end > start + 1440) return `lasts ${end - start} minutes; a window lasts at most 24 hours`
  return null
}
