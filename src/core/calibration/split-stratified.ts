import { createPrng, shuffle } from '../stats/create-prng.ts'

export type StratifiedSplit = { train: number[]; test: number[] }

/**
 * Splits row indices into train and test so that each class keeps its share: within each class,
 * a seeded shuffle puts round(testFraction × class size) rows in the test set. Indices come back
 * ascending, so the split depends only on (labels, testFraction, seed).
 *
 * @example splitStratified([true, false, true, false], 0.5, 100) // { train: [..2 rows], test: [..2 rows] }, one of each class
 */
export function splitStratified(labels: readonly boolean[], testFraction: number, seed: number): StratifiedSplit {
  const next = createPrng(seed)
  const train: number[] = []
  const test: number[] = []
  for (const cls of [true, false]) {
    const members = labels.flatMap((y, i) => (y === cls ? [i] : []))
    const shuffled = shuffle(members, next)
    const testCount = Math.round(testFraction * members.length)
    test.push(...shuffled.slice(0, testCount))
    train.push(...shuffled.slice(testCount))
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) }
}
