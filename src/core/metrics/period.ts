const DAY_MS = 86_400_000

export type PeriodKind = 'year' | 'quarter' | 'month' | 'week' | 'custom'

/**
 * A reporting period: the half-open UTC interval [from, to) in epoch ms. `label` is the text it was
 * parsed from ('2026-Q4'); a custom period carries a label made of its bounds.
 */
export type Period = { kind: PeriodKind; label: string; from: number; to: number }

const YEAR = /^(\d{4})$/
const QUARTER = /^(\d{4})-Q([1-4])$/
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/
const WEEK = /^(\d{4})-W(\d{2})$/

/** Monday 00:00 UTC of ISO week 1 of an ISO year (the week holding 4 January). */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4)
  const isoWeekday = ((new Date(jan4).getUTCDay() + 6) % 7) + 1
  return jan4 - (isoWeekday - 1) * DAY_MS
}

function isoWeeksInYear(year: number): number {
  return Math.round((isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / (7 * DAY_MS))
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/**
 * Parses a period label into its UTC bounds [from, to): a year '2026', a quarter '2026-Q4', a month
 * '2026-11' or an ISO-8601 week '2026-W47' (Monday to Monday; week 1 holds 4 January).
 * Throws a RangeError naming the input when it is none of these (period labels come from the
 * Agreement and query strings, both validated before they reach here).
 *
 * @example parsePeriod('2026-Q4') // { kind: 'quarter', label: '2026-Q4', from: Date.UTC(2026, 9, 1), to: Date.UTC(2027, 0, 1) }
 */
export function parsePeriod(label: string): Period {
  let m = YEAR.exec(label)
  if (m) {
    const y = Number(m[1])
    return { kind: 'year', label, from: Date.UTC(y, 0, 1), to: Date.UTC(y + 1, 0, 1) }
  }
  m = QUARTER.exec(label)
  if (m) {
    const y = Number(m[1])
    const q = Number(m[2])
    return { kind: 'quarter', label, from: Date.UTC(y, 3 * (q - 1), 1), to: Date.UTC(y, 3 * q, 1) }
  }
  m = MONTH.exec(label)
  if (m) {
    const y = Number(m[1])
    const mo = Number(m[2])
    return { kind: 'month', label, from: Date.UTC(y, mo - 1, 1), to: Date.UTC(y, mo, 1) }
  }
  m = WEEK.exec(label)
  if (m) {
    const y = Number(m[1])
    const w = Number(m[2])
    const weeks = isoWeeksInYear(y)
    if (w >= 1 && w <= weeks) {
      const from = isoWeekOneMonday(y) + (w - 1) * 7 * DAY_MS
      return { kind: 'week', label, from, to: from + 7 * DAY_MS }
    }
    throw new RangeError(`period "${label}": ISO year ${y} has weeks W01..W${pad(weeks)}`)
  }
  throw new RangeError(
    `period "${label}": expected a year (2026), a quarter (2026-Q4), a month (2026-11) or an ISO week (2026-W47)`,
  )
}

/**
 * A custom period [from, to) in epoch ms, labelled by its UTC dates ('2026-11-02..2026-11-09').
 *
 * @example customPeriod(Date.UTC(2026, 10, 2), Date.UTC(2026, 10, 9)).label // '2026-11-02..2026-11-09'
 */
export function customPeriod(from: number, to: number): Period {
  if (!(to > from)) throw new RangeError(`period [${from}, ${to}): the end must be after the start`)
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  return { kind: 'custom', label: `${date(from)}..${date(to)}`, from, to }
}

/** The ISO week label holding an instant, e.g. '2026-W47'. */
export function isoWeekLabel(at: number): string {
  const d = new Date(at)
  // The ISO year of a date is the year of the Thursday of its week.
  const thursday =
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) + (3 - ((d.getUTCDay() + 6) % 7)) * DAY_MS
  const year = new Date(thursday).getUTCFullYear()
  const week = Math.floor((thursday - isoWeekOneMonday(year)) / (7 * DAY_MS)) + 1
  return `${year}-W${pad(week)}`
}

/**
 * The period of the same kind just before this one: 2026-Q4 → 2026-Q3, 2026-01 → 2025-12,
 * 2026-W01 → 2025-W53 or W52, 2026 → 2025; a custom period → the interval of equal length ending at its start.
 *
 * @example previousPeriod(parsePeriod('2026-Q1')).label // '2025-Q4'
 */
export function previousPeriod(period: Period): Period {
  const start = new Date(period.from)
  const y = start.getUTCFullYear()
  const mo = start.getUTCMonth()
  switch (period.kind) {
    case 'year':
      return parsePeriod(String(y - 1))
    case 'quarter': {
      const q = Math.floor(mo / 3) + 1
      return parsePeriod(q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`)
    }
    case 'month':
      return parsePeriod(mo === 0 ? `${y - 1}-12` : `${y}-${pad(mo)}`)
    case 'week':
      return parsePeriod(isoWeekLabel(period.from - DAY_MS))
    case 'custom':
      return customPeriod(period.from - (period.to - period.from), period.from)
  }
}

/**
 * The n periods ending with this one, oldest first (n = 8 weeks for a weekly trend line).
 *
 * @example trailingPeriods(parsePeriod('2026-W02'), 3).map((p) => p.label) // ['2025-W52', '2026-W01', '2026-W02']
 */
export function trailingPeriods(period: Period, n: number): Period[] {
  const out: Period[] = [period]
  while (out.length < n) out.unshift(previousPeriod(out[0]!))
  return out
}

/** The quarter holding an instant, e.g. '2026-Q4'. */
export function quarterOf(at: number): Period {
  const d = new Date(at)
  return parsePeriod(`${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`)
}

/** True when an instant lies in [from, to). */
export function isInPeriod(at: number | null | undefined, period: { from: number; to: number }): boolean {
  return at !== null && at !== undefined && at >= period.from && at < period.to
}
