/**
 * The dashboard's period picker speaks the API's period labels: presets at the year's edges, custom ranges whose
 * end the reader gives inclusive and the API reads exclusive, ISO weeks, and how each label reads.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  customBounds,
  customPeriodLabel,
  describePeriod,
  describeWeek,
  isoWeekStart,
  presetOf,
  presetPeriods,
} from '../../web/src/pages/analytics/period.ts'

describe('period labels in the dashboard', () => {
  test('in January, last quarter and last month are in the previous year', () => {
    assert.deepEqual(presetPeriods(Date.UTC(2027, 0, 5, 12)), {
      this_quarter: '2027-Q1',
      last_quarter: '2026-Q4',
      this_month: '2027-01',
      last_month: '2026-12',
    })
  })

  test('presets follow UTC: 31 March 23:30 UTC is still Q1', () => {
    assert.equal(presetPeriods(Date.UTC(2026, 2, 31, 23, 30)).this_quarter, '2026-Q1')
    assert.equal(presetOf('2026-03', Date.UTC(2026, 2, 31, 23, 30)), 'this_month')
    assert.equal(presetOf('2025-Q1', Date.UTC(2026, 2, 31)), null)
  })

  test('a custom range 1–30 November is sent as 2026-11-01..2026-12-01 and reads back inclusive', () => {
    const label = customPeriodLabel('2026-11-01', '2026-11-30')
    assert.equal(label, '2026-11-01..2026-12-01')
    assert.deepEqual(customBounds(label), { from: '2026-11-01', toInclusive: '2026-11-30' })
    assert.equal(describePeriod(label), '1 Nov – 30 Nov 2026')
    assert.equal(describePeriod('2026-12-28..2027-01-04'), '28 Dec 2026 – 3 Jan 2027')
    assert.equal(customBounds('2026-Q4'), null)
  })

  test('quarters, months and weeks read as people say them', () => {
    assert.equal(describePeriod('2026-Q4'), 'Q4 2026')
    assert.equal(describePeriod('2026-11'), 'Nov 2026')
    assert.equal(describePeriod('2026-W47'), 'Week 47, 2026')
    assert.equal(describePeriod('anything else'), 'anything else')
  })

  test('ISO weeks start on Monday, week 1 holding 4 January (2026-W01 starts 29 Dec 2025)', () => {
    assert.equal(isoWeekStart('2026-W47'), '2026-11-16')
    assert.equal(isoWeekStart('2026-W01'), '2025-12-29')
    assert.equal(isoWeekStart('2027-W01'), '2027-01-04')
    assert.equal(isoWeekStart('2026-11'), null)
    assert.equal(describeWeek('2026-W47'), 'W47 · 16 Nov')
  })
})
