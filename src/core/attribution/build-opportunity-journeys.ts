import { compileJourneys, type JourneySet, MILESTONE_CODE, PathAccumulator } from './compile-journeys.ts'
import {
  checkLookback,
  firstTouchAtOrAfter,
  type LedgerTouch,
  type PipelineOpportunity,
} from './sourced-and-influenced.ts'
import { isTouchColumns, type TouchColumns, toTouchColumns, touchesByAccount, touchRows } from './touch-columns.ts'
import type { Journey, Milestone, Touch } from './types.ts'

export type LedgerOpportunity = PipelineOpportunity & {
  /** When the lead behind the opportunity was created, if known (marks the lead-creation touch). */
  leadCreatedAt?: number | null
  closedWonAt?: number | null
  closedLostAt?: number | null
}

export type MilestoneLedgerTouch = LedgerTouch & { milestone?: Milestone }

/**
 * One journey per opportunity from the touch ledger, ready for `attribute` (so W-shaped and full-path see real
 * milestones rather than positional stand-ins).
 *
 * - Touches: the account's touches from createdAt − lookbackMs up to the close (won or lost) or, while open, up to
 *   createdAt; both ends included, oldest first (ties in ledger order).
 * - Milestones: marks already on ledger touches are kept. Otherwise the last touch at or before `leadCreatedAt` is
 *   marked `lead`, the last at or before `createdAt` is marked `opportunity`, and the last at or before `closedWonAt`
 *   is marked `won` — each only if no touch already carries that mark and the touch has no mark of its own.
 * - Outcome: won → 1 conversion worth `amount`; lost → 1 null; open → neither (it has not ended, so it weighs nothing
 *   in the Markov chain and gets no credit).
 * - `by: 'campaign'` names each touch `channel / campaign` (plain `channel` without a campaign).
 *
 * Example:
 * ```ts
 * buildOpportunityJourneys(
 *   [{ id: 'o1', accountId: 'a', amount: 500, createdAt: 10, closedWonAt: 20 }],
 *   [{ accountId: 'a', channel: 'ads', at: 1 }, { accountId: 'a', channel: 'demo', at: 10 }],
 *   { lookbackMs: 100 },
 * ).journeys[0]
 * // { touches: [{ channel: 'ads', at: 1 }, { channel: 'demo', at: 10, milestone: 'opportunity' }],
 * //   conversions: 1, value: 500, nulls: 0, convertedAt: 20 }
 * // (demo already carries a mark, so no touch is marked won: a touch holds one milestone)
 * ```
 */
export function buildOpportunityJourneys(
  opportunities: readonly LedgerOpportunity[],
  touches: readonly MilestoneLedgerTouch[],
  options: { lookbackMs: number; by?: 'channel' | 'campaign' },
): { journeys: Journey[]; opportunityIds: string[] } {
  const { lookbackMs } = options
  checkLookback(lookbackMs)
  const byAccount = new Map<string, { touch: MilestoneLedgerTouch; order: number }[]>()
  touches.forEach((touch, order) => {
    const list = byAccount.get(touch.accountId) ?? []
    list.push({ touch, order })
    byAccount.set(touch.accountId, list)
  })
  for (const list of byAccount.values()) list.sort((a, b) => a.touch.at - b.touch.at || a.order - b.order)

  const journeys: Journey[] = []
  const opportunityIds: string[] = []
  for (const opp of opportunities) {
    const won = opp.closedWonAt != null
    const lost = !won && opp.closedLostAt != null
    const end = won ? opp.closedWonAt! : lost ? opp.closedLostAt! : opp.createdAt
    const from = opp.createdAt - lookbackMs
    const until = Math.max(end, opp.createdAt)
    // The account's touches are sorted by instant: the window is one run of them, found by bisection (an account
    // with years of touches and many opportunities is not scanned whole for each).
    const list = byAccount.get(opp.accountId) ?? []
    const path: Touch[] = []
    for (let i = firstTouchAtOrAfter(list, from); i < list.length && list[i]!.touch.at <= until; i++) {
      const t = list[i]!.touch
      const channel = options.by === 'campaign' && t.campaign ? `${t.channel} / ${t.campaign}` : t.channel
      path.push(t.milestone ? { channel, at: t.at, milestone: t.milestone } : { channel, at: t.at })
    }
    const mark = (milestone: Milestone, at: number | null | undefined) => {
      if (at == null || path.some((t) => t.milestone === milestone)) return
      for (let i = path.length - 1; i >= 0; i--) {
        const t = path[i]!
        if (t.at! <= at) {
          if (t.milestone === undefined) t.milestone = milestone
          return
        }
      }
    }
    mark('lead', opp.leadCreatedAt)
    mark('opportunity', opp.createdAt)
    if (won) mark('won', opp.closedWonAt)
    journeys.push({
      touches: path,
      conversions: won ? 1 : 0,
      value: won ? opp.amount : 0,
      nulls: lost ? 1 : 0,
      convertedAt: end,
    })
    opportunityIds.push(opp.id)
  }
  return { journeys, opportunityIds }
}

