import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { sql } from 'kysely'
import { getAttribution, loadTouchLedger } from '../../src/analytics/attribution.queries.ts'
import {
  compileOpportunityJourneys,
  type LedgerOpportunity,
  type MilestoneLedgerTouch,
  sourcedAndInfluenced,
  touchRows,
} from '../../src/core/attribution/index.ts'
import { parsePeriod } from '../../src/core/metrics/index.ts'
import { createTestDatabase } from '../helpers/db.ts'

/**
 * The touch ledger attribution reads (loadTouchLedger: touches packed per channel and campaign, unpacked in the
 * server) against its plain statement — opportunities opened in the period with an account, and one row per touch on
 * those accounts between the earliest opening − lookback and the latest close, in (account, instant, seq) order —
 * on random ledgers: instants with microseconds (halves of a millisecond included), before 1970 and before 2000,
 * ties on an account's instant, campaigns with separators, quotes, non-ASCII text, empty or absent; opportunities
 * with ids in any script, amounts with cents or none, closed before or after opening, won, lost or open.
 */

type Ledger = { opportunities: LedgerOpportunity[]; touches: MilestoneLedgerTouch[] }

/** The ledger as one row per opportunity and per touch: the definition the packed read must equal. */
async function plainLedger(
  db: Parameters<typeof loadTouchLedger>[0]['db'],
  workspaceId: number,
  period: { from: number; to: number },
  lookbackMs: number,
): Promise<Ledger> {
  const opps = await sql<{
    id: string
    account_id: string
    amount: number | null
    opened_ms: number
    closed_ms: number | null
    is_closed: boolean
    is_won: boolean
  }>`select o.external_id as id, o.account_id::text as account_id, o.amount,
        (extract(epoch from o.opened_at) * 1000)::bigint as opened_ms,
        (extract(epoch from o.closed_at) * 1000)::bigint as closed_ms, o.is_closed, o.is_won
      from opportunity o
      where o.workspace_id = ${workspaceId} and o.account_id is not null
        and o.opened_at >= ${new Date(period.from)} and o.opened_at < ${new Date(period.to)}
      order by o.opened_at, o.id`.execute(db)
  const opportunities = opps.rows.map((o) => ({
    id: o.id,
    accountId: o.account_id,
    amount: o.amount === null ? 0 : Number(o.amount),
    createdAt: Number(o.opened_ms),
    closedWonAt: o.is_closed && o.is_won && o.closed_ms !== null ? Number(o.closed_ms) : null,
    closedLostAt: o.is_closed && !o.is_won && o.closed_ms !== null ? Number(o.closed_ms) : null,
  }))
  if (opportunities.length === 0) return { opportunities, touches: [] }
  const start = Math.min(...opportunities.map((o) => o.createdAt - lookbackMs))
  const end = Math.max(...opportunities.map((o) => o.closedWonAt ?? o.closedLostAt ?? o.createdAt))
  const rows = await sql<{ account_id: string; channel: string; campaign: string | null; at_ms: number }>`
      select e.account_id::text as account_id, coalesce(lower(e.medium), lower(e.source), 'other') as channel,
        e.campaign, (extract(epoch from e.occurred_at) * 1000)::bigint as at_ms
      from event e
      where e.account_id = any(${[...new Set(opportunities.map((o) => o.accountId))]}::bigint[])
        and (e.source is not null or e.medium is not null or e.campaign is not null)
        and e.occurred_at >= ${new Date(start)} and e.occurred_at <= ${new Date(end)}
      order by e.account_id, e.occurred_at, e.seq`.execute(db)
  return {
    opportunities,
    touches: rows.rows.map((r) => ({
      accountId: r.account_id,
      channel: r.channel,
      campaign: r.campaign,
      at: Number(r.at_ms),
    })),
  }
}

