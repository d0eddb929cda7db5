import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { type OpportunityRecord, opportunityMetrics } from '../src/core/metrics/index.ts'

const DIR = path.resolve(process.cwd(), '../shared/data/maven-crm-sales-opportunities')
const present = existsSync(path.join(DIR, 'sales_pipeline.csv'))

type Row = Record<string, string>
const readCsv = (name: string): Row[] =>
  parse(readFileSync(path.join(DIR, name), 'utf8'), { columns: true, skip_empty_lines: true }) as Row[]

function assertNear(actual: number | null | undefined, expected: number, tolerance: number, what: string) {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected}, got ${actual} (tolerance ${tolerance})`,
  )
}

if (!present) {
  test('Maven CRM sales opportunities', (t) => {
    t.skip(`../shared/data/maven-crm-sales-opportunities is absent (looked in ${DIR}); real-data metrics suite skipped`)
  })
} else {
  describe('metrics on the Maven CRM sales pipeline', () => {
    const pipeline = readCsv('sales_pipeline.csv')
    const offices = new Map(readCsv('sales_teams.csv').map((r) => [r.sales_agent!, r.regional_office!]))
    // The 500 Prospecting rows have no engage date: not yet opportunities in the metrics' sense.
    const opps: OpportunityRecord[] = pipeline
      .filter((r) => r.engage_date !== '')
      .map((r) => {
        const isClosed = r.deal_stage === 'Won' || r.deal_stage === 'Lost'
        return {
          id: r.opportunity_id!,
          amount: r.close_value === '' ? 0 : Number(r.close_value),
          createdAt: Date.parse(`${r.engage_date}T00:00:00Z`),
          closedAt: r.close_date === '' ? null : Date.parse(`${r.close_date}T00:00:00Z`),
          isClosed,
          isWon: r.deal_stage === 'Won',
          owner: r.sales_agent!,
          dims: { office: offices.get(r.sales_agent!) ?? null, product: r.product || null },
        }
      })
    // Engage 2016-10-20..2017-12-27, close 2017-03-01..2017-12-31: one period holds it all.
    const period = { from: Date.UTC(2016, 0, 1), to: Date.UTC(2018, 0, 1) }

    test('the file holds 8,800 deals: 4,238 won, 2,473 lost, 1,589 engaging, 500 prospecting', () => {
      const count = (stage: string) => pipeline.filter((r) => r.deal_stage === stage).length
      assert.equal(pipeline.length, 8800)
      assert.deepEqual([count('Won'), count('Lost'), count('Engaging'), count('Prospecting')], [4238, 2473, 1589, 500])
      assert.equal(opps.length, 8300)
    })

    const all = opportunityMetrics(opps, { period })

    test('win rate by count is 4,238 / 6,711 = 0.6315', () => {
      assert.equal(all.won.count, 4238)
      assert.equal(all.lost.count, 2473)
      assertNear(all.winRate, 0.6315, 1e-4, 'win rate')
      assert.equal(all.winRate, 4238 / 6711)
    })

    test('won revenue (bookings) is 10,005,534 and the mean won deal 2,360.91', () => {
      assert.equal(all.won.amount, 10_005_534)
      assertNear(all.avgDealSize, 2360.91, 0.005, 'mean won deal')
    })

    test('won cycle is 51.78 days on average, median 57; lost 41.48, median 14', () => {
      assertNear(all.cycleDays.mean, 51.78, 0.01, 'won mean cycle')
      assertNear(all.cycleDays.median, 57, 0.01, 'won median cycle')
      assertNear(all.lostCycleDays.mean, 41.48, 0.01, 'lost mean cycle')
      assertNear(all.lostCycleDays.median, 14, 0.01, 'lost median cycle')
    })

    test('every agent’s win rate equals reference/agent_win_rates.csv to 1e-4', () => {
      const reference = readCsv('reference/agent_win_rates.csv')
      const byAgent = new Map(opportunityMetrics(opps, { period, by: 'owner' }).groups.map((g) => [g.key, g]))
      assert.equal(reference.length, 30)
      assert.equal(byAgent.size, 30)
      for (const ref of reference) {
        const agent = ref.sales_agent!
        const g = byAgent.get(agent)
        assert.ok(g, `agent ${agent} has no group`)
        assert.equal(g.won.count, Number(ref.won), `${agent} won`)
        assert.equal(g.won.count + g.lost.count, Number(ref.closed), `${agent} closed`)
        assert.equal(g.won.amount, Number(ref.won_revenue), `${agent} won revenue`)
        assertNear(g.winRate, Number(ref.win_rate), 1e-4, `${agent} win rate`)
      }
    })

    test('win rate by office: Central 0.6256, East 0.6302, West 0.6394', () => {
      const byOffice = opportunityMetrics(opps, { period, by: 'office' }).groups
      assert.deepEqual(
        byOffice.map((g) => g.key),
        ['Central', 'East', 'West'],
      )
      const expected: Record<string, number> = { Central: 0.6256, East: 0.6302, West: 0.6394 }
      for (const g of byOffice) assertNear(g.winRate, expected[g.key!]!, 1e-4, `${g.key} win rate`)
    })

    test('the 1,589 engaging deals are the open pipeline at the end', () => {
      assert.equal(all.velocity.openCount, 1589)
    })
  })
}
