import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { customPeriod, isoWeekLabel, parsePeriod, previousPeriod, quarterOf, trailingPeriods } from './period.ts'

const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d)

describe('period labels', () => {
  test('2026-Q4 runs from 1 October 2026 to 1 January 2027 UTC', () => {
    assert.deepEqual(parsePeriod('2026-Q4'), {
      kind: 'quarter',
      label: '2026-Q4',
      from: utc(2026, 10, 1),
      to: utc(2027, 1, 1),
    })
  })

  test('2026-11 is November and 2026 the whole year', () => {
    assert.deepEqual(parsePeriod('2026-11'), {
      kind: 'month',
      label: '2026-11',
      from: utc(2026, 11, 1),
      to: utc(2026, 12, 1),
    })
    assert.deepEqual(parsePeriod('2026'), { kind: 'year', label: '2026', from: utc(2026, 1, 1), to: utc(2027, 1, 1) })
  })

  test('ISO week 2026-W47 is Monday 16 November to Monday 23 November (week 1 starts Monday 29 December 2025)', () => {
    assert.deepEqual(parsePeriod('2026-W47'), {
      kind: 'week',
      label: '2026-W47',
      from: utc(2026, 11, 16),
      to: utc(2026, 11, 23),
    })
    assert.equal(parsePeriod('2026-W01').from, utc(2025, 12, 29))
  })

  test('2026 has an ISO week 53 and 2025 does not', () => {
    assert.equal(parsePeriod('2026-W53').from, utc(2026, 12, 28))
    assert.throws(() => parsePeriod('2025-W53'), /ISO year 2025 has weeks W01..W52/)
  })

  test('a malformed label names itself and the accepted forms', () => {
    assert.throws(() => parsePeriod('2026-Q5'), /period "2026-Q5": expected a year \(2026\), a quarter/)
    assert.throws(() => parsePeriod('2026-13'), RangeError)
  })

  test('the previous period crosses year ends and week 53', () => {
    assert.equal(previousPeriod(parsePeriod('2026-Q1')).label, '2025-Q4')
    assert.equal(previousPeriod(parsePeriod('2026-01')).label, '2025-12')
    assert.equal(previousPeriod(parsePeriod('2027-W01')).label, '2026-W53')
    assert.equal(previousPeriod(parsePeriod('2026-W01')).label, '2025-W52')
    assert.equal(previousPeriod(parsePeriod('2026')).label, '2025')
  })

  test('a custom period is preceded by the interval of equal length ending at its start', () => {
    const p = customPeriod(utc(2026, 11, 10), utc(2026, 11, 20))
    assert.equal(p.label, '2026-11-10..2026-11-20')
    assert.deepEqual(previousPeriod(p), {
      kind: 'custom',
      label: '2026-10-31..2026-11-10',
      from: utc(2026, 10, 31),
      to: utc(2026, 11, 10),
    })
  })

  test('trailing periods list the n periods ending with this one, oldest first', () => {
    assert.deepEqual(
      trailingPeriods(parsePeriod('2026-W02'), 3).map((p) => p.label),
      ['2025-W52', '2026-W01', '2026-W02'],
    )
  })

  test('the ISO week label of 1 January 2027 (a Friday) is 2026-W53, and the quarter of 15 November is Q4', () => {
    assert.equal(isoWeekLabel(utc(2027, 1, 1)), '2026-W53')
    assert.equal(isoWeekLabel(utc(2026, 11, 22) + 86_399_000), '2026-W47')
    assert.equal(quarterOf(utc(2026, 11, 15)).label, '2026-Q4')
  })
})
