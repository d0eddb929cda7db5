/**
 * Period labels as the API reads them (`2026-Q4`, `2026-11`, `2026-11-02..2026-11-09` with the end exclusive), the
 * picker's presets, and how a label reads to people. Periods are UTC days, as on the server; nothing here is a
 * metric — the numbers of a period always come from the API.
 */

const DAY = 86_400_000
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

export type PresetId = 'this_quarter' | 'last_quarter' | 'this_month' | 'last_month'

export const PRESET_LABELS: Record<PresetId, string> = {
  this_quarter: 'This quarter',
  last_quarter: 'Last quarter',
  this_month: 'This month',
  last_month: 'Last month',
}

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * The API label of each preset at `now`.
 *
 * Example: `presetPeriods(Date.UTC(2026, 0, 5))` → `{ this_quarter: '2026-Q1', last_quarter: '2025-Q4', this_month: '2026-01', last_month: '2025-12' }`
 */
export function presetPeriods(now: number): Record<PresetId, string> {
  const d = new Date(now)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth()
  const q = Math.floor(m / 3)
  const lastQ = q === 0 ? { y: y - 1, q: 3 } : { y, q: q - 1 }
  const lastM = m === 0 ? { y: y - 1, m: 11 } : { y, m: m - 1 }
  return {
    this_quarter: `${y}-Q${q + 1}`,
    last_quarter: `${lastQ.y}-Q${lastQ.q + 1}`,
    this_month: `${y}-${pad(m + 1)}`,
    last_month: `${lastM.y}-${pad(lastM.m + 1)}`,
  }
}

const CUSTOM = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/

/** The API label of the days `from` to `toInclusive` (YYYY-MM-DD): the end is sent exclusive. */
export function customPeriodLabel(from: string, toInclusive: string): string {
  const end = new Date(Date.parse(`${toInclusive}T00:00:00Z`) + DAY).toISOString().slice(0, 10)
  return `${from}..${end}`
}

/** The first and last day (inclusive) of a custom label, or null when the label is not custom. */
export function customBounds(label: string): { from: string; toInclusive: string } | null {
  const m = CUSTOM.exec(label)
  if (!m) return null
  const last = new Date(Date.parse(`${m[2]}T00:00:00Z`) - DAY).toISOString().slice(0, 10)
  return { from: m[1]!, toInclusive: last }
}

function day(iso: string, withYear: boolean): string {
  const d = new Date(`${iso}T00:00:00Z`)
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${withYear ? ` ${d.getUTCFullYear()}` : ''}`
}

/**
 * How a period label reads: '2026-Q4' → 'Q4 2026', '2026-11' → 'Nov 2026', '2026-W47' → 'Week 47, 2026',
 * '2026-11-02..2026-11-09' → '2 Nov – 8 Nov 2026'. Anything else is shown as it is.
 */
export function describePeriod(label: string): string {
  const custom = customBounds(label)
  if (custom) {
    const sameYear = custom.from.slice(0, 4) === custom.toInclusive.slice(0, 4)
    return `${day(custom.from, !sameYear)} – ${day(custom.toInclusive, true)}`
  }
  let m = /^(\d{4})-Q([1-4])$/.exec(label)
  if (m) return `Q${m[2]} ${m[1]}`
  m = /^(\d{4})-(\d{2})$/.exec(label)
  if (m) return `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`
  m = /^(\d{4})-W(\d{2})$/.exec(label)
  if (m) return `Week ${Number(m[2])}, ${m[1]}`
  return label
}

/** The preset a label is at `now`, or null (a custom range or an older period). */
export function presetOf(label: string, now: number): PresetId | null {
  const presets = presetPeriods(now)
  return (Object.keys(presets) as PresetId[]).find((id) => presets[id] === label) ?? null
}

/**
 * The Monday (YYYY-MM-DD, UTC) an ISO week label starts on, or null for anything else.
 *
 * Example: `isoWeekStart('2026-W47')` → `'2026-11-16'`
 */
export function isoWeekStart(label: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(label)
  if (!m) return null
  const jan4 = Date.UTC(Number(m[1]), 0, 4)
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7
  return new Date(jan4 - weekday * DAY + (Number(m[2]) - 1) * 7 * DAY).toISOString().slice(0, 10)
}

/** '2026-W47' → 'W47 · 16 Nov'; a month '2026-11' → 'Nov 2026'. */
export function describeWeek(label: string): string {
  const start = isoWeekStart(label)
  if (!start) return describePeriod(label)
  return `W${Number(label.slice(6))} · ${day(start, false)}`
}
