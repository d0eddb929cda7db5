import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { attribute } from './attribute.ts'
import { spreadColumns } from './attribution-fixture.ts'
import {
  buildOpportunityJourneys,
  compileOpportunityJourneys,
  type LedgerOpportunity,
  type MilestoneLedgerTouch,
} from './build-opportunity-journeys.ts'
import { compileJourneys } from './compile-journeys.ts'
import { toTouchColumns, touchRows } from './touch-columns.ts'
import type { Milestone } from './types.ts'

const DAY = 86_400_000

describe('journeys from the touch ledger', () => {
  const touches: MilestoneLedgerTouch[] = [
    { accountId: 'acme', channel: 'ads', campaign: 'brand', at: 1 * DAY },
    { accountId: 'acme', channel: 'webinar', at: 3 * DAY },
    { accountId: 'acme', channel: 'email', at: 5 * DAY },
    { accountId: 'acme', channel: 'demo', at: 10 * DAY },
    { accountId: 'acme', channel: 'events', at: 15 * DAY },
    { accountId: 'acme', channel: 'late', at: 30 * DAY },
    { accountId: 'other', channel: 'ads', at: 2 * DAY },
  ]

  test('a won opportunity becomes one converting journey with lead, opportunity and won touches marked', () => {
    const { journeys, opportunityIds } = buildOpportunityJourneys(
      [
        {
          id: 'o1',
          accountId: 'acme',
          amount: 1000,
          createdAt: 10 * DAY,
          leadCreatedAt: 3 * DAY,
          closedWonAt: 20 * DAY,
        },
      ],
      touches,
      { lookbackMs: 90 * DAY },
    )
    assert.deepEqual(opportunityIds, ['o1'])
    const j = journeys[0]!
    assert.deepEqual(
      j.touches.map((t) => `${t.channel}${t.milestone ? `(${t.milestone})` : ''}`),
      ['ads', 'webinar(lead)', 'email', 'demo(opportunity)', 'events(won)'],
    )
    assert.equal(j.conversions, 1)
    assert.equal(j.value, 1000)
    assert.equal(j.nulls, 0)
    assert.equal(j.convertedAt, 20 * DAY)
    const credit = attribute(journeys, { kind: 'full_path' }).byChannel
    assert.ok(Math.abs(credit.webinar!.value - 225) < 1e-9)
    assert.ok(Math.abs(credit.email!.value - 100) < 1e-9)
  })

  test('a lost opportunity is a null journey, an open one neither converts nor counts as null', () => {
    const { journeys } = buildOpportunityJourneys(
      [
        { id: 'lost', accountId: 'acme', amount: 50, createdAt: 10 * DAY, closedLostAt: 12 * DAY },
        { id: 'open', accountId: 'acme', amount: 70, createdAt: 10 * DAY },
      ],
      touches,
      { lookbackMs: 6 * DAY },
    )
    assert.deepEqual(
      journeys.map((j) => [j.touches.map((t) => t.channel).join('>'), j.conversions, j.nulls, j.value]),
      [
        ['email>demo', 0, 1, 0],
        ['email>demo', 0, 0, 0],
      ],
    )
  })

  test('marks already in the ledger are kept and campaigns can name the touches', () => {
    const { journeys } = buildOpportunityJourneys(
      [{ id: 'o', accountId: 'acme', amount: 1, createdAt: 10 * DAY, leadCreatedAt: 9 * DAY }],
      [{ accountId: 'acme', channel: 'ads', campaign: 'brand', at: DAY, milestone: 'lead' }, ...touches.slice(1)],
      { lookbackMs: 90 * DAY, by: 'campaign' },
    )
    assert.deepEqual(journeys[0]!.touches[0], { channel: 'ads / brand', at: DAY, milestone: 'lead' })
    assert.equal(journeys[0]!.touches.filter((t) => t.milestone === 'lead').length, 1)
  })
})

