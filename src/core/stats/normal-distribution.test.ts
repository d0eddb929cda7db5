import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { erfc, normalTwoSidedP, normalUpperTail } from './normal-distribution.ts'

const close = (actual: number, expected: number, relative: number) =>
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${actual} ≉ ${expected}`)

describe('normal distribution', () => {
  // Reference values from scipy.stats.norm.sf.
  test('z = 1.96 has a two-sided p of 0.04999579', () => close(normalTwoSidedP(1.96), 0.04999579029644087, 1e-12))
  test('z = 5 has a two-sided p of 5.733e-7', () => close(normalTwoSidedP(5), 5.733031437583866e-7, 1e-10))
  test('z = 10 keeps relative precision deep in the tail', () =>
    close(normalTwoSidedP(10), 1.523970604832094e-23, 1e-9))
  test('the upper tail at the 97.5% quantile is 0.025', () => close(normalUpperTail(1.959963984540054), 0.025, 1e-12))
  test('erfc is 1 at zero and 2 − erfc(x) for negative x', () => {
    assert.equal(erfc(0), 1)
    close(erfc(-0.3) + erfc(0.3), 2, 1e-15)
    close(erfc(0.5), 0.4795001221869535, 1e-13)
  })
})
