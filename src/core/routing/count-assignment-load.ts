// Daily and weekly load of one rep, in the rep's own calendar: "today" is the rep's local date at `now`, "this
// week" the ISO week (Monday 00:00 to the next Monday 00:00, local) containing it. Caps are promises to the rep,
// so they follow the rep's clock, not the server's or the lead's.

import { Temporal } from 'temporal-polyfill'
import type { RepLoad } from './routing-types.ts'

/**
 * Counts the assignments (epoch ms) that fall on the rep's local day and ISO week of `now`. Days are as long as
 * they really are (23 or 25 hours across a DST change).
 * @example countAssignmentLoad([Date.parse('2026-11-23T14:00:00Z')], 'America/New_York', Date.parse('2026-11-23T20:00:00Z'))
 * // { today: 1, thisWeek: 1 }
 */
export function countAssignmentLoad(assignedAtMs: readonly number[], timeZone: string, now: number): RepLoad {
  const local = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone)
  const day = local.toPlainDate()
  const monday = day.subtract({ days: day.dayOfWeek - 1 })
  const startOf = (date: Temporal.PlainDate) => date.toZonedDateTime({ timeZone }).epochMilliseconds
  const dayStart = startOf(day)
  const dayEnd = startOf(day.add({ days: 1 }))
  const weekStart = startOf(monday)
  const weekEnd = startOf(monday.add({ days: 7 }))
  let today = 0
  let thisWeek = 0
  for (const at of assignedAtMs) {
    if (at >= weekStart && at < weekEnd) {
      thisWeek++
      if (at >= dayStart && at < dayEnd) today++
    }
  }
  return { today, thisWeek }
}
