import { AppError } from '../errors.ts'

export type PipelineOpportunity = { id: string; amount: number; createdAt: number; accountId: string }

/** One row of the touch ledger: a touch on an account (epoch ms). */
export type LedgerTouch = { accountId: string; channel: string; campaign?: string | null; at: number }

export type PipelineCredit = {
  channel: string
  /** null on the per-channel rollup and for touches without a campaign. */
  campaign: string | null
  sourcedPipeline: number
  influencedPipeline: number
  sourcedCount: number
  influencedCount: number
}

/** Why one opportunity was credited as it was. */
export type OpportunityCredit = {
  id: string
  amount: number
  /** The sourcing touch, or null when no touch fell inside the window. */
  sourcedBy: { channel: string; campaign: string | null; at: number } | null
  /** Distinct channel/campaign pairs with at least one touch inside the window. */
  influencedBy: { channel: string; campaign: string | null }[]
}

export type SourcedAndInfluenced = {
  byChannel: PipelineCredit[]
  byCampaign: PipelineCredit[]
  opportunities: OpportunityCredit[]
  /** Opportunities with no touch inside their window: pipeline that marketing neither sourced nor influenced. */
  untouched: { count: number; pipeline: number }
}

/**
 * Sourced and influenced pipeline from the touch ledger.
 *
 * An opportunity's window is [createdAt − lookbackMs, createdAt], both ends included (a touch at the creation instant
 * is the touch that created it). Sourced: the earliest touch on the opportunity's account inside the window gets the
 * whole amount (ties on `at` go to the touch listed first). Influenced: every distinct channel — and, in `byCampaign`,
 * every distinct channel/campaign pair — with a touch inside the window gets the whole amount once, however many
 * times it touched. Sourced pipeline sums to the touched pipeline; influenced pipeline deliberately double-counts
 * across channels. Rows are sorted by influenced pipeline, then sourced pipeline (descending), then name.
 *
 * Example:
 * ```ts
 * sourcedAndInfluenced(
 *   [{ id: 'o1', amount: 1000, createdAt: 10, accountId: 'acme' }],
 *   [{ accountId: 'acme', channel: 'webinar', at: 2 }, { accountId: 'acme', channel: 'search', at: 8 }],
 *   { lookbackMs: 100 },
 * ).byChannel // webinar: sourced 1000, influenced 1000; search: sourced 0, influenced 1000
 * ```
 */
export function sourcedAndInfluenced(
  opportunities: readonly PipelineOpportunity[],
  touches: readonly LedgerTouch[],
  options: { lookbackMs: number },
): SourcedAndInfluenced {
  const { lookbackMs } = options
  if (!(Number.isFinite(lookbackMs) && lookbackMs >= 0)) {
    throw new AppError('invalid_input', 'lookback must be a finite duration ≥ 0', [
      { path: 'lookbackMs', message: `expected milliseconds ≥ 0, got ${String(lookbackMs)}` },
    ])
  }
  const byAccount = new Map<string, { touch: LedgerTouch; order: number }[]>()
  touches.forEach((touch, order) => {
    let list = byAccount.get(touch.accountId)
    if (!list) {
      list = []
      byAccount.set(touch.accountId, list)
    }
    list.push({ touch, order })
  })
  for (const list of byAccount.values()) list.sort((a, b) => a.touch.at - b.touch.at || a.order - b.order)

  const channelRows = new Map<string, PipelineCredit>()
  const campaignRows = new Map<string, PipelineCredit>()
  const rowOf = (rows: Map<string, PipelineCredit>, channel: string, campaign: string | null) => {
    const key = campaign === null ? `${channel}\u0000` : `${channel}\u0000\u0001${campaign}`
    let row = rows.get(key)
    if (!row) {
      row = { channel, campaign, sourcedPipeline: 0, influencedPipeline: 0, sourcedCount: 0, influencedCount: 0 }
      rows.set(key, row)
    }
    return row
  }

  const credits: OpportunityCredit[] = []
  const untouched = { count: 0, pipeline: 0 }
  for (const opp of opportunities) {
    const list = byAccount.get(opp.accountId) ?? []
    const from = opp.createdAt - lookbackMs
    let i = firstTouchAtOrAfter(list, from)
    const inWindow: LedgerTouch[] = []
    for (; i < list.length && list[i]!.touch.at <= opp.createdAt; i++) inWindow.push(list[i]!.touch)
    if (inWindow.length === 0) {
      untouched.count++
      untouched.pipeline += opp.amount
      credits.push({ id: opp.id, amount: opp.amount, sourcedBy: null, influencedBy: [] })
      continue
    }
    const first = inWindow[0]!
    const firstCampaign = first.campaign ?? null
    for (const row of [rowOf(channelRows, first.channel, null), rowOf(campaignRows, first.channel, firstCampaign)]) {
      row.sourcedPipeline += opp.amount
      row.sourcedCount++
    }
    const seenChannels = new Set<string>()
    const seenPairs = new Set<string>()
    const influencedBy: { channel: string; campaign: string | null }[] = []
    for (const t of inWindow) {
      const campaign = t.campaign ?? null
      if (!seenChannels.has(t.channel)) {
        seenChannels.add(t.channel)
        const row = rowOf(channelRows, t.channel, null)
        row.influencedPipeline += opp.amount
        row.influencedCount++
      }
      const pair = campaign === null ? `${t.channel}\u0000` : `${t.channel}\u0000\u0001${campaign}`
      if (!seenPairs.has(pair)) {
        seenPairs.add(pair)
        const row = rowOf(campaignRows, t.channel, campaign)
        row.influencedPipeline += opp.amount
        row.influencedCount++
        influencedBy.push({ channel: t.channel, campaign })
      }
    }
    credits.push({
      id: opp.id,
      amount: opp.amount,
      sourcedBy: { channel: first.channel, campaign: firstCampaign, at: first.at },
      influencedBy,
    })
  }
  return {
    byChannel: sortRows([...channelRows.values()]),
    byCampaign: sortRows([...campaignRows.values()]),
    opportunities: credits,
    untouched,
  }
}

/**
 * The index of the first touch at or after `at` in an account's touches sorted by instant (the length when none is).
 *
 * Example: `firstTouchAtOrAfter([{ touch: { at: 1 } }, { touch: { at: 5 } }], 3) // 1`
 */
export function firstTouchAtOrAfter(list: readonly { touch: { at: number } }[], at: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (list[mid]!.touch.at < at) lo = mid + 1
    else hi = mid
  }
  return lo
}

function sortRows(rows: PipelineCredit[]): PipelineCredit[] {
  const name = (r: PipelineCredit) => `${r.channel}\u0000${r.campaign ?? ''}`
  return rows.sort(
    (a, b) =>
      b.influencedPipeline - a.influencedPipeline ||
      b.sourcedPipeline - a.sourcedPipeline ||
      (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0),
  )
}
