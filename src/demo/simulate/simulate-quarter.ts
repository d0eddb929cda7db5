/**
 * `simulateQuarter`: a whole B2B SaaS quarter in memory, for `npm start`'s first-run demo data and for tests.
 */
import { type GeneratedAccount, generateAccount, uniqueNamePicker } from './accounts.ts'
import { buildChannels } from './channels.ts'
import {
  createJourneySummary,
  type JourneyBuffer,
  type JourneySettings,
  type JourneySummary,
  simulateJourney,
  sortJourney,
} from './journey.ts'
import { type AccountActivity, simulateOpportunity } from './opportunities.ts'
import { type GeneratedPerson, generateAccountPeople, generateOutsider, samplePeopleCount } from './people.ts'
import { createRandom } from './random.ts'
import { generateReps } from './reps.ts'
import { generateAccountSignals } from './signals.ts'
import { createWindow, formatIso, type SimWindow } from './time.ts'
import type {
  AccountTruth,
  EventType,
  OpportunityStage,
  PersonTruth,
  SimAccount,
  SimAccountSignal,
  SimEvent,
  SimOpportunity,
  SimPerson,
  SimRep,
} from './types.ts'

export type SimulateQuarterOptions = {
  /** Same seed, same quarter, byte for byte. */
  readonly seed: number
  /** First day, ISO-8601 (`2026-10-01`); the window is [start, start + days). */
  readonly start: string
  /** Default 91. */
  readonly days?: number
  /** Default 600. */
  readonly accounts?: number
  /** Mean people per account (larger companies get more). Default 5. */
  readonly personsPerAccount?: number
  /** Multiplies browsing and email volume; conversions (forms, demos, trials) do not scale with it. Default 1. */
  readonly eventsPerPersonScale?: number
  /** Share of employees who use a personal address. Default 0.15. */
  readonly freeMailShare?: number
  /** Students and job seekers, as a share of employees. Default 0.02. */
  readonly outsiderShare?: number
  /** Visitors who never identify, per account. Default 3. */
  readonly anonymousVisitorsPerAccount?: number
}

export type SimulationStats = {
  readonly accounts: number
  readonly people: number
  readonly freeMailPeople: number
  readonly studentsAndJobSeekers: number
  readonly identifiedPeople: number
  readonly anonymousVisitors: number
  readonly events: number
  readonly eventsByType: Readonly<Record<EventType, number>>
  readonly maxEventsPerPerson: number
  readonly demoRequestPeople: number
  readonly demoRequestAccounts: number
  readonly opportunities: number
  readonly opportunitiesByStage: Readonly<Record<OpportunityStage, number>>
  readonly pipelineAmount: number
  readonly wonAmount: number
}

export type SimulatedQuarter = {
  readonly accounts: SimAccount[]
  /** Enrichment signals about the accounts, from 60 days before the window to its end, in account order. */
  readonly accountSignals: SimAccountSignal[]
  readonly people: SimPerson[]
  /** Sorted by occurred_at; ids `sim_<seed>_<n>` numbered in that order. */
  readonly events: SimEvent[]
  readonly opportunities: SimOpportunity[]
  /** The selling company's reps that `owner` fields refer to. */
  readonly reps: SimRep[]
  readonly stats: SimulationStats
  /** Hidden ground truth, never ingested: for tests and for later simulators (rep actions). */
  readonly truth: { readonly accounts: AccountTruth[]; readonly people: PersonTruth[] }
}

/** Mean web events (page views and in-session actions) of a person with average engagement, at scale 1. */
const WEB_EVENTS_PER_PERSON = 16

/**
 * Simulates a quarter: accounts, people, their events, and the opportunities that follow.
 *
 * @example
 *   const q = simulateQuarter({ seed: 42, start: '2026-10-01' })
 *   q.stats // { accounts: 600, people: ~3,000, events: ~80,000, opportunities: ~150, … }
 */
