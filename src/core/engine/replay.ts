import { createEngagementAggregate, updateShare } from './account-engagement.ts'
import { applyEventInto, createApplyResult } from './apply-event.ts'
import type { Engine } from './create-engine.ts'
import type {
  AccountPeer,
  EngagementAggregate,
  EngineEvent,
  Instant,
  LeadFacts,
  LeadState,
  Transition,
} from './engine-types.ts'
import { explainStageCondition } from './explain-lead.ts'
import { findFitMemo } from './score-fit.ts'
import { intentAt } from './score-intent.ts'

/**
 * What-if replay: stored history through an Agreement version in memory, with the same `applyEvent` ingestion uses,
 * and a comparison of two runs in RevOps terms.
 */

export type ReplayEvent = EngineEvent & { personKey: string }

export type ReplayInput = {
  facts: ReadonlyMap<string, LeadFacts>
  /**
   * Each account's events in time order (ties in a fixed order, such as by `seq`): leads only share their account's
   * engagement, so any interleaving of accounts gives the same outcome. An account is the `account.domain` of the
   * lead's facts; a lead without one is an account of its own. Sorted by `at` is one such order; account by account
   * (`orderForReplay`) is the fast one.
   */
  events: Iterable<ReplayEvent>
}

export type ReplayOptions = {
  /** Events before `from` or at/after `to` are skipped (not applied). */
  from?: Instant
  to?: Instant
  /** Called every `progressEvery` (default 100,000) applied events with the count so far. */
  onProgress?: (applied: number) => void
  progressEvery?: number
}

export type ReplayLead = { state: LeadState; transitions: Transition[] }

/** A lead's first entry into a handoff stage (MQL or AQL) during the run. */
export type Qualification = { personKey: string; at: Instant; stage: string; tier: string | null; explanation: string }

export type ReplayOutcome = {
  engine: Engine
  /**
   * The facts each lead was decided with (with account peers attached when the Agreement reads engagement): the run's
   * slots, whose `accountEngagement` is a getter — pass them to the engine as they are rather than spreading them.
   */
  facts: ReadonlyMap<string, LeadFacts>
  applied: number
  skipped: number
  /** In order of first appearance in the input: iterate them sorted (or look them up) where the order shows. */
  leads: Map<string, ReplayLead>
  qualified: Map<string, Qualification>
  /** Qualified leads (first MQL or AQL) per ISO week, keyed by the week's Monday (UTC). */
  mqlsByWeek: { week: string; count: number }[]
  /** Tier each qualified lead was given when it qualified, keyed in tier-name order. */
  tierMix: Record<string, number>
}

const DAY = 86_400_000
const EMPTY_FACTS: LeadFacts = { person: {}, account: null }

/** `2026-11-16` for any instant in the ISO week starting Monday 2026-11-16 (UTC). */
export function weekOf(at: Instant): string {
  const day = Math.floor(at / DAY)
  const monday = day - ((day + 3) % 7)
  return new Date(monday * DAY).toISOString().slice(0, 10)
}

/** The account a lead shares engagement with in a run: its account's domain; null when it is alone. */
function accountKeyOf(facts: LeadFacts | undefined): string | null {
  const domain = facts?.account?.domain
  return typeof domain === 'string' ? domain : null
}

/**
 * The positions of `length` events in the order that replays fastest with the same outcome: account by account, each
 * account's events in their given order (see ReplayInput), accounts in order of first appearance. One account's
 * leads then stay in cache while its events are applied, instead of each event landing on a lead last touched
 * thousands of events ago. With `chunk`, only each run of `chunk` consecutive events is regrouped (a reader paging
 * through time-ordered history); without, the whole history. Given events in time order, the result is a valid
 * `ReplayInput` order for any `chunk`. O(length), allocates the result and per-chunk scratch.
 *
 * Example: `replayOrder(events.length, (i) => events[i].personKey, facts)` → `Uint32Array [0, 3, 1, 2, …]`
 */
