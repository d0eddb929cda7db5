// Calendar-date arithmetic on epoch days (days since 1970-01-01), proleptic Gregorian.
// Pure integer math so the hot path never allocates a Temporal object per local day.

export const MINUTE_MS = 60_000
export const DAY_MS = 86_400_000

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7

/** Epoch day of a civil date (month 1–12). Algorithm: H. Hinnant, "chrono-compatible low-level date algorithms". */
export function epochDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

export function civilFromEpochDay(epochDay: number): { year: number; month: number; day: number } {
  const z = epochDay + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** ISO weekday of an epoch day: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekdayOf(epochDay: number): IsoWeekday {
  return (((((epochDay + 3) % 7) + 7) % 7) + 1) as IsoWeekday
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** 'YYYY-MM-DD' → epoch day, or null when the text is not a real calendar date ('2026-02-30'). */
export function parseIsoDate(text: string): number | null {
  const m = ISO_DATE.exec(text)
  if (!m) return null
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1 || day > 31) return null
  const epochDay = epochDayFromCivil(year, month, day)
  const back = civilFromEpochDay(epochDay)
  return back.month === month && back.day === day ? epochDay : null
}

export function formatIsoDate(epochDay: number): string {
  const { year, month, day } = civilFromEpochDay(epochDay)
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
