/**
 * Workers woken by PostgreSQL notifications. Two worker sets (as two processes: each with its own pool and its own
 * LISTEN connection) idle with a one-minute poll, so only a notification can wake them within the test; a demo
 * request commits a handoff and its outbox rows, and the signed webhook reaches the sink once. A worker whose
 * listening connection cannot be opened still delivers, by its poll.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Kysely, PostgresDialect, sql } from 'kysely'
import type { Ctx } from '../../src/context.ts'
import { verifyWebhook } from '../../src/core/notify/index.ts'
import { createPool } from '../../src/db/pool.ts'
import type { DB } from '../../src/db/schema.ts'
import { startWorkers, type Workers } from '../../src/handoff/workers.ts'
import { type LocalHttpSink, startLocalHttpSink } from '../../src/notify/local-http-sink.ts'
import { createHandoffApp, demoRequest, type HandoffTestApp, seedAccounts } from '../helpers/handoff.ts'

/** Resolves when `check` holds; the bound only keeps a broken build from hanging the run. */
async function eventually(check: () => boolean | Promise<boolean>, what: string, boundMs = 30_000): Promise<void> {
  const until = Date.now() + boundMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`never happened: ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('workers woken by LISTEN/NOTIFY', () => {
  let t: HandoffTestApp
  let sink: LocalHttpSink
  let secret = ''
  let url = ''
  let second: Kysely<DB>
  const started: Workers[] = []

  before(async () => {
    t = await createHandoffApp()
    sink = await startLocalHttpSink(() => ({ status: 200, body: 'ok' }))
    await seedAccounts(t, ['acme-health-0.com', 'acme-health-1.com'])
    const hook = await t.app.inject({
      method: 'POST',
      url: '/v1/endpoints',
      headers: t.auth('admin'),
      payload: { kind: 'webhook', name: 'CRM', url: `${sink.url}/hook`, topics: ['lead.handed_off'] },
    })
    assert.equal(hook.statusCode, 201, hook.body)
    secret = hook.json().secret
    const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(t.ctx.db)
    const u = new URL(process.env.DATABASE_URL!)
    u.pathname = `/${rows[0]!.db}`
    url = u.toString()
    second = new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPool(url, 4) }) })
  })
  after(async () => {
    for (const w of started) await w.stop()
    await sink.close()
    await second.destroy()
    await t.close()
  })

  const demo = (id: string, email: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: { events: [demoRequest(id, email, '2026-11-20T21:29:00Z')] },
    })

  test('two listening workers idle on a one-minute poll deliver a new handoff at once, and only once', async () => {
    const other: Ctx = { ...t.ctx, db: second }
    for (const ctx of [t.ctx, other]) {
      const w = startWorkers(ctx, { listenUrl: url, pollMs: 60_000, recomputeEveryMs: 3_600_000 })
      started.push(w)
      assert.equal(await w.ready, true, 'listening')
    }
    // Both have run their first round and gone to sleep for a minute.
    await new Promise((r) => setTimeout(r, 200))
    const res = await demo('wake-1', 'dana@acme-health-0.com')
    assert.equal(res.statusCode, 200, res.body)
    await eventually(() => sink.requests.length > 0, 'the webhook arrived')
    const req = sink.requests[0]!
    assert.equal(
      verifyWebhook(req.headers as Record<string, string>, req.body, secret, { now: Date.now() }).kind,
      'valid',
    )
    assert.equal(JSON.parse(req.body).type, 'lead.handed_off')
    const row = () => t.ctx.db.selectFrom('outbox').select(['status', 'attempts']).executeTakeFirstOrThrow()
    await eventually(async () => (await row()).status === 'delivered', 'the delivery was recorded')
    assert.equal((await row()).attempts, 1)
    assert.equal(sink.requests.length, 1, 'one delivery, however many workers were woken')
    for (const w of started.splice(0)) await w.stop()
  })

  test('a worker that cannot listen still delivers, by its poll', async () => {
    const w = startWorkers(t.ctx, { listenUrl: 'postgres://nobody:nothing@127.0.0.1:1/none', pollMs: 100 })
    started.push(w)
    assert.equal(await w.ready, false)
    const res = await demo('wake-2', 'ben@acme-health-1.com')
    assert.equal(res.statusCode, 200, res.body)
    await eventually(() => sink.requests.length === 2, 'the second webhook arrived')
    assert.match(JSON.parse(sink.requests[1]!.body).data.brief.who, /ben@acme-health-1\.com/)
  })
})
