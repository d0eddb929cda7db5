import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { rocAuc } from './roc-auc.ts'

describe('rocAuc', () => {
  test('a perfect ranking has AUC 1 and its reverse has AUC 0', () => {
    assert.equal(rocAuc([4, 3, 2, 1], [true, true, false, false]), 1)
    assert.equal(rocAuc([1, 2, 3, 4], [true, true, false, false]), 0)
  })

  test('scores 0.9+, 0.8−, 0.3+, 0.1− rank 3 of 4 positive-negative pairs correctly: AUC 0.75', () => {
    assert.equal(rocAuc([0.9, 0.8, 0.3, 0.1], [true, false, true, false]), 0.75)
  })

  test('a tie between a positive and a negative counts one half', () => {
    // Pairs: (0.5+, 0.5−) = ½, (0.5+, 0.2−) = 1, (0.9+, 0.5−) = 1, (0.9+, 0.2−) = 1 → 3.5 / 4.
    assert.equal(rocAuc([0.9, 0.5, 0.5, 0.2], [true, true, false, false]), 0.875)
    assert.equal(rocAuc([1, 1, 1, 1], [true, false, true, false]), 0.5)
  })

  test('an empty class gives NaN rather than a misleading number', () => {
    assert.ok(Number.isNaN(rocAuc([1, 2], [true, true])))
  })

  test('AUC equals the brute-force pair count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 40 }),
        (rows) => {
          const pos = rows.filter(([, y]) => y).map(([s]) => s)
          const neg = rows.filter(([, y]) => !y).map(([s]) => s)
          if (pos.length === 0 || neg.length === 0) return true
          let wins = 0
          for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0
          const auc = rocAuc(
            rows.map(([s]) => s),
            rows.map(([, y]) => y),
          )
          return Math.abs(auc - wins / (pos.length * neg.length)) < 1e-12
        },
      ),
    )
  })
})
