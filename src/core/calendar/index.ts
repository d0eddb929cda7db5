// Business-hours calendars and business-time arithmetic (pure). Owns: what a calendar is (time zone, weekly
// windows, holidays, overrides), validating it, and add / between / next-open / is-open over it.
// Anyone may import this folder; it imports nothing outside itself except temporal-polyfill and date-holidays.

export { buildCalendar, type CalendarSpecResult, parseCalendarSpec } from './build-calendar.ts'
export {
  addBusinessTime,
  businessTimeBetween,
  isOpen,
  listOpenIntervals,
  nextOpenInstant,
  type OpenInterval,
} from './business-time.ts'
export { CalendarSpecError } from './calendar-spec-error.ts'
export type {
  Calendar,
  CalendarIssue,
  CalendarOverride,
  CalendarSpec,
  HolidayEntry,
  IsoWeekday,
  TimeWindow,
  WeekdayName,
  WeeklySpec,
  WindowInput,
} from './calendar-types.ts'
export { formatBusinessDuration, formatInZone, formatMinuteInZone, formatWeekdayTime } from './format-in-zone.ts'
export { formatWindow, parseWindow } from './parse-window.ts'
export { type SeededHoliday, seedHolidays } from './seed-holidays.ts'
