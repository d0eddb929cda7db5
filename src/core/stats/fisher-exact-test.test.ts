import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { fisherExactTest } from './fisher-exact-test.ts'

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≉ ${expected}`)

describe('fisherExactTest', () => {
  test('the lady tasting tea (3 of 4 right) has p = 17/70 one-sided and 34/70 two-sided', () => {
    // By hand: P(X = 3) = C(4,3)·C(4,1)/C(8,4) = 16/70, P(X = 4) = 1/70, so P(X ≥ 3) = 17/70;
    // the table is symmetric, so the two-sided p doubles it.
    close(
      fisherExactTest(
        [
          [3, 1],
          [1, 3],
        ],
        'greater',
      ).p,
      17 / 70,
    )
    close(
      fisherExactTest([
        [3, 1],
        [1, 3],
      ]).p,
      34 / 70,
    )
    close(
      fisherExactTest(
        [
          [3, 1],
          [1, 3],
        ],
        'less',
      ).p,
      69 / 70,
    )
  })

  test("Fisher's textbook table [[1, 9], [11, 3]] has a two-sided p of 0.0027595", () => {
    close(
      fisherExactTest([
        [1, 9],
        [11, 3],
      ]).p,
      0.0027594561852200836,
    )
  })

  test('[[7, 2], [3, 12]] has a two-sided p of 0.010372 (scipy.stats.fisher_exact)', () => {
    close(
      fisherExactTest([
        [7, 2],
        [3, 12],
      ]).p,
      0.010372434807082808,
    )
  })

  test('p-values stay within (0, 1] and the two-sided p is at least the smaller one-sided p', () => {
    fc.assert(
      fc.property(fc.nat(15), fc.nat(15), fc.nat(15), fc.nat(15), (a, b, c, d) => {
        const two = fisherExactTest([
          [a, b],
          [c, d],
        ]).p
        const greater = fisherExactTest(
          [
            [a, b],
            [c, d],
          ],
          'greater',
        ).p
        const less = fisherExactTest(
          [
            [a, b],
            [c, d],
          ],
          'less',
        ).p
        return two > 0 && two <= 1 && two >= Math.min(greater, less) - 1e-12
      }),
    )
  })
})
