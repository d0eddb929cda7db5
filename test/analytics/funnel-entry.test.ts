import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { type Kysely, sql } from 'kysely'
import { compactFunnelDays, getFunnel } from '../../src/analytics/funnel.queries.ts'
import { parsePeriod } from '../../src/core/metrics/index.ts'
import { listMigrations, migrate } from '../../src/db/migrate.ts'
import type { DB } from '../../src/db/schema.ts'
import { importCsv } from '../../src/import/import-csv.ts'
import { createTestDatabase } from '../helpers/db.ts'
import { createHandoffApp, demoRequest, type HandoffTestApp, seedAccounts } from '../helpers/handoff.ts'
import { ledgerFunnel } from '../helpers/ledger-funnel.ts'
import { seedAccount, seedLead } from '../helpers/seed-analytics.ts'

/**
 * The funnel's pre-aggregates (funnel_entry, migration 0007; funnel_day, migration 0011) against the ledger they are
 * derived from: after every kind of write funnel_entry holds exactly what funnel_entries_of() computes from lead,
 * account and stage_transition, funnel_day's rows sum per key to what funnel_day_of() counts from funnel_entry
 * (before and after compaction), and the funnel read from them equals the funnel computed from the ledger the way it
 * was before either table existed.
 */

/** funnel_day's rows, summed per key, equal a fresh count of funnel_entry for every workspace. */
async function assertDaysMatchEntries(db: Kysely<DB>): Promise<number> {
  const stored = await sql`select workspace_id, day::text, stage, dim, value, later_stages, sum(entered)::int as entered
      from funnel_day group by 1, 2, 3, 4, 5, 6 having sum(entered) <> 0 order by 1, 2, 3, 4, 5, 6`.execute(db)
  const fresh = await sql`select w.id as workspace_id, c.day::text, c.stage, c.dim, c.value, c.later_stages, c.entered
      from workspace w cross join lateral funnel_day_of(w.id) c order by 1, 2, 3, 4, 5, 6`.execute(db)
  assert.deepEqual(stored.rows, fresh.rows)
  return stored.rows.length
}

/** Merges every workspace's written changes, as the worker does; returns the days merged. */
async function compactAll(db: Kysely<DB>): Promise<number> {
  let days = 0
  for (const w of await db.selectFrom('workspace').select('id').execute())
    while (true) {
      const n = await compactFunnelDays({ db }, w.id)
      if (n === 0) break
      days += n
    }
  return days
}

/** The stored pre-aggregates equal a fresh computation from the ledger, row for row. */
async function assertMatchesLedger(db: Kysely<DB>): Promise<number> {
  const stored = await sql`select * from funnel_entry order by lead_id, seq`.execute(db)
  const fresh = await sql`select * from funnel_entries_of(array(select id from lead)) order by lead_id, seq`.execute(db)
  assert.deepEqual(stored.rows, fresh.rows)
  await assertDaysMatchEntries(db)
  return stored.rows.length
}

const STAGES = ['Lead', 'MQL', 'SAL', 'SQL', 'Opportunity', 'Won']
const BREAKDOWNS = ['source', 'medium', 'campaign', 'segment', 'industry', 'tier', 'team', 'owner']

async function assertFunnelsAgree(
  ctx: Parameters<typeof getFunnel>[0],
  workspaceId: number,
  periods: string[],
  repTeams = new Map<string, string>(),
): Promise<void> {
  for (const label of periods) {
    const options = { period: parsePeriod(label), stages: STAGES, by: BREAKDOWNS, repTeams }
    assert.deepEqual(await getFunnel(ctx, workspaceId, options), await ledgerFunnel(ctx, workspaceId, options), label)
  }
}

