import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { adjustPValues } from './adjust-p-values.ts'

const assertClose = (actual: number[], expected: number[]) => {
  assert.equal(actual.length, expected.length)
  actual.forEach((value, i) => {
    assert.ok(Math.abs(value - expected[i]!) < 1e-12, `[${i}] ${value} ≉ ${expected[i]}`)
  })
}

describe('adjustPValues', () => {
  test('Holm on [0.01, 0.04, 0.03, 0.005] gives [0.03, 0.06, 0.06, 0.02]', () => {
    // By hand, ascending: 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06.
    assertClose(adjustPValues([0.01, 0.04, 0.03, 0.005], 'holm'), [0.03, 0.06, 0.06, 0.02])
  })

  test('Benjamini–Hochberg on [0.01, 0.04, 0.03, 0.005] gives [0.02, 0.04, 0.04, 0.02]', () => {
    // By hand, ascending: 4·0.005/1 = 0.02, 4·0.01/2 = 0.02, 4·0.03/3 = 0.04, 4·0.04/4 = 0.04; running minimum from the top.
    assertClose(adjustPValues([0.01, 0.04, 0.03, 0.005], 'benjamini_hochberg'), [0.02, 0.04, 0.04, 0.02])
  })

  test('R p.adjust example: BH on [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205]', () => {
    // m = 8, m·p/rank = 0.008, 0.032, 0.104, 0.082, 0.0672, 0.08, 0.0846, 0.205; then the running minimum from the top.
    const p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205]
    assertClose(
      adjustPValues(p, 'benjamini_hochberg'),
      [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.0845714285714286, 0.205],
    )
  })

  test('adjusted p-values are never below the raw ones, never above 1, and BH never exceeds Holm', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }), (p) => {
        const holm = adjustPValues(p, 'holm')
        const bh = adjustPValues(p, 'benjamini_hochberg')
        // m·p/rank can round one ulp below p, hence the relative slack.
        const atLeast = (adjusted: number, raw: number) => adjusted >= raw * (1 - 1e-12)
        return p.every(
          (raw, i) =>
            atLeast(holm[i]!, raw) && atLeast(bh[i]!, raw) && holm[i]! <= 1 && bh[i]! <= holm[i]! * (1 + 1e-12),
        )
      }),
    )
  })
})
