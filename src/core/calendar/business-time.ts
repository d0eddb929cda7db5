// Business-time arithmetic. Instants are UTC epoch milliseconds; durations are real elapsed milliseconds
// inside open windows, so a DST day counts the hours it really has.
//
// Laws that must stay true (see business-time.property.test.ts):
//   addBusinessTime(addBusinessTime(s, a), b) === addBusinessTime(s, a + b)
//   businessTimeBetween(s, addBusinessTime(s, d)) === d
//   d1 <= d2  ⇒  addBusinessTime(s, d1) <= addBusinessTime(s, d2)
//   addBusinessTime(s, 0) === s  (even when s is closed: zero business time is needed, so nothing waits)

import type { Calendar } from './calendar-types.ts'
import {
  CHUNK_MS,
  instantAfterOpenTime,
  lastOpeningAtOrBefore,
  type OpenChunk,
  openTimeBefore,
} from './open-timeline.ts'

// Temporal's instant range, less the margin a chunk reads around itself.
const MAX_INSTANT_MS = 8.64e15 - 64 * 86_400_000

function checkInstant(ms: number, name: string): void {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_INSTANT_MS) {
    throw new RangeError(`${name}: expected epoch milliseconds, got ${ms}`)
  }
}

/**
 * The earliest instant by which `durationMs` of business time has elapsed since `startMs`.
 * A start outside working hours waits for the next window; a result can be the very end of a window.
 * Returns Infinity when the calendar never accumulates that much open time (no weekly windows, overrides exhausted).
 * @example addBusinessTime(Date.parse('2026-11-20T21:30:00Z'), 3_600_000, newYork) // Mon 2026-11-23 09:30 New York
 * @throws RangeError for a negative or non-finite duration or a non-finite instant.
 */
export function addBusinessTime(startMs: number, durationMs: number, calendar: Calendar): number {
  checkInstant(startMs, 'startMs')
  if (!(durationMs >= 0) || !Number.isFinite(durationMs)) {
    throw new RangeError(`durationMs: expected a finite duration ≥ 0, got ${durationMs}`)
  }
  if (durationMs === 0) return startMs
  const timeline = calendar.timeline
  let chunk = timeline.chunkAt(startMs)
  let used = openTimeBefore(chunk, startMs)
  let remaining = durationMs
  for (;;) {
    const available = chunk.totalMs - used
    if (remaining <= available) return instantAfterOpenTime(chunk, used + remaining)
    remaining -= available
    if (timeline.isExhaustedAfter(chunk)) return Number.POSITIVE_INFINITY
    chunk = timeline.chunk(chunk.index + 1)
    used = 0
  }
}

/**
 * Business time elapsed from `fromMs` to `toMs`. Antisymmetric: a `toMs` before `fromMs` gives the negated
 * business time between them, so `between(a, b) + between(b, c) === between(a, c)` for any order.
 * @example businessTimeBetween(Date.parse('2026-11-20T21:30:00Z'), Date.parse('2026-11-23T14:30:00Z'), newYork) // 3_600_000
 */
export function businessTimeBetween(fromMs: number, toMs: number, calendar: Calendar): number {
  checkInstant(fromMs, 'fromMs')
  checkInstant(toMs, 'toMs')
  // 0 - x, not -x: a closed stretch must give 0, never -0 (Object.is and JSON tell them apart).
  if (toMs < fromMs) return 0 - businessTimeBetween(toMs, fromMs, calendar)
  if (toMs === fromMs) return 0
  const timeline = calendar.timeline
  const first = timeline.chunkAt(fromMs)
  const lastIndex = Math.floor(toMs / CHUNK_MS)
  if (first.index === lastIndex) return openTimeBefore(first, toMs) - openTimeBefore(first, fromMs)
  let total = first.totalMs - openTimeBefore(first, fromMs)
  for (let index = first.index + 1; index < lastIndex; index++) total += timeline.chunk(index).totalMs
  return total + openTimeBefore(timeline.chunk(lastIndex), toMs)
}

/**
 * `ms` itself when the calendar is open then, otherwise the instant the next window opens (Infinity if none ever).
 * Windows are half-open: open at 09:00, closed at 17:00.
 * @example nextOpenInstant(Date.parse('2026-11-21T15:00:00Z'), newYork) // Mon 2026-11-23 09:00 New York
 */
export function nextOpenInstant(ms: number, calendar: Calendar): number {
  checkInstant(ms, 'ms')
  const timeline = calendar.timeline
  let chunk: OpenChunk = timeline.chunkAt(ms)
  const i = lastOpeningAtOrBefore(chunk, ms)
  if (i >= 0 && ms < chunk.closes[i]!) return ms
  let next = i + 1
  for (;;) {
    if (next < chunk.opens.length) return chunk.opens[next]!
    if (timeline.isExhaustedAfter(chunk)) return Number.POSITIVE_INFINITY
    chunk = timeline.chunk(chunk.index + 1)
    next = 0
  }
}

/**
 * Whether the calendar is open at `ms` (windows include their start, exclude their end).
 * @example isOpen(Date.parse('2026-11-23T14:00:00Z'), newYork) // true: Monday 09:00 New York
 */
export function isOpen(ms: number, calendar: Calendar): boolean {
  checkInstant(ms, 'ms')
  const chunk = calendar.timeline.chunkAt(ms)
  const i = lastOpeningAtOrBefore(chunk, ms)
  return i >= 0 && ms < chunk.closes[i]!
}

export type OpenInterval = { readonly startMs: number; readonly endMs: number }

/**
 * The open stretches intersecting [fromMs, toMs), clipped to it, merged across midnight and chunk edges.
 * @example listOpenIntervals(mondayMidnight, tuesdayMidnight, newYork) // [{ startMs: Mon 09:00, endMs: Mon 17:00 }]
 */
export function listOpenIntervals(fromMs: number, toMs: number, calendar: Calendar): OpenInterval[] {
  checkInstant(fromMs, 'fromMs')
  checkInstant(toMs, 'toMs')
  const out: { startMs: number; endMs: number }[] = []
  if (toMs <= fromMs) return out
  const timeline = calendar.timeline
  const lastIndex = Math.floor((toMs - 1) / CHUNK_MS)
  for (let index = Math.floor(fromMs / CHUNK_MS); index <= lastIndex; index++) {
    const chunk = timeline.chunk(index)
    for (let i = Math.max(0, lastOpeningAtOrBefore(chunk, fromMs)); i < chunk.opens.length; i++) {
      const startMs = Math.max(fromMs, chunk.opens[i]!)
      const endMs = Math.min(toMs, chunk.closes[i]!)
      if (startMs >= toMs) break
      if (endMs <= startMs) continue
      const last = out[out.length - 1]
      if (last !== undefined && last.endMs === startMs) last.endMs = endMs
      else out.push({ startMs, endMs })
    }
  }
  return out
}
