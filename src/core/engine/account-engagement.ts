import type { Engine, StageContext } from './create-engine.ts'
import { describeCoverage } from './describe-decision.ts'
import type { AccountPeer, EngagementAggregate, Instant, LeadFacts, LeadState } from './engine-types.ts'
import { readableState } from './migrate-state.ts'
import { decayFactor, intentAt, roundScore } from './score-intent.ts'

/** A person counts as engaged with at least this much intent as of the instant (one visible point). */
export const ENGAGED_MIN_INTENT = 1

export type AccountEngagement = {
  intent: number
  engagedPeople: number
  personasEngaged: string[]
  /** `2 of 3 personas engaged` (over the buying committee). */
  coverage: string
  coverageRatio: number
}

/**
 * What the other leads at an account need to know about this one: its persona and intent as of its last event.
 *
 * Example: `summarizeForAccount(engine, state, 'ana@acme.com')` → `{ personKey: 'ana@acme.com', persona: 'economic_buyer', intent: 42, at: … }`
 */
export function summarizeForAccount(engine: Engine, state: LeadState, personKey: string): AccountPeer {
  const at = state.lastEventAt ?? state.createdAt
  return {
    personKey,
    persona: state.persona,
    intent: intentAt(engine, readableState(engine, state).aggregates, at),
    at,
  }
}

/** A peer's intent carried to `at` with the half-life (exact unless a cap or a negative rule binds). */
function peerIntentAt(engine: Engine, peer: AccountPeer, at: Instant): number {
  return peer.intent * decayFactor(engine.halfLifeMs, at - peer.at)
}

function committeeOf(engine: Engine): readonly string[] {
  return engine.committee?.personas ?? engine.compiled.personas.map((p) => p.id)
}

/**
 * Engagement of everyone at one account as of `now`: summed intent, engaged people, and coverage of the buying
 * committee's personas.
 *
 * Example: `accountEngagement(engine, peers, now)` → `{ intent: 75, engagedPeople: 3, personasEngaged: ['economic_buyer', 'compliance_lead'], coverage: '2 of 3 personas engaged', coverageRatio: 0.667 }`
 */
export function accountEngagement(engine: Engine, peers: readonly AccountPeer[], now: Instant): AccountEngagement {
  let intent = 0
  let engagedPeople = 0
  const personas: string[] = []
  for (const p of peers) {
    const v = peerIntentAt(engine, p, now)
    intent += v
    if (v >= ENGAGED_MIN_INTENT) {
      engagedPeople++
      if (p.persona !== null && !personas.includes(p.persona)) personas.push(p.persona)
    }
  }
  const committee = committeeOf(engine)
  const covered = committee.filter((c) => personas.includes(c)).length
  return {
    intent: roundScore(intent),
    engagedPeople,
    personasEngaged: personas,
    coverage: describeCoverage(engine, personas),
    coverageRatio: committee.length ? covered / committee.length : 0,
  }
}

/** An empty account aggregate. */
export function createEngagementAggregate(): EngagementAggregate {
  return { at: 0, intent: 0, personas: {}, engagedPeople: 0 }
}

/**
 * Replace one person's share of the account aggregate with their new summary, in O(1): the aggregate is decayed to
 * the later instant, the old share (decayed) taken out, the new one added. `peer` is updated in place to `next`, so
 * the caller keeps it as the lead's `self` for the next decision. Call it after an applyEvent whose result
 * `changed` (otherwise the share only decayed, which the aggregate does by itself). Mutates `aggregate` and `peer`.
 *
 * Example: `updateEngagement(engine, account.engagement, lead.peer, summarizeForAccount(engine, state, key))`
 */
export function updateEngagement(
  engine: Engine,
  aggregate: EngagementAggregate,
  peer: AccountPeer,
  next: AccountPeer,
): void {
  updateShare(engine, aggregate, peer, next.persona, next.intent, next.at)
}

/**
 * `updateEngagement` with the lead's new summary given as values, so replay allocates nothing per event:
 * `updateShare(engine, aggregate, peer, state.persona, intentAt(engine, state.aggregates, at), at)`.
 */
export function updateShare(
  engine: Engine,
  aggregate: EngagementAggregate,
  peer: AccountPeer,
  persona: string | null,
  intent: number,
  nextAt: Instant,
): void {
  const before = aggregate.at
  const at = Math.max(before, nextAt)
  const f = decayFactor(engine.halfLifeMs, at - before)
  aggregate.intent *= f
  for (const p in aggregate.personas) aggregate.personas[p]! *= f
  aggregate.at = at
  // The same power is not taken twice: the lead's last share usually dates from the account's last event (one
  // person's events follow one another), and its new one from now. Equal arguments, equal factors.
  const old = peer.intent * (peer.at === before ? f : decayFactor(engine.halfLifeMs, at - peer.at))
  const now = nextAt === at ? intent : intent * decayFactor(engine.halfLifeMs, at - nextAt)
  aggregate.intent += now - old
  if (peer.persona !== null) aggregate.personas[peer.persona] = (aggregate.personas[peer.persona] ?? 0) - old
  if (persona !== null) aggregate.personas[persona] = (aggregate.personas[persona] ?? 0) + now
  aggregate.engagedPeople +=
    (intent >= ENGAGED_MIN_INTENT ? 1 : 0) - (peer.intent >= ENGAGED_MIN_INTENT && peer.at > 0 ? 1 : 0)
  peer.persona = persona
  peer.intent = intent
  peer.at = nextAt
}

/**
 * Fills the scratch `account_engagement` for a decision as of `at`: the account aggregate with this lead's stored
 * share replaced by its current intent — O(committee), not O(people). Leaves it null for a lead without an account,
 * so AQL conditions are unknown, not false.
 */
export function fillAccountEngagement(
  engine: Engine,
  ctx: StageContext,
  input: LeadFacts['accountEngagement'],
  hasAccount: boolean,
  selfPersona: string | null,
  selfIntent: number,
  at: Instant,
): void {
  if (!hasAccount) {
    ctx.account_engagement = null
    return
  }
  const e = ctx.account_engagement ?? { engaged_people: 0, engaged_personas: [], committee_coverage: 0, intent: 0 }
  ctx.account_engagement = e
  const personas = e.engaged_personas
  personas.length = 0
  const agg = input?.aggregate
  const self = input?.self ?? null
  const f = agg ? decayFactor(engine.halfLifeMs, at - agg.at) : 0
  const selfOld = self ? self.intent * decayFactor(engine.halfLifeMs, at - self.at) : 0
  let engaged = agg ? agg.engagedPeople : 0
  if (self !== null && self.intent >= ENGAGED_MIN_INTENT && self.at > 0) engaged--
  if (selfIntent >= ENGAGED_MIN_INTENT) engaged++
  const committee = committeeOf(engine)
  let covered = 0
  for (const p of committee) {
    let share = agg ? (agg.personas[p] ?? 0) * f : 0
    if (self !== null && self.persona === p) share -= selfOld
    if (selfPersona === p) share += selfIntent
    if (share >= ENGAGED_MIN_INTENT) {
      covered++
      personas.push(p)
    }
  }
  e.engaged_people = engaged
  e.intent = roundScore((agg ? agg.intent * f : 0) - selfOld + selfIntent)
  e.committee_coverage = committee.length ? covered / committee.length : 0
}