const BASE = Date.parse('2026-10-01T00:00:00Z')
const DAY = 86_400_000
/** An instant as PostgreSQL text with microseconds, `us` microseconds from `ms`. */
const pgInstant = (ms: number, us: number) => {
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 23)}${String(us).padStart(3, '0')}+00`
}

const touchArb = fc.record({
  account: fc.integer({ min: 0, max: 3 }),
  // Mostly around the period; some far back (before 2000 and 1970), beyond any lookback.
  ms: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -120 * DAY, max: 150 * DAY }).map((d) => BASE + d) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(Date.parse('1999-12-31T23:59:59.999Z'), Date.parse('1969-12-31T23:59:59.998Z')),
    },
  ),
  us: fc.constantFrom(0, 0, 1, 499, 500, 501, 999),
  // Several touches at one instant: the ledger keeps them in seq order.
  repeat: fc.integer({ min: 1, max: 3 }),
  source: fc.option(fc.constantFrom('Google', 'linkedin', 'G2'), { nil: null }),
  medium: fc.option(fc.constantFrom('CPC', 'email', 'Paid_Social'), { nil: null }),
  campaign: fc.option(fc.constantFrom('', 'brand', 'a,b', 'say "hi"', 'ünïcødé', '\\x00ff', 'q4 {x}'), { nil: null }),
})

const oppArb = fc.record({
  account: fc.integer({ min: 0, max: 4 }),
  openedDay: fc.integer({ min: -10, max: 100 }),
  us: fc.constantFrom(0, 500, 777),
  closedAfterDays: fc.option(fc.integer({ min: -3, max: 60 }), { nil: null }),
  won: fc.boolean(),
  amount: fc.option(fc.constantFrom(0, 1, 0.1, 1234.56, 100_000), { nil: null }),
  id: fc.constantFrom('o', 'Ö-ü', '商机', "it's"),
})

describe('the touch ledger attribution reads', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>
  before(async () => {
    database = await createTestDatabase()
  })
  after(() => database.close())

  test('equals one row per touch in ledger order, for any ledger, period and lookback', async () => {
    const db = database.db
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(touchArb, { maxLength: 40 }),
        fc.array(oppArb, { maxLength: 8 }),
        fc.constantFrom(0, 7 * DAY, 90 * DAY, 90 * DAY + 1),
        async (touches, opps, lookbackMs) => {
          run++
          const ws = await db
            .insertInto('workspace')
            .values({ slug: `ledger-${run}`, name: `Ledger ${run}` })
            .returning('id')
            .executeTakeFirstOrThrow()
          const accounts: number[] = []
          for (let i = 0; i < 5; i++)
            accounts.push(
              (
                await db
                  .insertInto('account')
                  .values({ workspace_id: ws.id, domain: `a${i}-${run}.example`, name: `A${i}`, attributes: '{}' })
                  .returning('id')
                  .executeTakeFirstOrThrow()
              ).id,
            )
          let n = 0
          for (const t of touches)
            for (let k = 0; k < t.repeat; k++)
              await sql`insert into event (workspace_id, id, type, occurred_at, account_id, source, medium, campaign)
                values (${ws.id}, ${`e${n++}`}, 'page_view', ${pgInstant(t.ms, t.us)}::timestamptz,
                  ${accounts[t.account]!}, ${t.source}, ${t.medium}, ${t.campaign})`.execute(db)
          for (const [i, o] of opps.entries()) {
            const opened = BASE + o.openedDay * DAY
            await sql`insert into opportunity (workspace_id, external_id, account_id, amount, stage, is_closed, is_won,
                opened_at, closed_at, attributes)
              values (${ws.id}, ${`${o.id}${i}`}, ${accounts[o.account]!}, ${o.amount}, 'x', ${o.closedAfterDays !== null},
                ${o.closedAfterDays !== null && o.won}, ${pgInstant(opened, o.us)}::timestamptz,
                ${o.closedAfterDays === null ? null : pgInstant(opened + o.closedAfterDays * DAY, o.us)}::timestamptz, '{}')`.execute(
              db,
            )
          }
          for (const label of ['2026-Q4', '2026-10', '2026-W41']) {
            const period = parsePeriod(label)
            const ledger = await loadTouchLedger({ db }, ws.id, period, lookbackMs)
            const plain = await plainLedger(db, ws.id, period, lookbackMs)
            assert.deepEqual({ ...ledger, touches: touchRows(ledger.touches) }, plain, label)
            // The columns as the read gives them (a channel named by several groups, shared ids) are what the cores
            // take: the same journeys and pipeline as from the rows.
            for (const by of ['channel', 'campaign'] as const)
              assert.deepEqual(
                compileOpportunityJourneys(ledger.opportunities, ledger.touches, { lookbackMs, by }),
                compileOpportunityJourneys(plain.opportunities, plain.touches, { lookbackMs, by }),
                `${label} by ${by}`,
              )
            assert.deepEqual(
              sourcedAndInfluenced(ledger.opportunities, ledger.touches, { lookbackMs }),
              sourcedAndInfluenced(plain.opportunities, plain.touches, { lookbackMs }),
              label,
            )
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  test('an opportunity written between reading the bounds and the opportunities still gets its touches', async () => {
    const db = database.db
    const ws = await db
      .insertInto('workspace')
      .values({ slug: 'ledger-race', name: 'Ledger race' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const account = async (name: string) =>
      (
        await db
          .insertInto('account')
          .values({ workspace_id: ws.id, domain: `${name}.example`, name, attributes: '{}' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    const [early, late] = [await account('early'), await account('late')]
    const opportunity = (id: string, accountId: number, opened: string) =>
      sql`insert into opportunity (workspace_id, external_id, account_id, amount, stage, opened_at, attributes)
        values (${ws.id}, ${id}, ${accountId}, 100, 'x', ${opened}::timestamptz, '{}')`.execute(db)
    await opportunity('o-early', early, '2026-10-10T00:00:00Z')
    for (const [i, [acc, at]] of [
      [early, '2026-09-01T00:00:00Z'],
      [late, '2026-07-01T00:00:00Z'],
      [late, '2026-11-30T00:00:00Z'],
    ].entries())
      await sql`insert into event (workspace_id, id, type, occurred_at, account_id, source)
        values (${ws.id}, ${`r${i}`}, 'page_view', ${at}::timestamptz, ${acc}, 'google')`.execute(db)
    // Once the bounds are read (the first statement), another writer adds an opportunity on another account, later.
    let statements = 0
    const racing = db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        if (++statements === 1) await opportunity('o-late', late, '2026-12-01T00:00:00Z')
        return args.result
      },
    })
    const period = parsePeriod('2026-Q4')
    const ledger = await loadTouchLedger({ db: racing }, ws.id, period, 180 * DAY)
    assert.deepEqual(
      ledger.opportunities.map((o) => o.id),
      ['o-early', 'o-late'],
    )
    assert.deepEqual({ ...ledger, touches: touchRows(ledger.touches) }, await plainLedger(db, ws.id, period, 180 * DAY))
    assert.equal(ledger.touches.length, 3, 'the late account’s touches are read too')
  })

  test('a quarter without opportunities reads no touches, and attribution says so', async () => {
    const db = database.db
    const ws = await db
      .insertInto('workspace')
      .values({ slug: 'ledger-empty', name: 'Ledger empty' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const ledger = await loadTouchLedger({ db }, ws.id, parsePeriod('2026-Q4'), 90 * DAY)
    assert.deepEqual({ ...ledger, touches: touchRows(ledger.touches) }, { opportunities: [], touches: [] })
    const view = await getAttribution({ db, clock: () => BASE }, ws.id, { period: parsePeriod('2026-Q4') })
    assert.deepEqual(view.journeys, { opportunities: 0, touches: 0 })
  })
})
