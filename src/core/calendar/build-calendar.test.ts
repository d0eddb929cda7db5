import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  buildCalendar,
  CalendarSpecError,
  formatBusinessDuration,
  formatInZone,
  formatMinuteInZone,
  formatWeekdayTime,
  formatWindow,
  parseCalendarSpec,
  parseWindow,
  seedHolidays,
} from './index.ts'

describe('parseWindow', () => {
  test('a day window reads as minutes from local midnight', () => {
    assert.deepEqual(parseWindow('09:00-17:00'), { start: 540, end: 1020 })
    assert.deepEqual(parseWindow('9:30 – 17:15'), { start: 570, end: 1035 })
    assert.deepEqual(parseWindow('00:00-24:00'), { start: 0, end: 1440 })
  })

  test('an overnight window is written with +1 and ends after 1440', () => {
    assert.deepEqual(parseWindow('22:00-06:00+1'), { start: 1320, end: 1800 })
    assert.deepEqual(parseWindow('18:00-18:00+1'), { start: 1080, end: 2520 })
  })

  test('an end before the start without +1 is an error that shows the overnight spelling', () => {
    assert.throws(
      () => parseWindow('22:00-06:00'),
      (error: unknown) => {
        assert.ok(error instanceof CalendarSpecError)
        assert.equal(error.issues[0]?.path, 'window')
        assert.match(error.message, /end 06:00 is not after start 22:00; write "22:00-06:00\+1"/)
        return true
      },
    )
  })

  test('nonsense, 25:00 and windows longer than a day are errors', () => {
    assert.throws(() => parseWindow('nine to five'), /is not a window/)
    assert.throws(() => parseWindow('09:00-25:00'), /is not a time/)
    assert.throws(() => parseWindow('08:00-09:00+1'), /more than 24 hours/)
  })

  test('formatWindow writes what parseWindow reads', () => {
    for (const text of ['09:00-17:00', '22:00-06:00+1', '00:00-24:00'])
      assert.equal(formatWindow(parseWindow(text)), text)
  })
})

describe('buildCalendar', () => {
  test('weekdays may be ISO numbers or three-letter names, and absent days are closed', () => {
    const calendar = buildCalendar({
      name: 'x',
      timeZone: 'Europe/Berlin',
      weekly: { 1: ['09:00-17:00'], fri: ['10:00-12:00'] },
    })
    assert.deepEqual(calendar.weekly[1], [{ start: 540, end: 1020 }])
    assert.deepEqual(calendar.weekly[5], [{ start: 600, end: 720 }])
    assert.deepEqual(calendar.weekly[7], [])
  })

  test('every problem is reported at once, each with its path', () => {
    const result = parseCalendarSpec({
      name: '',
      timeZone: 'America/NewYork',
      weekly: { mon: ['17:00-08:00', '09:00-12:00', '11:00-13:00'], 2: ['09:00-10:00'], tue: [], funday: [] } as never,
      holidays: ['2026-02-30', { date: '2026-12-25', name: 'Christmas Day' }],
      overrides: [
        { date: '2026-12-24', windows: [{ start: 600, end: 500 }] },
        { date: '2026-12-24', windows: [] },
      ],
    })
    assert.equal(result.kind, 'invalid')
    if (result.kind !== 'invalid') return
    const paths = result.issues.map((issue) => issue.path)
    assert.deepEqual(paths.sort(), [
      'holidays[0]',
      'name',
      'overrides[0].windows[0]',
      'overrides[1].date',
      'timeZone',
      'weekly.funday',
      'weekly.mon[0]',
      'weekly.mon[2]',
      'weekly.tue',
    ])
    const byPath = new Map(result.issues.map((issue) => [issue.path, issue.message]))
    assert.match(byPath.get('weekly.mon[0]')!, /end 08:00 is not after start 17:00; write "17:00-08:00\+1"/)
    assert.match(byPath.get('weekly.mon[2]')!, /overlaps weekly\.mon\[1\]/)
    assert.match(byPath.get('timeZone')!, /unknown time zone "America\/NewYork"/)
    assert.match(byPath.get('weekly.tue')!, /the same day as weekly\.2/)
    assert.match(byPath.get('overrides[1].date')!, /already overridden by overrides\[0\]/)
  })

  test('buildCalendar throws one CalendarSpecError carrying every issue', () => {
    assert.throws(
      () => buildCalendar({ name: 'x', timeZone: 'Mars/Olympus', weekly: { tue: ['9-5'] } }),
      (error: unknown) =>
        error instanceof CalendarSpecError && error.code === 'invalid_calendar' && error.issues.length === 2,
    )
  })

  test('holidays keep their names and a fixed-offset time zone is accepted', () => {
    const calendar = buildCalendar({
      name: 'x',
      timeZone: '+05:30',
      weekly: { mon: ['09:00-17:00'] },
      holidays: [{ date: '2026-01-26', name: 'Republic Day' }, '2026-08-15'],
    })
    assert.equal(calendar.holidays.get('2026-01-26'), 'Republic Day')
    assert.equal(calendar.holidays.get('2026-08-15'), '')
  })
})

describe('seedHolidays', () => {
  test('US public holidays for 2026 include Thanksgiving on 2026-11-26 and no observances', () => {
    const holidays = seedHolidays('US', undefined, [2026])
    assert.deepEqual(
      holidays.find((h) => h.date === '2026-11-26'),
      { date: '2026-11-26', name: 'Thanksgiving Day' },
    )
    assert.equal(
      holidays.some((h) => h.date === '2026-11-27'),
      false,
    )
    assert.deepEqual(
      holidays.map((h) => h.date),
      [...holidays.map((h) => h.date)].sort(),
    )
  })

  test('a region adds its own holidays: New South Wales has Labour Day on 2026-10-05', () => {
    assert.ok(seedHolidays('AU', 'NSW', [2026]).some((h) => h.date === '2026-10-05'))
    assert.ok(!seedHolidays('AU', undefined, [2026]).some((h) => h.date === '2026-10-05'))
  })

  test('a multi-day holiday gives one entry per day', () => {
    const dates = seedHolidays('AM', undefined, [2026]).map((h) => h.date)
    assert.ok(dates.includes('2026-01-01') && dates.includes('2026-01-02'))
  })

  test('an unknown country or region is a RangeError naming it', () => {
    assert.throws(() => seedHolidays('XX', undefined, [2026]), /no country "XX"/)
    assert.throws(() => seedHolidays('US', 'ZZ', [2026]), /no region "ZZ" of country "US"/)
  })
})

describe('formatting', () => {
  const monday = Date.parse('2026-11-23T14:30:00Z')
  test('instants render in the calendar’s zone with its offset', () => {
    assert.equal(formatInZone(monday, 'America/New_York'), '2026-11-23T09:30:00-05:00')
    assert.equal(formatMinuteInZone(monday, 'America/New_York'), '2026-11-23T09:30-05:00')
    assert.equal(formatWeekdayTime(Date.parse('2026-11-20T21:30:00Z'), 'America/New_York'), 'Fri 16:30')
    assert.equal(formatInZone(monday, 'Asia/Kolkata'), '2026-11-23T20:00:00+05:30')
  })

  test('business durations read as hours and minutes', () => {
    assert.equal(formatBusinessDuration(3_600_000), '1 business hour')
    assert.equal(formatBusinessDuration(4 * 3_600_000), '4 business hours')
    assert.equal(formatBusinessDuration(5_400_000), '1 business hour 30 minutes')
    assert.equal(formatBusinessDuration(45 * 60_000), '45 business minutes')
    assert.equal(formatBusinessDuration(0), '0 business seconds')
  })
})
