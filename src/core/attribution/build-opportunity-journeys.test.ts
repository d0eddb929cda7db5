import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { attribute } from './attribute.ts'
import { buildOpportunityJourneys, type MilestoneLedgerTouch } from './build-opportunity-journeys.ts'

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
