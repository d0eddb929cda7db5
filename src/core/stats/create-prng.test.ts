import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createPrng, shuffle } from './create-prng.ts'
import { solveCholesky } from './solve-cholesky.ts'

describe('createPrng', () => {
  test('the same seed gives the same sequence and another seed a different one', () => {
    const a = createPrng(100)
    const b = createPrng(100)
    const c = createPrng(101)
    const seqA = Array.from({ length: 5 }, a)
    assert.deepEqual(seqA, Array.from({ length: 5 }, b))
    assert.notDeepEqual(seqA, Array.from({ length: 5 }, c))
  })

  test('draws are in [0, 1) with a mean near one half', () => {
    const next = createPrng(7)
    let sum = 0
    for (let i = 0; i < 10000; i++) {
      const x = next()
      assert.ok(x >= 0 && x < 1)
      sum += x
    }
    assert.ok(Math.abs(sum / 10000 - 0.5) < 0.02)
  })

  test('a shuffle is a permutation and leaves its input alone', () => {
    const input = [1, 2, 3, 4, 5, 6]
    const out = shuffle(input, createPrng(3))
    assert.deepEqual([...out].sort(), input)
    assert.deepEqual(input, [1, 2, 3, 4, 5, 6])
  })
})

describe('solveCholesky', () => {
  test('4x + 2y = 2, 2x + 3y = 1 solves to x = 0.5, y = 0', () => {
    const x = solveCholesky(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2)!
    assert.ok(Math.abs(x[0]! - 0.5) < 1e-15 && Math.abs(x[1]!) < 1e-15)
  })

  test('a matrix that is not positive definite is reported as null', () => {
    assert.equal(solveCholesky(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1), 2), null)
  })
})
