import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { sql } from 'kysely'
import {
  loadOpportunityFigures,
  loadOpportunityRecords,
  type OpportunityLoad,
} from '../../src/analytics/opportunities.queries.ts'
import { parsePeriod } from '../../src/core/metrics/index.ts'
import { createTestDatabase } from '../helpers/db.ts'

/**
 * The opportunities the scoreboard and the opportunity metrics read packed (loadOpportunityFigures) against the full
 * row-per-opportunity loader the review packs use, on random opportunities: amounts with cents or absent, instants with
 * microseconds (halves of a millisecond included), closed with and without a close instant, ids in any script, every
 * breakdown and a filter: the records carry the same values the metrics read (compared in id order, as neither read
 * orders its rows), and the same count of undated opportunities.
 */

const BASE = Date.parse('2026-10-01T00:00:00Z')
const DAY = 86_400_000
const pgInstant = (ms: number, us: number) =>
  `${new Date(ms).toISOString().slice(0, 23)}${String(us).padStart(3, '0')}+00`

/** The metric fields of the records, in id order: rows come in no particular order. */
function figures(load: OpportunityLoad) {
  return {
    undated: load.undated,
    records: load.records
      .map(({ id, amount, createdAt, closedAt, isClosed, isWon, dims }) => ({
        id,
        amount,
        createdAt,
        closedAt,
        isClosed,
        isWon,
        dims,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  }
}

const oppArb = fc.record({
  id: fc.constantFrom('o', 'Ö-ü', '商机', 'x y', "it's", 'a,b'),
  account: fc.integer({ min: 0, max: 2 }),
  openedDay: fc.option(fc.integer({ min: -120, max: 120 }), { nil: null, freq: 8 }),
  us: fc.constantFrom(0, 499, 500, 501),
  closedAfterDays: fc.option(fc.integer({ min: -5, max: 150 }), { nil: null }),
  closedWithoutInstant: fc.boolean(),
  won: fc.boolean(),
  amount: fc.option(fc.constantFrom(0, 1, 1234.56, 0.1, 99_999.99, 50_000), { nil: null }),
  source: fc.option(fc.constantFrom('google', 'webinar', ''), { nil: null }),
  owner: fc.option(fc.constantFrom('ana_ruiz', 'ben_cho'), { nil: null }),
})

describe('the opportunities the metrics read, packed', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>
  before(async () => {
    database = await createTestDatabase()
  })
  after(() => database.close())

  test('equal the full loader’s records for any opportunities, breakdown and filter', async () => {
    const db = database.db
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(oppArb, { maxLength: 25 }), async (opps) => {
        run++
        const ws = await db
          .insertInto('workspace')
          .values({ slug: `figures-${run}`, name: `Figures ${run}` })
          .returning('id')
          .executeTakeFirstOrThrow()
        const accounts: number[] = []
        for (const [i, segment] of ['smb', 'enterprise', null].entries())
          accounts.push(
            (
              await db
                .insertInto('account')
                .values({
                  workspace_id: ws.id,
                  domain: `f${i}-${run}.example`,
                  name: `F${i}`,
                  segment,
                  attributes: '{}',
                })
                .returning('id')
                .executeTakeFirstOrThrow()
            ).id,
          )
        for (const [i, o] of opps.entries()) {
          const opened = o.openedDay === null ? null : BASE + o.openedDay * DAY
          const closed = o.closedAfterDays !== null
          const closedAt =
            closed && !o.closedWithoutInstant && opened !== null
              ? pgInstant(opened + o.closedAfterDays! * DAY, o.us)
              : null
          await sql`insert into opportunity (workspace_id, external_id, account_id, amount, stage, is_closed, is_won,
              opened_at, closed_at, owner, source, attributes)
            values (${ws.id}, ${`${o.id}-${i}`}, ${accounts[o.account]!}, ${o.amount}, 'x', ${closed}, ${closed && o.won},
              ${opened === null ? null : pgInstant(opened, o.us)}::timestamptz, ${closedAt}::timestamptz, ${o.owner},
              ${o.source}, '{}')`.execute(db)
        }
        const teams = new Map([['ana_ruiz', 'east']])
        for (const [label, by, filter] of [
          ['2026-Q4', 'source', undefined],
          ['2026-Q4', null, undefined],
          ['2026-11', 'segment', undefined],
          ['2026', 'team', { segment: 'smb' }],
          ['2026-Q4', 'owner', { source: 'google' }],
        ] as const) {
          const period = parsePeriod(label)
          const options = { period, by, repTeams: teams, filter }
          const packed = await loadOpportunityFigures({ db }, ws.id, options)
          const full = await loadOpportunityRecords({ db }, ws.id, options)
          assert.deepEqual(figures(packed), figures(full), `${label} by ${by}`)
        }
      }),
      { numRuns: 30 },
    )
  })
})
