import { AppError } from '../errors.ts'
import { buildAttributionResult } from './attribution-result.ts'
import { type JourneySet, toJourneySet } from './compile-journeys.ts'
import { type SparseChain, solveDense, solveSparseAbsorption } from './solve-linear-system.ts'
import type { AttributionResult, Journey } from './types.ts'

export type MarkovOptions = {
  /** Memory of the chain: a state is the tuple of the last `order` channels (default 1). */
  order?: number
  /** `auto` (default) solves chains of ≤ 400 states densely, larger ones iteratively. */
  solver?: 'auto' | 'dense' | 'iterative'
  /** Gauss–Seidel stopping threshold on the largest change of a state's probability (default 1e-15). */
  tolerance?: number
  maxIterations?: number
}

export type MarkovResult = {
  order: number
  /** P(conversion) from the start state with every channel present. */
  baseConversionProbability: number
  /** Per channel: 1 − P(conversion | channel removed) / P(conversion), in [0, 1]. Null prototype. */
  removalEffects: Readonly<Record<string, number>>
  /** Per channel: P(conversion) when every state containing the channel leads to null instead. */
  conversionProbabilityWithout: Readonly<Record<string, number>>
  /**
   * Conversions (and value) split in proportion to removal effects: channel c gets RE_c / Σ RE of the
   * conversions on non-empty journeys, and the same share of their value. (ChannelAttribution simulates values
   * separately; this follows the conversion shares, as the exact reference does.)
   */
  attribution: AttributionResult
  stateCount: number
  solver: 'dense' | 'iterative'
  /** Largest Gauss–Seidel iteration count over all solves; 0 for dense. */
  iterations: number
  converged: boolean
}

const DENSE_LIMIT = 400

/**
 * Data-driven attribution by removal effect in an absorbing Markov chain, solved exactly (no simulation).
 *
 * The chain: start → touch states → conversion | null. Each distinct path with c conversions and u nulls adds weight
 * c + u to every transition along it, c to its last state → conversion and u to its last state → null; transition
 * probabilities are the weights normalised per state. At order 1 a state is a channel (repeated touches are
 * self-loops, which change no absorption probability); at order k a state is the tuple of the last k channels,
 * shorter at the start of a path (A > B > C at order 2 visits (A), (A,B), (B,C)). Removing a channel sends every
 * state containing it to null; the conversion probability from start is then solved as a linear system
 * (I − Q) h = r. Paths with neither conversions nor nulls carry no weight.
 *
 * Note what the model is: memoryless. At order 1 a channel seen only on non-converting paths can still earn credit
 * when it leads into states that convert on other paths.
 *
 * Example:
 * ```ts
 * markovRemovalEffects([
 *   { touches: [{ channel: 'a' }, { channel: 'b' }], conversions: 1, value: 10 },
 *   { touches: [{ channel: 'a' }], conversions: 0, value: 0, nulls: 1 },
 *   { touches: [{ channel: 'b' }], conversions: 1, value: 30, nulls: 1 },
 * ]) // baseConversionProbability 1/2, removalEffects { a: 1/3, b: 1 }, attribution a 0.5 / b 1.5 conversions
 * ```
 */
export function markovRemovalEffects(
  journeys: Iterable<Journey> | JourneySet,
  options: MarkovOptions = {},
): MarkovResult {
  const order = options.order ?? 1
  if (!Number.isInteger(order) || order < 1) {
    throw new AppError('invalid_input', 'Markov order must be an integer ≥ 1', [
      { path: 'order', message: `expected an integer ≥ 1, got ${String(order)}` },
    ])
  }
  const set = toJourneySet(journeys)
  const chain = buildChain(set, order)
  const S = chain.stateCount
  const useDense = options.solver === 'dense' || (options.solver !== 'iterative' && S <= DENSE_LIMIT)
  const tolerance = options.tolerance ?? 1e-15
  const maxIterations = options.maxIterations ?? 1_000_000
  const channelCount = set.channels.length

  let iterations = 0
  let converged = true
  const solve: (removed: Uint8Array) => number = useDense
    ? denseSolver(chain)
    : (removed) => {
        const r = solveSparseAbsorption(chain.sparse, removed, tolerance, maxIterations)
        if (r.iterations > iterations) iterations = r.iterations
        if (!r.converged) converged = false
        return startProbability(chain, r.h)
      }

  const none = new Uint8Array(S)
  const base = S === 0 ? 0 : solve(none)
  const without = new Float64Array(channelCount).fill(base)
  const effects = new Float64Array(channelCount)
  for (let c = 0; c < channelCount; c++) {
    const states = chain.statesByChannel[c]!
    if (states.length === 0 || base === 0) continue
    const removed = new Uint8Array(S)
    for (const s of states) removed[s] = 1
    const p = solve(removed)
    without[c] = p
    const re = 1 - p / base
    // Rounding can push a tiny effect a hair outside [0, 1]; the true value cannot leave it.
    effects[c] = Math.min(Math.max(re, 0), 1)
  }

  let effectSum = 0
  for (let c = 0; c < channelCount; c++) effectSum += effects[c]!
  const creditable = set.totalConversions - set.unattributed.conversions
  const creditableValue = set.totalValue - set.unattributed.value
  const conv = new Float64Array(channelCount)
  const val = new Float64Array(channelCount)
  if (effectSum > 0) {
    for (let c = 0; c < channelCount; c++) {
      conv[c] = (effects[c]! / effectSum) * creditable
      val[c] = (effects[c]! / effectSum) * creditableValue
    }
  }
  const removalEffects: Record<string, number> = Object.create(null)
  const conversionProbabilityWithout: Record<string, number> = Object.create(null)
  set.channels.forEach((name, c) => {
    removalEffects[name] = effects[c]!
    conversionProbabilityWithout[name] = without[c]!
  })
  const attribution = buildAttributionResult(
    set,
    { kind: 'markov', order },
    conv,
    val,
    effectSum > 0 ? { conversions: 0, value: 0 } : { conversions: creditable, value: creditableValue },
  )
  return {
    order,
    baseConversionProbability: base,
    removalEffects,
    conversionProbabilityWithout,
    attribution,
    stateCount: S,
    solver: useDense ? 'dense' : 'iterative',
    iterations,
    converged,
  }
}

