import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  addBusinessTime,
  buildCalendar,
  businessTimeBetween,
  type CalendarSpec,
  formatInZone,
  isOpen,
  listOpenIntervals,
  nextOpenInstant,
  seedHolidays,
} from './index.ts'

const HOUR = 3_600_000
const MINUTE = 60_000
const at = (iso: string) => Date.parse(iso)

function weekdays(window: string): CalendarSpec['weekly'] {
  return { mon: [window], tue: [window], wed: [window], thu: [window], fri: [window] }
}

const newYork = buildCalendar({
  name: 'new_york',
  timeZone: 'America/New_York',
  weekly: weekdays('09:00-17:00'),
  holidays: seedHolidays('US', undefined, [2026, 2027]),
})

describe('business time in New York', () => {
  test('a hot lead created Friday 16:30 in New York with a 1-business-hour SLA and 09:00–17:00 hours is due Monday 09:30 New York', () => {
    const due = addBusinessTime(at('2026-11-20T16:30:00-05:00'), HOUR, newYork)
    assert.equal(formatInZone(due, 'America/New_York'), '2026-11-23T09:30:00-05:00')
    assert.equal(businessTimeBetween(at('2026-11-20T16:30:00-05:00'), due, newYork), HOUR)
  })

  test('a Wednesday 16:00 lead with 4 business hours is due Friday 12:00 because Thanksgiving 2026-11-26 is closed', () => {
    const due = addBusinessTime(at('2026-11-25T16:00:00-05:00'), 4 * HOUR, newYork)
    assert.equal(formatInZone(due, 'America/New_York'), '2026-11-27T12:00:00-05:00')
  })

  test('a lead due exactly at closing time is due at 17:00, not at the next opening', () => {
    const due = addBusinessTime(at('2026-11-20T16:30:00-05:00'), 30 * MINUTE, newYork)
    assert.equal(formatInZone(due, 'America/New_York'), '2026-11-20T17:00:00-05:00')
  })

  test('a 00:00–06:00 window on the spring-forward night counts 5 real hours, not 6', () => {
    const night = buildCalendar({ name: 'night', timeZone: 'America/New_York', weekly: { sun: ['00:00-06:00'] } })
    assert.equal(businessTimeBetween(at('2026-03-08T00:00:00-05:00'), at('2026-03-08T06:00:00-04:00'), night), 5 * HOUR)
    assert.equal(
      formatInZone(addBusinessTime(at('2026-03-07T12:00:00-05:00'), 5 * HOUR, night), 'America/New_York'),
      '2026-03-08T06:00:00-04:00',
    )
    assert.equal(
      formatInZone(addBusinessTime(at('2026-03-07T12:00:00-05:00'), 6 * HOUR, night), 'America/New_York'),
      '2026-03-15T01:00:00-04:00',
    )
  })

  test('an overnight 22:00–06:00 window across the spring-forward night counts 7 real hours', () => {
    const overnight = buildCalendar({
      name: 'overnight',
      timeZone: 'America/New_York',
      weekly: { sat: ['22:00-06:00+1'] },
    })
    assert.equal(
      businessTimeBetween(at('2026-03-07T12:00:00-05:00'), at('2026-03-08T12:00:00-04:00'), overnight),
      7 * HOUR,
    )
    assert.equal(
      businessTimeBetween(at('2026-10-31T12:00:00-04:00'), at('2026-11-01T12:00:00-05:00'), overnight),
      9 * HOUR,
    )
  })

  test('a 01:00–04:00 window is 2 real hours on the spring-forward day and 4 on the fall-back day', () => {
    const early = buildCalendar({ name: 'early', timeZone: 'America/New_York', weekly: { sun: ['01:00-04:00'] } })
    const dayOf = (from: string, to: string) => businessTimeBetween(at(from), at(to), early)
    assert.equal(dayOf('2026-03-08T00:00:00-05:00', '2026-03-08T12:00:00-04:00'), 2 * HOUR)
    assert.equal(dayOf('2026-11-01T00:00:00-04:00', '2026-11-01T12:00:00-05:00'), 4 * HOUR)
    assert.equal(dayOf('2026-03-15T00:00:00-04:00', '2026-03-15T12:00:00-04:00'), 3 * HOUR)
  })

  test('a window starting inside the spring-forward gap opens at the jump, 03:00 EDT', () => {
    const gap = buildCalendar({ name: 'gap', timeZone: 'America/New_York', weekly: { sun: ['02:30-05:00'] } })
    assert.equal(
      formatInZone(nextOpenInstant(at('2026-03-08T00:00:00-05:00'), gap), 'America/New_York'),
      '2026-03-08T03:00:00-04:00',
    )
    assert.equal(businessTimeBetween(at('2026-03-08T00:00:00-05:00'), at('2026-03-08T12:00:00-04:00'), gap), 2 * HOUR)
  })
})

