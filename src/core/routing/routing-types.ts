// Data shapes of the routing decision. These are routing's own input types: the Agreement compiler adapts its
// compiled rules, reps and pools to them, and the handoff use case stores PoolState rows and the RouteTrace.

import type { Calendar } from '../calendar/index.ts'

/** Three-valued condition answer: 'unknown' when a field it needs is missing (it then counts as no match). */
export type ConditionAnswer = boolean | 'unknown'

/** What routing reads about the lead. `fields` is the context the compiled conditions read (CEL scope). */
export type RoutingInput = {
  /** Owner of the lead's account, found upstream by lead-to-account matching (domain); null when none. */
  readonly accountOwnerId: string | null
  /** For the trace only ("no owner on acme.com"). */
  readonly accountDomain?: string | null
  readonly fields: Readonly<Record<string, unknown>>
}

export type RouteTarget =
  | { readonly kind: 'account_owner' }
  | { readonly kind: 'pool'; readonly pool: string }
  | { readonly kind: 'rep'; readonly rep: string }

export type RoutingRule = {
  readonly name: string
  /** null = always matches (the last rule). A throwing condition is recorded and counts as 'unknown'. */
  readonly condition: ((input: RoutingInput) => ConditionAnswer) | null
  /** The condition as written in the Agreement, shown in the trace. */
  readonly conditionText?: string
  readonly to: RouteTarget
}

/**
 * Where an availability fact came from: the signed Agreement, or the operational rep status people set in Accord
 * between versions (out of office, active/inactive). Absent means the Agreement, so traces stored before rep
 * status existed read the same.
 */
export type AvailabilitySource = 'agreement' | 'rep_status'

/** An absence. Dates 'YYYY-MM-DD' are local dates in the rep's calendar zone, both inclusive; ISO date-times
 * with an offset are instants (`to` then exclusive). */
export type OutOfOffice = {
  readonly from: string
  readonly to: string
  readonly note?: string
  readonly source?: AvailabilitySource
}

export type Rep = {
  readonly id: string
  readonly name: string
  readonly email: string
  readonly team: string
  /** Working hours; also the zone of the rep's out-of-office dates and of its daily/weekly load. */
  readonly calendar: Calendar
  readonly active: boolean
  /** Set when `active` comes from the rep status rather than the Agreement (see applyRepStatuses). */
  readonly activeSource?: AvailabilitySource
  readonly outOfOffice: readonly OutOfOffice[]
  readonly capacity?: { readonly daily?: number; readonly weekly?: number }
}

export type PoolMember = { readonly rep: string; readonly weight: number }

export type Pool = {
  readonly name: string
  readonly members: readonly PoolMember[]
  /** Pool that takes the lead when no member of this one is available. */
  readonly backup?: string
  /** Skip members outside their working hours (default true). Named as in the Agreement (`respect_working_hours`). */
  readonly respectWorkingHours?: boolean
  /** Skip members at their daily or weekly cap (default true). */
  readonly respectCapacity?: boolean
}

/**
 * The round-robin state of one pool, stored in one database row that the use case locks around the decision.
 * `nextStart[rep]` is where the member's next turn starts on the pool's virtual clock, relative to the clock's
 * current reading (always 0 after a decision): <= 0 means the member is owed a turn, > 0 that it is ahead of its
 * share. Members absent from the map start at 0. `version` increases by one with every decision that uses the pool.
 */
export type PoolState = {
  readonly poolName: string
  readonly nextStart: Readonly<Record<string, number>>
  readonly version: number
}

/** Assignments already received, counted in the rep's own local day and ISO week (see countAssignmentLoad). */
export type RepLoad = { readonly today: number; readonly thisWeek: number }
export type Load = Readonly<Record<string, RepLoad>>

/** Why a rep could not take a lead now. Instants are epoch ms; dates are local to the rep's zone. */
export type Unavailability =
  | { readonly kind: 'unknown_rep' }
  | { readonly kind: 'inactive'; readonly source?: AvailabilitySource }
  | {
      readonly kind: 'out_of_office'
      readonly until: string
      readonly timeZone: string
      readonly note?: string
      readonly source?: AvailabilitySource
    }
  | { readonly kind: 'unreadable_out_of_office'; readonly index: number; readonly text: string }
  | { readonly kind: 'outside_hours'; readonly opensAtMs: number | null; readonly timeZone: string }
  | { readonly kind: 'daily_cap'; readonly cap: number; readonly count: number }
  | { readonly kind: 'weekly_cap'; readonly cap: number; readonly count: number }
  | { readonly kind: 'zero_weight' }

export type MemberTrace = {
  readonly repId: string
  readonly name: string
  readonly weight: number
  /** chosen; passed over (available but another member's turn); skipped (unavailable, see `skipped`). */
  readonly status: 'chosen' | 'passed' | 'skipped'
  readonly skipped: Unavailability | null
  readonly nextStartBefore: number
  readonly nextStartAfter: number
}

export type PoolTrace = {
  readonly pool: string
  /** The pool this one stood in for, when reached as a backup. */
  readonly backupOf: string | null
  readonly known: boolean
  readonly versionBefore: number
  readonly members: readonly MemberTrace[]
  readonly chosen: string | null
}

export type RuleOutcome =
  | { readonly kind: 'not_matched' }
  | { readonly kind: 'no_owner'; readonly accountDomain: string | null }
  | { readonly kind: 'rep_unavailable'; readonly repId: string; readonly name: string; readonly why: Unavailability }
  | { readonly kind: 'assigned'; readonly repId: string; readonly name: string }
  | { readonly kind: 'pool'; readonly pools: readonly PoolTrace[]; readonly chosen: string | null }

export type RuleTrace = {
  /** 1-based, as people count rules. */
  readonly number: number
  readonly name: string
  readonly conditionText: string | null
  readonly condition: 'always' | 'matched' | 'not_matched' | 'unknown'
  /** Message of a condition that threw (recorded as 'unknown'). */
  readonly conditionError: string | null
  readonly to: RouteTarget
  readonly outcome: RuleOutcome
}

/** Everything routing looked at, in order: stored with the assignment to answer "why did I get this lead?". */
export type RouteTrace = { readonly atMs: number; readonly rules: readonly RuleTrace[] }

export type UnassignedCode = 'no_rule_matched' | 'pools_unavailable'

export type RouteDecision =
  | {
      readonly kind: 'assigned'
      readonly repId: string
      readonly ruleName: string
      /** The pool that chose the rep (the backup pool when viaBackup). */
      readonly poolName?: string
      readonly viaBackup: boolean
      /** The chosen pool's state after this decision; write it back under the same lock. */
      readonly newPoolState?: PoolState
      readonly trace: RouteTrace
    }
  | { readonly kind: 'unassigned'; readonly code: UnassignedCode; readonly reason: string; readonly trace: RouteTrace }

export type DecideRouteArgs = {
  readonly rules: readonly RoutingRule[]
  readonly input: RoutingInput
  readonly reps: readonly Rep[]
  readonly pools: readonly Pool[]
  /** States of the pools listPoolsToLock names, read under lock; a missing one is a fresh pool. */
  readonly poolStates: Readonly<Record<string, PoolState>>
  readonly load: Load
  readonly now: number
}
