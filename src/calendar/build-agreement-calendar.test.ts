import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { type CompiledAgreement, compileAgreement, parseAgreement } from '../core/agreement/index.ts'
import { addBusinessTime, formatInZone } from '../core/calendar/index.ts'
import { addAgreementBusinessTime } from './add-agreement-business-time.ts'
import { buildAgreementCalendar, listAgreementCalendarNames, yearsSpanning } from './build-agreement-calendar.ts'
import { measureAgreementBusinessTime } from './measure-agreement-business-time.ts'

const HOUR = 3_600_000
const EXAMPLE = readFileSync(new URL('../../accord.example.yaml', import.meta.url), 'utf8')

function compile(text: string): CompiledAgreement {
  const parsed = parseAgreement(text)
  assert.ok(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.errors))
  return compileAgreement(parsed.agreement)
}

/** The example Agreement with extra calendars spliced in at the top of `calendars:`. */
function withCalendars(yaml: string): CompiledAgreement {
  assert.ok(EXAMPLE.includes('\ncalendars:\n'))
  return compile(EXAMPLE.replace('\ncalendars:\n', `\ncalendars:\n${yaml}`))
}

const example = compile(EXAMPLE)
const ny = (iso: string, durationMs: number) =>
  formatInZone(addAgreementBusinessTime(example, 'new_york', Date.parse(iso), durationMs).dueMs, 'America/New_York')

describe('buildAgreementCalendar', () => {
  test('the New York calendar carries public holidays, the added Christmas Eve and the Thanksgiving half day', () => {
    const calendar = buildAgreementCalendar(example, 'new_york', [2026])
    assert.equal(calendar.timeZone, 'America/New_York')
    assert.equal(calendar.holidays.has('2026-11-26'), true, 'Thanksgiving')
    assert.equal(calendar.holidays.get('2026-12-24'), 'Christmas Eve (company holiday)')
    assert.equal(calendar.holidays.has('2026-11-03'), false, 'Election Day is removed: "we work"')
    assert.deepEqual(calendar.overrides.get('2026-11-27'), [{ start: 9 * 60, end: 13 * 60 }])
    assert.deepEqual(calendar.weekly[5], [{ start: 9 * 60, end: 16 * 60 }])
    assert.deepEqual(calendar.weekly[6], [])
  })

  test('holidays are seeded only for the years asked, by default the effective year and the next', () => {
    assert.equal(buildAgreementCalendar(example, 'new_york', [2026]).holidays.has('2027-01-01'), false)
    const byDefault = buildAgreementCalendar(example, 'new_york')
    assert.equal(byDefault.holidays.has('2026-12-25'), true)
    assert.equal(byDefault.holidays.has('2027-12-24'), true)
    assert.equal(
      [...byDefault.holidays.keys()].some((d) => d.startsWith('2028')),
      false,
    )
  })

  test('an unknown calendar is refused with the names of the Agreement calendars', () => {
    assert.deepEqual(listAgreementCalendarNames(example), ['new_york', 'san_francisco', 'berlin'])
    assert.throws(
      () => buildAgreementCalendar(example, 'nyc'),
      (e: Error & { code?: string }) =>
        e.code === 'not_found' && /calendars\.nyc: .*new_york, san_francisco, berlin/.test(e.message),
    )
    assert.throws(() => buildAgreementCalendar(example, 'toString'), /no such calendar/)
  })

  test('an overnight shift belongs to the day it starts on: a holiday the next day does not cut it short', () => {
    const compiled = withCalendars(
      [
        '  night_desk:',
        '    time_zone: Europe/Berlin',
        '    hours: { mon: ["22:00-06:00+1"] }',
        '    holidays: { add: [{ date: 2026-11-24, name: Closed Tuesday }] }',
        '',
      ].join('\n'),
    )
    // Monday 2026-11-23 23:00 Berlin + 2h runs past midnight into the holiday Tuesday.
    const { dueMs } = addAgreementBusinessTime(compiled, 'night_desk', Date.parse('2026-11-23T22:00:00Z'), 2 * HOUR)
    assert.equal(formatInZone(dueMs, 'Europe/Berlin'), '2026-11-24T01:00:00+01:00')
  })

  test('the years spanning two instants include the day before the earlier one', () => {
    assert.deepEqual(
      yearsSpanning(Date.parse('2027-01-01T12:00:00Z'), Date.parse('2027-03-01T12:00:00Z'), 'UTC'),
      [2026, 2027],
    )
    assert.deepEqual(
      yearsSpanning(Date.parse('2028-06-01T00:00:00Z'), Date.parse('2026-06-01T00:00:00Z'), 'UTC'),
      [2026, 2027, 2028],
    )
  })
})

describe('addAgreementBusinessTime on the example New York calendar', () => {
  test('a due instant after the DST change is in the winter offset', () => {
    // Friday 2026-10-30 15:00 EDT: 1h until 16:00; clocks fall back on Sunday; Monday 09:00 EST + 1h.
    assert.equal(ny('2026-10-30T15:00:00-04:00', 2 * HOUR), '2026-11-02T10:00:00-05:00')
  })

  test('the added Christmas Eve and the public Christmas Day are both closed', () => {
    // Wednesday 23rd 17:00–17:30, Thursday 24 and Friday 25 closed, Monday 28 09:00 + 30m.
    assert.equal(ny('2026-12-23T17:00:00-05:00', HOUR), '2026-12-28T09:30:00-05:00')
  })

  test("a due instant in the next year honours that year's holidays", () => {
    // Thursday 2026-12-31 16:00–17:30, Friday 2027-01-01 New Year's Day, Monday 09:00 + 30m.
    assert.equal(ny('2026-12-31T16:00:00-05:00', 2 * HOUR), '2027-01-04T09:30:00-05:00')
  })

  test('a due instant years ahead is computed with every holiday up to it seeded', () => {
    const start = Date.parse('2026-12-01T14:00:00Z')
    const { dueMs } = addAgreementBusinessTime(example, 'new_york', start, 3000 * HOUR)
    assert.ok(formatInZone(dueMs, 'America/New_York') > '2028-', 'lands beyond the first two seeded years')
    const seededGenerously = buildAgreementCalendar(example, 'new_york', [2025, 2026, 2027, 2028, 2029, 2030])
    assert.equal(dueMs, addBusinessTime(start, 3000 * HOUR, seededGenerously))
  })

  test('between Wednesday 15:00 and Monday 12:00 across Thanksgiving there are 9h 30m', () => {
    const from = Date.parse('2026-11-25T15:00:00-05:00')
    const to = Date.parse('2026-11-30T12:00:00-05:00')
    assert.equal(measureAgreementBusinessTime(example, 'new_york', from, to).businessMs, 9.5 * HOUR)
    assert.equal(measureAgreementBusinessTime(example, 'new_york', to, from).businessMs, -9.5 * HOUR)
  })

  test('measuring from a start to its due instant gives back the duration, across years', () => {
    const year2026 = Date.parse('2026-01-01T00:00:00Z')
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }),
        fc.integer({ min: 0, max: 800 * 60 }),
        (startMinute, durationMinutes) => {
          const start = year2026 + startMinute * 60_000
          const { dueMs } = addAgreementBusinessTime(example, 'new_york', start, durationMinutes * 60_000)
          return measureAgreementBusinessTime(example, 'new_york', start, dueMs).businessMs === durationMinutes * 60_000
        },
      ),
      { numRuns: 60, seed: 42 },
    )
  })
})
