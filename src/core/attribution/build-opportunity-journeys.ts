import { AppError } from '../errors.ts'
import { firstTouchAtOrAfter, type LedgerTouch, type PipelineOpportunity } from './sourced-and-influenced.ts'
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
  if (!(Number.isFinite(lookbackMs) && lookbackMs >= 0)) {
    throw new AppError('invalid_input', 'lookback must be a finite duration ≥ 0', [
      { path: 'lookbackMs', message: `expected milliseconds ≥ 0, got ${String(lookbackMs)}` },
    ])
  }
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
