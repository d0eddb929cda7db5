import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { twoProportionZTest } from './two-proportion-z-test.ts'

describe('twoProportionZTest', () => {
  test('41 of 52 against 30 of 200 gives z = 9.1177 and p = 7.68e-20', () => {
    // By hand: pooled p = 71/252 = 0.28175; se = sqrt(0.28175·0.71825·(1/52 + 1/200)) = 0.070025;
    // z = (0.78846 − 0.15)/0.070025 = 9.1177. p cross-checked with scipy.stats.norm.sf.
    const result = twoProportionZTest({ hits: 41, total: 52 }, { hits: 30, total: 200 })
    assert.ok(Math.abs(result.z - 9.11765632823724) < 1e-9)
    assert.ok(Math.abs(result.p - 7.676641091418142e-20) < 1e-26)
  })

  test('30 of 100 against 20 of 100 is not significant at 5% (p = 0.1025)', () => {
    const result = twoProportionZTest({ hits: 30, total: 100 }, { hits: 20, total: 100 })
    assert.ok(Math.abs(result.z - 1.6329931618554518) < 1e-12)
    assert.ok(Math.abs(result.p - 0.10247043485974941) < 1e-12)
  })

  test('equal rates give z = 0 and p = 1', () => {
    const result = twoProportionZTest({ hits: 10, total: 40 }, { hits: 25, total: 100 })
    assert.equal(result.z, 0)
    assert.equal(result.p, 1)
  })

  test('two samples with no hits at all give no evidence instead of dividing by zero', () => {
    const result = twoProportionZTest({ hits: 0, total: 40 }, { hits: 0, total: 100 })
    assert.equal(result.z, 0)
    assert.equal(result.p, 1)
  })
})