type Chain = {
  stateCount: number
  /** Transition weights out of each state, keyed by target state. */
  edges: Map<number, number>[]
  toConversion: Float64Array
  outWeight: Float64Array
  startWeight: Float64Array
  startTotal: number
  statesByChannel: number[][]
  sparse: SparseChain
}

function buildChain(set: JourneySet, order: number): Chain {
  const { offsets, channelIds, conversions, nulls, pathCount } = set
  const channelCount = set.channels.length
  const stateIndex = new Map<string, number>()
  const channelState = new Int32Array(channelCount).fill(-1)
  const stateChannels: number[][] = []
  const edges: Map<number, number>[] = []
  const conv: number[] = []
  const out: number[] = []
  const start: number[] = []

  const addState = (members: number[]): number => {
    const s = stateChannels.length
    stateChannels.push([...new Set(members)])
    edges.push(new Map())
    conv.push(0)
    out.push(0)
    start.push(0)
    return s
  }
  const stateAt = (from: number, i: number): number => {
    if (order === 1) {
      const ch = channelIds[i]!
      let s = channelState[ch]!
      if (s < 0) {
        s = addState([ch])
        channelState[ch] = s
      }
      return s
    }
    const lo = Math.max(from, i - order + 1)
    const members: number[] = []
    for (let t = lo; t <= i; t++) members.push(channelIds[t]!)
    const key = members.join(',')
    let s = stateIndex.get(key)
    if (s === undefined) {
      s = addState(members)
      stateIndex.set(key, s)
    }
    return s
  }

  let startTotal = 0
  for (let p = 0; p < pathCount; p++) {
    const c = conversions[p]!
    const w = c + nulls[p]!
    if (!(w > 0)) continue
    const from = offsets[p]!
    const to = offsets[p + 1]!
    let prev = -1
    for (let i = from; i < to; i++) {
      const s = stateAt(from, i)
      if (prev < 0) start[s]! += w
      else {
        const e = edges[prev]!
        e.set(s, (e.get(s) ?? 0) + w)
      }
      if (prev >= 0) out[prev]! += w
      prev = s
    }
    conv[prev]! += c
    out[prev]! += w
    startTotal += w
  }

  const S = stateChannels.length
  const statesByChannel: number[][] = Array.from({ length: channelCount }, () => [])
  stateChannels.forEach((members, s) => {
    for (const ch of members) statesByChannel[ch]!.push(s)
  })

  const rowStart = new Int32Array(S + 1)
  let nnz = 0
  for (let s = 0; s < S; s++) {
    nnz += edges[s]!.size
    rowStart[s + 1] = nnz
  }
  const col = new Int32Array(nnz)
  const prob = new Float64Array(nnz)
  const toConversion = new Float64Array(S)
  let k = 0
  for (let s = 0; s < S; s++) {
    // A self-loop only delays absorption: fold it into the row scale so Gauss–Seidel never iterates on it.
    const self = edges[s]!.get(s) ?? 0
    const scale = out[s]! - self
    for (const [t, w] of edges[s]!) {
      if (t === s) {
        col[k] = s
        prob[k] = 0
      } else {
        col[k] = t
        prob[k] = scale > 0 ? w / scale : 0
      }
      k++
    }
    toConversion[s] = scale > 0 ? conv[s]! / scale : 0
  }

  const outWeight = Float64Array.from(out)
  return {
    stateCount: S,
    edges,
    toConversion: Float64Array.from(conv, (c, s) => (outWeight[s]! > 0 ? c / outWeight[s]! : 0)),
    outWeight,
    startWeight: Float64Array.from(start),
    startTotal,
    statesByChannel,
    sparse: { n: S, rowStart, col, prob, toConversion },
  }
}

function startProbability(chain: Chain, h: Float64Array): number {
  if (chain.startTotal <= 0) return 0
  let p = 0
  for (let s = 0; s < chain.stateCount; s++) p += chain.startWeight[s]! * h[s]!
  // A probability: rounding in the solve (e.g. with subnormal weights) can leave it a hair outside [0, 1].
  return Math.min(Math.max(p / chain.startTotal, 0), 1)
}

/** Dense (I − Q) h = r, rebuilt per removal with removed states' rows replaced by h_s = 0. */
function denseSolver(chain: Chain): (removed: Uint8Array) => number {
  const S = chain.stateCount
  const base = new Float64Array(S * S)
  for (let s = 0; s < S; s++) {
    base[s * S + s] = 1
    const o = chain.outWeight[s]!
    if (o <= 0) continue
    for (const [t, w] of chain.edges[s]!) base[s * S + t]! -= w / o
  }
  return (removed) => {
    const a = base.slice()
    const b = chain.toConversion.slice()
    for (let s = 0; s < S; s++) {
      if (removed[s] !== 1) continue
      a.fill(0, s * S, (s + 1) * S)
      a[s * S + s] = 1
      b[s] = 0
    }
    if (!solveDense(S, a, b)) {
      throw new AppError('internal', 'Markov chain matrix is singular: some state cannot reach absorption')
    }
    return startProbability(chain, b)
  }
}
