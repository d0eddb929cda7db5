// Factories for routing tests and the routing benchmark (not shipped behaviour): calendars, reps and pools built
// the way the Agreement compiler builds them.

import { buildCalendar, type Calendar } from '../calendar/index.ts'
import type { Pool, PoolState, Rep, RouteDecision, RoutingRule } from './routing-types.ts'

const weekdays = ['09:00-17:00']

export const newYorkHours: Calendar = buildCalendar({
  name: 'new_york',
  timeZone: 'America/New_York',
  weekly: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
})

export const weekendHours: Calendar = buildCalendar({
  name: 'weekend_cover',
  timeZone: 'America/Chicago',
  weekly: { sat: ['08:00-20:00'], sun: ['08:00-20:00'] },
})

export const alwaysOpen: Calendar = buildCalendar({
  name: 'always',
  timeZone: 'UTC',
  weekly: {
    mon: ['00:00-24:00'],
    tue: ['00:00-24:00'],
    wed: ['00:00-24:00'],
    thu: ['00:00-24:00'],
    fri: ['00:00-24:00'],
    sat: ['00:00-24:00'],
    sun: ['00:00-24:00'],
  },
})

/** Monday 2026-11-23 10:00 in New York. */
export const MONDAY_10AM_NY = Date.parse('2026-11-23T15:00:00Z')
/** Saturday 2026-11-28 12:00 in New York (11:00 in Chicago). */
export const SATURDAY_NOON_NY = Date.parse('2026-11-28T17:00:00Z')

export function makeRep(id: string, overrides: Partial<Rep> = {}): Rep {
  const name = id.charAt(0).toUpperCase() + id.slice(1)
  return {
    id,
    name,
    email: `${id}@example.com`,
    team: 'sdr',
    calendar: newYorkHours,
    active: true,
    outOfOffice: [],
    ...overrides,
  }
}

export function makePool(name: string, members: Record<string, number>, overrides: Partial<Pool> = {}): Pool {
  return { name, members: Object.entries(members).map(([rep, weight]) => ({ rep, weight })), ...overrides }
}

export const everyoneToPool = (pool: string): RoutingRule => ({
  name: 'Everyone else',
  condition: null,
  to: { kind: 'pool', pool },
})

/** Counts how many leads each rep received. */
export function tally(repIds: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const id of repIds) counts[id] = (counts[id] ?? 0) + 1
  return counts
}

/** The rep of an assigned decision; fails loudly otherwise, so a test reads as the happy path. */
export function assignedRep(decision: RouteDecision): string {
  if (decision.kind !== 'assigned') throw new Error(`expected an assignment, got: ${decision.reason}`)
  return decision.repId
}

/** The state to store after a decision (the old one when the decision did not use the pool). */
export function nextState(decision: RouteDecision, before: PoolState | undefined): PoolState | undefined {
  return decision.kind === 'assigned' && decision.newPoolState ? decision.newPoolState : before
}
