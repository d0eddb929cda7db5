import type { LifecycleStage } from '../agreement/agreement-schema.ts'

/**
 * The data the qualification engine reads and writes. `LeadState` is what the integrator stores as JSON in a `lead`
 * row: plain numbers, strings and arrays, bounded in size (no event history), so loading and saving it costs the same
 * after ten events as after ten thousand.
 */

/** Epoch milliseconds (UTC). */
export type Instant = number

/** A situational account signal from enrichment (`hiring_surge` seen at `at`). */
export type AccountSignal = { type: string; at: Instant }

/**
 * One other person's engagement at the same account, as of `at`. The engine decays `intent` to the decision instant
 * with the Agreement's half-life. Build it with `summarizeForAccount(engine, state, personKey)`.
 */
export type AccountPeer = { personKey: string; persona: string | null; intent: number; at: Instant }

/**
 * Everything the engine knows about the person behind a lead, apart from events. Field names follow the CEL field
 * catalogue (`account.industry`, `person.title`, `lead.source`); absent and `null` both mean "unknown".
 *
 * The engine memoizes fit per facts object and checks that `person`, `account` and `accountSignals` are still the
 * same objects: replace those objects (do not mutate them) when a record changes.
 */
export type LeadFacts = {
  person: Readonly<Record<string, unknown>>
  account: Readonly<Record<string, unknown>> | null
  accountSignals?: readonly AccountSignal[]
  /** First-touch attribution and form data of the lead; wins over what the engine derives from events. */
  lead?: Readonly<Record<string, unknown>>
  /**
   * Engagement of everyone at the account (`aggregate`, kept in the account row with `updateEngagement`) and this
   * lead's own share of it (`self`, its last summary), which the engine replaces with its current intent. Absent: the
   * lead is alone at its account.
   */
  accountEngagement?: { aggregate: EngagementAggregate; self: AccountPeer | null }
}

/**
 * The account's engagement as decayed sums referenced to `at` — O(1) to update per event and to read, whatever the
 * number of people at the account. Sums decay exactly like intent; `engagedPeople` counts people engaged as of their
 * own last event.
 */
export type EngagementAggregate = {
  at: Instant
  intent: number
  /** persona id → summed intent of the account's people with that persona, as of `at`. */
  personas: Record<string, number>
  engagedPeople: number
}

export type EngineEvent = {
  id: string
  type: string
  /** occurred_at, epoch ms. */
  at: Instant
  properties?: Readonly<Record<string, unknown>>
  source?: string | null
  medium?: string | null
  campaign?: string | null
}

export type FitPart = { id: string; name: string; points: number }
export type UnknownCriterion = { id: string; name: string; kind: 'criterion' | 'disqualifier'; missing: string[] }
export type Disqualification = { id: string; name: string; reason: string; reasons: string[] }

/** Fit as of one instant. Never mutated once built: states share it. */
export type FitSnapshot = {
  score: number
  parts: FitPart[]
  unknown: UnknownCriterion[]
  disqualifier: Disqualification | null
}

/** A stage the lead was in; `exitedAt` null while it still is. */
export type StageSpan = { stage: LifecycleStage; enteredAt: Instant; exitedAt: Instant | null }

/**
 * A lead's intent and windowed-signal aggregates, flat: one array of numbers laid out by the Agreement version's
 * `AggregateLayout`, so an event touches one array instead of a dozen small objects. Per entry of the layout:
 * - intent rule: `[sum, ref]` — the decayed sum of the rule's points as of `ref` (exact for any arrival order: a late
 *   event adds `points · 2^(−(ref − at)/halfLife)`); `[0, 0]` before the first match.
 * - `count` signal: its `at_least` most recent matching instants, ascending, empty places first holding `NEVER`.
 * - `any` signal: `[lastAt, lastOf]` — the latest matching instant (`NEVER` when none) and which filter of `of` matched.
 * - `inactivity` signal: no place (it reads `LeadState.lastEventAt`).
 */
export type Aggregates = number[]

/**
 * What each place of `Aggregates` means, one key per intent rule and windowed signal, in engine order:
 * `rule|<id>|<matcher fingerprint>|<points>`, `count|<name>|<filter fingerprint>|<at_least>`, `any|<name>|<filters
 * fingerprint>`, `inactivity|<name>`. Stored with the state so a later Agreement version can carry aggregates over
 * rule by rule and signal by signal; in memory every state of a version shares the engine's array.
 */
export type AggregateLayout = readonly string[]

/** "No instant" in `Aggregates` (the earliest instant a Date can hold): JSON-safe, older than every window. */
export const NEVER = -8.64e15

export type TierState = {
  name: string
  at: Instant
  sla: { firstTouchBusinessMs: number; dispositionBusinessMs: number | null } | null
}

export type HandoffStatus = 'not_qualified' | 'needs_data' | 'ready'

/**
 * One qualification cycle of a person (the `lead` row). JSON-serializable; no field grows with event volume.
 * Schema 2 keeps intent and signals in `aggregates` (schema 1 had `intent: { keys, sums, refs }` and one object per
 * signal); the engine upgrades a schema 1 state when it reads one (`migrateState`).
 */
export type LeadState = {
  schema: 2
  cycle: number
  stage: LifecycleStage
  /** The last 32 stage spans of this cycle, oldest first (the transition log keeps them all). */
  history: StageSpan[]
  agreement: { versionId: number; hash: string }
  createdAt: Instant
  /** Latest occurred_at seen; decisions are never made before it. */
  lastEventAt: Instant | null
  events: number
  persona: string | null
  fit: FitSnapshot
  layout: AggregateLayout
  aggregates: Aggregates
  /** Lead fields conditions read as `lead.*`: facts.lead wins; source/medium/campaign fall back to the first touch. */
  lead: Record<string, string>
  firstTouchAt: Instant | null
  tier: TierState | null
  /** The last 16 tier decisions of this cycle. */
  tierHistory: { tier: string; at: Instant }[]
  handoff: HandoffStatus
  /** Required handoff fields the lead lacks (`account.industry`), while `handoff` is `needs_data`. */
  needsData: string[]
  /** A recycled lead re-qualifies automatically only from this instant. */
  nurtureUntil: Instant | null
  /** The explanation of the last transition, as the analyst reads it on the lead page. */
  explanation: string | null
}

export type Transition = {
  from: LifecycleStage
  to: LifecycleStage
  /** Decision instant in event time. */
  at: Instant
  /** When Accord made the decision (processing time); equals `at` in replay. */
  decidedAt: Instant
  /** What decided: `stages.MQL.when`, `icp.disqualify.competitor`, `recycle`, `reopen`, `new_cycle`, `advance`. */
  rule: string
  agreementVersionId: number
  agreementHash: string
  cycle: number
  reasons: string[]
  explanation: string
}

export type TierChange = { from: string | null; to: string; at: Instant; reasons: string[] }

/** Emitted when the handoff status of a qualified lead changes: route it (`ready`) or list it (`needs_data`). */
export type HandoffDecision =
  | { kind: 'ready'; at: Instant; tier: string | null }
  | { kind: 'needs_data'; at: Instant; missing: string[] }

export type ApplyResult = {
  state: LeadState
  transitions: Transition[]
  tierChanges: TierChange[]
  handoff: HandoffDecision | null
  /** True when anything a reader of the state could see moved (scores, signals, stage, tier). */
  changed: boolean
}
