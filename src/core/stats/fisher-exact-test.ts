import { logChoose } from './log-gamma.ts'

/** A 2×2 contingency table, rows = groups, columns = (hit, miss): [[x1, n1 − x1], [x2, n2 − x2]]. */
export type TwoByTwo = readonly [readonly [number, number], readonly [number, number]]

export type FisherAlternative = 'two_sided' | 'greater' | 'less'

export type FisherExactTest = {
  kind: 'fisher_exact'
  /** p-value under the chosen alternative. */
  p: number
  /** Sample odds ratio (a·d)/(b·c); Infinity or NaN when a cell is zero. */
  oddsRatio: number
  alternative: FisherAlternative
}

// Probabilities that tie the observed one within this relative tolerance count as "as extreme";
// without it, floating-point noise drops tables that are exactly as likely (R uses the same 1e-7).
const RELATIVE_TOLERANCE = 1e-7

/**
 * Fisher's exact test on a 2×2 table: the top-left cell follows a hypergeometric distribution
 * given the margins, its probabilities computed from log-gamma. The two-sided p sums every table
 * no more likely than the observed one; 'greater' is P(X ≥ a) (the first row's odds are higher).
 *
 * @example fisherExactTest([[3, 1], [1, 3]], 'greater').p // 17/70 ≈ 0.2429 (lady tasting tea)
 */
export function fisherExactTest(table: TwoByTwo, alternative: FisherAlternative = 'two_sided'): FisherExactTest {
  const [[a, b], [c, d]] = table
  const row1 = a + b
  const row2 = c + d
  const col1 = a + c
  const n = row1 + row2
  const low = Math.max(0, col1 - row2)
  const high = Math.min(row1, col1)
  const logDenominator = logChoose(n, col1)
  const probability = (x: number): number => Math.exp(logChoose(row1, x) + logChoose(row2, col1 - x) - logDenominator)
  const observed = probability(a)
  let p = 0
  for (let x = low; x <= high; x++) {
    const px = probability(x)
    const include =
      alternative === 'greater' ? x >= a : alternative === 'less' ? x <= a : px <= observed * (1 + RELATIVE_TOLERANCE)
    if (include) p += px
  }
  return { kind: 'fisher_exact', p: Math.min(1, p), oddsRatio: (a * d) / (b * c), alternative }
}
