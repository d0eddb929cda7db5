import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildCalendar, formatInZone } from '../calendar/index.ts'
import { measureClock, pauseClock, startClock, stopClock } from './index.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const at = (iso: string) => Date.parse(iso)
const nyTime = (ms: number | null) => (ms === null ? null : formatInZone(ms, 'America/New_York'))
const newYork = buildCalendar({
  name: 'new_york',
  timeZone: 'America/New_York',
  weekly: {
    mon: ['09:00-17:00'],
    tue: ['09:00-17:00'],
    wed: ['09:00-17:00'],
    thu: ['09:00-17:00'],
    fri: ['09:00-17:00'],
  },
})
// Friday 16:30, 1 business hour: due Monday 09:30.
const hotLead = () => startClock({ at: at('2026-11-20T16:30:00-05:00'), targetMs: HOUR, calendar: newYork })

describe('measuring a clock in business time', () => {
  test('over the weekend 30 business minutes are left and the countdown stands still until Monday 09:00', () => {
    const m = measureClock(hotLead(), at('2026-11-21T12:00:00-05:00'), newYork)
    assert.equal(m.consumedMs, 30 * MINUTE)
    assert.equal(m.remainingMs, 30 * MINUTE)
    assert.equal(m.ticking, false)
    assert.equal(m.calendarOpen, false)
    assert.equal(nyTime(m.nextChangeAt), '2026-11-23T09:00:00-05:00')
  })

  test('on Monday at 09:10 it ticks until the calendar closes at 17:00, with 20 business minutes left', () => {
    const m = measureClock(hotLead(), at('2026-11-23T09:10:00-05:00'), newYork)
    assert.equal(m.remainingMs, 20 * MINUTE)
    assert.equal(m.ticking, true)
    assert.equal(nyTime(m.nextChangeAt), '2026-11-23T17:00:00-05:00')
  })

  test('past due, the remaining business time is negative: how far overdue in business time', () => {
    const m = measureClock(hotLead(), at('2026-11-23T10:15:00-05:00'), newYork)
    assert.equal(m.remainingMs, -45 * MINUTE)
  })

  test('a paused clock keeps what it had used and does not tick while the calendar is open', () => {
    const paused = pauseClock(hotLead(), at('2026-11-23T09:10:00-05:00'), newYork).clock
    const m = measureClock(paused, at('2026-11-23T15:00:00-05:00'), newYork)
    assert.equal(m.consumedMs, 40 * MINUTE)
    assert.equal(m.ticking, false)
    assert.equal(m.calendarOpen, true)
  })

  test('a met clock reports the business time it took, however late it is read', () => {
    const met = stopClock(hotLead(), at('2026-11-23T09:20:00-05:00'), newYork).clock
    assert.equal(measureClock(met, at('2026-11-30T12:00:00-05:00'), newYork).consumedMs, 50 * MINUTE)
  })

  test('a calendar that never opens again has no next change', () => {
    const once = buildCalendar({
      name: 'event',
      timeZone: 'UTC',
      weekly: {},
      overrides: [{ date: '2026-11-23', windows: ['09:00-10:00'] }],
    })
    const clock = startClock({ at: at('2026-11-23T09:00:00Z'), targetMs: 2 * HOUR, calendar: once })
    const m = measureClock(clock, at('2026-11-24T00:00:00Z'), once)
    assert.equal(m.remainingMs, HOUR)
    assert.equal(m.nextChangeAt, null)
  })
})