export function replayOrder(
  length: number,
  personKeyAt: (i: number) => string,
  facts: ReadonlyMap<string, LeadFacts>,
  options: { chunk?: number } = {},
): Uint32Array {
  const order = new Uint32Array(length)
  const chunk = Math.max(1, Math.min(Math.floor(options.chunk ?? length), length))
  const groupOfPerson = new Map<string, number>()
  const groupOfAccount = new Map<string, number>()
  // Per group: the chunk it was last seen in and its place among that chunk's groups (first appearance order).
  const seenIn: number[] = []
  const localOf: number[] = []
  const local = new Int32Array(chunk)
  const starts = new Int32Array(chunk + 1)
  for (let start = 0, c = 0; start < length; start += chunk, c++) {
    const end = Math.min(start + chunk, length)
    let locals = 0
    starts[0] = 0
    for (let i = start; i < end; i++) {
      const key = personKeyAt(i)
      let g = groupOfPerson.get(key)
      if (g === undefined) {
        const account = accountKeyOf(facts.get(key))
        g = account === null ? undefined : groupOfAccount.get(account)
        if (g === undefined) {
          g = seenIn.length
          seenIn.push(-1)
          localOf.push(0)
          if (account !== null) groupOfAccount.set(account, g)
        }
        groupOfPerson.set(key, g)
      }
      if (seenIn[g] !== c) {
        seenIn[g] = c
        localOf[g] = locals
        starts[++locals] = 0
      }
      const l = localOf[g]!
      local[i - start] = l
      starts[l + 1]!++
    }
    // Counting sort by group, stable: counts become each group's first place.
    for (let l = 1; l <= locals; l++) starts[l]! += starts[l - 1]!
    for (let i = start; i < end; i++) order[start + starts[local[i - start]!]!++] = i
  }
  return order
}

/**
 * `events` reordered account by account (see replayOrder), for `replayHistory`: the same outcome, faster.
 *
 * Example: `replayHistory(engine, { facts, events: orderForReplay(events, facts) })`
 */
export function orderForReplay<E extends ReplayEvent>(
  events: readonly E[],
  facts: ReadonlyMap<string, LeadFacts>,
  options: { chunk?: number } = {},
): E[] {
  const order = replayOrder(events.length, (i) => events[i]!.personKey, facts, options)
  const out: E[] = new Array(events.length)
  for (let k = 0; k < order.length; k++) out[k] = events[order[k]!]!
  return out
}

/**
 * Run history through `engine`, one `applyEvent` per event, and collect what a what-if report needs.
 *
 * Example: `const candidate = replayHistory(createEngine(compiled, { id: 0, hash }), { facts, events })`
 */
