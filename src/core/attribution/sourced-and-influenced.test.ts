import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { isAppError } from '../errors.ts'
import { spreadColumns } from './attribution-fixture.ts'
import {
  firstTouchAtOrAfter,
  type LedgerTouch,
  type OpportunityCredit,
  type PipelineCredit,
  type PipelineOpportunity,
  type SourcedAndInfluenced,
  sourcedAndInfluenced,
} from './sourced-and-influenced.ts'
import { toTouchColumns } from './touch-columns.ts'

const DAY = 86_400_000
const LOOKBACK = { lookbackMs: 90 * DAY }

function row(rows: PipelineCredit[], channel: string, campaign: string | null = null) {
  const r = rows.find((x) => x.channel === channel && x.campaign === campaign)
  assert.ok(r, `no row for ${channel}/${campaign}`)
  const { sourcedPipeline, influencedPipeline, sourcedCount, influencedCount } = r
  return { sourcedPipeline, influencedPipeline, sourcedCount, influencedCount }
}

describe('sourced and influenced pipeline', () => {
  test('the earliest touch in the window sources the whole amount; every touching channel influences it once', () => {
    const touches: LedgerTouch[] = [
      { accountId: 'acme', channel: 'webinar', campaign: 'q3-launch', at: 10 * DAY },
      { accountId: 'acme', channel: 'search', at: 20 * DAY },
      { accountId: 'acme', channel: 'search', at: 25 * DAY },
    ]
    const r = sourcedAndInfluenced(
      [{ id: 'o1', amount: 1000, createdAt: 30 * DAY, accountId: 'acme' }],
      touches,
      LOOKBACK,
    )
    assert.deepEqual(row(r.byChannel, 'webinar'), {
      sourcedPipeline: 1000,
      influencedPipeline: 1000,
      sourcedCount: 1,
      influencedCount: 1,
    })
    assert.deepEqual(row(r.byChannel, 'search'), {
      sourcedPipeline: 0,
      influencedPipeline: 1000,
      sourcedCount: 0,
      influencedCount: 1,
    })
    assert.deepEqual(r.opportunities[0]!.sourcedBy, { channel: 'webinar', campaign: 'q3-launch', at: 10 * DAY })
    assert.deepEqual(r.untouched, { count: 0, pipeline: 0 })
  })

  test('touches before the lookback or after creation are ignored; both window ends count', () => {
    const created = 100 * DAY
    const touches: LedgerTouch[] = [
      { accountId: 'a', channel: 'too-old', at: created - 90 * DAY - 1 },
      { accountId: 'a', channel: 'edge', at: created - 90 * DAY },
      { accountId: 'a', channel: 'creating', at: created },
      { accountId: 'a', channel: 'after', at: created + 1 },
    ]
    const r = sourcedAndInfluenced([{ id: 'o', amount: 50, createdAt: created, accountId: 'a' }], touches, LOOKBACK)
    assert.deepEqual(
      r.byChannel.map((x) => x.channel),
      ['edge', 'creating'],
    )
    assert.equal(row(r.byChannel, 'edge').sourcedPipeline, 50)
    assert.equal(row(r.byChannel, 'creating').influencedPipeline, 50)
  })

  test('touches on other accounts never count, and an opportunity without touches is reported untouched', () => {
    const r = sourcedAndInfluenced(
      [
        { id: 'o1', amount: 300, createdAt: 10 * DAY, accountId: 'a' },
        { id: 'o2', amount: 700, createdAt: 10 * DAY, accountId: 'b' },
      ],
      [{ accountId: 'a', channel: 'email', at: 9 * DAY }],
      LOOKBACK,
    )
    assert.equal(row(r.byChannel, 'email').influencedPipeline, 300)
    assert.deepEqual(r.untouched, { count: 1, pipeline: 700 })
    assert.deepEqual(r.opportunities[1], { id: 'o2', amount: 700, sourcedBy: null, influencedBy: [] })
  })

  test('two opportunities on one account each look back from their own creation', () => {
    const touches: LedgerTouch[] = [
      { accountId: 'a', channel: 'event', at: 0 },
      { accountId: 'a', channel: 'ads', at: 200 * DAY },
    ]
    const r = sourcedAndInfluenced(
      [
        { id: 'early', amount: 100, createdAt: 10 * DAY, accountId: 'a' },
        { id: 'late', amount: 900, createdAt: 210 * DAY, accountId: 'a' },
      ],
      touches,
      LOOKBACK,
    )
    assert.deepEqual(row(r.byChannel, 'event'), {
      sourcedPipeline: 100,
      influencedPipeline: 100,
      sourcedCount: 1,
      influencedCount: 1,
    })
    assert.deepEqual(row(r.byChannel, 'ads'), {
      sourcedPipeline: 900,
      influencedPipeline: 900,
      sourcedCount: 1,
      influencedCount: 1,
    })
  })

  test('campaign rows split a channel, and the channel rollup counts an opportunity once', () => {
    const touches: LedgerTouch[] = [
      { accountId: 'a', channel: 'email', campaign: 'nurture', at: 1 * DAY },
      { accountId: 'a', channel: 'email', campaign: 'promo', at: 2 * DAY },
      { accountId: 'a', channel: 'email', campaign: 'promo', at: 3 * DAY },
    ]
    const r = sourcedAndInfluenced([{ id: 'o', amount: 400, createdAt: 5 * DAY, accountId: 'a' }], touches, LOOKBACK)
    assert.deepEqual(row(r.byChannel, 'email'), {
      sourcedPipeline: 400,
      influencedPipeline: 400,
      sourcedCount: 1,
      influencedCount: 1,
    })
    assert.deepEqual(row(r.byCampaign, 'email', 'nurture'), {
      sourcedPipeline: 400,
      influencedPipeline: 400,
      sourcedCount: 1,
      influencedCount: 1,
    })
    assert.deepEqual(row(r.byCampaign, 'email', 'promo'), {
      sourcedPipeline: 0,
      influencedPipeline: 400,
      sourcedCount: 0,
      influencedCount: 1,
    })
    assert.deepEqual(r.opportunities[0]!.influencedBy, [
      { channel: 'email', campaign: 'nurture' },
      { channel: 'email', campaign: 'promo' },
    ])
  })

  test('touches at the same instant source the opportunity in ledger order, whatever order the ledger arrives in', () => {
    const touches: LedgerTouch[] = [
      { accountId: 'a', channel: 'late', at: 2 * DAY },
      { accountId: 'a', channel: 'listed-first', at: DAY },
      { accountId: 'a', channel: 'listed-second', at: DAY },
    ]
    const r = sourcedAndInfluenced([{ id: 'o', amount: 1, createdAt: 3 * DAY, accountId: 'a' }], touches, LOOKBACK)
    assert.equal(r.opportunities[0]!.sourcedBy!.channel, 'listed-first')
  })

  test('sourced pipeline sums to the touched pipeline while influenced pipeline may exceed it', () => {
    const touches: LedgerTouch[] = [
      { accountId: 'a', channel: 'x', at: 1 },
      { accountId: 'a', channel: 'y', at: 2 },
      { accountId: 'b', channel: 'y', at: 1 },
    ]
    const r = sourcedAndInfluenced(
      [
        { id: '1', amount: 10, createdAt: 5, accountId: 'a' },
        { id: '2', amount: 20, createdAt: 5, accountId: 'b' },
      ],
      touches,
      LOOKBACK,
    )
    assert.equal(
      r.byChannel.reduce((s, x) => s + x.sourcedPipeline, 0),
      30,
    )
    assert.equal(
      r.byChannel.reduce((s, x) => s + x.influencedPipeline, 0),
      40,
    )
  })

  test('a negative lookback is rejected naming lookbackMs', () => {
    assert.throws(
      () => sourcedAndInfluenced([], [], { lookbackMs: -1 }),
      (e: unknown) => isAppError(e) && e.issues[0]!.path === 'lookbackMs',
    )
  })
})

