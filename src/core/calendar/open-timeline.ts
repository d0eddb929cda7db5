// The calendar as a sorted list of open intervals in UTC epoch ms, built lazily in fixed 32-day chunks of the
// UTC time line and memoised. Every business-time query is then a binary search plus prefix sums, which is
// what makes millions of due-date computations cheap. Chunks are a cache only: a chunk's content depends on
// nothing but the calendar, so building it earlier or later never changes a result.

import type { TimeWindow } from './calendar-types.ts'
import { DAY_MS, isoWeekdayOf, MINUTE_MS } from './local-date.ts'
import { instantOfWallTime, offsetAt, readOffsetSegments } from './zone-offsets.ts'

export const CHUNK_MS = 32 * DAY_MS
const MAX_CACHED_CHUNKS = 1024

/** Open intervals [opens[i], closes[i]) clipped to [startMs, endMs), merged, with open time before each. */
export type OpenChunk = {
  readonly index: number
  readonly startMs: number
  readonly endMs: number
  readonly opens: Float64Array
  readonly closes: Float64Array
  /** Open ms inside this chunk before opens[i]. */
  readonly before: Float64Array
  readonly totalMs: number
}

export type OpenTimeline = {
  chunkAt(instantMs: number): OpenChunk
  chunk(index: number): OpenChunk
  /** True when this chunk and every later one can hold no open time (only possible with an empty weekly schedule). */
  isExhaustedAfter(chunk: OpenChunk): boolean
}

export type TimelineSource = {
  readonly timeZone: string
  /** Index 1–7 = ISO weekday. */
  readonly weeklyByDay: readonly (readonly TimeWindow[])[]
  readonly holidayDays: ReadonlySet<number>
  readonly overrideDays: ReadonlyMap<number, readonly TimeWindow[]>
}

export function createOpenTimeline(source: TimelineSource): OpenTimeline {
  const cache = new Map<number, OpenChunk>()
  let recent: OpenChunk | null = null
  const hasWeekly = source.weeklyByDay.some((windows) => windows.length > 0)
  let lastSpecialDay = Number.NEGATIVE_INFINITY
  for (const day of source.holidayDays) lastSpecialDay = Math.max(lastSpecialDay, day)
  for (const day of source.overrideDays.keys()) lastSpecialDay = Math.max(lastSpecialDay, day)
  // Past this instant no override can open anything (a window ends at most 2 local days after its date).
  const lastSpecialEndMs = (lastSpecialDay + 3) * DAY_MS + DAY_MS

  const chunk = (index: number): OpenChunk => {
    if (recent !== null && recent.index === index) return recent
    let found = cache.get(index)
    if (found === undefined) {
      if (cache.size >= MAX_CACHED_CHUNKS) cache.clear()
      found = buildChunk(source, index)
      cache.set(index, found)
    }
    recent = found
    return found
  }
  return {
    chunk,
    chunkAt: (instantMs) => chunk(Math.floor(instantMs / CHUNK_MS)),
    isExhaustedAfter: (c) => !hasWeekly && c.totalMs === 0 && c.startMs >= lastSpecialEndMs,
  }
}

function windowsOfDay(source: TimelineSource, epochDay: number): readonly TimeWindow[] {
  const override = source.overrideDays.get(epochDay)
  if (override !== undefined) return override
  if (source.holidayDays.has(epochDay)) return []
  return source.weeklyByDay[isoWeekdayOf(epochDay)]!
}

function buildChunk(source: TimelineSource, index: number): OpenChunk {
  const startMs = index * CHUNK_MS
  const endMs = startMs + CHUNK_MS
  // Margins cover windows that start up to two local days before the chunk and zones up to ±26 h apart.
  const segments = readOffsetSegments(source.timeZone, startMs - 5 * DAY_MS, endMs + 5 * DAY_MS)
  const firstDay = Math.floor((startMs + offsetAt(segments, startMs)) / DAY_MS) - 2
  const lastDay = Math.floor((endMs + offsetAt(segments, endMs)) / DAY_MS) + 1
  const raw: number[] = []
  for (let day = firstDay; day <= lastDay; day++) {
    const midnightWall = day * DAY_MS
    for (const window of windowsOfDay(source, day)) {
      const open = Math.max(startMs, instantOfWallTime(segments, midnightWall + window.start * MINUTE_MS, 'earlier'))
      const close = Math.min(endMs, instantOfWallTime(segments, midnightWall + window.end * MINUTE_MS, 'later'))
      if (close > open) raw.push(open, close)
    }
  }
  const order = Array.from({ length: raw.length / 2 }, (_, i) => i).sort((a, b) => raw[2 * a]! - raw[2 * b]!)
  const opens: number[] = []
  const closes: number[] = []
  for (const i of order) {
    const open = raw[2 * i]!
    const close = raw[2 * i + 1]!
    const last = closes.length - 1
    // Overlapping or touching windows (an overnight window running into the next morning's) are one stretch.
    if (last >= 0 && open <= closes[last]!) closes[last] = Math.max(closes[last]!, close)
    else {
      opens.push(open)
      closes.push(close)
    }
  }
  const before = new Float64Array(opens.length)
  let total = 0
  for (let i = 0; i < opens.length; i++) {
    before[i] = total
    total += closes[i]! - opens[i]!
  }
  return {
    index,
    startMs,
    endMs,
    opens: Float64Array.from(opens),
    closes: Float64Array.from(closes),
    before,
    totalMs: total,
  }
}

/** Index of the last interval opening at or before t, or -1. */
export function lastOpeningAtOrBefore(chunk: OpenChunk, t: number): number {
  const { opens } = chunk
  let lo = 0
  let hi = opens.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (opens[mid]! <= t) lo = mid + 1
    else hi = mid
  }
  return lo - 1
}

/** Open ms inside the chunk before instant t (t within the chunk). */
export function openTimeBefore(chunk: OpenChunk, t: number): number {
  const i = lastOpeningAtOrBefore(chunk, t)
  if (i < 0) return 0
  return chunk.before[i]! + Math.min(t - chunk.opens[i]!, chunk.closes[i]! - chunk.opens[i]!)
}

/** The earliest instant in the chunk by which `openMs` (0 < openMs <= totalMs) of open time has elapsed. */
export function instantAfterOpenTime(chunk: OpenChunk, openMs: number): number {
  const { opens, closes, before } = chunk
  let lo = 0
  let hi = opens.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (before[mid]! + (closes[mid]! - opens[mid]!) >= openMs) hi = mid
    else lo = mid + 1
  }
  return opens[lo]! + (openMs - before[lo]!)
}
