/** A seeded source of uniform numbers in [0, 1). Stateful: each call advances it. */
export type Prng = () => number

/**
 * A small deterministic PRNG (mulberry32 over a splitmix-style seed scramble). Same seed, same
 * sequence, on every platform: splits and shuffles in core take one of these instead of Math.random.
 * Not cryptographic.
 *
 * @example const next = createPrng(42); next() // a number in [0, 1), always the same for seed 42
 */
export function createPrng(seed: number): Prng {
  let state = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Fisher–Yates shuffle into a new array, driven by the given PRNG.
 *
 * @example shuffle([1, 2, 3], createPrng(1)) // a permutation of [1, 2, 3]
 */
export function shuffle<T>(items: readonly T[], next: Prng): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    const tmp = out[i]!
    out[i] = out[j]!
    out[j] = tmp
  }
  return out
}
