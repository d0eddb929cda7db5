// The routing decision: ordered rules, first match wins, then a named owner or a pool's weighted round robin
// (with backup pools), returning the rep, the pool state to store, and a trace of everything looked at.

import type { Calendar } from '../calendar/index.ts'
import { findMemberUnavailability, findOwnerUnavailability } from './check-availability.ts'
import type {
  ConditionAnswer,
  DecideRouteArgs,
  MemberTrace,
  Pool,
  PoolState,
  PoolTrace,
  Rep,
  RouteDecision,
  RouteTrace,
  RoutingInput,
  RoutingRule,
  RuleOutcome,
  RuleTrace,
  Unavailability,
} from './routing-types.ts'
import { type TurnCandidate, takeTurn } from './take-turn.ts'

const repIndexCache = new WeakMap<readonly Rep[], ReadonlyMap<string, Rep>>()
const poolIndexCache = new WeakMap<readonly Pool[], ReadonlyMap<string, Pool>>()

function indexReps(reps: readonly Rep[]): ReadonlyMap<string, Rep> {
  let index = repIndexCache.get(reps)
  if (!index) {
    index = new Map(reps.map((r) => [r.id, r]))
    repIndexCache.set(reps, index)
  }
  return index
}

function indexPools(pools: readonly Pool[]): ReadonlyMap<string, Pool> {
  let index = poolIndexCache.get(pools)
  if (!index) {
    index = new Map(pools.map((p) => [p.name, p]))
    poolIndexCache.set(pools, index)
  }
  return index
}

type ConditionCheck = { readonly condition: RuleTrace['condition']; readonly error: string | null }

const ALWAYS: ConditionCheck = { condition: 'always', error: null }
const MATCHED: ConditionCheck = { condition: 'matched', error: null }
const NOT_MATCHED: ConditionCheck = { condition: 'not_matched', error: null }
const UNKNOWN: ConditionCheck = { condition: 'unknown', error: null }
const NO_MATCH_OUTCOME: RuleOutcome = { kind: 'not_matched' }

function checkCondition(rule: RoutingRule, input: RoutingInput): ConditionCheck {
  if (rule.condition === null) return ALWAYS
  let answer: ConditionAnswer
  try {
    answer = rule.condition(input)
  } catch (error) {
    // A condition is the Agreement author's code path, not ours: record why and treat it as unknown.
    return { condition: 'unknown', error: error instanceof Error ? error.message : String(error) }
  }
  if (answer === 'unknown') return UNKNOWN
  return answer === true ? MATCHED : NOT_MATCHED
}

type NamedOwnerOutcome =
  | { readonly kind: 'no_owner'; readonly accountDomain: string | null }
  | { readonly kind: 'rep_unavailable'; readonly repId: string; readonly name: string; readonly why: Unavailability }
  | { readonly kind: 'assigned'; readonly repId: string; readonly name: string }

function decideNamedOwner(repId: string | null, input: RoutingInput, reps: ReadonlyMap<string, Rep>, now: number) {
  if (repId === null) {
    return { kind: 'no_owner', accountDomain: input.accountDomain ?? null } satisfies NamedOwnerOutcome
  }
  const rep = reps.get(repId)
  if (!rep) {
    return { kind: 'rep_unavailable', repId, name: repId, why: { kind: 'unknown_rep' } } satisfies NamedOwnerOutcome
  }
  const why = findOwnerUnavailability(rep, now)
  if (why) return { kind: 'rep_unavailable', repId, name: rep.name, why } satisfies NamedOwnerOutcome
  return { kind: 'assigned', repId, name: rep.name } satisfies NamedOwnerOutcome
}

function traceRule(rule: RoutingRule, number: number, check: ConditionCheck, outcome: RuleOutcome): RuleTrace {
  return {
    number,
    name: rule.name,
    conditionText: rule.conditionText ?? null,
    condition: check.condition,
    conditionError: check.error,
    to: rule.to,
    outcome,
  }
}

type RuleStep =
  | { readonly kind: 'next'; readonly trace: RuleTrace }
  | { readonly kind: 'assigned'; readonly trace: RuleTrace; readonly repId: string }
  | { readonly kind: 'pool'; readonly check: ConditionCheck; readonly pool: string }