export function simulateQuarter(options: SimulateQuarterOptions): SimulatedQuarter {
  const seed = checkSeed(options.seed, 'simulateQuarter')
  const window = createWindow(options.start, options.days ?? 91, 'simulateQuarter')
  const accountCount = checkCount(options.accounts ?? 600, 'simulateQuarter.accounts')
  const personsPerAccount = checkPositive(options.personsPerAccount ?? 5, 'simulateQuarter.personsPerAccount')
  const scale = checkPositive(options.eventsPerPersonScale ?? 1, 'simulateQuarter.eventsPerPersonScale')
  const freeMailShare = checkShare(options.freeMailShare ?? 0.15, 'simulateQuarter.freeMailShare')
  const outsiderShare = checkShare(options.outsiderShare ?? 0.02, 'simulateQuarter.outsiderShare')
  const visitorsPerAccount = checkPositive(
    options.anonymousVisitorsPerAccount ?? 3,
    'simulateQuarter.anonymousVisitorsPerAccount',
    true,
  )

  const reps = generateReps(createRandom(seed, 'reps'))
  const settings: JourneySettings = {
    window,
    channels: buildChannels(window),
    webEventsPerPerson: WEB_EVENTS_PER_PERSON * scale,
  }

  const nameFor = uniqueNamePicker()
  const accounts: GeneratedAccount[] = []
  const employees: GeneratedPerson[][] = []
  let nextIndex = 0
  for (let a = 0; a < accountCount; a++) {
    const rng = createRandom(seed, 'account', a)
    const account = generateAccount(rng, nameFor, reps)
    const peopleRng = createRandom(seed, 'people', a)
    const count = samplePeopleCount(peopleRng, account, personsPerAccount)
    accounts.push(account)
    employees.push(generateAccountPeople(peopleRng, account, count, nextIndex, freeMailShare))
    nextIndex += count
  }
  const outsiderCount = Math.round(nextIndex * outsiderShare)
  const outsiders: GeneratedPerson[] = []
  for (let k = 0; k < outsiderCount; k++)
    outsiders.push(generateOutsider(createRandom(seed, 'outsider', k), nextIndex + k))
  nextIndex += outsiderCount

  const allEvents: SimEvent[] = []
  const allTimes: number[] = []
  const buffer: JourneyBuffer = { events: [], times: [] }
  const truthPeople: PersonTruth[] = []
  const summaries = new Map<GeneratedPerson, JourneySummary>()
  let maxEventsPerPerson = 0
  const runJourney = (p: GeneratedPerson, anonymousOnly: boolean): JourneySummary => {
    buffer.events.length = 0
    buffer.times.length = 0
    const summary = createJourneySummary()
    simulateJourney(
      createRandom(seed, anonymousOnly ? 'visitor' : 'journey', p.index),
      p,
      settings,
      buffer,
      summary,
      anonymousOnly,
    )
    sortJourney(buffer)
    for (let i = 0; i < buffer.events.length; i++) {
      allEvents.push(buffer.events[i] as SimEvent)
      allTimes.push(buffer.times[i] as number)
    }
    if (buffer.events.length > maxEventsPerPerson) maxEventsPerPerson = buffer.events.length
    return summary
  }
  for (const p of [...employees.flat(), ...outsiders]) {
    const summary = runJourney(p, false)
    summaries.set(p, summary)
    truthPeople.push({
      email: p.person.email,
      kind: p.kind,
      accountDomain: p.account?.account.domain ?? null,
      seniority: p.seniority,
      department: p.department,
      freeMail: p.freeMail,
      anonymousId: p.anonymousId,
      identifiedAt: summary.identifiedAt >= 0 ? formatIso(window, summary.identifiedAt) : null,
      firstDemoRequestAt: summary.firstDemoAt >= 0 ? formatIso(window, summary.firstDemoAt) : null,
    })
  }
  // Visitors who never identify: people at the same accounts (their index space starts after everyone known).
  const visitorCount = Math.round(accountCount * visitorsPerAccount)
  for (let v = 0; v < visitorCount; v++) {
    const rng = createRandom(seed, 'visitor-profile', v)
    const account = accounts[rng.int(0, accounts.length - 1)]
    if (account === undefined) break
    const [visitor] = generateAccountPeople(rng, account, 1, nextIndex + v, 0)
    if (visitor !== undefined) runJourney({ ...visitor, engagement: visitor.engagement * 0.25 }, true)
  }

  const opportunities: SimOpportunity[] = []
  for (let a = 0; a < accounts.length; a++) {
    const account = accounts[a] as GeneratedAccount
    const people = (employees[a] as GeneratedPerson[]).map((person) => ({
      person,
      summary: summaries.get(person) ?? createJourneySummary(),
    }))
    const activity: AccountActivity = { account, people }
    const opp = simulateOpportunity(
      createRandom(seed, 'opportunity', a),
      activity,
      window,
      reps,
      `sim_${seed}_opp_${opportunities.length + 1}`,
    )
    if (opp !== null) opportunities.push(opp)
  }

  const events = orderEvents(allEvents, allTimes, seed)
  const people = [...employees.flat(), ...outsiders]
  const stats = summarize(
    window,
    accounts,
    people,
    truthPeople,
    visitorCount,
    events,
    opportunities,
    maxEventsPerPerson,
  )
  const accountSignals = accounts.flatMap((a, i) => generateAccountSignals(createRandom(seed, 'signals', i), a, window))
  return {
    accounts: accounts.map((a) => a.account),
    accountSignals,
    people: people.map((p) => p.person),
    events,
    opportunities,
    reps,
    stats,
    truth: {
      accounts: accounts.map((a) => ({ domain: a.account.domain, fit: a.fit, inMarket: a.inMarket })),
      people: truthPeople,
    },
  }
}

