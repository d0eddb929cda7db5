/**
 * Linear solvers for absorbing Markov chains. Dense elimination is exact to rounding and is used for small chains
 * (first order: one state per channel); Gauss–Seidel serves the large sparse chains of higher orders.
 */

/**
 * Solve A x = b in place by Gaussian elimination with partial pivoting. `a` is row-major n × n and is destroyed;
 * `b` is overwritten with x. Returns false when A is singular to working precision.
 */
export function solveDense(n: number, a: Float64Array, b: Float64Array): boolean {
  for (let col = 0; col < n; col++) {
    let pivot = col
    let best = Math.abs(a[col * n + col]!)
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(a[r * n + col]!)
      if (v > best) {
        best = v
        pivot = r
      }
    }
    if (best === 0) return false
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        const t = a[col * n + k]!
        a[col * n + k] = a[pivot * n + k]!
        a[pivot * n + k] = t
      }
      const t = b[col]!
      b[col] = b[pivot]!
      b[pivot] = t
    }
    const d = a[col * n + col]!
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col]! / d
      if (f === 0) continue
      for (let k = col; k < n; k++) a[r * n + k]! -= f * a[col * n + k]!
      b[r]! -= f * b[col]!
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!
    for (let k = r + 1; k < n; k++) s -= a[r * n + k]! * b[k]!
    b[r] = s / a[r * n + r]!
  }
  return true
}

/** A sparse sub-stochastic matrix in compressed rows, self-loops already folded into the row scale. */
export type SparseChain = {
  n: number
  rowStart: Int32Array
  col: Int32Array
  prob: Float64Array
  /** Probability of stepping straight to the absorbing "conversion" state. */
  toConversion: Float64Array
}

/**
 * Absorption probabilities h = Q h + r by Gauss–Seidel from h = 0, with states in `fixedZero` pinned to 0.
 * Iterates increase monotonically to the least solution, which is the absorption probability, so stopping early
 * can only understate. Stops when no entry moves by more than `tolerance`.
 */
export function solveSparseAbsorption(
  chain: SparseChain,
  fixedZero: Uint8Array,
  tolerance: number,
  maxIterations: number,
): { h: Float64Array; iterations: number; converged: boolean } {
  const { n, rowStart, col, prob, toConversion } = chain
  const h = new Float64Array(n)
  for (let it = 1; it <= maxIterations; it++) {
    let delta = 0
    for (let i = 0; i < n; i++) {
      if (fixedZero[i] === 1) continue
      let s = toConversion[i]!
      for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) s += prob[k]! * h[col[k]!]!
      const d = s - h[i]!
      if (d > delta) delta = d
      else if (-d > delta) delta = -d
      h[i] = s
    }
    if (delta <= tolerance) return { h, iterations: it, converged: true }
  }
  return { h, iterations: maxIterations, converged: false }
}
