/**
 * Durations as people write them: `7d`, `4h`, `90m`, `1h30m`, `2w`. Calendar durations (windows, half-lives,
 * lookbacks) may use w/d/h/m/s; business durations (SLA targets) only h and m, because a business "day" has no fixed
 * length — it depends on the owner's calendar.
 */

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const
type Unit = keyof typeof UNIT_MS

export const DURATION_PATTERN = '^(\\d+w)?(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$'
export const BUSINESS_DURATION_PATTERN = '^(\\d+h)?(\\d+m)?$'

/** Wall-clock duration. */
export type Duration = { ms: number }
/** Duration counted only inside the working hours of a calendar. */
export type BusinessDuration = { businessMs: number }

/**
 * Milliseconds in `text`, or an error message. Units must appear largest first, each at most once.
 *
 * Example: `parseDuration('1h30m')` → `{ ok: true, ms: 5_400_000 }`
 */
export function parseDuration(
  text: string,
  allowed: readonly Unit[] = ['w', 'd', 'h', 'm', 's'],
): { ok: true; ms: number } | { ok: false; message: string } {
  const re = allowed.length === 5 ? new RegExp(DURATION_PATTERN) : new RegExp(BUSINESS_DURATION_PATTERN)
  const m = re.exec(text.trim())
  if (!m || text.trim() === '') {
    const examples = allowed.includes('d') ? '7d, 4h, 90m, 1h30m' : '4h, 90m, 1h30m'
    return { ok: false, message: `expected a duration such as ${examples}, got ${JSON.stringify(text)}` }
  }
  let ms = 0
  for (const part of m.slice(1)) {
    if (!part) continue
    const unit = part.at(-1) as Unit
    ms += Number(part.slice(0, -1)) * UNIT_MS[unit]
  }
  return { ok: true, ms }
}

/**
 * The shortest text for `ms`, for diffs and messages.
 *
 * Example: `formatDuration(5_400_000)` → `'1h30m'`
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0m'
  let rest = ms
  let out = ''
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit])
    if (n > 0) {
      out += `${n}${unit}`
      rest -= n * UNIT_MS[unit]
    }
  }
  return rest > 0 ? `${out}${rest}ms` : out
}

/** `"75%"` → 0.75. */
export function parsePercent(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(text.trim())
  return m ? Number(m[1]) / 100 : undefined
}

/** A working window `"09:00-17:00"`; an overnight one must say so with `+1`: `"22:00-06:00+1"`. */
export type TimeWindow = { startMinute: number; endMinute: number; overnight: boolean }

/**
 * Parse a working window. The end may be `24:00`. A window ending at or before its start is refused unless marked
 * overnight with `+1`, because `"17:00-09:00"` is far more often a typo than a night shift.
 *
 * Example: `parseTimeWindow('22:00-06:00+1')` → `{ ok: true, window: { startMinute: 1320, endMinute: 360, overnight: true } }`
 */
export function parseTimeWindow(text: string): { ok: true; window: TimeWindow } | { ok: false; message: string } {
  const m = /^([01]\d|2[0-4]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)(\+1)?$/.exec(text.trim())
  if (!m) return { ok: false, message: `expected a window such as "09:00-17:00", got ${JSON.stringify(text)}` }
  const start = Number(m[1]) * 60 + Number(m[2])
  const end = Number(m[3]) * 60 + Number(m[4])
  const overnight = m[5] === '+1'
  if (start >= 1440)
    return { ok: false, message: `window ${JSON.stringify(text)} starts at 24:00; start at 00:00 instead` }
  if (end > 1440) return { ok: false, message: `window ${JSON.stringify(text)} ends after 24:00` }
  if (overnight) {
    if (end >= start)
      return { ok: false, message: `window ${JSON.stringify(text)} is marked +1 (overnight) but ends after it starts` }
    return { ok: true, window: { startMinute: start, endMinute: end, overnight: true } }
  }
  if (end <= start) {
    return {
      ok: false,
      message: `window ${JSON.stringify(text)} ends before it starts; write "${m[1]}:${m[2]}-${m[3]}:${m[4]}+1" for an overnight window`,
    }
  }
  return { ok: true, window: { startMinute: start, endMinute: end, overnight: false } }
}
