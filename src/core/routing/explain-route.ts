// "Why did I get this lead?": a stored RouteTrace rendered as lines a rep or a RevOps analyst can read.
// Reads only the trace, so an assignment stored years ago explains itself the same way.

import { Temporal } from 'temporal-polyfill'
import { formatWeekdayTime } from '../calendar/index.ts'
import type { MemberTrace, PoolTrace, RouteTarget, RouteTrace, RuleTrace, Unavailability } from './routing-types.ts'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const

/** 'Dec 2' in the year of the decision, 'Jan 5, 2027' otherwise; date-times add the local time. */
function formatUntil(until: string, timeZone: string, atMs: number): string {
  const date = until.slice(0, 10)
  const [year, month, day] = date.split('-').map(Number)
  if (year === undefined || month === undefined || day === undefined || !MONTHS[month - 1]) return until
  const decidedYear = Temporal.Instant.fromEpochMilliseconds(atMs).toZonedDateTimeISO(timeZone).year
  const text = `${MONTHS[month - 1]} ${day}${year === decidedYear ? '' : `, ${year}`}`
  return until.length > 10 ? `${text} ${until.slice(11, 16)}` : text
}

/**
 * One unavailability in words.
 * @example describeUnavailability({ kind: 'daily_cap', cap: 15, count: 15 }, atMs) // 'daily cap 15 reached'
 */
export function describeUnavailability(why: Unavailability, atMs: number): string {
  switch (why.kind) {
    case 'unknown_rep':
      return 'not a rep of this Agreement'
    case 'inactive':
      return why.source === 'rep_status' ? 'inactive (set in rep status)' : 'inactive'
    case 'out_of_office': {
      const details = [why.note, why.source === 'rep_status' ? 'set in rep status' : undefined].filter(Boolean)
      const until = formatUntil(why.until, why.timeZone, atMs)
      return `out of office until ${until}${details.length > 0 ? ` (${details.join('; ')})` : ''}`
    }
    case 'unreadable_out_of_office':
      return `out-of-office entry ${why.index} unreadable ("${why.text}"), treated as away`
    case 'outside_hours':
      return why.opensAtMs === null
        ? 'outside working hours (no working hours ahead)'
        : `outside working hours (opens ${formatWeekdayTime(why.opensAtMs, why.timeZone)} ${why.timeZone})`
    case 'daily_cap':
      return `daily cap ${why.cap} reached`
    case 'weekly_cap':
      return `weekly cap ${why.cap} reached`
    case 'zero_weight':
      return 'weight 0'
  }
}

function describeTarget(to: RouteTarget): string {
  switch (to.kind) {
    case 'account_owner':
      return 'account owner'
    case 'pool':
      return `pool ${to.pool}`
    case 'rep':
      return `rep ${to.rep}`
  }
}

function describeMember(member: MemberTrace, atMs: number): string {
  switch (member.status) {
    case 'chosen':
      return `${member.name} (weight ${member.weight}) chosen`
    case 'passed':
      return `${member.name} (weight ${member.weight}) passed over: not their turn`
    case 'skipped':
      return `${member.name} skipped: ${member.skipped ? describeUnavailability(member.skipped, atMs) : 'unavailable'}`
  }
}

function describePool(pool: PoolTrace, atMs: number): string {
  if (!pool.known) return `pool ${pool.pool} is not defined`
  const members = pool.members.map((m) => describeMember(m, atMs)).join('; ')
  return pool.chosen === null ? `nobody available (${members})` : members
}

function describeRule(rule: RuleTrace, atMs: number): string[] {
  const head = `Rule ${rule.number} ${rule.name}`
  const when = rule.conditionText ? ` (${rule.conditionText})` : ''
  if (rule.condition === 'unknown') {
    const cause = rule.conditionError ? `the condition failed: ${rule.conditionError}` : 'a field it reads is missing'
    return [`${head}: condition unknown${when}, ${cause}; treated as no match`]
  }
  const outcome = rule.outcome
  switch (outcome.kind) {
    case 'not_matched':
      return [`${head}: condition not met${when}`]
    case 'no_owner':
      return [`${head}: no owner${outcome.accountDomain ? ` on ${outcome.accountDomain}` : ' (no account matched)'}`]
    case 'rep_unavailable': {
      const who = rule.to.kind === 'account_owner' ? 'owner' : 'rep'
      return [`${head}: ${who} ${outcome.name} is ${describeUnavailability(outcome.why, atMs)}; trying the next rule`]
    }
    case 'assigned':
      return [`${head}${when} → ${describeTarget(rule.to)}: ${outcome.name} chosen`]
    case 'pool':
      return outcome.pools.map((pool, i) =>
        i === 0
          ? `${head}${when} → pool ${pool.pool}: ${describePool(pool, atMs)}`
          : `  → backup pool ${pool.pool} (of ${pool.backupOf}): ${describePool(pool, atMs)}`,
      )
  }
}

/**
 * The trace as human lines, one per rule tried (plus one per backup pool).
 * @example explainRoute(decision.trace)
 * // ['Rule 1 Account owner: no owner on acme.com',
 * //  'Rule 2 Everyone else → pool na: Ana Ruiz (weight 2) chosen; Ben Cho skipped: out of office until Dec 2; …']
 */
export function explainRoute(trace: RouteTrace): string[] {
  return trace.rules.flatMap((rule) => describeRule(rule, trace.atMs))
}
