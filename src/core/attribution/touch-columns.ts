import type { MilestoneLedgerTouch } from './build-opportunity-journeys.ts'
import { MILESTONE_CODE } from './compile-journeys.ts'
import type { Milestone } from './types.ts'

/**
 * The touch ledger as columns: touch k is on account `accounts[accountOf[k]]`, at `at[k]` (epoch ms), on channel
 * `channels[channelOf[k]]` with campaign `campaigns[campaignOf[k]]` (null for none), carrying milestone
 * `milestones[k]` (0 none, 1 lead, 2 opportunity, 3 won; absent = none), in ledger order. It stands for the same
 * ledger as one `MilestoneLedgerTouch` per touch (`touchRows` gives those back) without an object per touch: a
 * quarter's ~450,000 touches are a few typed arrays and tables of a few thousand shared strings, which is what
 * `compileOpportunityJourneys` and `sourcedAndInfluenced` read. Names may repeat in a table (each core indexes them
 * by value); an absent campaign is null (the cores read undefined and null alike).
 *
 * Example: `touchRows(toTouchColumns([{ accountId: 'a', channel: 'ads', at: 1 }]))
 * // [{ accountId: 'a', channel: 'ads', campaign: null, at: 1 }]`
 */
export type TouchColumns = {
  readonly kind: 'touch_columns'
  readonly length: number
  readonly accounts: readonly string[]
  readonly accountOf: Int32Array
  readonly at: Float64Array
  readonly channels: readonly string[]
  readonly channelOf: Int32Array
  readonly campaigns: readonly (string | null)[]
  readonly campaignOf: Int32Array
  readonly milestones?: Uint8Array
}

const MILESTONE_NAME: readonly (Milestone | undefined)[] = [undefined, 'lead', 'opportunity', 'won']

export function isTouchColumns(x: readonly MilestoneLedgerTouch[] | TouchColumns): x is TouchColumns {
  return (x as TouchColumns).kind === 'touch_columns'
}

/**
 * The columns of touch rows, names shared. A milestone that is not lead, opportunity or won is kept as code 255
 * (the compiler then takes the long way, which names it in its error).
 */
export function toTouchColumns(touches: readonly MilestoneLedgerTouch[]): TouchColumns {
  const n = touches.length
  const accountOf = new Int32Array(n)
  const at = new Float64Array(n)
  const channelOf = new Int32Array(n)
  const campaignOf = new Int32Array(n)
  let milestones: Uint8Array | undefined
  const accounts = new Tables<string>()
  const channels = new Tables<string>()
  const campaigns = new Tables<string | null>()
  for (let k = 0; k < n; k++) {
    const t = touches[k]!
    accountOf[k] = accounts.id(t.accountId)
    at[k] = t.at
    channelOf[k] = channels.id(t.channel)
    campaignOf[k] = campaigns.id(t.campaign ?? null)
    if (t.milestone !== undefined) {
      milestones ??= new Uint8Array(n)
      milestones[k] = MILESTONE_CODE[t.milestone] ?? 255
    }
  }
  return {
    kind: 'touch_columns',
    length: n,
    accounts: accounts.values,
    accountOf,
    at,
    channels: channels.values,
    channelOf,
    campaigns: campaigns.values,
    campaignOf,
    ...(milestones ? { milestones } : {}),
  }
}

/** One row per touch of the columns, in their order (campaign null when absent; a milestone only where marked). */
export function touchRows(c: TouchColumns): MilestoneLedgerTouch[] {
  const rows: MilestoneLedgerTouch[] = []
  for (let k = 0; k < c.length; k++) {
    const row: MilestoneLedgerTouch = {
      accountId: c.accounts[c.accountOf[k]!]!,
      channel: c.channels[c.channelOf[k]!]!,
      campaign: c.campaigns[c.campaignOf[k]!]!,
      at: c.at[k]!,
    }
    const mark = c.milestones?.[k]
    if (mark) row.milestone = MILESTONE_NAME[mark] ?? (String(mark) as Milestone)
    rows.push(row)
  }
  return rows
}

/**
 * Each account's touches oldest first, ties in ledger order: account name → [start, end) in `order`, which holds touch
 * indices. Accounts named twice in the table are one account. A ledger already in (account, instant) order — as
 * the database sends it — is grouped without sorting.
 */
export function touchesByAccount(c: TouchColumns): {
  runOf: Map<string, number>
  starts: Int32Array
  order: Int32Array
} {
  const runOf = new Map<string, number>()
  const runOfAccount = new Int32Array(c.accounts.length)
  c.accounts.forEach((name, a) => {
    let r = runOf.get(name)
    if (r === undefined) {
      r = runOf.size
      runOf.set(name, r)
    }
    runOfAccount[a] = r
  })
  // A counting sort by account keeps ledger order within each account.
  const starts = new Int32Array(runOf.size + 1)
  for (let k = 0; k < c.length; k++) starts[runOfAccount[c.accountOf[k]!]! + 1]!++
  for (let r = 0; r < runOf.size; r++) starts[r + 1]! += starts[r]!
  const next = starts.slice(0, runOf.size)
  const order = new Int32Array(c.length)
  for (let k = 0; k < c.length; k++) order[next[runOfAccount[c.accountOf[k]!]!]!++] = k
  const at = c.at
  for (let r = 0; r < runOf.size; r++) {
    const start = starts[r]!
    const end = starts[r + 1]!
    let sorted = true
    for (let i = start + 1; i < end && sorted; i++) sorted = at[order[i]!]! >= at[order[i - 1]!]!
    if (!sorted) order.subarray(start, end).sort((a, b) => at[a]! - at[b]! || a - b)
  }
  return { runOf, starts, order }
}

/** Values given ids in order of first sight. */
class Tables<T> {
  readonly values: T[] = []
  private readonly index = new Map<T, number>()
  id(value: T): number {
    let id = this.index.get(value)
    if (id === undefined) {
      id = this.values.length
      this.values.push(value)
      this.index.set(value, id)
    }
    return id
  }
}
