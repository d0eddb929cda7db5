import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type OpportunityRecord, opportunityMetrics } from './opportunity-metrics.ts'
import { parsePeriod } from './period.ts'

const DAY = 86_400_000
const q1 = parsePeriod('2026-Q1') // 90 days
const day = (n: number) => q1.from + n * DAY
const opp = (
  id: string,
  amount: number,
  created: number,
  closed: number | null,
  won: boolean,
  owner: string,
): OpportunityRecord => ({
  id,
  amount,
  createdAt: day(created),
  closedAt: closed === null ? null : day(closed),
  isClosed: closed !== null,
  isWon: won,
  owner,
  dims: { source: owner === 'ann' ? 'webinar' : 'search' },
})

const opps = [
  opp('O1', 1000, 0, 30, true, 'ann'),
  opp('O2', 3000, 10, 70, true, 'bob'),
  opp('O3', 500, -20, 20, false, 'ann'),
  opp('O4', 2000, 40, null, false, 'bob'),
  opp('O5', 800, 50, 100, true, 'bob'),
  opp('O6', 1200, -50, null, false, 'ann'),
]

describe('opportunity metrics for 2026-Q1', () => {
  const m = opportunityMetrics(opps, { period: q1, by: 'owner' })

  test('pipeline created counts the 4 opportunities created in the quarter, 6,800 in all', () => {
    assert.deepEqual(m.created, { count: 4, amount: 6800 })
  })

  test('bookings are the 2 wins closed in the quarter (4,000); the win after the quarter does not count', () => {
    assert.deepEqual(m.won, { count: 2, amount: 4000 })
    assert.deepEqual(m.lost, { count: 1, amount: 500 })
  })

  test('win rate by count is 2 / (2 + 1) and the average won deal 2,000', () => {
    assert.equal(m.winRate, 2 / 3)
    assert.equal(m.avgDealSize, 2000)
  })

  test('won cycles of 30 and 60 days give mean 45, median 45, p90 57; the lost one took 40 days', () => {
    assert.deepEqual(m.cycleDays, { count: 2, mean: 45, median: 45, p90: 57 })
    assert.deepEqual(m.lostCycleDays, { count: 1, mean: 40, median: 40, p90: 40 })
  })

  test('velocity = 3 open × 2/3 × 2,000 ÷ 45 days = 88.89 per day', () => {
    assert.equal(m.velocity.openCount, 3)
    assert.equal(m.velocity.openAmount, 4000)
    assert.ok(Math.abs(m.velocity.perDay! - 4000 / 45) < 1e-9)
    assert.match(m.velocity.formula, /open opportunities at period end × win rate × average won deal size ÷ mean won/)
  })

  test('by owner: ann won 1 of 2 closed, bob 1 of 1', () => {
    assert.deepEqual(
      m.groups.map((g) => [g.key, g.won.count, g.lost.count, g.winRate]),
      [
        ['ann', 1, 1, 0.5],
        ['bob', 1, 0, 1],
      ],
    )
  })

  test('a breakdown by a dimension reads dims', () => {
    const bySource = opportunityMetrics(opps, { period: q1, by: 'source' })
    assert.deepEqual(
      bySource.groups.map((g) => [g.key, g.created.count]),
      [
        ['search', 3],
        ['webinar', 1],
      ],
    )
  })

  test('a period with nothing closed has unknown win rate, deal size, cycle and velocity', () => {
    const empty = opportunityMetrics(opps, { period: parsePeriod('2025-Q1') })
    assert.equal(empty.winRate, null)
    assert.equal(empty.avgDealSize, null)
    assert.equal(empty.cycleDays.mean, null)
    assert.equal(empty.velocity.perDay, null)
  })
})