const finiteOrNull = (x: number | null | undefined) => x == null || Number.isFinite(x)

/**
 * The same journeys as `buildOpportunityJourneys`, compiled: equal to
 * `compileJourneys(buildOpportunityJourneys(opportunities, touchRows(touches), options).journeys)`, built without a
 * Touch object per touch. The ledger may come as rows or as columns (`TouchColumns`, as the database read gives it:
 * no object per touch at all); its names are indexed once, its touches grouped by account once, and each
 * opportunity's window is copied as channel ids, marks and ages into the path accumulator. A quarter's ~12,600
 * journeys of ~40 touches each cost a tenth of building and compiling them. Anything `compileJourneys` would refuse
 * (an empty channel name, an instant or amount that is not finite, an unknown milestone) takes the long way, so its
 * error is the same.
 *
 * Example: `attributeMany(compileOpportunityJourneys(opps, touches, { lookbackMs }), [{ kind: 'linear' }])`
 */
export function compileOpportunityJourneys(
  opportunities: readonly LedgerOpportunity[],
  ledger: readonly MilestoneLedgerTouch[] | TouchColumns,
  options: { lookbackMs: number; by?: 'channel' | 'campaign' },
): JourneySet {
  const { lookbackMs } = options
  checkLookback(lookbackMs)
  const c = isTouchColumns(ledger) ? ledger : toTouchColumns(ledger)
  const slow = () =>
    compileJourneys(
      buildOpportunityJourneys(opportunities, isTouchColumns(ledger) ? touchRows(ledger) : ledger, options).journeys,
    )
  // Each (channel, campaign) pair's name once: names are indexed in a local table; channel ids are given by the
  // accumulator in order of first use in a path.
  const names: string[] = []
  const nameIndex = new Map<string, number>()
  const campaignCount = c.campaigns.length
  const nameOfPair = new Map<number, number>()
  const nameOf = new Int32Array(c.length)
  for (let k = 0; k < c.length; k++) {
    const pair = c.channelOf[k]! * campaignCount + c.campaignOf[k]!
    let id = nameOfPair.get(pair)
    if (id === undefined) {
      const channel = c.channels[c.channelOf[k]!]!
      const campaign = c.campaigns[c.campaignOf[k]!]
      const name = options.by === 'campaign' && campaign ? `${channel} / ${campaign}` : channel
      if (typeof name !== 'string' || name.length === 0) return slow()
      id = nameIndex.get(name)
      if (id === undefined) {
        id = names.length
        names.push(name)
        nameIndex.set(name, id)
      }
      nameOfPair.set(pair, id)
    }
    nameOf[k] = id
    if (!Number.isFinite(c.at[k]!) || (c.milestones !== undefined && c.milestones[k]! > MILESTONE_CODE.won))
      return slow()
  }
  for (const o of opportunities)
    if (
      !Number.isFinite(o.createdAt) ||
      !finiteOrNull(o.closedWonAt) ||
      !finiteOrNull(o.closedLostAt) ||
      !finiteOrNull(o.leadCreatedAt) ||
      (o.closedWonAt != null && !Number.isFinite(o.amount))
    )
      return slow()
  // Oldest first; ties in ledger order.
  const { runOf, starts, order } = touchesByAccount(c)
  const at = c.at
  const markOf = c.milestones

  // Each window first (a run of the account's touches, found by bisection), so the accumulator is sized once.
  const windowStart = new Int32Array(opportunities.length)
  const windowLength = new Int32Array(opportunities.length)
  let capacity = 0
  for (let j = 0; j < opportunities.length; j++) {
    const opp = opportunities[j]!
    const won = opp.closedWonAt != null
    const lost = !won && opp.closedLostAt != null
    const end = won ? opp.closedWonAt! : lost ? opp.closedLostAt! : opp.createdAt
    const from = opp.createdAt - lookbackMs
    const until = Math.max(end, opp.createdAt)
    const run = runOf.get(opp.accountId)
    let lo = run === undefined ? 0 : starts[run]!
    let hi = run === undefined ? 0 : starts[run + 1]!
    const runEnd = hi
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (at[order[mid]!]! < from) lo = mid + 1
      else hi = mid
    }
    let last = lo
    while (last < runEnd && at[order[last]!]! <= until) last++
    windowStart[j] = lo
    windowLength[j] = last - lo
    capacity += last - lo
  }

  const acc = new PathAccumulator(capacity)
  const channelOf = new Int32Array(names.length).fill(-1)
  let ids = new Int32Array(64)
  let marks = new Uint8Array(64)
  let ats = new Float64Array(64)
  let ages = new Float64Array(64)
  for (let j = 0; j < opportunities.length; j++) {
    const opp = opportunities[j]!
    const won = opp.closedWonAt != null
    const lost = !won && opp.closedLostAt != null
    const end = won ? opp.closedWonAt! : lost ? opp.closedLostAt! : opp.createdAt
    const lo = windowStart[j]!
    const n = windowLength[j]!
    if (n > ids.length) {
      ids = new Int32Array(n * 2)
      marks = new Uint8Array(n * 2)
      ats = new Float64Array(n * 2)
      ages = new Float64Array(n * 2)
    }
    for (let i = 0; i < n; i++) {
      const k = order[lo + i]!
      const name = nameOf[k]!
      let id = channelOf[name]!
      if (id < 0) {
        id = acc.channelId(names[name]!)
        channelOf[name] = id
      }
      ids[i] = id
      marks[i] = markOf === undefined ? 0 : markOf[k]!
      ats[i] = at[k]!
    }
    markPath(n, marks, ats, MILESTONE_CODE.lead, opp.leadCreatedAt)
    markPath(n, marks, ats, MILESTONE_CODE.opportunity, opp.createdAt)
    if (won) markPath(n, marks, ats, MILESTONE_CODE.won, opp.closedWonAt)
    // A touch after the conversion cannot have decayed less than one at the conversion instant.
    for (let i = 0; i < n; i++) ages[i] = Math.max(end - ats[i]!, 0)
    acc.add(n, ids, marks, ages, won ? 1 : 0, won ? opp.amount : 0, lost ? 1 : 0)
  }
  return acc.finish(opportunities.length)
}

/**
 * As buildOpportunityJourneys marks a path: the last of its first `n` touches at or before `at` takes the mark `code`,
 * unless a touch already carries it or that touch has a mark of its own. (A function, not a closure per journey.)
 */
function markPath(n: number, marks: Uint8Array, ats: Float64Array, code: number, at: number | null | undefined): void {
  if (at == null) return
  for (let i = 0; i < n; i++) if (marks[i] === code) return
  for (let i = n - 1; i >= 0; i--) {
    if (ats[i]! <= at) {
      if (marks[i] === 0) marks[i] = code
      return
    }
  }
}
