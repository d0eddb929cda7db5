import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { aggregateReasons, type Disposition } from './aggregate-reasons.ts'
import { describeSegments, findEmployeeBand } from './describe-segments.ts'

const d = (
  outcome: Disposition['outcome'],
  reasonCode: string | null,
  source: string | null,
  at = '2026-10-10T12:00:00Z',
): Disposition => ({
  at,
  outcome,
  reasonCode,
  dimensions: { source, employees_band: '<50' },
})

describe('aggregateReasons', () => {
  test('counts outcomes, rates and reasons per source, largest group first', () => {
    const rows = aggregateReasons(
      [
        d('rejected', 'too_small', 'webinar'),
        d('rejected', 'too_small', 'webinar'),
        d('recycled', 'not_now', 'webinar'),
        d('accepted', null, 'webinar'),
        d('accepted', null, 'paid_search'),
        d('rejected', 'bad_data', null),
      ],
      { by: ['source'] },
    )
    assert.deepEqual(
      rows.map((r) => [r.key.source, r.total, r.rejected, r.recycled, r.accepted]),
      [
        ['webinar', 4, 2, 1, 1],
        ['paid_search', 1, 0, 0, 1],
        [null, 1, 1, 0, 0],
      ],
    )
    const webinar = rows[0]!
    assert.equal(webinar.rejectionRate, 0.5)
    assert.deepEqual(webinar.reasons, [
      { outcome: 'rejected', reasonCode: 'too_small', count: 2, share: 0.5 },
      { outcome: 'recycled', reasonCode: 'not_now', count: 1, share: 0.25 },
    ])
  })

  test('a window keeps only dispositions in [from, to)', () => {
    const rows = aggregateReasons(
      [d('rejected', 'x', 'a', '2026-10-01T00:00:00Z'), d('rejected', 'x', 'a', '2026-11-01T00:00:00Z')],
      { by: [], from: '2026-10-01T00:00:00Z', to: new Date('2026-11-01T00:00:00Z') },
    )
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.total, 1)
  })

  test('group totals always add up to the dispositions and outcomes to each total', () => {
    const disposition = fc.record({
      outcome: fc.constantFrom('accepted' as const, 'rejected' as const, 'recycled' as const),
      reasonCode: fc.constantFrom(null, 'too_small', 'no_budget'),
      source: fc.constantFrom(null, 'a', 'b', 'c'),
    })
    fc.assert(
      fc.property(fc.array(disposition, { maxLength: 60 }), (items) => {
        const rows = aggregateReasons(
          items.map((i) => d(i.outcome, i.reasonCode, i.source)),
          { by: ['source', 'employees_band'] },
        )
        return (
          rows.reduce((s, r) => s + r.total, 0) === items.length &&
          rows.every((r) => r.accepted + r.rejected + r.recycled === r.total)
        )
      }),
    )
  })
})

describe('describeSegments', () => {
  test('employee bands split at 50, 200, 1000 and 5000', () => {
    assert.deepEqual([0, 49, 50, 199, 200, 999, 1000, 4999, 5000, 120000].map(findEmployeeBand), [
      '<50',
      '<50',
      '50-199',
      '50-199',
      '200-999',
      '200-999',
      '1000-4999',
      '1000-4999',
      '5000+',
      '5000+',
    ])
    assert.equal(findEmployeeBand(null), null)
  })

  test('each ICP criterion becomes a matched / not_matched dimension', () => {
    const dims = describeSegments({
      employees: 42,
      source: 'webinar',
      matchedCriteria: ['Fintech'],
      allCriteria: ['Fintech', 'Mid-market'],
    })
    assert.equal(dims.employees_band, '<50')
    assert.equal(dims['icp:Fintech'], 'matched')
    assert.equal(dims['icp:Mid-market'], 'not_matched')
    assert.equal(dims.industry, null)
  })
})
