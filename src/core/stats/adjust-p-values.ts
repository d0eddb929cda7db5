export type PValueCorrection = 'holm' | 'benjamini_hochberg' | 'none'

/**
 * Adjusts p-values for multiple comparisons, returned in the input order.
 * - holm: step-down family-wise error control, p̃(i) = max_{j≤i} min(1, (m − j + 1)·p(j)) over ascending p.
 * - benjamini_hochberg: false discovery rate, p̃(i) = min_{j≥i} min(1, m·p(j)/j).
 * Compare adjusted values with alpha directly. Matches R's p.adjust.
 *
 * @example adjustPValues([0.01, 0.04, 0.03, 0.005], 'holm') // [0.03, 0.06, 0.06, 0.02]
 */
export function adjustPValues(pValues: readonly number[], correction: PValueCorrection): number[] {
  const m = pValues.length
  if (correction === 'none' || m === 0) return [...pValues]
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i)
  const adjusted = new Array<number>(m)
  switch (correction) {
    case 'holm': {
      let running = 0
      order.forEach(({ p, i }, rank) => {
        running = Math.max(running, Math.min(1, (m - rank) * p))
        adjusted[i] = running
      })
      return adjusted
    }
    case 'benjamini_hochberg': {
      let running = 1
      for (let rank = m - 1; rank >= 0; rank--) {
        const { p, i } = order[rank]!
        running = Math.min(running, Math.min(1, (m * p) / (rank + 1)))
        adjusted[i] = running
      }
      return adjusted
    }
  }
}
