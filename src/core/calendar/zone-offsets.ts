// UTC-offset history of a time zone over a bounded range, read once from Temporal, then used with plain
// arithmetic. Converting a local wall-clock time to an instant is where DST bugs live, so the rules are here,
// in one place:
//   - a wall time that occurs twice (fall-back) opens a window at its FIRST occurrence and closes it at its LAST;
//   - a wall time skipped by a spring-forward gap maps to the instant of the jump (the clock passes it there).
// Consequence: a window 01:00–04:00 is 2 real hours on a spring-forward day and 4 on a fall-back day.

import { Temporal } from 'temporal-polyfill'

/** Offsets in force over a range: offsetMs[i] applies from fromMs[i] (fromMs[0] = -Infinity) to fromMs[i + 1]. */
export type OffsetSegments = { readonly fromMs: readonly number[]; readonly offsetMs: readonly number[] }

export function readOffsetSegments(timeZone: string, rangeStartMs: number, rangeEndMs: number): OffsetSegments {
  let zoned: Temporal.ZonedDateTime | null =
    Temporal.Instant.fromEpochMilliseconds(rangeStartMs).toZonedDateTimeISO(timeZone)
  const fromMs = [Number.NEGATIVE_INFINITY]
  const offsetMs = [zoned.offsetNanoseconds / 1e6]
  for (;;) {
    zoned = zoned.getTimeZoneTransition('next')
    if (zoned === null || zoned.epochMilliseconds >= rangeEndMs) break
    fromMs.push(zoned.epochMilliseconds)
    offsetMs.push(zoned.offsetNanoseconds / 1e6)
  }
  return { fromMs, offsetMs }
}

export function offsetAt(segments: OffsetSegments, instantMs: number): number {
  const { fromMs, offsetMs } = segments
  let i = fromMs.length - 1
  while (i > 0 && fromMs[i]! > instantMs) i--
  return offsetMs[i]!
}

/**
 * The instant at which the local clock shows `wallMs` (local time written as if it were UTC epoch ms).
 * `earlier` picks the first occurrence of a repeated wall time (window opening), `later` the last (window closing).
 */
export function instantOfWallTime(segments: OffsetSegments, wallMs: number, occurrence: 'earlier' | 'later'): number {
  const { fromMs, offsetMs } = segments
  const n = fromMs.length
  let first = Number.NaN
  let last = Number.NaN
  for (let i = 0; i < n; i++) {
    const t = wallMs - offsetMs[i]!
    const end = i + 1 < n ? fromMs[i + 1]! : Number.POSITIVE_INFINITY
    if (t >= fromMs[i]! && t < end) {
      if (Number.isNaN(first) || t < first) first = t
      if (Number.isNaN(last) || t > last) last = t
    }
  }
  if (!Number.isNaN(first)) return occurrence === 'earlier' ? first : last
  // Skipped by a gap: the wall time lies between the clock reading just before transition i and just after it.
  for (let i = 1; i < n; i++) {
    const jump = fromMs[i]!
    if (wallMs - offsetMs[i - 1]! >= jump && wallMs - offsetMs[i]! < jump) return jump
  }
  return wallMs - offsetMs[n - 1]!
}
