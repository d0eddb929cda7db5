import { AppError, type Issue } from '../errors.ts'
import type { Journey, Milestone } from './types.ts'

/**
 * Journeys aggregated by identical path, in flat typed arrays. Every model runs over distinct paths, not
 * journeys, so a million journeys on ten thousand paths cost ten thousand path evaluations.
 * Two journeys share a path when their channels, milestone marks and touch ages (conversion instant − touch
 * instant) are all equal; journeys without timestamps therefore aggregate by channels and marks alone.
 */
export type JourneySet = {
  readonly kind: 'journey_set'
  /** Channel names; touch channel ids index into this. */
  readonly channels: readonly string[]
  /** Path p's touches are at indices offsets[p] ≤ t < offsets[p + 1]. */
  readonly offsets: Int32Array
  readonly channelIds: Int32Array
  /** 0 none, 1 lead, 2 opportunity, 3 won. */
  readonly milestones: Uint8Array
  /** Age of each touch in ms; NaN on every touch of a path where any touch lacks `at`. */
  readonly ages: Float64Array
  readonly conversions: Float64Array
  readonly values: Float64Array
  readonly nulls: Float64Array
  readonly pathCount: number
  readonly journeyCount: number
  readonly totalConversions: number
  readonly totalValue: number
  readonly unattributed: { journeys: number; conversions: number; value: number; nulls: number }
}

export const MILESTONE_CODE: Readonly<Record<Milestone, number>> = { lead: 1, opportunity: 2, won: 3 }

const MAX_ISSUES = 50

/**
 * Validate and aggregate journeys once; pass the result to `attribute`, `attributeMany` or
 * `markovRemovalEffects` to run several models without re-reading the input.
 * Throws `AppError('invalid_input')` naming each bad field (`journeys[3].conversions`).
 *
 * Example: `compileJourneys([{ touches: [{ channel: 'a' }], conversions: 2, value: 10 }]).pathCount === 1`
 */
export function compileJourneys(journeys: Iterable<Journey>): JourneySet {
  const acc = new PathAccumulator()
  const issues: Issue[] = []
  let journeyCount = 0
  let scratchIds = new Int32Array(64)
  let scratchMarks = new Uint8Array(64)
  let scratchAges = new Float64Array(64)

  const report = (path: string, message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ path, message })
  }

  for (const journey of journeys) {
    const j = journeyCount++
    const c = journey.conversions
    const v = journey.value
    const nl = journey.nulls ?? 0
    let ok = true
    if (!(Number.isFinite(c) && c >= 0)) {
      report(`journeys[${j}].conversions`, `expected a finite number ≥ 0, got ${String(c)}`)
      ok = false
    }
    if (!Number.isFinite(v)) {
      report(`journeys[${j}].value`, `expected a finite number, got ${String(v)}`)
      ok = false
    }
    if (!(Number.isFinite(nl) && nl >= 0)) {
      report(`journeys[${j}].nulls`, `expected a finite number ≥ 0, got ${String(nl)}`)
      ok = false
    }
    const touches = journey.touches
    const n = touches.length
    if (n > scratchIds.length) {
      scratchIds = new Int32Array(n * 2)
      scratchMarks = new Uint8Array(n * 2)
      scratchAges = new Float64Array(n * 2)
    }
    let timed = true
    let latest = Number.NEGATIVE_INFINITY
    for (let i = 0; i < n; i++) {
      const touch = touches[i]!
      const name = touch.channel
      if (typeof name !== 'string' || name.length === 0) {
        report(`journeys[${j}].touches[${i}].channel`, 'expected a non-empty channel name')
        ok = false
        continue
      }
      scratchIds[i] = acc.channelId(name)
      const mark = touch.milestone
      if (mark === undefined) scratchMarks[i] = 0
      else {
        const code = MILESTONE_CODE[mark]
        if (code === undefined) {
          report(`journeys[${j}].touches[${i}].milestone`, `expected lead, opportunity or won, got ${String(mark)}`)
          ok = false
        } else scratchMarks[i] = code
      }
      const at = touch.at
      if (at === undefined) timed = false
      else if (!Number.isFinite(at)) {
        report(`journeys[${j}].touches[${i}].at`, `expected epoch milliseconds, got ${String(at)}`)
        ok = false
      } else if (at > latest) latest = at
    }
    if (journey.convertedAt !== undefined && !Number.isFinite(journey.convertedAt)) {
      report(`journeys[${j}].convertedAt`, `expected epoch milliseconds, got ${String(journey.convertedAt)}`)
      ok = false
    }
    if (!ok) continue
    const convertedAt = journey.convertedAt ?? latest
    for (let i = 0; i < n; i++) {
      // A touch after the conversion cannot have decayed less than one at the conversion instant.
      scratchAges[i] = timed ? Math.max(convertedAt - (touches[i]!.at as number), 0) : Number.NaN
    }
    acc.add(n, scratchIds, scratchMarks, scratchAges, c, v, nl)
  }

  if (issues.length > 0) {
    throw new AppError('invalid_input', `${issues.length} invalid journey field(s): ${issues[0]!.path}`, issues)
  }
  return acc.finish(journeyCount)
}

/**
 * Aggregates valid journeys by identical path into a JourneySet: `compileJourneys` feeds it validated journeys, and
 * `compileOpportunityJourneys` feeds it straight from the touch ledger (no Touch object per touch). Channel ids are
 * given in order of first use, so both give the same set for the same journeys.
 */
