import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SparseMatrix } from './encode-features.ts'
import { fitLogisticRegression } from './fit-logistic-regression.ts'

// One 0/1 feature: x = 1 for 30 converted and 10 not, x = 0 for 10 converted and 30 not.
function twoByTwo(): { x: SparseMatrix; y: boolean[] } {
  const xs = [...Array<number>(40).fill(1), ...Array<number>(40).fill(0)]
  const y = [
    ...Array<boolean>(30).fill(true),
    ...Array<boolean>(10).fill(false),
    ...Array<boolean>(10).fill(true),
    ...Array<boolean>(30).fill(false),
  ]
  const rowStart = new Int32Array(81)
  const index: number[] = []
  xs.forEach((v, i) => {
    if (v === 1) index.push(0)
    rowStart[i + 1] = index.length
  })
  return {
    x: {
      rowCount: 80,
      columnCount: 1,
      rowStart,
      index: Int32Array.from(index),
      value: new Float64Array(index.length).fill(1),
    },
    y,
  }
}

describe('fitLogisticRegression', () => {
  test('without a penalty the coefficient is the log odds ratio of the 2×2 table, ln 9', () => {
    // By hand: odds 30/10 = 3 with the feature, 10/30 = 1/3 without; ratio 9; intercept ln(1/3).
    const { x, y } = twoByTwo()
    const model = fitLogisticRegression(x, y, { l2: 0 })
    assert.ok(model.converged)
    assert.ok(Math.abs(model.coefficients[0]! - Math.log(9)) < 1e-9)
    assert.ok(Math.abs(model.intercept - Math.log(1 / 3)) < 1e-9)
  })

  test('a penalty pulls the coefficient below ln 9 but keeps its sign', () => {
    const { x, y } = twoByTwo()
    const penalized = fitLogisticRegression(x, y, { l2: 5 }).coefficients[0]!
    assert.ok(penalized > 0 && penalized < Math.log(9) - 0.1)
  })

  test('perfectly separated classes still give finite coefficients under a penalty', () => {
    const rowStart = Int32Array.from([0, 1, 2, 2, 2])
    const x: SparseMatrix = {
      rowCount: 4,
      columnCount: 1,
      rowStart,
      index: Int32Array.from([0, 0]),
      value: Float64Array.from([1, 1]),
    }
    const model = fitLogisticRegression(x, [true, true, false, false], { l2: 1 })
    assert.ok(model.converged && Number.isFinite(model.coefficients[0]!) && model.coefficients[0]! > 0)
  })
})