/**
 * The definition stated plainly (the implementation before it walked touch indices): a Set and a key string per
 * touch. The implementation must give exactly this, rows in the same order.
 */
function reference(
  opportunities: readonly PipelineOpportunity[],
  touches: readonly LedgerTouch[],
  { lookbackMs }: { lookbackMs: number },
): SourcedAndInfluenced {
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
  const name = (r: PipelineCredit) => `${r.channel}\u0000${r.campaign ?? ''}`
  const sortRows = (rows: PipelineCredit[]) =>
    rows.sort(
      (a, b) =>
        b.influencedPipeline - a.influencedPipeline ||
        b.sourcedPipeline - a.sourcedPipeline ||
        (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0),
    )
  return {
    byChannel: sortRows([...channelRows.values()]),
    byCampaign: sortRows([...campaignRows.values()]),
    opportunities: credits,
    untouched,
  }
}

describe('sourced and influenced pipeline on any ledger', () => {
  test('equal to the plain statement of the definition, rows and credits in the same order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.string({ maxLength: 3 }),
            accountId: fc.constantFrom('a', 'b', 'c', 'none'),
            amount: fc.integer({ min: 0, max: 100_000 }),
            createdAt: fc.integer({ min: 0, max: 60 }).map((d) => d * DAY),
          }),
          { maxLength: 12 },
        ),
        fc.array(
          fc.record({
            accountId: fc.constantFrom('a', 'b', 'c'),
            channel: fc.constantFrom('ads', 'email', 'webinar'),
            campaign: fc.constantFrom('brand', 'q4', '', null, undefined),
            at: fc.integer({ min: 0, max: 60 }).map((d) => d * DAY),
          }),
          { maxLength: 40 },
        ),
        fc.integer({ min: 0, max: 40 }).map((d) => d * DAY),
        (opportunities, touches, lookbackMs) => {
          const plain = reference(opportunities, touches, { lookbackMs })
          assert.deepEqual(sourcedAndInfluenced(opportunities, touches, { lookbackMs }), plain)
          // The same ledger as columns: names shared, or repeated in the tables (one entry per touch).
          assert.deepEqual(sourcedAndInfluenced(opportunities, toTouchColumns(touches), { lookbackMs }), plain)
          assert.deepEqual(sourcedAndInfluenced(opportunities, spreadColumns(touches), { lookbackMs }), plain)
        },
      ),
      { numRuns: 300 },
    )
  })
})
