/**
 * Seeded randomness for the simulator: sfc32 (a fast 128-bit-state generator that passes PractRand) seeded by
 * splitmix32 from `(seed, stream, index)`. Every account, person and journey draws from its own stream, so adding a
 * new kind of draw later (rep actions, say) never shifts the numbers an existing stream produces: same seed, same
 * quarter, byte for byte. Never use Math.random() here.
 */

const HEX_BYTE: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * A seeded random stream. A class because it is the one stateful thing here and V8 keeps its four words in a fixed
 * hidden class, which matters at millions of draws per second.
 *
 * @example
 *   const rng = createRandom(42, 'account', 7)
 *   rng.int(200, 2000) // same value for every run with seed 42
 */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0
    this.b = b | 0
    this.c = c | 0
    this.d = d | 0
    // Warm-up: the first outputs of sfc32 correlate with the seed words.
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296
  }

  /** A uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** A uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T
  }

  pickWeighted<T>(table: WeightedTable<T>): T {
    const x = this.next() * table.total
    const { cumulative, values } = table
    for (let i = 0; i < cumulative.length; i++) {
      if (x < (cumulative[i] as number)) return values[i] as T
    }
    return values[values.length - 1] as T
  }

  /** A standard normal draw (Box–Muller; one of the pair is discarded to keep the stream stateless). */
  normal(): number {
    const u = 1 - this.next()
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** Log-normal with the given median and shape: heavy-tailed, always positive. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal())
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next())
  }

  /** Number of failures before the first success, success probability p (0 < p ≤ 1). */
  geometric(p: number): number {
    if (p >= 1) return 0
    return Math.floor(Math.log(1 - this.next()) / Math.log(1 - p))
  }

  /** A 32-bit value as 8 lower-case hex digits. */
  hex8(): string {
    const x = this.uint32()
    return (HEX_BYTE[x >>> 24] as string) + HEX_BYTE[(x >>> 16) & 255] + HEX_BYTE[(x >>> 8) & 255] + HEX_BYTE[x & 255]
  }
}

/** Values with relative weights, prepared once for repeated `pickWeighted` draws. */
export type WeightedTable<T> = {
  readonly values: readonly T[]
  readonly cumulative: readonly number[]
  readonly total: number
}

/**
 * @example
 *   const regions = weightedTable([['NA', 50], ['EMEA', 30], ['APAC', 12], ['LATAM', 8]])
 *   rng.pickWeighted(regions)
 */
export function weightedTable<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  const values: T[] = []
  const cumulative: number[] = []
  let total = 0
  for (const [value, weight] of entries) {
    if (!(weight >= 0)) throw new RangeError(`weightedTable[${values.length}]: weight must be ≥ 0, got ${weight}`)
    total += weight
    values.push(value)
    cumulative.push(total)
  }
  if (total <= 0) throw new RangeError('weightedTable: weights must sum to more than 0')
  return { values, cumulative, total }
}

/** FNV-1a over UTF-16 code units; names a stream. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** murmur3's finaliser: a bijection on 32-bit integers, so distinct inputs give distinct, random-looking outputs. */
export function mix32(x: number): number {
  let h = x | 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

function splitmix32(state: number): [next: number, out: number] {
  const s = (state + 0x9e3779b9) | 0
  let z = s
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
  z ^= z >>> 15
  return [s, z >>> 0]
}

const streamHashes = new Map<string, number>()

/**
 * The stream for one `(seed, stream, index)`; independent of every other stream.
 *
 * @example
 *   const journeyRng = createRandom(seed, 'journey', personIndex)
 */
export function createRandom(seed: number, stream: string, index = 0): Random {
  let tag = streamHashes.get(stream)
  if (tag === undefined) {
    tag = hashString(stream)
    streamHashes.set(stream, tag)
  }
  // The index is a state word of its own, so two indices of one stream never start from the same state.
  let s = (Math.imul(seed | 0, 0x9e3779b1) ^ tag) | 0
  const [s1, w1] = splitmix32(s)
  s = s1
  const [s2, w2] = splitmix32(s ^ index)
  s = s2
  const [, w3] = splitmix32(s ^ Math.floor(index / 4294967296))
  return new Random(w1, w2, w3, index | 0)
}
