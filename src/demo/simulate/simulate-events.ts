/**
 * `simulateEvents`: the same people and journeys as `simulateQuarter`, streamed in batches for benchmarks that need
 * millions of events without holding them in memory. Only the current account's people are ever held.
 */
import { type GeneratedAccount, generateAccount } from './accounts.ts'
import { type INDUSTRIES, NAME_STEMS } from './catalog.ts'
import { buildChannels } from './channels.ts'
import {
  createJourneySummary,
  type JourneyBuffer,
  type JourneySettings,
  simulateJourney,
  sortJourney,
} from './journey.ts'
import { generateAccountPeople, generateOutsider, samplePeopleCount } from './people.ts'
import { createRandom, type Random } from './random.ts'
import { generateReps } from './reps.ts'
import { checkCount, checkSeed } from './simulate-quarter.ts'
import { createWindow } from './time.ts'
import type { SimEvent } from './types.ts'

export type SimulateEventsOptions = {
  readonly seed: number
  /** First day, ISO-8601; events fall in [start, start + days). */
  readonly start: string
  /** Default 91. */
  readonly days?: number
  /** Known people to simulate (employees, with ~2% students and job seekers among them). */
  readonly persons: number
  /** Approximate mean events per person; the distribution is heavy-tailed. Default 25. */
  readonly eventsPerPerson?: number
  /** Events per yielded batch; every batch but the last has exactly this many. Default 1,000 (a typical ingest batch; small batches also die young, which keeps GC cheap). */
  readonly batchSize?: number
  /** Default 5. */
  readonly personsPerAccount?: number
}

export type SimulateEventsSummary = { readonly persons: number; readonly accounts: number; readonly events: number }

/** Total events per web event at default engagement: emails, webinars and product signals come on top of browsing. */
const EVENTS_PER_WEB_EVENT = 1.45

/**
 * Yields events in batches. Each person's events are in time order and identity stitching works as in the quarter
 * (anonymous views, then a form fill with email and anonymous id); the stream as a whole is ordered person by
 * person, not globally by time, which is what keeps memory flat. Ids are `sim_<seed>_b<n>`.
 *
 * @example
 *   for (const batch of simulateEvents({ seed: 7, start: '2026-10-01', persons: 100_000 })) await ingest(batch)
 */
export function* simulateEvents(
  options: SimulateEventsOptions,
): Generator<SimEvent[], SimulateEventsSummary, undefined> {
  const seed = checkSeed(options.seed, 'simulateEvents')
  const window = createWindow(options.start, options.days ?? 91, 'simulateEvents')
  const persons = checkCount(options.persons, 'simulateEvents.persons')
  const eventsPerPerson = options.eventsPerPerson ?? 25
  if (!(eventsPerPerson > 0))
    throw new RangeError(`simulateEvents.eventsPerPerson: expected a number > 0, got ${eventsPerPerson}`)
  const batchSize = checkCount(options.batchSize ?? 1_000, 'simulateEvents.batchSize')
  const personsPerAccount = options.personsPerAccount ?? 5
  if (!(personsPerAccount > 0)) {
    throw new RangeError(`simulateEvents.personsPerAccount: expected a number > 0, got ${personsPerAccount}`)
  }

  const reps = generateReps(createRandom(seed, 'reps'))
  const settings: JourneySettings = {
    window,
    channels: buildChannels(window),
    webEventsPerPerson: eventsPerPerson / EVENTS_PER_WEB_EVENT,
  }
  const idPrefix = `sim_${seed}_b`
  const buffer: JourneyBuffer = { events: [], times: [] }
  const summary = createJourneySummary()
  const nameFor = indexedNamePicker(seed)
  let batch: SimEvent[] = []
  let emitted = 0
  let done = 0
  let accounts = 0

  while (done < persons) {
    const a = accounts++
    const account: GeneratedAccount = generateAccount(
      createRandom(seed, 'account', a),
      (industry, rng) => nameFor(a, industry, rng),
      reps,
    )
    const peopleRng = createRandom(seed, 'people', a)
    const count = Math.min(persons - done, samplePeopleCount(peopleRng, account, personsPerAccount))
    const people = generateAccountPeople(peopleRng, account, count, done, 0.15)
    // One in fifty known people is a student or job seeker, placed by index so the stream stays deterministic.
    for (let i = 0; i < people.length; i++) {
      const index = done + i
      const person = index % 50 === 49 ? generateOutsider(createRandom(seed, 'outsider', index), index) : people[i]
      if (person === undefined) continue
      buffer.events.length = 0
      buffer.times.length = 0
      simulateJourney(createRandom(seed, 'journey', index), person, settings, buffer, summary)
      sortJourney(buffer)
      const events = buffer.events
      for (let k = 0; k < events.length; k++) {
        const e = events[k] as SimEvent
        e.id = idPrefix + ++emitted
        batch.push(e)
        if (batch.length === batchSize) {
          yield batch
          batch = []
        }
      }
    }
    done += count
  }
  if (batch.length > 0) yield batch
  return { persons, accounts, events: emitted }
}

/**
 * Unique company names without remembering the ones used: account `a` takes stem `(a + offset) mod stems` and, past
 * the first round of stems, the round number. No stem is a prefix of another, so slugs never collide.
 */
function indexedNamePicker(seed: number): (a: number, industry: (typeof INDUSTRIES)[number], rng: Random) => string {
  const offset = createRandom(seed, 'stream-names').int(0, NAME_STEMS.length - 1)
  return (a, industry, rng) => {
    const stem = NAME_STEMS[(a + offset) % NAME_STEMS.length] as string
    const round = Math.floor(a / NAME_STEMS.length)
    const suffix = rng.pick(industry.nameSuffixes)
    return round === 0 ? `${stem} ${suffix}` : `${stem} ${suffix} ${round}`
  }
}