describe('journeys compiled straight from the touch ledger', () => {
  const touchArb = fc.record({
    accountId: fc.constantFrom('a', 'b', 'c'),
    channel: fc.constantFrom('ads', 'email', 'webinar', 'demo'),
    campaign: fc.constantFrom('brand', 'q4', null, undefined),
    at: fc.integer({ min: 0, max: 60 }).map((d) => d * DAY),
    milestone: fc.constantFrom(
      undefined,
      undefined,
      undefined,
      'lead' as const,
      'opportunity' as const,
      'won' as const,
    ),
  })
  const oppArb = fc.record({
    id: fc.string({ maxLength: 3 }),
    accountId: fc.constantFrom('a', 'b', 'c', 'none'),
    amount: fc.integer({ min: 0, max: 100_000 }),
    createdAt: fc.integer({ min: 0, max: 60 }).map((d) => d * DAY),
    leadCreatedAt: fc.option(fc.integer({ min: 0, max: 60 }).map((d) => d * DAY)),
    close: fc.constantFrom('won', 'lost', 'open'),
    closeAfter: fc.integer({ min: 0, max: 30 }).map((d) => d * DAY),
  })

  test('equal to compiling the built journeys, for any ledger, lookback and naming', () => {
    fc.assert(
      fc.property(
        fc.array(oppArb, { maxLength: 12 }),
        fc.array(touchArb, { maxLength: 40 }),
        fc.integer({ min: 0, max: 40 }).map((d) => d * DAY),
        fc.constantFrom('channel' as const, 'campaign' as const),
        (opps, ledger, lookbackMs, by) => {
          const opportunities: LedgerOpportunity[] = opps.map((o) => ({
            id: o.id,
            accountId: o.accountId,
            amount: o.amount,
            createdAt: o.createdAt,
            leadCreatedAt: o.leadCreatedAt,
            closedWonAt: o.close === 'won' ? o.createdAt + o.closeAfter : null,
            closedLostAt: o.close === 'lost' ? o.createdAt + o.closeAfter : null,
          }))
          const touches = ledger.map(({ milestone, ...t }) => (milestone ? { ...t, milestone } : t))
          const plain = compileJourneys(buildOpportunityJourneys(opportunities, touches, { lookbackMs, by }).journeys)
          assert.deepEqual(compileOpportunityJourneys(opportunities, touches, { lookbackMs, by }), plain)
          // The same ledger as columns: names shared, or repeated in the tables (one entry per touch).
          assert.deepEqual(
            compileOpportunityJourneys(opportunities, toTouchColumns(touches), { lookbackMs, by }),
            plain,
          )
          assert.deepEqual(compileOpportunityJourneys(opportunities, spreadColumns(touches), { lookbackMs, by }), plain)
        },
      ),
      { numRuns: 300 },
    )
  })

  test('a ledger compileJourneys refuses is refused the same way (an empty channel name)', () => {
    const opportunities: LedgerOpportunity[] = [{ id: 'o', accountId: 'a', amount: 1, createdAt: 5 * DAY }]
    const touches = [{ accountId: 'a', channel: '', at: 4 * DAY }]
    for (const ledger of [touches, toTouchColumns(touches)])
      assert.throws(
        () => compileOpportunityJourneys(opportunities, ledger, { lookbackMs: 10 * DAY }),
        /journeys\[0\]\.touches\[0\]\.channel/,
      )
  })

  test('an unknown milestone on a touch row is refused naming it, as compileJourneys does', () => {
    const opportunities: LedgerOpportunity[] = [{ id: 'o', accountId: 'a', amount: 1, createdAt: 5 * DAY }]
    const touches = [{ accountId: 'a', channel: 'ads', at: 4 * DAY, milestone: 'mql' as Milestone }]
    assert.throws(
      () => compileOpportunityJourneys(opportunities, touches, { lookbackMs: 10 * DAY }),
      /journeys\[0\]\.touches\[0\]\.milestone/,
    )
  })
})

describe('the touch ledger as columns', () => {
  test('gives back its rows (campaign null when absent, marks kept)', () => {
    const touches = [
      { accountId: 'b', channel: 'ads', campaign: 'q4', at: 2 },
      { accountId: 'a', channel: 'ads', at: 1, milestone: 'lead' as const },
      { accountId: 'b', channel: 'email', campaign: null, at: 1 },
    ]
    const columns = toTouchColumns(touches)
    assert.deepEqual(columns.channels, ['ads', 'email'])
    assert.deepEqual(touchRows(columns), [
      touches[0],
      { accountId: 'a', channel: 'ads', campaign: null, at: 1, milestone: 'lead' },
      touches[2],
    ])
  })
})
