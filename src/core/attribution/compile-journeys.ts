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
  const channelIndex = new Map<string, number>()
  const channels: string[] = []
  const offsets: number[] = [0]
  const channelIds: number[] = []
  const milestones: number[] = []
  const ages: number[] = []
  const conversions: number[] = []
  const values: number[] = []
  const nulls: number[] = []
  const buckets = new Map<number, number>()
  const nextInBucket: number[] = []
  const issues: Issue[] = []
  const unattributed = { journeys: 0, conversions: 0, value: 0, nulls: 0 }
  let totalConversions = 0
  let totalValue = 0
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
      let id = channelIndex.get(name)
      if (id === undefined) {
        id = channels.length
        channels.push(name)
        channelIndex.set(name, id)
      }
      scratchIds[i] = id
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
    totalConversions += c
    totalValue += v
    if (n === 0) {
      unattributed.journeys++
      unattributed.conversions += c
      unattributed.value += v
      unattributed.nulls += nl
      continue
    }
    const convertedAt = journey.convertedAt ?? latest
    // The hash only narrows the search; equality below is exact, so collisions cost time, never correctness.
    let h = n | 0
    for (let i = 0; i < n; i++) {
      let age = Number.NaN
      if (timed) {
        const d = convertedAt - (touches[i]!.at as number)
        // A touch after the conversion cannot have decayed less than one at the conversion instant.
        age = Math.max(d, 0)
        h = Math.imul(h ^ (age | 0), 0x85ebca6b)
        h = Math.imul(h ^ ((age / 4294967296) | 0), 0xc2b2ae35)
      }
      scratchAges[i] = age
      h = Math.imul(h ^ scratchIds[i]!, 0x9e3779b1)
      h = Math.imul(h ^ scratchMarks[i]!, 0x27d4eb2f)
      h ^= h >>> 15
    }
    let p = buckets.get(h)
    while (p !== undefined && p >= 0) {
      const start = offsets[p]!
      if (offsets[p + 1]! - start === n) {
        let same = true
        for (let i = 0; i < n; i++) {
          const a = ages[start + i]!
          const b = scratchAges[i]!
          if (
            channelIds[start + i] !== scratchIds[i] ||
            milestones[start + i] !== scratchMarks[i] ||
            !(a === b || (Number.isNaN(a) && Number.isNaN(b)))
          ) {
            same = false
            break
          }
        }
        if (same) break
      }
      p = nextInBucket[p]
    }
    if (p !== undefined && p >= 0) {
      conversions[p]! += c
      values[p]! += v
      nulls[p]! += nl
      continue
    }
    const index = conversions.length
    for (let i = 0; i < n; i++) {
      channelIds.push(scratchIds[i]!)
      milestones.push(scratchMarks[i]!)
      ages.push(scratchAges[i]!)
    }
    offsets.push(channelIds.length)
    conversions.push(c)
    values.push(v)
    nulls.push(nl)
    nextInBucket.push(buckets.get(h) ?? -1)
    buckets.set(h, index)
  }

  if (issues.length > 0) {
    throw new AppError('invalid_input', `${issues.length} invalid journey field(s): ${issues[0]!.path}`, issues)
  }
  return {
    kind: 'journey_set',
    channels,
    offsets: Int32Array.from(offsets),
    channelIds: Int32Array.from(channelIds),
    milestones: Uint8Array.from(milestones),
    ages: Float64Array.from(ages),
    conversions: Float64Array.from(conversions),
    values: Float64Array.from(values),
    nulls: Float64Array.from(nulls),
    pathCount: conversions.length,
    journeyCount,
    totalConversions,
    totalValue,
    unattributed,
  }
}

/** Accept raw journeys or an already compiled set, so callers running many models compile once. */
export function toJourneySet(journeys: Iterable<Journey> | JourneySet): JourneySet {
  return isJourneySet(journeys) ? journeys : compileJourneys(journeys)
}

function isJourneySet(x: Iterable<Journey> | JourneySet): x is JourneySet {
  return (x as JourneySet).kind === 'journey_set'
}
