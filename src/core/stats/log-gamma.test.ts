import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { logChoose, logFactorial, logGamma } from './log-gamma.ts'

describe('logGamma', () => {
  test('log-gamma of integers equals the log of the factorial below them', () => {
    let factorial = 1
    for (let n = 1; n <= 20; n++) {
      assert.ok(Math.abs(logGamma(n) - Math.log(factorial)) < 1e-12 * Math.max(1, Math.log(factorial)))
      factorial *= n
    }
  })

  test('log-gamma of one half is log of the square root of pi', () => {
    assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14)
  })

  test('the binomial coefficient C(8, 4) is 70 and C(n, k) outside 0..n is impossible', () => {
    assert.ok(Math.abs(Math.exp(logChoose(8, 4)) - 70) < 1e-9)
    assert.equal(logChoose(3, 4), Number.NEGATIVE_INFINITY)
    assert.equal(logFactorial(0), 0)
  })
})
