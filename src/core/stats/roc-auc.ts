/**
 * Area under the ROC curve by the Mann–Whitney statistic: the probability that a random positive
 * scores above a random negative, ties counting one half (average ranks). O(n log n).
 * Returns NaN when either class is empty.
 *
 * @example rocAuc([0.9, 0.8, 0.3, 0.1], [true, false, true, false]) // 0.75
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number {
  const n = scores.length
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => scores[x]! - scores[y]!)
  let positives = 0
  let positiveRankSum = 0
  let i = 0
  while (i < n) {
    let j = i
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++
    // Ranks i+1 … j+1 are tied; each member gets their average.
    const averageRank = (i + j + 2) / 2
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!]) {
        positives++
        positiveRankSum += averageRank
      }
    }
    i = j + 1
  }
  const negatives = n - positives
  if (positives === 0 || negatives === 0) return Number.NaN
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}