export function replayHistory(engine: Engine, input: ReplayInput, options: ReplayOptions = {}): ReplayOutcome {
  const from = options.from ?? Number.NEGATIVE_INFINITY
  const to = options.to ?? Number.POSITIVE_INFINITY
  const every = options.progressEvery ?? 100_000
  const onProgress = options.onProgress
  // One object per lead (see Slot): an event costs one map lookup and touches the slot, its state and its account.
  const leads = new Map<string, Slot>()
  const qualified = new Map<string, Qualification>()
  const accounts = new Map<string, EngagementAggregate>()
  const weeks = new Map<string, number>()
  const tierMix: Record<string, number> = {}
  const out = createApplyResult()
  const reads = engine.readsAccountEngagement
  let applied = 0
  let skipped = 0

  const slotFor = (key: string): Slot => {
    const base = input.facts.get(key) ?? EMPTY_FACTS
    const domain = base.account?.domain
    let aggregate: EngagementAggregate | null = null
    if (reads && typeof domain === 'string') {
      aggregate = accounts.get(domain) ?? null
      if (aggregate === null) {
        aggregate = createEngagementAggregate()
        // The Agreement's personas up front, in one order, so every account's `personas` has the same shape and the
        // per-event updates read it monomorphically; a persona at 0 reads like an absent one (`?? 0`).
        for (const p of engine.compiled.personas) aggregate.personas[p.id] = 0
        accounts.set(domain, aggregate)
      }
    }
    const slot = new Slot(engine, key, base, aggregate)
    leads.set(key, slot)
    return slot
  }

  const qualify = (key: string, t: Transition, state: LeadState) => {
    const tier = state.tier?.name ?? null
    qualified.set(key, { personKey: key, at: t.at, stage: t.to, tier, explanation: t.explanation })
    const week = weekOf(t.at)
    weeks.set(week, (weeks.get(week) ?? 0) + 1)
    const tierName = tier ?? '(none)'
    tierMix[tierName] = (tierMix[tierName] ?? 0) + 1
  }

  const apply = (event: ReplayEvent, slot: Slot) => {
    const r = applyEventInto(engine, slot.state, slot, event, undefined, out)
    const state = r.state
    slot.state = state
    const transitions = r.transitions
    if (transitions.length !== 0)
      for (const t of transitions) {
        if (slot.transitions === NO_TRANSITIONS) slot.transitions = []
        slot.transitions.push(t)
        if ((t.to === 'MQL' || t.to === 'AQL') && !qualified.has(slot.personKey)) qualify(slot.personKey, t, state)
      }
    const aggregate = slot.aggregate
    if (aggregate !== null && r.changed) {
      // summarizeForAccount + updateEngagement, without the summary object: the slot is the lead's share.
      const at = state.lastEventAt ?? state.createdAt
      updateShare(engine, aggregate, slot, state.persona, intentAt(engine, state.aggregates, at), at)
    }
    if (++applied % every === 0) onProgress?.(applied)
  }

  // Events are taken in batches: first passes find each event's lead and read the places its decision will read, one
  // level of objects per pass, so the memory loads of different leads overlap instead of following one another (an
  // event's work is mostly waiting for its lead's objects); the last pass applies the events in order. Slots are
  // created in the first pass, in order of first appearance, as before; the reading passes decide nothing.
  const batchEvents: ReplayEvent[] = new Array(BATCH)
  const batchSlots: (Slot | null)[] = new Array(BATCH).fill(null)
  let n = 0
  // The last lead found: account by account, most events (80 % in the bench) belong to the same person as the one
  // before, and a string comparison is cheaper than a map lookup.
  let lastKey: string | null = null
  let lastSlot: Slot | null = null
  // The last RECENT leads found, looked through before the map: account by account, a switch mostly goes back to a
  // colleague at the same account, whose slot is found by comparing a few keys instead of probing a map of every lead
  // (a cache miss or two). Which lead a key names does not depend on where it was found.
  const recentKeys: (string | null)[] = new Array(RECENT).fill(null)
  const recentSlots: (Slot | null)[] = new Array(RECENT).fill(null)
  let recentNext = 0
  const find = (key: string): Slot => {
    for (let j = 0; j < RECENT; j++) if (recentKeys[j] === key) return recentSlots[j]!
    const slot = leads.get(key) ?? slotFor(key)
    recentKeys[recentNext] = key
    recentSlots[recentNext] = slot
    recentNext = (recentNext + 1) & (RECENT - 1)
    return slot
  }
  const flush = () => {
    let switches = 0
    for (let i = 0; i < n; i++) {
      const event = batchEvents[i]!
      if (event.at < from || event.at >= to) batchSlots[i] = null
      else {
        const key = event.personKey
        if (key !== lastKey) {
          lastSlot = find(key)
          lastKey = key
          switches++
        }
        batchSlots[i] = lastSlot
      }
    }
    // One level of each lead's objects per loop: the loads within a loop do not depend on one another. Skipped when
    // the batch keeps to a few leads (account by account): their objects are in cache already.
    if (switches * READ_AHEAD_SWITCHES > n) {
      let v = 0
      for (let i = 0; i < n; i++) {
        const slot = batchSlots[i]
        if (slot != null && slot.state !== null) v += slot.state.events
      }
      for (let i = 0; i < n; i++) {
        const slot = batchSlots[i]
        if (slot != null) v += touchSecond(engine, slot)
      }
      for (let i = 0; i < n; i++) {
        const slot = batchSlots[i]
        if (slot != null && slot.state !== null) v += slot.state.aggregates[0]!
      }
      sink.value = v
    }
    for (let i = 0; i < n; i++) {
      const slot = batchSlots[i]!
      if (slot === null) skipped++
      else apply(batchEvents[i]!, slot)
      batchSlots[i] = null
      batchEvents[i] = undefined as unknown as ReplayEvent
    }
    n = 0
  }
  for (const event of input.events) {
    batchEvents[n++] = event
    if (n === BATCH) flush()
  }
  flush()
  const mqlsByWeek = [...weeks].map(([week, count]) => ({ week, count })).sort((a, b) => a.week.localeCompare(b.week))
  // Tiers by name, not by which lead qualified first: the outcome is the same for every order the input allows.
  const tiers: Record<string, number> = {}
  for (const name of Object.keys(tierMix).sort()) tiers[name] = tierMix[name]!
  return { engine, facts: leads, applied, skipped, leads, qualified, mqlsByWeek, tierMix: tiers }
}

