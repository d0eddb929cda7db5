import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { quantileSorted, summarize } from './percentile.ts'

describe('quantiles (R type 7)', () => {
  test('the 90th percentile of 1..4 is 3.7 and of 1..10 is 9.1, as R quantile() gives', () => {
    assert.equal(quantileSorted([1, 2, 3, 4], 0.9), 3.7)
    assert.ok(Math.abs(quantileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)! - 9.1) < 1e-12)
  })

  test('the median of an even sample is the mean of the two middle values', () => {
    assert.equal(quantileSorted([1, 3, 8, 20], 0.5), 5.5)
  })

  test('summarize sorts a copy, leaves out non-finite values and reports an empty sample as nulls', () => {
    const input = [5, 1, Number.NaN, 3]
    assert.deepEqual(summarize(input), { count: 3, mean: 3, median: 3, p90: 4.6 })
    assert.deepEqual(input.slice(0, 2), [5, 1])
    assert.deepEqual(summarize([]), { count: 0, mean: null, median: null, p90: null })
  })

  test('a quantile lies between the sample minimum and maximum and grows with p', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, p) => {
          const sorted = Float64Array.from(xs).sort()
          const q = quantileSorted(sorted, p)!
          const q90 = quantileSorted(sorted, Math.max(p, 0.9))!
          return q >= sorted[0]! - 1e-9 && q <= sorted[sorted.length - 1]! + 1e-9 && q90 >= q - 1e-9
        },
      ),
    )
  })
})
