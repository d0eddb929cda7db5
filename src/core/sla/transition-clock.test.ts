import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildCalendar, businessTimeBetween, type CalendarSpec, formatInZone, seedHolidays } from '../calendar/index.ts'
import { cancelClock, pauseClock, recomputeClock, resumeClock, startClock, stopClock } from './index.ts'

const HOUR = 3_600_000
const MINUTE = 60_000
const at = (iso: string) => Date.parse(iso)
const nyTime = (ms: number | null) => (ms === null ? null : formatInZone(ms, 'America/New_York'))

const spec: CalendarSpec = {
  name: 'new_york',
  timeZone: 'America/New_York',
  weekly: {
    mon: ['09:00-17:00'],
    tue: ['09:00-17:00'],
    wed: ['09:00-17:00'],
    thu: ['09:00-17:00'],
    fri: ['09:00-17:00'],
  },
  holidays: seedHolidays('US', undefined, [2026]),
}
const newYork = buildCalendar(spec)
const hotLead = () =>
  startClock({ at: at('2026-11-20T16:30:00-05:00'), targetMs: HOUR, warnAtFraction: 0.75, calendar: newYork })

describe('SLA clock transitions', () => {
  test('starting a clock Friday 16:30 with 1 business hour makes it due Monday 09:30 and warn at Monday 09:15', () => {
    const clock = hotLead()
    assert.equal(clock.state, 'running')
    assert.equal(nyTime(clock.dueAt), '2026-11-23T09:30:00-05:00')
    assert.equal(nyTime(clock.warnAt), '2026-11-23T09:15:00-05:00')
    assert.equal(clock.dueReason, 'due 2026-11-23T09:30-05:00: 1 business hour from Fri 16:30 in calendar new_york')
  })

  test('a clock without a warning fraction has no warn instant, and a bad target or fraction is a RangeError', () => {
    const clock = startClock({ at: at('2026-11-20T16:30:00-05:00'), targetMs: HOUR, calendar: newYork })
    assert.equal(clock.warnAt, null)
    assert.throws(() => startClock({ at: 0, targetMs: 0, calendar: newYork }), RangeError)
    assert.throws(() => startClock({ at: 0, targetMs: HOUR, warnAtFraction: 1.5, calendar: newYork }), RangeError)
  })

  test('pausing banks the business time used and clears the due and warn instants', () => {
    const change = pauseClock(hotLead(), at('2026-11-23T09:10:00-05:00'), newYork)
    assert.equal(change.changed, true)
    assert.equal(change.clock.state, 'paused')
    assert.equal(change.clock.consumedMs, 40 * MINUTE)
    assert.equal(change.clock.dueAt, null)
    assert.equal(change.clock.warnAt, null)
    assert.equal(
      change.reason,
      'paused Mon 09:10: 40 business minutes used of 1 business hour, 20 business minutes remain',
    )
  })

  test('resuming recomputes due and warn from the remaining business time', () => {
    const paused = pauseClock(hotLead(), at('2026-11-23T09:10:00-05:00'), newYork).clock
    const resumed = resumeClock(paused, at('2026-11-23T13:00:00-05:00'), newYork).clock
    assert.equal(resumed.state, 'running')
    assert.equal(nyTime(resumed.dueAt), '2026-11-23T13:20:00-05:00')
    assert.equal(nyTime(resumed.warnAt), '2026-11-23T13:05:00-05:00')
    assert.equal(
      resumed.dueReason,
      'due 2026-11-23T13:20-05:00: 20 business minutes remaining of 1 business hour from the resume at Mon 13:00 in calendar new_york',
    )
  })

  test('resuming moves due and warn out by the business time the pause lasted, and says so', () => {
    const clock = hotLead()
    const paused = pauseClock(clock, at('2026-11-23T09:10:00-05:00'), newYork).clock
    const change = resumeClock(paused, at('2026-11-24T11:45:00-05:00'), newYork)
    const pausedFor = businessTimeBetween(at('2026-11-23T09:10:00-05:00'), at('2026-11-24T11:45:00-05:00'), newYork)
    assert.equal(pausedFor, 10 * HOUR + 35 * MINUTE)
    assert.equal(businessTimeBetween(clock.dueAt!, change.clock.dueAt!, newYork), pausedFor)
    assert.equal(businessTimeBetween(clock.warnAt!, change.clock.warnAt!, newYork), pausedFor)
    assert.equal(
      change.reason,
      'resumed Tue 11:45 after 10 business hours 35 minutes paused; due 2026-11-24T12:05-05:00: 20 business minutes remaining of 1 business hour from the resume at Tue 11:45 in calendar new_york',
    )
  })

  test('a first touch before the due instant meets the SLA in time', () => {
    const change = stopClock(hotLead(), at('2026-11-23T09:20:00-05:00'), newYork)
    assert.equal(change.clock.state, 'met')
    assert.equal(change.clock.late, false)
    assert.equal(change.clock.breachedAt, null)
    assert.equal(change.clock.consumedMs, 50 * MINUTE)
    assert.equal(
      change.reason,
      'met at 2026-11-23T09:20-05:00 after 50 business minutes, within 1 business hour (due 2026-11-23T09:30-05:00)',
    )
  })

  test('a first touch exactly at the due instant is in time', () => {
    const clock = hotLead()
    assert.equal(stopClock(clock, clock.dueAt!, newYork).clock.late, false)
  })

  test('a first touch after the due instant is met late and records the breach at the due instant', () => {
    const clock = hotLead()
    const change = stopClock(clock, at('2026-11-23T11:00:00-05:00'), newYork)
    assert.equal(change.clock.state, 'met')
    assert.equal(change.clock.late, true)
    assert.equal(change.clock.breachedAt, clock.dueAt)
    assert.equal(
      change.reason,
      'met late at 2026-11-23T11:00-05:00: due 2026-11-23T09:30-05:00, first touch 1 business hour 30 minutes after it',
    )
  })

  test('a first touch on a paused clock meets it in time without counting the pause', () => {
    const paused = pauseClock(hotLead(), at('2026-11-23T09:10:00-05:00'), newYork).clock
    const met = stopClock(paused, at('2026-11-23T15:00:00-05:00'), newYork).clock
    assert.equal(met.state, 'met')
    assert.equal(met.late, false)
    assert.equal(met.consumedMs, 40 * MINUTE)
  })

  test('pausing after the due instant breaches the clock instead of pausing it', () => {
    const clock = hotLead()
    const change = pauseClock(clock, at('2026-11-23T10:00:00-05:00'), newYork)
    assert.equal(change.clock.state, 'breached')
    assert.equal(change.clock.breachedAt, clock.dueAt)
    assert.match(change.reason, /^not paused: due 2026-11-23T09:30-05:00 passed before the pause/)
    assert.equal(pauseClock(change.clock, at('2026-11-23T10:05:00-05:00'), newYork).changed, false)
  })

  test('a met clock ignores pause, resume, a second touch, cancel and recompute', () => {
    const met = stopClock(hotLead(), at('2026-11-23T09:20:00-05:00'), newYork).clock
    const now = at('2026-11-23T12:00:00-05:00')
    for (const change of [
      pauseClock(met, now, newYork),
      resumeClock(met, now, newYork),
      stopClock(met, now, newYork),
      cancelClock(met, now, newYork, 'lead disqualified'),
      recomputeClock(met, newYork, now, newYork),
    ]) {
      assert.equal(change.changed, false)
      assert.equal(change.clock, met)
      assert.match(change.reason, /already met at 2026-11-23T09:20-05:00|the clock is met/)
    }
  })

  test('an event dated before the clock’s last change counts at that change', () => {
    const paused = pauseClock(hotLead(), at('2026-11-23T09:10:00-05:00'), newYork).clock
    const resumed = resumeClock(paused, at('2026-11-23T09:00:00-05:00'), newYork).clock
    assert.equal(resumed.runningSince, at('2026-11-23T09:10:00-05:00'))
  })

  test('cancelling a running clock past its due instant keeps the breach', () => {
    const clock = hotLead()
    const change = cancelClock(clock, at('2026-11-23T10:00:00-05:00'), newYork, 'lead disqualified: competitor')
    assert.equal(change.clock.state, 'cancelled')
    assert.equal(change.clock.breachedAt, clock.dueAt)
    assert.equal(
      change.reason,
      'cancelled at 2026-11-23T10:00-05:00, after breaching at 2026-11-23T09:30-05:00: lead disqualified: competitor',
    )
  })
})

