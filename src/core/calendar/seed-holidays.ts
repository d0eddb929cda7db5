// Holiday seeding is the only use of date-holidays: it proposes a list; the calendar owns and edits it.

import Holidays from 'date-holidays'
import { DAY_MS, formatIsoDate, parseIsoDate } from './local-date.ts'

export type SeededHoliday = { readonly date: string; readonly name: string }

/**
 * Public holidays of a country (optionally a state/region) for the given years, as local dates, sorted,
 * one entry per date (names of coinciding holidays joined with ' / '). Multi-day holidays give one entry per day.
 * Holidays that begin the evening before (date-holidays' Islamic and Jewish dates) are listed on their main date.
 * @example seedHolidays('US', undefined, [2026]).find((h) => h.date === '2026-11-26') // { date: '2026-11-26', name: 'Thanksgiving Day' }
 * @throws RangeError when date-holidays does not know the country or region.
 */
export function seedHolidays(country: string, state: string | undefined, years: readonly number[]): SeededHoliday[] {
  const catalogue = new Holidays()
  const countryKnown = Object.keys(catalogue.getCountries()).includes(country.toUpperCase())
  const regionKnown =
    state === undefined ||
    (countryKnown && Object.keys(catalogue.getStates(country) ?? {}).includes(state.toUpperCase()))
  if (!countryKnown || !regionKnown) {
    const where = state === undefined ? `country "${country}"` : `region "${state}" of country "${country}"`
    throw new RangeError(`seedHolidays: date-holidays has no ${where}`)
  }
  const options = { types: ['public' as const], languages: ['en'] }
  const holidays = state === undefined ? new Holidays(country, options) : new Holidays(country, state, options)
  const byDate = new Map<string, string[]>()
  for (const year of years) {
    for (const holiday of holidays.getHolidays(year)) {
      if (holiday.type !== 'public') continue
      const first = parseIsoDate(holiday.date.slice(0, 10))
      if (first === null) continue
      const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS))
      for (let d = 0; d < days; d++) {
        const date = formatIsoDate(first + d)
        const names = byDate.get(date) ?? []
        if (!names.includes(holiday.name)) names.push(holiday.name)
        byDate.set(date, names)
      }
    }
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, names]) => ({ date, name: names.join(' / ') }))
}
