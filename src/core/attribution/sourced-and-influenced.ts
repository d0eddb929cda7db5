import { AppError } from '../errors.ts'
import { isTouchColumns, type TouchColumns, toTouchColumns, touchesByAccount } from './touch-columns.ts'

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
 * Sourced and influenced pipeline from the touch ledger, given as rows or as columns (`TouchColumns`: the same
 * result, without an object per touch).
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
  ledger: readonly LedgerTouch[] | TouchColumns,
  options: { lookbackMs: number },
): SourcedAndInfluenced {
  const { lookbackMs } = options
  checkLookback(lookbackMs)
  const c = isTouchColumns(ledger) ? ledger : toTouchColumns(ledger)
  // Each channel and channel/campaign pair of the ledger's tables once, by value, as indices: the window of every
  // opportunity is then walked with integer stamps instead of building a key string and a Set per touch.
  const channelIndex = new Map<string, number>()
  const channelNames: string[] = []
  const channelOfName = new Int32Array(c.channels.length)
  c.channels.forEach((name, i) => {
    let id = channelIndex.get(name)
    if (id === undefined) {
      id = channelNames.length
      channelNames.push(name)
      channelIndex.set(name, id)
    }
    channelOfName[i] = id
  })
  // Pairs by channel, then campaign (null for none): no key string is built per touch. A pair's id is given on its
  // first touch in ledger order.
  const pairIndex = new Map<number, Map<string | null, number>>()
  const pairChannel: string[] = []
  const pairCampaign: (string | null)[] = []
  const channelOf = new Int32Array(c.length)
  const pairOf = new Int32Array(c.length)
  for (let k = 0; k < c.length; k++) {
    const ch = channelOfName[c.channelOf[k]!]!
    channelOf[k] = ch
    const campaign = c.campaigns[c.campaignOf[k]!] ?? null
    let pairs = pairIndex.get(ch)
    if (!pairs) {
      pairs = new Map()
      pairIndex.set(ch, pairs)
    }
    let p = pairs.get(campaign)
    if (p === undefined) {
      p = pairChannel.length
      pairChannel.push(channelNames[ch]!)
      pairCampaign.push(campaign)
      pairs.set(campaign, p)
    }
    pairOf[k] = p
  }
  // Oldest first; ties in ledger order.
  const { runOf, starts, order } = touchesByAccount(c)
  const at = c.at

  // Rows are created in the order they are first credited (the order of equal rows after sorting).
  const channelRows = new Map<string, PipelineCredit>()
  const campaignRows = new Map<string, PipelineCredit>()
  const rowOf = (rows: Map<string, PipelineCredit>, channel: string, campaign: string | null) => {
    const key = pairKey(channel, campaign)
    let row = rows.get(key)
    if (!row) {
      row = { channel, campaign, sourcedPipeline: 0, influencedPipeline: 0, sourcedCount: 0, influencedCount: 0 }
      rows.set(key, row)
    }
    return row
  }
  const channelRow: (PipelineCredit | undefined)[] = new Array(channelNames.length)
  const pairRow: (PipelineCredit | undefined)[] = new Array(pairChannel.length)
  const channelRowOf = (c: number) => {
    channelRow[c] ??= rowOf(channelRows, channelNames[c]!, null)
    return channelRow[c]
  }
  const pairRowOf = (p: number) => {
    pairRow[p] ??= rowOf(campaignRows, pairChannel[p]!, pairCampaign[p]!)
    return pairRow[p]
  }
  const pairRef: ({ channel: string; campaign: string | null } | undefined)[] = new Array(pairChannel.length)
  const seenChannel = new Int32Array(channelNames.length)
  const seenPair = new Int32Array(pairChannel.length)

  const credits: OpportunityCredit[] = []
  const untouched = { count: 0, pipeline: 0 }
  let stamp = 0
  for (const opp of opportunities) {
    const run = runOf.get(opp.accountId)
    const from = opp.createdAt - lookbackMs
    let lo = run === undefined ? 0 : starts[run]!
    let hi = run === undefined ? 0 : starts[run + 1]!
    const runEnd = hi
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (at[order[mid]!]! < from) lo = mid + 1
      else hi = mid
    }
    let last = lo
    while (last < runEnd && at[order[last]!]! <= opp.createdAt) last++
    if (last === lo) {
      untouched.count++
      untouched.pipeline += opp.amount
      credits.push({ id: opp.id, amount: opp.amount, sourcedBy: null, influencedBy: [] })
      continue
    }
    const firstIndex = order[lo]!
    const firstPair = pairOf[firstIndex]!
    const sourcedChannel = channelRowOf(channelOf[firstIndex]!)
    sourcedChannel.sourcedPipeline += opp.amount
    sourcedChannel.sourcedCount++
    const sourcedPair = pairRowOf(firstPair)
    sourcedPair.sourcedPipeline += opp.amount
    sourcedPair.sourcedCount++
    stamp++
    const influencedBy: { channel: string; campaign: string | null }[] = []
    for (let i = lo; i < last; i++) {
      const k = order[i]!
      const c = channelOf[k]!
      if (seenChannel[c] !== stamp) {
        seenChannel[c] = stamp
        const row = channelRowOf(c)
        row.influencedPipeline += opp.amount
        row.influencedCount++
      }
      const p = pairOf[k]!
      if (seenPair[p] !== stamp) {
        seenPair[p] = stamp
        const row = pairRowOf(p)
        row.influencedPipeline += opp.amount
        row.influencedCount++
        // One object per pair, shared by every credit it influenced (a quarter's credits name ~30,000 pairs).
        pairRef[p] ??= { channel: pairChannel[p]!, campaign: pairCampaign[p]! }
        influencedBy.push(pairRef[p])
      }
    }
    credits.push({
      id: opp.id,
      amount: opp.amount,
      sourcedBy: { channel: pairChannel[firstPair]!, campaign: pairCampaign[firstPair]!, at: at[firstIndex]! },
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

const pairKey = (channel: string, campaign: string | null) =>
  campaign === null ? `${channel}\u0000` : `${channel}\u0000\u0001${campaign}`

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

/** Refuses a lookback that is not a finite duration ≥ 0, naming the field. */
export function checkLookback(lookbackMs: number): void {
  if (!(Number.isFinite(lookbackMs) && lookbackMs >= 0)) {
    throw new AppError('invalid_input', 'lookback must be a finite duration ≥ 0', [
      { path: 'lookbackMs', message: `expected milliseconds ≥ 0, got ${String(lookbackMs)}` },
    ])
  }
}
