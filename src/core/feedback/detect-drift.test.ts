import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Disposition } from './aggregate-reasons.ts'
import { countSegmentOutcomes, detectDrift, type SegmentCounts, testDrift } from './detect-drift.ts'

const smallCompanies: SegmentCounts = {
  dimension: 'employees_band',
  value: '<50',
  metric: 'rejection_rate',
  recent: { hits: 41, total: 52, reasons: { too_small: 38, no_budget: 3 } },
  baseline: { hits: 30, total: 200 },
}

describe('detectDrift', () => {
  test('41 of 52 rejected against 30 of 200 raises an upward alert with z = 9.12 and p = 7.7e-20', () => {
    const [alert, ...rest] = detectDrift([smallCompanies], { windowLabel: 'the last 4 weeks' })
    assert.equal(rest.length, 0)
    assert.equal(alert!.direction, 'up')
    assert.equal(alert!.evidence.test, 'two_proportion_z')
    assert.ok(Math.abs(alert!.evidence.z - 9.11765632823724) < 1e-9)
    assert.ok(Math.abs(alert!.evidence.p - 7.676641091418142e-20) < 1e-26)
    assert.deepEqual(alert!.dominantReason, { code: 'too_small', count: 38 })
    assert.equal(
      alert!.sentence,
      'Rejection rate of employees_band = <50 rose to 78.8% (41 of 52) in the last 4 weeks from 15.0% (30 of 200); ' +
        'two-proportion z = 9.12, p = 7.7e-20, Holm-adjusted p = 7.7e-20 < 0.05; most frequent reason too_small (38)',
    )
  })

  test('equal rates raise no alert', () => {
    const same: SegmentCounts = {
      ...smallCompanies,
      recent: { hits: 13, total: 52 },
      baseline: { hits: 50, total: 200 },
    }
    assert.deepEqual(detectDrift([same]), [])
    assert.equal(testDrift([same]).tested[0]!.direction, 'none')
  })

  test('a falling rate is an alert pointing down', () => {
    const better: SegmentCounts = {
      ...smallCompanies,
      recent: { hits: 5, total: 100 },
      baseline: { hits: 60, total: 200 },
    }
    assert.equal(detectDrift([better])[0]!.direction, 'down')
  })

  test('small counts switch to Fisher’s exact test', () => {
    // Smallest expected cell: 20 leads × 4 hits / 60 = 1.3 < 5, so the z approximation is not trusted.
    const small: SegmentCounts = { ...smallCompanies, recent: { hits: 4, total: 20 }, baseline: { hits: 0, total: 40 } }
    const [tested] = testDrift([small], { minSample: 20 }).tested
    assert.equal(tested!.test, 'fisher_exact')
    // By hand: P(all 4 hits in the recent 20 of 60) = C(20,4)/C(60,4) = 4845/487635 = 0.0099357; two-sided equals it.
    assert.ok(Math.abs(tested!.p - 4845 / 487635) < 1e-12)
  })

  test('segments below the minimum sample are skipped, not tested', () => {
    const tiny: SegmentCounts = {
      ...smallCompanies,
      value: '5000+',
      recent: { hits: 3, total: 4 },
      baseline: { hits: 1, total: 50 },
    }
    const result = testDrift([smallCompanies, tiny], { minSample: 20 })
    assert.equal(result.tested.length, 1)
    assert.deepEqual(result.skipped, [{ dimension: 'employees_band', value: '5000+', reason: 'small_sample' }])
  })

  test('the correction counts every tested segment: p = 0.0086 alone alerts, among ten it does not under Holm', () => {
    // 18 of 60 vs 30 of 200: z = 2.6265, p = 0.008626 (scipy); Holm × 10 = 0.086 > 0.05.
    const marginal: SegmentCounts = {
      ...smallCompanies,
      value: '50-199',
      recent: { hits: 18, total: 60 },
      baseline: { hits: 30, total: 200 },
    }
    assert.equal(detectDrift([marginal]).length, 1)
    const flat = (i: number): SegmentCounts => ({
      ...smallCompanies,
      dimension: 'industry',
      value: `flat-${i}`,
      recent: { hits: 10, total: 50 },
      baseline: { hits: 40, total: 200 },
    })
    const family = [marginal, ...Array.from({ length: 9 }, (_, i) => flat(i))]
    assert.equal(detectDrift(family, { correction: 'holm' }).length, 0)
    const bh = testDrift(family, { correction: 'benjamini_hochberg' }).tested[0]!
    assert.ok(Math.abs(bh.adjustedP - 10 * 0.008626400404069538) < 1e-9)
  })
})

describe('countSegmentOutcomes', () => {
  test('dispositions fall into the recent or baseline window per dimension value, with reasons of the hits', () => {
    const d = (
      at: string,
      outcome: Disposition['outcome'],
      reasonCode: string | null,
      band: string | null,
    ): Disposition => ({
      at,
      outcome,
      reasonCode,
      dimensions: { employees_band: band, source: 'webinar' },
    })
    const segments = countSegmentOutcomes(
      [
        d('2026-10-20T10:00:00Z', 'rejected', 'too_small', '<50'),
        d('2026-10-21T10:00:00Z', 'accepted', null, '<50'),
        d('2026-08-01T10:00:00Z', 'rejected', 'no_budget', '<50'),
        d('2026-10-22T10:00:00Z', 'rejected', 'too_small', null),
        d('2026-06-01T10:00:00Z', 'rejected', 'too_small', '<50'),
      ],
      {
        dimensions: ['employees_band', 'source'],
        metric: 'rejection_rate',
        recent: { from: '2026-10-05T00:00:00Z', to: '2026-11-02T00:00:00Z' },
        baseline: { from: '2026-07-06T00:00:00Z', to: '2026-10-05T00:00:00Z' },
      },
    )
    assert.deepEqual(segments, [
      {
        dimension: 'employees_band',
        value: '<50',
        metric: 'rejection_rate',
        recent: { hits: 1, total: 2, reasons: { too_small: 1 } },
        baseline: { hits: 1, total: 1, reasons: { no_budget: 1 } },
      },
      {
        dimension: 'source',
        value: 'webinar',
        metric: 'rejection_rate',
        recent: { hits: 2, total: 3, reasons: { too_small: 2 } },
        baseline: { hits: 1, total: 1, reasons: { no_budget: 1 } },
      },
    ])
  })
})