/** One rule up to the point where pool state matters; shared by decideRoute and listPoolsToLock. */
function stepRule(rule: RoutingRule, number: number, input: RoutingInput, reps: ReadonlyMap<string, Rep>, now: number) {
  const check = checkCondition(rule, input)
  if (check.condition === 'not_matched' || check.condition === 'unknown') {
    return { kind: 'next', trace: traceRule(rule, number, check, NO_MATCH_OUTCOME) } satisfies RuleStep
  }
  switch (rule.to.kind) {
    case 'account_owner':
    case 'rep': {
      const outcome = decideNamedOwner(rule.to.kind === 'rep' ? rule.to.rep : input.accountOwnerId, input, reps, now)
      const trace = traceRule(rule, number, check, outcome)
      if (outcome.kind === 'assigned') return { kind: 'assigned', trace, repId: outcome.repId } satisfies RuleStep
      return { kind: 'next', trace } satisfies RuleStep
    }
    case 'pool':
      return { kind: 'pool', check, pool: rule.to.pool } satisfies RuleStep
  }
}

function describeMembers(pool: Pool, reps: ReadonlyMap<string, Rep>, args: DecideRouteArgs) {
  const options = {
    respectWorkingHours: pool.respectWorkingHours !== false,
    respectCapacity: pool.respectCapacity !== false,
  }
  const hoursMemo = new Map<Calendar, Unavailability | null>()
  const candidates: TurnCandidate[] = []
  const skipped: (Unavailability | null)[] = []
  const names: string[] = []
  for (const member of pool.members) {
    const rep = reps.get(member.rep)
    let why: Unavailability | null
    if (!rep) why = { kind: 'unknown_rep' }
    else if (!(member.weight > 0) || !Number.isFinite(member.weight)) why = { kind: 'zero_weight' }
    else why = findMemberUnavailability(rep, args.load[member.rep], args.now, options, hoursMemo)
    candidates.push({ rep: member.rep, weight: member.weight, available: why === null })
    skipped.push(why)
    names.push(rep?.name ?? member.rep)
  }
  return { candidates, skipped, names }
}

type PoolRun = {
  readonly traces: PoolTrace[]
  readonly chosen: { readonly repId: string; readonly pool: string; readonly state: PoolState } | null
}

function runPoolChain(first: string, reps: ReadonlyMap<string, Rep>, args: DecideRouteArgs): PoolRun {
  const pools = indexPools(args.pools)
  const traces: PoolTrace[] = []
  const seen = new Set<string>()
  let name: string | undefined = first
  let backupOf: string | null = null
  while (name !== undefined && !seen.has(name)) {
    seen.add(name)
    const pool = pools.get(name)
    const state = args.poolStates[name]
    const versionBefore = state?.version ?? 0
    if (!pool) {
      traces.push({ pool: name, backupOf, known: false, versionBefore, members: [], chosen: null })
      break
    }
    const { candidates, skipped, names } = describeMembers(pool, reps, args)
    const turn = takeTurn(candidates, state?.nextStart ?? {})
    const members: MemberTrace[] = new Array(candidates.length)
    for (let i = 0; i < candidates.length; i++) {
      const why = skipped[i]!
      members[i] = {
        repId: candidates[i]!.rep,
        name: names[i]!,
        weight: candidates[i]!.weight,
        status: i === turn.chosen ? 'chosen' : why ? 'skipped' : 'passed',
        skipped: why,
        nextStartBefore: turn.before[i]!,
        nextStartAfter: turn.after[i]!,
      }
    }
    const chosenRep = turn.chosen >= 0 ? candidates[turn.chosen]!.rep : null
    traces.push({ pool: name, backupOf, known: true, versionBefore, members, chosen: chosenRep })
    if (chosenRep !== null) {
      const nextStart: Record<string, number> = {}
      for (let i = 0; i < candidates.length; i++) nextStart[candidates[i]!.rep] = turn.after[i]!
      return {
        traces,
        chosen: { repId: chosenRep, pool: name, state: { poolName: name, nextStart, version: versionBefore + 1 } },
      }
    }
    backupOf = name
    name = pool.backup
  }
  return { traces, chosen: null }
}

