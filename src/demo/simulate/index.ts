/**
 * The demo-data simulator: a seeded B2B SaaS quarter (see README.md). Pure: no I/O, no clock, no Math.random().
 * Import from here; the other files are internals.
 */
export { rateAccountFit } from './accounts.ts'
export { winProbability } from './opportunities.ts'
export { createRandom, Random } from './random.ts'
export { decideRepAction, type ReasonCodes, type RepAction, type RepActionLead } from './rep-actions.ts'
export { type SimulateEventsOptions, type SimulateEventsSummary, simulateEvents } from './simulate-events.ts'
export {
  type SimulatedQuarter,
  type SimulateQuarterOptions,
  type SimulationStats,
  simulateQuarter,
} from './simulate-quarter.ts'
export type * from './types.ts'
