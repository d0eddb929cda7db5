import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Kysely, PostgresDialect, sql } from 'kysely'
import type { Ctx } from '../../src/context.ts'
import { createPool } from '../../src/db/pool.ts'
import type { DB } from '../../src/db/schema.ts'
import type { EventInput } from '../../src/ingest/ingest.schema.ts'
import { ingestEvents } from '../../src/ingest/ingest-events.ts'
import { eventPolicy } from '../../src/leads/event-policy.ts'
import { createHandoffApp, demoRequest, type HandoffTestApp, seedAccounts } from '../helpers/handoff.ts'

/** Monday 2026-11-23 10:00 New York: na_east is working; Omar is away all month; Ivan is inactive. */
const MONDAY_10_NY = '2026-11-23T15:00:00Z'

async function routeAll(ctx: Ctx, workspaceId: number, emails: string[], at = '2026-11-23T14:59:00Z'): Promise<void> {
  for (const email of emails) {
    const event = demoRequest(`rr-${email}`, email, at) as unknown as EventInput
    await ingestEvents(ctx, workspaceId, [event], await eventPolicy(ctx, workspaceId))
  }
}

describe('round robin in the database', () => {
  let t: HandoffTestApp
  let second: Kysely<DB>
  before(async () => {
    t = await createHandoffApp(MONDAY_10_NY)
    const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(t.ctx.db)
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${rows[0]!.db}`
    // A second process: its own connection pool to the same PostgreSQL server.
    second = new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPool(url.toString(), 4) }) })
    await seedAccounts(
      t,
      Array.from({ length: 120 }, (_, i) => `clinic-${i}.com`),
    )
  })
  after(async () => {
    await second.destroy()
    await t.close()
  })

  test('two processes routing 80 leads at once never give the same turn twice, and split them 2:1:1', async () => {
    const emails = Array.from({ length: 80 }, (_, i) => `buyer@clinic-${i}.com`)
    const ctxB: Ctx = { ...t.ctx, db: second }
    await Promise.all([
      routeAll(
        t.ctx,
        t.workspaceId,
        emails.filter((_, i) => i % 2 === 0),
      ),
      routeAll(
        ctxB,
        t.workspaceId,
        emails.filter((_, i) => i % 2 === 1),
      ),
    ])
    const rows = await t.ctx.db
      .selectFrom('assignment')
      .select(['rep_id', 'pool', 'pool_version'])
      .where('pool', '=', 'na_east')
      .execute()
    assert.equal(rows.length, 80)
    const versions = rows.map((r) => r.pool_version!).sort((a, b) => a - b)
    assert.deepEqual(
      versions,
      Array.from({ length: 80 }, (_, i) => i),
      'every turn handed out exactly once',
    )
    const counts: Record<string, number> = {}
    for (const r of rows) counts[r.rep_id!] = (counts[r.rep_id!] ?? 0) + 1
    assert.deepEqual(counts, { ana_ruiz: 40, ben_cho: 20, chloe_adams: 20 })
    // na_west is locked too (the backup chain), but only the pool that chose advances.
    const state = await t.ctx.db.selectFrom('pool_state').select(['pool', 'version']).orderBy('pool').execute()
    assert.deepEqual(state, [
      { pool: 'na_east', version: 80 },
      { pool: 'na_west', version: 0 },
    ])
  })

  test('nothing is ever assigned to the inactive rep or to the rep out of office', async () => {
    const rows = await t.ctx.db
      .selectFrom('assignment')
      .select('id')
      .where('rep_id', 'in', ['ivan_petrov', 'omar_diaz'])
      .execute()
    assert.equal(rows.length, 0)
    const leads = await t.ctx.db
      .selectFrom('lead')
      .select('id')
      .where('owner_rep_id', 'in', ['ivan_petrov', 'omar_diaz'])
      .execute()
    assert.equal(leads.length, 0)
  })

  test('after hours on Friday the lead goes to the backup pool, and the trace says why', async () => {
    t.setNow('2026-11-20T22:30:00Z') // Friday 17:30 New York: na_east closed, na_west (14:30 Pacific) open
    await routeAll(t.ctx, t.workspaceId, ['late@clinic-100.com'], '2026-11-20T22:29:00Z')
    const row = await t.ctx.db
      .selectFrom('assignment as a')
      .innerJoin('lead as l', 'l.id', 'a.lead_id')
      .innerJoin('person as p', 'p.id', 'l.person_id')
      .select(['a.rep_id', 'a.pool', 'a.via_backup', 'a.trace'])
      .where('p.email', '=', 'late@clinic-100.com')
      .executeTakeFirstOrThrow()
    assert.equal(row.pool, 'na_west')
    assert.equal(row.via_backup, true)
    assert.equal(row.rep_id, 'diego_santos')
    const trace = JSON.stringify(row.trace)
    assert.match(trace, /outside_hours/)
  })
})