describe('the funnel pre-aggregate through the product’s own writes', () => {
  let t: HandoffTestApp
  const repTeams = new Map([
    ['ana_ruiz', 'na_east_sdr'],
    ['diego_santos', 'na_west_sdr'],
  ])
  const domains = ['acme-health-0.com', 'acme-health-1.com', 'acme-health-2.com', 'acme-health-3.com']
  const post = async (events: unknown[]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: { events },
    })
    assert.equal(res.statusCode, 200, res.body)
    return res.json()
  }
  const act = async (email: string, path: 'touch' | 'disposition', payload: unknown) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/leads/${email}/${path}`,
      headers: t.auth('sales'),
      payload: payload as never,
    })
    assert.equal(res.statusCode, 200, res.body)
  }
  const entries = async (email: string) =>
    (
      await sql<{ stage: string; prev_at: Date | null; segment: string | null; owner_rep_id: string | null }>`
        select f.stage, f.prev_at, f.segment, f.owner_rep_id from funnel_entry f
        join lead l on l.id = f.lead_id join person p on p.id = l.person_id
        where p.email = ${email} order by f.at, f.seq`.execute(t.ctx.db)
    ).rows
  const batch1 = [
    demoRequest('fe-1', 'dana@acme-health-0.com', '2026-11-20T21:29:00Z'),
    demoRequest('fe-2', 'ben@acme-health-1.com', '2026-11-20T21:30:00Z', 'Ben', 'Ode'),
    demoRequest('fe-3', 'cy@acme-health-2.com', '2026-11-20T21:31:00Z', 'Cy', 'Lam'),
    {
      id: 'fe-4',
      type: 'page_view',
      occurred_at: '2026-11-20T15:00:00Z',
      person: { email: 'eve@acme-health-3.com' },
      context: { source: 'google', medium: 'cpc', campaign: 'brand' },
    },
  ]

  before(async () => {
    t = await createHandoffApp()
    await seedAccounts(t, domains)
  })
  after(() => t.close())

  test('ingested events: new leads, their MQL transitions and handoffs (owner) are in the table at once', async () => {
    await post(batch1)
    assert.ok((await assertMatchesLedger(t.ctx.db)) >= 7)
    const dana = await entries('dana@acme-health-0.com')
    assert.deepEqual(
      dana.map((e) => e.stage),
      ['Lead', 'MQL'],
    )
    assert.equal(dana[0]!.owner_rep_id, 'ana_ruiz', 'the owner routing set is copied in the same transaction')
    await assertFunnelsAgree(t.ctx, t.workspaceId, ['2026-Q4', '2026-W47', '2026-11'], repTeams)
  })

  test('a replayed batch changes nothing; a late, earlier event moves the lead’s entry into Lead', async () => {
    const before = (await sql`select * from funnel_entry order by lead_id, seq`.execute(t.ctx.db)).rows
    const replayed = await post(batch1)
    assert.equal(replayed.duplicates, 4)
    assert.deepEqual((await sql`select * from funnel_entry order by lead_id, seq`.execute(t.ctx.db)).rows, before)
    await post([
      {
        id: 'fe-5',
        type: 'page_view',
        occurred_at: '2026-09-28T12:00:00Z',
        person: { email: 'eve@acme-health-3.com' },
        context: { source: 'google', medium: 'cpc', campaign: 'brand' },
      },
    ])
    await assertMatchesLedger(t.ctx.db)
    const eve = await sql<{ at: Date }>`select f.at from funnel_entry f join lead l on l.id = f.lead_id
        join person p on p.id = l.person_id where p.email = 'eve@acme-health-3.com' and f.stage = 'Lead'`.execute(
      t.ctx.db,
    )
    assert.deepEqual(
      eve.rows.map((r) => r.at.toISOString()),
      ['2026-09-28T12:00:00.000Z'],
    )
    await assertFunnelsAgree(t.ctx, t.workspaceId, ['2026-Q3', '2026-Q4', '2026'], repTeams)
  })

  test('dispositions: accept (SAL), reject (Disqualified) and recycle are reflected with their transitions', async () => {
    t.setNow('2026-11-23T14:20:00Z')
    await act('dana@acme-health-0.com', 'touch', { channel: 'call' })
    await act('dana@acme-health-0.com', 'disposition', { outcome: 'accept', reason_code: 'qualified_meeting_booked' })
    await act('ben@acme-health-1.com', 'disposition', { outcome: 'reject', reason_code: 'too_small' })
    await act('cy@acme-health-2.com', 'disposition', { outcome: 'recycle', reason_code: 'not_now', note: 'Q2' })
    await assertMatchesLedger(t.ctx.db)
    assert.deepEqual(
      (await entries('dana@acme-health-0.com')).map((e) => e.stage),
      ['Lead', 'MQL', 'SAL'],
    )
    const f = await getFunnel(t.ctx, t.workspaceId, { period: parsePeriod('2026-Q4'), stages: STAGES, repTeams })
    assert.deepEqual(
      f.overall.stages.slice(0, 3).map((s) => [s.stage, s.entered, s.advanced]),
      [
        ['Lead', 3, 3],
        ['MQL', 3, 1],
        ['SAL', 1, 0],
      ],
    )
    await assertFunnelsAgree(t.ctx, t.workspaceId, ['2026-Q4', '2026-W48'], repTeams)
  })

  test('re-qualification after nurture: a second entry into MQL knows the first, the funnel counts it in its period', async () => {
    t.setNow('2027-03-01T15:00:00Z')
    await post([demoRequest('fe-6', 'cy@acme-health-2.com', '2027-03-01T14:59:00Z', 'Cy', 'Lam')])
    await assertMatchesLedger(t.ctx.db)
    const mqls = (await entries('cy@acme-health-2.com')).filter((e) => e.stage === 'MQL')
    assert.ok(mqls.length >= 2, JSON.stringify(mqls))
    assert.equal(mqls.at(-1)!.prev_at?.toISOString(), '2026-11-20T21:31:00.000Z')
    await assertFunnelsAgree(t.ctx, t.workspaceId, ['2026-Q4', '2027-Q1', '2027'], repTeams)
  })

  test('an account’s segment changed by the records API reaches its leads’ entries; imported opportunities change nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: t.auth('ingest'),
      payload: { accounts: [{ domain: 'acme-health-0.com', segment: 'enterprise' }] },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual([...new Set((await entries('dana@acme-health-0.com')).map((e) => e.segment))], ['enterprise'])
    const dir = mkdtempSync(join(tmpdir(), 'accord-fe-'))
    const csv = join(dir, 'deals.csv')
    writeFileSync(
      csv,
      'Record ID,Deal Name,Deal Stage,Create Date,Close Date,Amount,Company Domain Name\nD-1,Acme renewal,closedwon,2026-11-24,2026-12-10,50000,acme-health-0.com\n',
    )
    const report = await importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'opportunities', path: csv })
    assert.deepEqual([report.imported, report.rejected], [1, []])
    await assertMatchesLedger(t.ctx.db)
    const bySegment = await getFunnel(t.ctx, t.workspaceId, {
      period: parsePeriod('2026-Q4'),
      stages: STAGES,
      by: ['segment'],
    })
    assert.deepEqual(
      bySegment.groups.map((g) => [g.key, g.stages[0]!.entered]),
      [
        ['enterprise', 1],
        [null, 2],
      ],
    )
    await assertFunnelsAgree(t.ctx, t.workspaceId, ['2026-Q4', '2027-Q1'], repTeams)
  })
})

describe('the funnel pre-aggregate of a database that already had leads', () => {
  test('migrations 0007, 0011 and 0012 fill the tables from the existing ledger, and the funnel reads the same numbers', async () => {
    const database = await createTestDatabase()
    try {
      const { db } = database
      // The test database is fully migrated; take it back to before 0007 to load data the way an old install has it.
      await sql`drop table funnel_day`.execute(db)
      await sql`delete from accord_migration where id = '0011_funnel_day.sql'`.execute(db)
      await sql`delete from accord_migration where id = '0012_funnel_duration.sql'`.execute(db)
      await sql`drop table funnel_entry cascade`.execute(db)
      await sql`drop function funnel_day_dims, funnel_day_of, funnel_day_on_entry_change, funnel_day_compact`.execute(
        db,
      )
      await sql`drop function if exists funnel_entry_refresh, funnel_entries_of`.execute(db)
      for (const t of ['funnel_entry_lead_insert', 'funnel_entry_lead_update', 'funnel_entry_lead_delete'])
        await sql`drop trigger ${sql.ref(t)} on lead`.execute(db)
      for (const t of [
        'funnel_entry_transition_insert',
        'funnel_entry_transition_update',
        'funnel_entry_transition_delete',
      ])
        await sql`drop trigger ${sql.ref(t)} on stage_transition`.execute(db)
      await sql`drop trigger funnel_entry_account_update on account`.execute(db)
      await sql`create index event_account_touch on event (account_id, occurred_at)
          where account_id is not null and (source is not null or medium is not null or campaign is not null)`.execute(
        db,
      )
      await sql`drop index event_account_touch_covering`.execute(db)
      await sql`delete from accord_migration where id = '0007_funnel_entry.sql'`.execute(db)
      for (const name of [
        'funnel_entry_on_lead_insert',
        'funnel_entry_on_lead_update',
        'funnel_entry_on_lead_delete',
        'funnel_entry_on_transition_insert',
        'funnel_entry_on_transition_change',
        'funnel_entry_on_transition_delete',
        'funnel_entry_on_account_update',
      ])
        await sql`drop function ${sql.ref(name)}`.execute(db)

      const ws = (
        await db.insertInto('workspace').values({ slug: 'old', name: 'Old' }).returning('id').executeTakeFirstOrThrow()
      ).id
      const acme = await seedAccount(db, ws, { domain: 'acme.com', segment: 'mid_market', industry: 'Healthcare' })
      await seedLead(db, ws, {
        email: 'a@acme.com',
        account: acme,
        firstEventAt: '2026-10-05',
        stages: [
          ['MQL', '2026-10-06'],
          ['Recycled', '2026-10-20'],
          ['MQL', '2026-11-02'],
          ['SQL', '2026-11-02'],
        ],
        source: 'google',
        tier: 'hot',
        owner: 'ana_ruiz',
      })
      await seedLead(db, ws, { email: 'b@acme.com', account: null, firstEventAt: '2026-12-30', source: 'webinar' })
      assert.equal(
        (await sql<{ t: string | null }>`select to_regclass('funnel_entry') as t`.execute(db)).rows[0]!.t,
        null,
      )

      assert.deepEqual(await migrate(database.pool, listMigrations()), [
        '0007_funnel_entry.sql',
        '0011_funnel_day.sql',
        '0012_funnel_duration.sql',
      ])
      assert.equal(await assertMatchesLedger(db), 6)
      assert.equal(
        (await sql<{ n: number }>`select count(*)::int as n from funnel_day where not compacted`.execute(db)).rows[0]!
          .n,
        0,
        'the backfill writes merged rows',
      )
      const ctx = { db }
      await assertFunnelsAgree(ctx, ws, ['2026-Q4', '2026-10', '2026-11', '2026-W45'])
      const nov = await getFunnel(ctx, ws, { period: parsePeriod('2026-11'), stages: ['Lead', 'MQL', 'SQL'] })
      assert.deepEqual(
        nov.overall.stages.map((s) => [s.stage, s.entered, s.advanced]),
        [
          ['Lead', 0, 0],
          ['MQL', 1, 1],
          ['SQL', 1, null],
        ],
      )
    } finally {
      await database.close()
    }
  })
})

describe('the pre-aggregated funnel equals the ledger funnel on any history', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>
  before(async () => {
    database = await createTestDatabase()
  })
  after(() => database.close())

  const STAGE_POOL = ['MQL', 'SAL', 'SQL', 'Opportunity', 'Won', 'Lost', 'Recycled', 'Disqualified', 'Lead']
  const hour = (h: number) => new Date(Date.UTC(2026, 8, 1) + h * 3_600_000)
  const leadArb = fc.record({
    firstHour: fc.integer({ min: 0, max: 150 * 24 }),
    // Hours after the previous transition (0: the same instant, as the engine writes MQL and SQL together).
    steps: fc.array(
      fc.record({
        stage: fc.constantFrom(...STAGE_POOL),
        gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 * 24 })),
      }),
      { maxLength: 6 },
    ),
    source: fc.constantFrom('google', 'webinar', null),
    tier: fc.constantFrom('hot', 'warm', null),
    owner: fc.constantFrom('ana_ruiz', 'diego_santos', null),
    segment: fc.constantFrom('smb', 'enterprise', null),
    later: fc.record({ tier: fc.constantFrom('hot', 'cold', undefined), segment: fc.constantFrom('mid', undefined) }),
  })

  test('random stage histories, later changes of tier and segment, any period and stage list; filters', async () => {
    const { db } = database
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(leadArb, { minLength: 1, maxLength: 8 }),
        // Periods from an hour to 60 days, starting at any hour: whole days and partial days at either edge.
        fc.integer({ min: 0, max: 150 * 24 }),
        fc.oneof(
          fc.integer({ min: 1, max: 60 * 24 }),
          fc.integer({ min: 1, max: 60 }).map((d) => d * 24),
        ),
        fc.subarray(['Lead', 'MQL', 'SAL', 'SQL', 'Opportunity', 'Won'], { minLength: 1 }),
        fc.boolean(),
        fc.constantFrom(['source', 'google'], ['segment', 'smb'], ['team', 'east'], ['owner', 'diego_santos']),
        async (leads, fromHour, length, stages, compact, [dimension, value]) => {
          run++
          const ws = (
            await db
              .insertInto('workspace')
              .values({ slug: `p${run}`, name: `P${run}` })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id
          for (const [i, l] of leads.entries()) {
            const account = await seedAccount(db, ws, { domain: `a${i}.com`, segment: l.segment ?? undefined })
            let at = l.firstHour
            const lead = await seedLead(db, ws, {
              email: `l${i}@a${i}.com`,
              account,
              firstEventAt: hour(at).toISOString(),
              stages: l.steps.map((s) => {
                at += s.gap
                return [s.stage, hour(at).toISOString()] as [string, string]
              }),
              source: l.source,
              tier: l.tier,
              owner: l.owner,
            })
            if (l.later.tier !== undefined)
              await db.updateTable('lead').set({ tier: l.later.tier }).where('id', '=', lead).execute()
            if (l.later.segment !== undefined)
              await db.updateTable('account').set({ segment: l.later.segment }).where('id', '=', account).execute()
          }
          if (compact) await compactAll(db)
          const period = { from: hour(fromHour).getTime(), to: hour(fromHour + length).getTime() }
          const options = { period, stages, by: BREAKDOWNS, repTeams: new Map([['ana_ruiz', 'east']]) }
          const all = await getFunnel({ db }, ws, options)
          assert.deepEqual(all, await ledgerFunnel({ db }, ws, options))
          // Narrowed to one value, the funnel is that value's group of the breakdown (none: nobody entered).
          const narrowed = await getFunnel({ db }, ws, { ...options, by: ['tier'], filter: { [dimension!]: value } })
          const group = all.breakdowns.find((b) => b.by === dimension)!.groups.find((g) => g.key === value)
          if (group) assert.deepEqual(narrowed.overall.stages, group.stages)
          else assert.ok(narrowed.overall.stages.every((x) => x.entered === 0 && x.timeInStageMs.count === 0))
        },
      ),
      { numRuns: 40 },
    )
    await assertMatchesLedger(db)
    await compactAll(db)
    await assertMatchesLedger(db)
    assert.equal(
      (await sql<{ n: number }>`select count(*)::int as n from funnel_day where not compacted`.execute(db)).rows[0]!.n,
      0,
    )
  })
})
