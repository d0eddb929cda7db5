import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { Temporal } from 'temporal-polyfill'
import type { TimeWindow } from './calendar-types.ts'
import { addBusinessTime, buildCalendar, businessTimeBetween, type Calendar, isOpen, nextOpenInstant } from './index.ts'
import { DAY_MS, epochDayFromCivil, formatIsoDate, isoWeekdayOf } from './local-date.ts'

const HOUR = 3_600_000
// Zones with the shapes of DST that break business-hours libraries: 1-hour (northern and southern), 30-minute
// (Lord Howe), suspended for Ramadan (Casablanca), at midnight (Sao Paulo before 2019, Havana), a skipped day
// (Apia, 2011-12-30), none (Kolkata, +05:30), a fixed offset.
const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Africa/Casablanca',
  'America/Sao_Paulo',
  'America/Havana',
  'Pacific/Apia',
  'UTC',
  '+05:45',
]
const FIRST_DAY = epochDayFromCivil(2010, 1, 1)
const LAST_DAY = epochDayFromCivil(2030, 12, 31)

const dayWindows = fc
  .record({
    cuts: fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 }),
    overnight: fc.option(
      fc.record({ start: fc.integer({ min: 0, max: 1439 }), length: fc.integer({ min: 1, max: 1440 }) }),
    ),
  })
  .map(({ cuts, overnight }) => {
    const sorted = [...cuts].sort((a, b) => a - b)
    const windows: TimeWindow[] = []
    for (let i = 0; i + 1 < sorted.length; i += 2) windows.push({ start: sorted[i]!, end: sorted[i + 1]! })
    const lastEnd = windows.length > 0 ? windows[windows.length - 1]!.end : 0
    if (overnight !== null && overnight.start >= lastEnd) {
      windows.push({ start: overnight.start, end: overnight.start + overnight.length })
    }
    return windows
  })

const specialDay = fc.integer({ min: FIRST_DAY, max: LAST_DAY }).map(formatIsoDate)

const calendarArb = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    week: fc.array(dayWindows, { minLength: 7, maxLength: 7 }),
    holidays: fc.uniqueArray(specialDay, { maxLength: 40 }),
    overrides: fc.uniqueArray(fc.record({ date: specialDay, windows: dayWindows }), {
      maxLength: 6,
      selector: (o) => o.date,
    }),
  })
  .filter(({ week }) => week.some((windows) => windows.length > 0))
  .map(({ timeZone, week, holidays, overrides }) =>
    buildCalendar({
      name: 'random',
      timeZone,
      weekly: { 1: week[0]!, 2: week[1]!, 3: week[2]!, 4: week[3]!, 5: week[4]!, 6: week[5]!, 7: week[6]! },
      holidays,
      overrides,
    }),
  )

const instant = fc.integer({ min: FIRST_DAY * DAY_MS, max: LAST_DAY * DAY_MS })
const duration = fc.oneof(
  fc.integer({ min: 0, max: 8 * HOUR }),
  fc.integer({ min: 0, max: 300 * HOUR }),
  fc.constantFrom(0, 1, HOUR, 4 * HOUR),
)

