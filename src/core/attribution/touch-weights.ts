import type { PositionWeights } from './types.ts'

/**
 * Per-touch weight kernels of the heuristic models. Each writes n weights summing to 1 into `out[0..n)`.
 * They read one path of a JourneySet in place (`start` is the path's first touch index) so that
 * evaluating a million journeys allocates nothing per path.
 */

/** Slot weights normalised to sum 1, in the fixed order first, lead, opportunity, won, last, middle. */
export type SlotWeights = {
  first: number
  lead: number
  opportunity: number
  won: number
  last: number
  middle: number
}

export const U_SHAPED: SlotWeights = { first: 0.4, lead: 0, opportunity: 0, won: 0, last: 0.4, middle: 0.2 }
export const W_SHAPED: SlotWeights = { first: 0.3, lead: 0.3, opportunity: 0.3, won: 0, last: 0, middle: 0.1 }
export const FULL_PATH: SlotWeights = {
  first: 0.225,
  lead: 0.225,
  opportunity: 0.225,
  won: 0.225,
  last: 0,
  middle: 0.1,
}

export function toSlotWeights(weights: PositionWeights): SlotWeights {
  const s: SlotWeights = {
    first: weights.first ?? 0,
    lead: weights.lead ?? 0,
    opportunity: weights.opportunity ?? 0,
    won: weights.won ?? 0,
    last: weights.last ?? 0,
    middle: weights.middle ?? 0,
  }
  const total = s.first + s.lead + s.opportunity + s.won + s.last + s.middle
  return {
    first: s.first / total,
    lead: s.lead / total,
    opportunity: s.opportunity / total,
    won: s.won / total,
    last: s.last / total,
    middle: s.middle / total,
  }
}

/**
 * Position-based weights for the n touches starting at `start`, following the rules documented on
 * `AttributionModel` (milestone anchors, positional stand-ins on unmarked paths, renormalisation, linear fallback).
 * `claimed` is scratch space of at least n entries.
 */
export function writePositionWeights(
  n: number,
  milestones: Uint8Array,
  start: number,
  slots: SlotWeights,
  out: Float64Array,
  claimed: Uint8Array,
): void {
  for (let i = 0; i < n; i++) {
    out[i] = 0
    claimed[i] = 0
  }
  const anchors = [slots.lead, slots.opportunity, slots.won]
  let marked = false
  for (let i = 0; i < n; i++) {
    if (milestones[start + i] !== 0) {
      marked = true
      break
    }
  }
  if (marked) {
    for (let m = 0; m < 3; m++) {
      const w = anchors[m]!
      if (w <= 0) continue
      const code = m + 1
      for (let i = 0; i < n; i++) {
        if (milestones[start + i] === code) {
          out[i]! += w
          claimed[i] = 1
          break
        }
      }
    }
  } else {
    // Positional stand-ins: anchors first, weighted milestones, then last (if weighted) spread evenly.
    let m = 1
    for (const w of anchors) if (w > 0) m++
    if (slots.last > 0) m++
    if (m > 1) {
      let j = 1
      for (const w of anchors) {
        if (w <= 0) continue
        const i = Math.floor((j * (n - 1)) / (m - 1) + 0.5)
        out[i]! += w
        claimed[i] = 1
        j++
      }
    }
  }
  if (slots.first > 0) {
    out[0]! += slots.first
    claimed[0] = 1
  }
  if (slots.last > 0) {
    out[n - 1]! += slots.last
    claimed[n - 1] = 1
  }
  if (slots.middle > 0) {
    let free = 0
    for (let i = 0; i < n; i++) if (claimed[i] === 0) free++
    if (free > 0) {
      const share = slots.middle / free
      for (let i = 0; i < n; i++) if (claimed[i] === 0) out[i] = share
    }
  }
  normalise(n, out)
}

/**
 * Time-decay weights 2^(−age / halfLife) for one path. With ages known (ms), halfLifeMs applies; when the path's ages
 * are NaN (no timestamps) the k-th touch before the last is k steps old and halfLifeTouches applies.
 */
export function writeTimeDecayWeights(
  n: number,
  ages: Float64Array,
  start: number,
  halfLifeMs: number,
  halfLifeTouches: number,
  out: Float64Array,
): void {
  const first = ages[start]!
  if (Number.isNaN(first)) {
    for (let i = 0; i < n; i++) out[i] = 2 ** (-(n - 1 - i) / halfLifeTouches)
  } else {
    // Measured from the youngest touch so that old journeys do not underflow to all-zero weights.
    let youngest = Number.POSITIVE_INFINITY
    for (let i = 0; i < n; i++) if (ages[start + i]! < youngest) youngest = ages[start + i]!
    for (let i = 0; i < n; i++) out[i] = 2 ** (-(ages[start + i]! - youngest) / halfLifeMs)
  }
  normalise(n, out)
}

function normalise(n: number, out: Float64Array): void {
  let total = 0
  for (let i = 0; i < n; i++) total += out[i]!
  if (total > 0 && Number.isFinite(total)) {
    for (let i = 0; i < n; i++) out[i]! /= total
  } else {
    for (let i = 0; i < n; i++) out[i] = 1 / n
  }
}