/** Leads remembered past the last one (a power of two): about the people of one account. */
const RECENT = 8
/** Events read ahead per batch (see replayHistory): enough to overlap memory loads, few enough to stay in cache. */
const BATCH = 64
/** Read ahead when more than one event in this many moves to another lead than the event before it. */
const READ_AHEAD_SWITCHES = 4
/** Where the first pass leaves what it read, so the reads are not optimized away. */
const sink = { value: 0 }

/** Reads what hangs off the slot: the state's aggregates (the array), the fit memo and its fit, the account. */
function touchSecond(engine: Engine, slot: Slot): number {
  let v = 0
  const state = slot.state
  if (state !== null) v += state.aggregates.length
  const memo = findFitMemo(engine, slot)
  if (memo !== undefined) v += memo.until + memo.fit.score
  const aggregate = slot.aggregate
  if (aggregate !== null) v += aggregate.at
  return v
}

const NO_TRANSITIONS: Transition[] = Object.freeze([]) as unknown as Transition[]

/**
 * A lead during a run, as one object so an event touches one thing besides its state: its `ReplayLead` (state,
 * transitions), the facts it is decided with (the input's, plus the account's engagement), and its own share of that
 * engagement (`AccountPeer`: `self` is the slot itself). The fit memo's place is declared up front (in the object,
 * not added later). The run's `facts` map holds the slots.
 */
class Slot implements ReplayLead, LeadFacts, AccountPeer {
  state: LeadState = null as unknown as LeadState
  transitions: Transition[] = NO_TRANSITIONS
  readonly person: LeadFacts['person']
  readonly account: LeadFacts['account']
  readonly accountSignals: LeadFacts['accountSignals']
  readonly lead: LeadFacts['lead']
  // The lead's share of its account's engagement, as last summarized (AccountPeer).
  persona: string | null = null
  intent = 0
  at = 0
  constructor(
    engine: Engine,
    readonly personKey: string,
    base: LeadFacts,
    /** The account's engagement, when the Agreement reads it and the lead has an account. */
    readonly aggregate: EngagementAggregate | null,
  ) {
    this.person = base.person
    this.account = base.account
    this.accountSignals = base.accountSignals
    this.lead = base.lead
    ;(this as unknown as Record<symbol, unknown>)[engine.memoKey] = undefined
  }
  /** `LeadFacts.accountEngagement`: the account's aggregate, and this lead's share (the slot). */
  get accountEngagement(): LeadFacts['accountEngagement'] {
    return this.aggregate === null ? undefined : (this as { aggregate: EngagementAggregate; self: AccountPeer })
  }
  get self(): AccountPeer {
    return this
  }
}

export type KnownOutcome = { sal?: boolean; opportunity?: boolean; won?: boolean }

export type Conversion = { leads: number; known: number; sal: number; opportunity: number; won: number }

export type ReplayComparison = {
  qualified: { active: number; candidate: number }
  mqlsPerWeek: { week: string; active: number; candidate: number }[]
  tierMix: { tier: string; active: number; candidate: number }[]
  gained: { count: number; examples: { personKey: string; reasons: string[] }[] }
  lost: { count: number; examples: { personKey: string; reasons: string[] }[] }
  /** How the leads each side qualified actually converted, where the outcome is known. */
  conversion: { gained: Conversion; lost: Conversion; both: Conversion }
}