describe('business-time laws over random calendars, zones, instants and durations', () => {
  test('adding a then b equals adding a + b', () => {
    fc.assert(
      fc.property(calendarArb, instant, duration, duration, (calendar, s, a, b) => {
        assert.equal(addBusinessTime(addBusinessTime(s, a, calendar), b, calendar), addBusinessTime(s, a + b, calendar))
      }),
      { numRuns: 300 },
    )
  })

  test('the business time between a start and start + d is exactly d', () => {
    fc.assert(
      fc.property(calendarArb, instant, duration, (calendar, s, d) => {
        assert.equal(businessTimeBetween(s, addBusinessTime(s, d, calendar), calendar), d)
      }),
      { numRuns: 300 },
    )
  })

  test('a longer duration never gives an earlier due instant', () => {
    fc.assert(
      fc.property(calendarArb, instant, duration, duration, (calendar, s, d1, d2) => {
        const [short, long] = d1 <= d2 ? [d1, d2] : [d2, d1]
        assert.ok(addBusinessTime(s, short, calendar) <= addBusinessTime(s, long, calendar))
      }),
      { numRuns: 300 },
    )
  })

  test('adding zero returns the start itself; adding more ends inside a window at least d after the next opening', () => {
    fc.assert(
      fc.property(calendarArb, instant, duration, (calendar, s, d) => {
        assert.equal(addBusinessTime(s, 0, calendar), s)
        if (d === 0) return
        const due = addBusinessTime(s, d, calendar)
        assert.ok(due >= nextOpenInstant(s, calendar) + d)
        assert.equal(isOpen(due - 1, calendar), true)
      }),
      { numRuns: 300 },
    )
  })

  test('business time is additive over any three instants and never exceeds real time', () => {
    fc.assert(
      fc.property(calendarArb, instant, instant, instant, (calendar, a, b, c) => {
        const ab = businessTimeBetween(a, b, calendar)
        assert.equal(ab + businessTimeBetween(b, c, calendar), businessTimeBetween(a, c, calendar))
        assert.ok(Math.abs(ab) <= Math.abs(b - a))
      }),
      { numRuns: 200 },
    )
  })

  test('business time agrees with an independent day-by-day Temporal computation', () => {
    fc.assert(
      fc.property(calendarArb, instant, fc.integer({ min: 0, max: 10 * DAY_MS }), (calendar, a, span) => {
        assert.equal(businessTimeBetween(a, a + span, calendar), oracleBetween(calendar, a, a + span))
      }),
      { numRuns: 150 },
    )
  })
})

// Window boundaries straight from Temporal: first occurrence opens, last occurrence closes, a skipped wall
// time maps to the transition. Slow and obvious on purpose.
function wallInstant(timeZone: string, date: Temporal.PlainDate, minutes: number, pick: 'earlier' | 'later'): number {
  const wall = date.toPlainDateTime().add({ minutes })
  const compatible = wall.toZonedDateTime(timeZone, { disambiguation: 'compatible' })
  if (!compatible.toPlainDateTime().equals(wall)) {
    const before = wall.toZonedDateTime(timeZone, { disambiguation: 'earlier' })
    return before.getTimeZoneTransition('next')!.epochMilliseconds
  }
  return wall.toZonedDateTime(timeZone, { disambiguation: pick }).epochMilliseconds
}

function oracleBetween(calendar: Calendar, from: number, to: number): number {
  const tz = calendar.timeZone
  const firstDate = Temporal.Instant.fromEpochMilliseconds(from)
    .toZonedDateTimeISO(tz)
    .toPlainDate()
    .subtract({ days: 2 })
  const lastDate = Temporal.Instant.fromEpochMilliseconds(to).toZonedDateTimeISO(tz).toPlainDate().add({ days: 1 })
  const intervals: [number, number][] = []
  for (let date = firstDate; Temporal.PlainDate.compare(date, lastDate) <= 0; date = date.add({ days: 1 })) {
    const iso = date.toString()
    const epochDay = epochDayFromCivil(date.year, date.month, date.day)
    const windows =
      calendar.overrides.get(iso) ?? (calendar.holidays.has(iso) ? [] : calendar.weekly[isoWeekdayOf(epochDay)])
    for (const w of windows) {
      const open = Math.max(from, wallInstant(tz, date, w.start, 'earlier'))
      const close = Math.min(to, wallInstant(tz, date, w.end, 'later'))
      if (close > open) intervals.push([open, close])
    }
  }
  intervals.sort((x, y) => x[0] - y[0])
  let total = 0
  let reached = Number.NEGATIVE_INFINITY
  for (const [open, close] of intervals) {
    const start = Math.max(open, reached)
    if (close > start) total += close - start
    reached = Math.max(reached, close)
  }
  return total
}
