import { normalTwoSidedP } from './normal-distribution.ts'

/** A count of events (`hits`) among `total` trials, e.g. 41 rejected of 52 leads. */
export type Proportion = { hits: number; total: number }

export type TwoProportionZTest = {
  kind: 'two_proportion_z'
  /** (p1 − p2) / se with the pooled standard error; 0 when both samples are all-hit or all-miss. */
  z: number
  /** Two-sided p-value. */
  p: number
  p1: number
  p2: number
  pooled: number
}

/**
 * Pooled two-proportion z-test of H0: p1 = p2, two-sided.
 * se = sqrt(p̂(1 − p̂)(1/n1 + 1/n2)) with p̂ = (x1 + x2)/(n1 + n2); no continuity correction.
 *
 * @example twoProportionZTest({ hits: 41, total: 52 }, { hits: 30, total: 200 }) // z ≈ 9.118, p ≈ 7.68e-20
 */
export function twoProportionZTest(first: Proportion, second: Proportion): TwoProportionZTest {
  const p1 = first.hits / first.total
  const p2 = second.hits / second.total
  const pooled = (first.hits + second.hits) / (first.total + second.total)
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / first.total + 1 / second.total))
  // A zero standard error means both samples are all-hit or all-miss: identical rates, no evidence.
  const z = se > 0 ? (p1 - p2) / se : 0
  return { kind: 'two_proportion_z', z, p: se > 0 ? normalTwoSidedP(z) : 1, p1, p2, pooled }
}