/** Global time order, ties in generation order, then ids numbered in that order. */
function orderEvents(events: SimEvent[], times: number[], seed: number): SimEvent[] {
  const order = new Uint32Array(events.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  order.sort((x, y) => (times[x] as number) - (times[y] as number) || x - y)
  const sorted: SimEvent[] = new Array(events.length)
  for (let i = 0; i < order.length; i++) {
    const e = events[order[i] as number] as SimEvent
    e.id = `sim_${seed}_${i + 1}`
    sorted[i] = e
  }
  return sorted
}

function summarize(
  _window: SimWindow,
  accounts: readonly GeneratedAccount[],
  people: readonly GeneratedPerson[],
  truth: readonly PersonTruth[],
  anonymousVisitors: number,
  events: readonly SimEvent[],
  opportunities: readonly SimOpportunity[],
  maxEventsPerPerson: number,
): SimulationStats {
  const eventsByType: Record<EventType, number> = {
    page_view: 0,
    form_submit: 0,
    demo_request: 0,
    webinar_registered: 0,
    webinar_attended: 0,
    email_open: 0,
    email_click: 0,
    chat_conversation: 0,
    trial_start: 0,
    product_signal: 0,
  }
  for (const e of events) eventsByType[e.type]++
  const opportunitiesByStage: Record<OpportunityStage, number> = {
    discovery: 0,
    proposal: 0,
    negotiation: 0,
    closed_won: 0,
    closed_lost: 0,
  }
  let pipelineAmount = 0
  let wonAmount = 0
  for (const o of opportunities) {
    opportunitiesByStage[o.stage]++
    pipelineAmount += o.amount
    if (o.stage === 'closed_won') wonAmount += o.amount
  }
  const demoAccounts = new Set<string>()
  let demoPeople = 0
  for (const t of truth) {
    if (t.firstDemoRequestAt === null) continue
    demoPeople++
    if (t.accountDomain !== null) demoAccounts.add(t.accountDomain)
  }
  return {
    accounts: accounts.length,
    people: people.length,
    freeMailPeople: people.filter((p) => p.freeMail).length,
    studentsAndJobSeekers: people.filter((p) => p.kind !== 'employee').length,
    identifiedPeople: truth.filter((t) => t.identifiedAt !== null).length,
    anonymousVisitors,
    events: events.length,
    eventsByType,
    maxEventsPerPerson,
    demoRequestPeople: demoPeople,
    demoRequestAccounts: demoAccounts.size,
    opportunities: opportunities.length,
    opportunitiesByStage,
    pipelineAmount,
    wonAmount,
  }
}

export function checkSeed(seed: number, caller: string): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`${caller}.seed: expected an integer, got ${seed}`)
  return seed
}

export function checkCount(n: number, path: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${path}: expected a whole number ≥ 1, got ${n}`)
  return n
}

function checkPositive(n: number, path: string, allowZero = false): number {
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new RangeError(`${path}: expected a number ${allowZero ? '≥' : '>'} 0, got ${n}`)
  }
  return n
}

function checkShare(n: number, path: string): number {
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new RangeError(`${path}: expected a share from 0 to 1, got ${n}`)
  return n
}