function convert(keys: readonly string[], outcomes: ReadonlyMap<string, KnownOutcome>): Conversion {
  const c: Conversion = { leads: keys.length, known: 0, sal: 0, opportunity: 0, won: 0 }
  for (const k of keys) {
    const o = outcomes.get(k)
    if (!o) continue
    c.known++
    if (o.sal) c.sal++
    if (o.opportunity) c.opportunity++
    if (o.won) c.won++
  }
  return c
}

/** Why `side` did not qualify a lead, from its final state (or: it never saw the lead's events). */
function whyNot(side: ReplayOutcome, key: string, label: string): string {
  const lead = side.leads.get(key)
  if (!lead) return `${label}: no events for this lead in the window`
  const facts = side.facts.get(key) ?? EMPTY_FACTS
  const at = lead.state.lastEventAt ?? lead.state.createdAt
  if (lead.state.stage === 'Disqualified') return `${label}: ${lead.state.explanation ?? 'disqualified'}`
  const r = explainStageCondition(side.engine, lead.state, facts, 'MQL', at)
  return `${label}: not MQL — ${r.reasons.join(', ')}; ${r.fit}`
}

/**
 * Compare a candidate Agreement's replay with the active one's: MQLs per week, tier mix, leads gained and lost with
 * examples and reasons, and how those leads converted where outcomes are known.
 *
 * Example: `compareReplays(active, candidate, outcomes).gained` → `{ count: 41, examples: [{ personKey: 'ana@acme.com', reasons: ['MQL at … under agreement v0 (…): …', 'active agreement: not MQL — fit >= 60: false (fit = 55), …'] }] }`
 */
export function compareReplays(
  active: ReplayOutcome,
  candidate: ReplayOutcome,
  outcomes: ReadonlyMap<string, KnownOutcome>,
  options: { examples?: number } = {},
): ReplayComparison {
  const n = options.examples ?? 5
  const weeks = new Map<string, { active: number; candidate: number }>()
  for (const w of active.mqlsByWeek) weeks.set(w.week, { active: w.count, candidate: 0 })
  for (const w of candidate.mqlsByWeek) {
    const row = weeks.get(w.week) ?? { active: 0, candidate: 0 }
    row.candidate = w.count
    weeks.set(w.week, row)
  }
  const tiers = [...new Set([...Object.keys(active.tierMix), ...Object.keys(candidate.tierMix)])]
  const byTime = (side: ReplayOutcome) => (a: string, b: string) =>
    side.qualified.get(a)!.at - side.qualified.get(b)!.at || a.localeCompare(b)
  const gained = [...candidate.qualified.keys()].filter((k) => !active.qualified.has(k)).sort(byTime(candidate))
  const lost = [...active.qualified.keys()].filter((k) => !candidate.qualified.has(k)).sort(byTime(active))
  const both = [...active.qualified.keys()].filter((k) => candidate.qualified.has(k))
  return {
    qualified: { active: active.qualified.size, candidate: candidate.qualified.size },
    mqlsPerWeek: [...weeks].map(([week, v]) => ({ week, ...v })).sort((a, b) => a.week.localeCompare(b.week)),
    tierMix: tiers.sort().map((tier) => ({
      tier,
      active: active.tierMix[tier] ?? 0,
      candidate: candidate.tierMix[tier] ?? 0,
    })),
    gained: {
      count: gained.length,
      examples: gained.slice(0, n).map((personKey) => ({
        personKey,
        reasons: [candidate.qualified.get(personKey)!.explanation, whyNot(active, personKey, 'active agreement')],
      })),
    },
    lost: {
      count: lost.length,
      examples: lost.slice(0, n).map((personKey) => ({
        personKey,
        reasons: [active.qualified.get(personKey)!.explanation, whyNot(candidate, personKey, 'candidate agreement')],
      })),
    },
    conversion: { gained: convert(gained, outcomes), lost: convert(lost, outcomes), both: convert(both, outcomes) },
  }
}