describe('business time in Berlin', () => {
  const berlin = buildCalendar({
    name: 'berlin',
    timeZone: 'Europe/Berlin',
    weekly: weekdays('09:00-17:00'),
    holidays: seedHolidays('DE', 'BE', [2026, 2027]),
  })

  test('for a rep in Berlin receiving a lead from California the clock runs in the owner’s calendar', () => {
    const created = at('2026-03-16T08:00:00-07:00') // Monday 16:00 in Berlin
    const due = addBusinessTime(created, 4 * HOUR, berlin)
    assert.equal(formatInZone(due, 'Europe/Berlin'), '2026-03-17T12:00:00+01:00')
    assert.equal(formatInZone(due, 'America/Los_Angeles'), '2026-03-17T04:00:00-07:00')
    const california = buildCalendar({ name: 'la', timeZone: 'America/Los_Angeles', weekly: weekdays('09:00-17:00') })
    assert.equal(
      formatInZone(addBusinessTime(created, 4 * HOUR, california), 'America/Los_Angeles'),
      '2026-03-16T13:00:00-07:00',
    )
  })

  test('a round-the-clock Sunday in Berlin holds 23 business hours on 2026-03-29 and 25 on 2026-10-25', () => {
    const sundays = buildCalendar({ name: 'sundays', timeZone: 'Europe/Berlin', weekly: { sun: ['00:00-24:00'] } })
    assert.equal(
      businessTimeBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'), sundays),
      23 * HOUR,
    )
    assert.equal(
      businessTimeBetween(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'), sundays),
      25 * HOUR,
    )
  })

  test('a 40-business-hour SLA started Wednesday 2026-12-23 13:00 in Berlin skips Christmas and is due 2026-12-31 13:00', () => {
    const due = addBusinessTime(at('2026-12-23T13:00:00+01:00'), 40 * HOUR, berlin)
    assert.equal(formatInZone(due, 'Europe/Berlin'), '2026-12-31T13:00:00+01:00')
    assert.equal(businessTimeBetween(at('2026-12-23T13:00:00+01:00'), due, berlin), 40 * HOUR)
  })
})

describe('business time in Sydney', () => {
  const sydney = buildCalendar({
    name: 'sydney',
    timeZone: 'Australia/Sydney',
    weekly: weekdays('09:00-17:00'),
    holidays: seedHolidays('AU', 'NSW', [2026]),
  })

  test('a Friday 16:30 lead in Sydney before the October DST start is due Tuesday 09:30 +11:00 after Labour Day', () => {
    const due = addBusinessTime(at('2026-10-02T16:30:00+10:00'), HOUR, sydney)
    assert.equal(formatInZone(due, 'Australia/Sydney'), '2026-10-06T09:30:00+11:00')
  })

  test('an overnight Saturday window in Sydney counts 7 real hours when DST starts in October and 9 when it ends in April', () => {
    const overnight = buildCalendar({
      name: 'overnight',
      timeZone: 'Australia/Sydney',
      weekly: { sat: ['22:00-06:00+1'] },
    })
    assert.equal(
      businessTimeBetween(at('2026-10-03T12:00:00+10:00'), at('2026-10-04T12:00:00+11:00'), overnight),
      7 * HOUR,
    )
    assert.equal(
      businessTimeBetween(at('2026-04-04T12:00:00+11:00'), at('2026-04-05T12:00:00+10:00'), overnight),
      9 * HOUR,
    )
  })
})

describe('business time in Kolkata', () => {
  const kolkata = buildCalendar({
    name: 'kolkata',
    timeZone: 'Asia/Kolkata',
    weekly: weekdays('09:00-18:00'),
    holidays: seedHolidays('IN', undefined, [2026]),
  })

  test('a lead arriving 12:00 UTC Friday (17:30 in Kolkata, +05:30, no DST) with 2 business hours is due Monday 10:30', () => {
    const due = addBusinessTime(at('2026-11-20T12:00:00Z'), 2 * HOUR, kolkata)
    assert.equal(formatInZone(due, 'Asia/Kolkata'), '2026-11-23T10:30:00+05:30')
    assert.equal(due, at('2026-11-23T05:00:00Z'))
  })

  test('Republic Day, Monday 2026-01-26, is closed in Kolkata', () => {
    const due = addBusinessTime(at('2026-01-23T17:00:00+05:30'), 2 * HOUR, kolkata)
    assert.equal(formatInZone(due, 'Asia/Kolkata'), '2026-01-27T10:00:00+05:30')
  })
})

describe('windows, holidays and overrides', () => {
  test('an overnight window belongs to the day it starts on: a Thursday holiday keeps Wednesday night and closes Thursday night', () => {
    const nights = buildCalendar({
      name: 'nights',
      timeZone: 'UTC',
      weekly: { wed: ['22:00-06:00+1'], thu: ['22:00-06:00+1'] },
      holidays: ['2026-11-26'],
    })
    assert.equal(isOpen(at('2026-11-26T05:00:00Z'), nights), true)
    assert.equal(isOpen(at('2026-11-26T23:00:00Z'), nights), false)
    assert.equal(businessTimeBetween(at('2026-11-25T00:00:00Z'), at('2026-11-28T00:00:00Z'), nights), 8 * HOUR)
  })

  test('an override replaces a day’s windows and an empty override closes the day', () => {
    const edited = buildCalendar({
      name: 'edited',
      timeZone: 'America/New_York',
      weekly: weekdays('09:00-17:00'),
      overrides: [
        { date: '2026-12-24', windows: ['09:00-12:00'] },
        { date: '2026-12-28', windows: [] },
      ],
    })
    assert.equal(
      businessTimeBetween(at('2026-12-24T00:00:00-05:00'), at('2026-12-25T00:00:00-05:00'), edited),
      3 * HOUR,
    )
    assert.equal(businessTimeBetween(at('2026-12-28T00:00:00-05:00'), at('2026-12-29T00:00:00-05:00'), edited), 0)
    assert.equal(
      businessTimeBetween(at('2026-12-25T00:00:00-05:00'), at('2026-12-26T00:00:00-05:00'), edited),
      8 * HOUR,
    )
  })

  test('an overnight window running into the next morning’s window counts the overlap once', () => {
    const shifts = buildCalendar({
      name: 'shifts',
      timeZone: 'UTC',
      weekly: { mon: ['22:00-06:00+1'], tue: ['05:00-08:00'] },
    })
    assert.equal(businessTimeBetween(at('2026-11-23T00:00:00Z'), at('2026-11-25T00:00:00Z'), shifts), 10 * HOUR)
    assert.deepEqual(listOpenIntervals(at('2026-11-23T00:00:00Z'), at('2026-11-25T00:00:00Z'), shifts), [
      { startMs: at('2026-11-23T22:00:00Z'), endMs: at('2026-11-24T08:00:00Z') },
    ])
  })

  test('several windows a day leave the lunch break closed', () => {
    const split = buildCalendar({
      name: 'split',
      timeZone: 'Europe/Berlin',
      weekly: { mon: ['12:00-13:00', '08:00-11:30', '13:30-17:00'] },
    })
    assert.equal(businessTimeBetween(at('2026-11-23T00:00:00+01:00'), at('2026-11-24T00:00:00+01:00'), split), 8 * HOUR)
    assert.equal(isOpen(at('2026-11-23T11:45:00+01:00'), split), false)
    assert.equal(
      formatInZone(addBusinessTime(at('2026-11-23T11:00:00+01:00'), HOUR, split), 'Europe/Berlin'),
      '2026-11-23T12:30:00+01:00',
    )
  })

  test('windows include their opening minute and exclude their closing minute', () => {
    assert.equal(isOpen(at('2026-11-23T09:00:00-05:00'), newYork), true)
    assert.equal(isOpen(at('2026-11-23T16:59:59.999-05:00'), newYork), true)
    assert.equal(isOpen(at('2026-11-23T17:00:00-05:00'), newYork), false)
  })

  test('the next open instant of a Saturday is Monday 09:00, and of an open instant is itself', () => {
    assert.equal(
      formatInZone(nextOpenInstant(at('2026-11-21T10:00:00-05:00'), newYork), 'America/New_York'),
      '2026-11-23T09:00:00-05:00',
    )
    assert.equal(nextOpenInstant(at('2026-11-23T10:00:00-05:00'), newYork), at('2026-11-23T10:00:00-05:00'))
    assert.equal(
      formatInZone(nextOpenInstant(at('2026-11-23T17:00:00-05:00'), newYork), 'America/New_York'),
      '2026-11-24T09:00:00-05:00',
    )
  })

  test('adding zero business time to a closed instant returns that instant, not the next opening', () => {
    const saturday = at('2026-11-21T10:00:00-05:00')
    assert.equal(addBusinessTime(saturday, 0, newYork), saturday)
  })

  test('business time from a later to an earlier instant is negative', () => {
    const a = at('2026-11-20T16:30:00-05:00')
    const b = at('2026-11-23T09:30:00-05:00')
    assert.equal(businessTimeBetween(b, a, newYork), -HOUR)
    assert.equal(businessTimeBetween(a, a, newYork), 0)
  })

  test('a 1000-business-hour duration crosses half a year of holidays and comes back exactly', () => {
    const start = at('2026-06-01T09:00:00-04:00')
    const due = addBusinessTime(start, 1000 * HOUR, newYork)
    assert.equal(businessTimeBetween(start, due, newYork), 1000 * HOUR)
    assert.equal(isOpen(due - 1, newYork), true)
  })

  test('a calendar open only on one override date never opens again after it', () => {
    const event = buildCalendar({
      name: 'event',
      timeZone: 'UTC',
      weekly: {},
      overrides: [{ date: '2026-11-23', windows: ['09:00-17:00'] }],
    })
    const before = at('2026-11-01T00:00:00Z')
    assert.equal(addBusinessTime(before, 8 * HOUR, event), at('2026-11-23T17:00:00Z'))
    assert.equal(addBusinessTime(before, 9 * HOUR, event), Number.POSITIVE_INFINITY)
    assert.equal(nextOpenInstant(at('2026-11-24T00:00:00Z'), event), Number.POSITIVE_INFINITY)
    assert.equal(businessTimeBetween(before, at('2027-06-01T00:00:00Z'), event), 8 * HOUR)
  })

  test('a negative duration or a non-finite instant is a RangeError', () => {
    assert.throws(() => addBusinessTime(0, -1, newYork), RangeError)
    assert.throws(() => addBusinessTime(Number.NaN, HOUR, newYork), RangeError)
    assert.throws(() => nextOpenInstant(Number.POSITIVE_INFINITY, newYork), RangeError)
  })
})
