// Data shapes of a business-hours calendar. A CalendarSpec is what people write and edit (Agreement YAML,
// the calendar table); a Calendar is the validated, precomputed form every business-time function takes.

import type { IsoWeekday } from './local-date.ts'
import type { OpenTimeline } from './open-timeline.ts'

export type { IsoWeekday } from './local-date.ts'

/**
 * A working window in minutes from local midnight of the day it starts on. 0 <= start < 1440, start < end <= start + 1440.
 * end > 1440 is an overnight window that continues into the next day: 22:00–06:00 is { start: 1320, end: 1800 }.
 * The window belongs to the day it starts on: a holiday or override on that day removes or replaces it, and a
 * holiday on the next day does not cut it short.
 */
export type TimeWindow = { readonly start: number; readonly end: number }

/** A window as data or as text: '09:00-17:00', '22:00-06:00+1' (the +1 marks an end on the next day), '00:00-24:00'. */
export type WindowInput = string | TimeWindow

export type WeekdayName = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'

/** Keys are ISO weekdays (1 = Monday … 7 = Sunday, as numbers or strings) or three-letter names; absent days are closed. */
export type WeeklySpec = { readonly [day in IsoWeekday | WeekdayName]?: readonly WindowInput[] }

export type HolidayEntry = { readonly date: string; readonly name?: string }

/** Replaces all windows that start on `date` (local); an empty list closes the day. */
export type CalendarOverride = {
  readonly date: string
  readonly windows: readonly WindowInput[]
  readonly name?: string
}

export type CalendarSpec = {
  readonly name: string
  /** IANA time zone ('America/New_York') or a fixed offset ('+05:30'). */
  readonly timeZone: string
  readonly weekly: WeeklySpec
  /** Local dates 'YYYY-MM-DD', closed all day. */
  readonly holidays?: readonly (string | HolidayEntry)[]
  readonly overrides?: readonly CalendarOverride[]
}

export type Calendar = {
  readonly name: string
  readonly timeZone: string
  /** Sorted, non-overlapping windows per ISO weekday (every weekday present, possibly empty). */
  readonly weekly: Readonly<Record<IsoWeekday, readonly TimeWindow[]>>
  /** Local date → holiday name ('' when unnamed). */
  readonly holidays: ReadonlyMap<string, string>
  /** Local date → the windows that replace that day's weekly windows. */
  readonly overrides: ReadonlyMap<string, readonly TimeWindow[]>
  /** Memoised open intervals in UTC; extended lazily, never changes a result. */
  readonly timeline: OpenTimeline
}

export type CalendarIssue = { readonly path: string; readonly message: string }