export class PathAccumulator {
  private readonly channelIndex = new Map<string, number>()
  private readonly channels: string[] = []
  private readonly offsets: number[] = [0]
  // The paths' touches, in typed arrays grown by doubling (a quarter's journeys hold ~200,000 touches), or sized
  // once by a caller that knows how many touches its journeys hold at most (no copy while growing or finishing).
  private channelIds: Int32Array
  private milestones: Uint8Array
  private ages: Float64Array
  private touchCount = 0
  private readonly conversions: number[] = []
  private readonly values: number[] = []
  private readonly nulls: number[] = []
  private readonly buckets = new Map<number, number>()
  private readonly nextInBucket: number[] = []
  private readonly unattributed = { journeys: 0, conversions: 0, value: 0, nulls: 0 }
  private totalConversions = 0
  private totalValue = 0

  /** `capacity`: the touches the journeys added will hold at most, if known (their sum, or less once paths repeat). */
  constructor(capacity = 1024) {
    this.channelIds = new Int32Array(capacity)
    this.milestones = new Uint8Array(capacity)
    this.ages = new Float64Array(capacity)
  }

  /** The id of a channel name, given on first use. */
  channelId(name: string): number {
    let id = this.channelIndex.get(name)
    if (id === undefined) {
      id = this.channels.length
      this.channels.push(name)
      this.channelIndex.set(name, id)
    }
    return id
  }

  /** One valid journey of `n` touches (ids, marks and ages in the first n slots; ages NaN when untimed). */
  add(
    n: number,
    ids: Int32Array,
    marks: Uint8Array,
    ages: Float64Array,
    conversions: number,
    value: number,
    nulls: number,
  ): void {
    this.totalConversions += conversions
    this.totalValue += value
    if (n === 0) {
      this.unattributed.journeys++
      this.unattributed.conversions += conversions
      this.unattributed.value += value
      this.unattributed.nulls += nulls
      return
    }
    // The hash only narrows the search; equality below is exact, so collisions cost time, never correctness.
    let h = n | 0
    for (let i = 0; i < n; i++) {
      const age = ages[i]!
      if (!Number.isNaN(age)) {
        h = Math.imul(h ^ (age | 0), 0x85ebca6b)
        h = Math.imul(h ^ ((age / 4294967296) | 0), 0xc2b2ae35)
      }
      h = Math.imul(h ^ ids[i]!, 0x9e3779b1)
      h = Math.imul(h ^ marks[i]!, 0x27d4eb2f)
      h ^= h >>> 15
    }
    const { offsets, channelIds, milestones } = this
    const stored = this.ages
    let p = this.buckets.get(h)
    while (p !== undefined && p >= 0) {
      const start = offsets[p]!
      if (offsets[p + 1]! - start === n) {
        let same = true
        for (let i = 0; i < n; i++) {
          const a = stored[start + i]!
          const b = ages[i]!
          if (
            channelIds[start + i] !== ids[i] ||
            milestones[start + i] !== marks[i] ||
            !(a === b || (Number.isNaN(a) && Number.isNaN(b)))
          ) {
            same = false
            break
          }
        }
        if (same) break
      }
      p = this.nextInBucket[p]
    }
    if (p !== undefined && p >= 0) {
      this.conversions[p]! += conversions
      this.values[p]! += value
      this.nulls[p]! += nulls
      return
    }
    const index = this.conversions.length
    const at = this.touchCount
    if (at + n > this.channelIds.length) {
      const size = Math.max(this.channelIds.length * 2, at + n)
      const grow = <T extends Int32Array | Uint8Array | Float64Array>(from: T, to: T): T => {
        to.set(from.subarray(0, at))
        return to
      }
      this.channelIds = grow(this.channelIds, new Int32Array(size))
      this.milestones = grow(this.milestones, new Uint8Array(size))
      this.ages = grow(this.ages, new Float64Array(size))
    }
    this.channelIds.set(ids.subarray(0, n), at)
    this.milestones.set(marks.subarray(0, n), at)
    this.ages.set(ages.subarray(0, n), at)
    this.touchCount = at + n
    offsets.push(this.touchCount)
    this.conversions.push(conversions)
    this.values.push(value)
    this.nulls.push(nulls)
    this.nextInBucket.push(this.buckets.get(h) ?? -1)
    this.buckets.set(h, index)
  }

  private exact<T extends Int32Array | Uint8Array | Float64Array>(a: T): T {
    return (a.length === this.touchCount ? a : a.slice(0, this.touchCount)) as T
  }

  finish(journeyCount: number): JourneySet {
    return {
      kind: 'journey_set',
      channels: this.channels,
      offsets: Int32Array.from(this.offsets),
      // Copied only when not full: a set holds its paths' touches and nothing more.
      channelIds: this.exact(this.channelIds),
      milestones: this.exact(this.milestones),
      ages: this.exact(this.ages),
      conversions: Float64Array.from(this.conversions),
      values: Float64Array.from(this.values),
      nulls: Float64Array.from(this.nulls),
      pathCount: this.conversions.length,
      journeyCount,
      totalConversions: this.totalConversions,
      totalValue: this.totalValue,
      unattributed: this.unattributed,
    }
  }
}

/** Accept raw journeys or an already compiled set, so callers running many models compile once. */
export function toJourneySet(journeys: Iterable<Journey> | JourneySet): JourneySet {
  return isJourneySet(journeys) ? journeys : compileJourneys(journeys)
}

function isJourneySet(x: Iterable<Journey> | JourneySet): x is JourneySet {
  return (x as JourneySet).kind === 'journey_set'
}