/**
 * Routes one lead. Rules are tried in order and the first that matches and yields a rep wins:
 * - a condition answering 'unknown' (a field it reads is missing) counts as no match, so a missing field never
 *   routes a lead by accident; a condition that throws is recorded and counts as 'unknown';
 * - `account_owner` and `{ rep }` need an active rep who is not out of office (working hours and caps do not
 *   apply to named owners); otherwise the trace says why ("owner Ana is out of office until …") and routing
 *   continues with the next rule;
 * - `{ pool }` runs the pool's fair weighted round robin over its available members (active, not out of office,
 *   within working hours unless `respectWorkingHours: false`, under caps unless `respectCapacity: false`); when
 *   none is available the pool's backup is tried, then the backup's backup; when the chain is exhausted the lead is
 *   unassigned (the use case parks it in a queue) — later rules are not tried, since a pool rule is the Agreement's
 *   answer for that lead.
 * Pure: the same arguments give the same decision. Concurrency is the caller's: see README "Concurrency contract".
 * @example decideRoute({ rules, input: { accountOwnerId: null, fields: { account: { region: 'NA' } } }, reps, pools,
 *   poolStates: { na: state }, load: {}, now: Date.parse('2026-11-23T15:00:00Z') })
 * // { kind: 'assigned', repId: 'ana', ruleName: 'Everyone else', poolName: 'na', viaBackup: false, newPoolState, trace }
 */
export function decideRoute(args: DecideRouteArgs): RouteDecision {
  const reps = indexReps(args.reps)
  const rules: RuleTrace[] = []
  const trace: RouteTrace = { atMs: args.now, rules }
  for (let i = 0; i < args.rules.length; i++) {
    const rule = args.rules[i]!
    const step = stepRule(rule, i + 1, args.input, reps, args.now)
    if (step.kind === 'next') {
      rules.push(step.trace)
      continue
    }
    if (step.kind === 'assigned') {
      rules.push(step.trace)
      return { kind: 'assigned', repId: step.repId, ruleName: rule.name, viaBackup: false, trace }
    }
    const run = runPoolChain(step.pool, reps, args)
    rules.push(
      traceRule(rule, i + 1, step.check, { kind: 'pool', pools: run.traces, chosen: run.chosen?.repId ?? null }),
    )
    if (run.chosen) {
      return {
        kind: 'assigned',
        repId: run.chosen.repId,
        ruleName: rule.name,
        poolName: run.chosen.pool,
        viaBackup: run.chosen.pool !== step.pool,
        newPoolState: run.chosen.state,
        trace,
      }
    }
    const tried = run.traces.map((p) => (p.known ? p.pool : `${p.pool} (not defined)`))
    return {
      kind: 'unassigned',
      code: 'pools_unavailable',
      reason: `rule ${i + 1} "${rule.name}": nobody available in pool ${tried.join(', then backup ')}`,
      trace,
    }
  }
  return {
    kind: 'unassigned',
    code: 'no_rule_matched',
    reason: `no routing rule gave an owner (${args.rules.length} tried)`,
    trace,
  }
}

/**
 * The pool rows decideRoute may read and advance for this lead, sorted by name: the pool of the first pool rule
 * reached, plus its chain of backups. Which rule is reached depends only on the lead, the reps and `now`, never on
 * pool state or load, so locking these rows (in this order, to avoid deadlocks) before reading the states and the
 * load is enough. Empty when a named owner takes the lead before any pool rule.
 * @example listPoolsToLock({ rules, input, reps, pools, now }) // ['na', 'weekend']
 */
export function listPoolsToLock(args: Omit<DecideRouteArgs, 'poolStates' | 'load'>): string[] {
  const reps = indexReps(args.reps)
  const pools = indexPools(args.pools)
  for (let i = 0; i < args.rules.length; i++) {
    const step = stepRule(args.rules[i]!, i + 1, args.input, reps, args.now)
    if (step.kind === 'next') continue
    if (step.kind === 'assigned') return []
    const chain = new Set<string>()
    for (let name: string | undefined = step.pool; name !== undefined && !chain.has(name); ) {
      chain.add(name)
      name = pools.get(name)?.backup
    }
    return [...chain].sort()
  }
  return []
}

/**
 * A fresh pool state: every member owed its first turn, the first member in the pool going first.
 * @example createPoolState('na') // { poolName: 'na', nextStart: {}, version: 0 }
 */
export function createPoolState(poolName: string): PoolState {
  return { poolName, nextStart: {}, version: 0 }
}