describe('recomputing SLA clocks after a calendar edit', () => {
  // Thursday 2026-11-19 09:00, 4 business hours: due Thursday 13:00. At 11:00 the office closes for the day.
  const started = at('2026-11-19T09:00:00-05:00')
  const now = at('2026-11-19T11:00:00-05:00')
  const closedThursday = buildCalendar({ ...spec, holidays: [...(spec.holidays ?? []), '2026-11-19'] })

  test('with the previous calendar, time already used is kept and the new holiday moves the rest to Friday 11:00', () => {
    const clock = startClock({ at: started, targetMs: 4 * HOUR, calendar: newYork })
    const change = recomputeClock(clock, closedThursday, now, newYork)
    assert.equal(change.changed, true)
    assert.equal(change.clock.consumedMs, 2 * HOUR)
    assert.equal(nyTime(change.clock.dueAt), '2026-11-20T11:00:00-05:00')
    assert.match(
      change.reason,
      /^recomputed: due 2026-11-20T11:00-05:00: 2 business hours remaining of 4 business hours/,
    )
  })

  test('without the previous calendar, the new calendar applies to the whole running stretch: due Friday 13:00', () => {
    const clock = startClock({ at: started, targetMs: 4 * HOUR, calendar: newYork })
    assert.equal(nyTime(recomputeClock(clock, closedThursday, now).clock.dueAt), '2026-11-20T13:00:00-05:00')
  })

  test('a running clock already past due under the previous calendar is breached at its old due instant', () => {
    const clock = startClock({ at: started, targetMs: HOUR, calendar: newYork })
    const change = recomputeClock(clock, closedThursday, now, newYork)
    assert.equal(change.clock.state, 'breached')
    assert.equal(change.clock.breachedAt, clock.dueAt)
  })

  test('breached and cancelled clocks are untouched, and a paused clock only takes the new calendar name', () => {
    const clock = startClock({ at: started, targetMs: HOUR, calendar: newYork })
    const breached = pauseClock(clock, now, newYork).clock
    assert.equal(recomputeClock(breached, closedThursday, now, newYork).changed, false)
    const cancelled = cancelClock(clock, now, newYork, 'recycled').clock
    assert.equal(recomputeClock(cancelled, closedThursday, now).changed, false)
    const paused = pauseClock(clock, at('2026-11-19T09:30:00-05:00'), newYork).clock
    const renamed = recomputeClock(paused, { ...closedThursday, name: 'new_york_v2' }, now)
    assert.equal(renamed.clock.calendarName, 'new_york_v2')
    assert.equal(renamed.clock.consumedMs, paused.consumedMs)
  })

  test('a clock on a calendar that never opens long enough is never due', () => {
    const event = buildCalendar({
      name: 'event',
      timeZone: 'UTC',
      weekly: {},
      overrides: [{ date: '2026-11-23', windows: ['09:00-10:00'] }],
    })
    const clock = startClock({ at: at('2026-11-20T00:00:00Z'), targetMs: 2 * HOUR, calendar: event })
    assert.equal(clock.dueAt, Number.POSITIVE_INFINITY)
    assert.equal(
      clock.dueReason,
      'never due: calendar event has no 2 business hours of open time after 2026-11-20T00:00+00:00',
    )
  })
})
