import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Kysely, PostgresDialect, sql } from 'kysely'
import type { Ctx } from '../../src/context.ts'
import { formatInZone } from '../../src/core/calendar/index.ts'
import { createPool } from '../../src/db/pool.ts'
import type { DB } from '../../src/db/schema.ts'
import { deliverOutbox } from '../../src/handoff/deliver-outbox.ts'
import { runTimers } from '../../src/handoff/run-timers.ts'
import { type LocalHttpSink, startLocalHttpSink } from '../../src/notify/local-http-sink.ts'
import { createHandoffApp, demoRequest, type HandoffTestApp, seedAccounts } from '../helpers/handoff.ts'

const ny = (d: Date | null) => (d ? formatInZone(d.getTime(), 'America/New_York') : null)

describe('workers: outbox and SLA timers', () => {
  let t: HandoffTestApp
  let good: LocalHttpSink
  let gone: LocalHttpSink
  let other: Ctx
  let second: Kysely<DB>
  const dana = 'dana@acme-health-0.com'

  before(async () => {
    t = await createHandoffApp()
    good = await startLocalHttpSink(() => ({ status: 200, body: 'ok' }))
    gone = await startLocalHttpSink(() => ({ status: 410, body: 'this hook was removed' }))
    await seedAccounts(t, ['acme-health-0.com'])
    for (const [name, url] of [
      ['CRM', good.url],
      ['Old CRM', gone.url],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/endpoints',
        headers: t.auth('admin'),
        payload: { kind: 'webhook', name, url: `${url}/hook` },
      })
      assert.equal(res.statusCode, 201, res.body)
    }
    const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(t.ctx.db)
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${rows[0]!.db}`
    second = new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPool(url.toString(), 4) }) })
    other = { ...t.ctx, db: second }
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: { events: [demoRequest('w-1', dana, '2026-11-20T21:29:00Z')] },
    })
    assert.equal(res.statusCode, 200, res.body)
  })
  after(async () => {
    await good.close()
    await gone.close()
    await second.destroy()
    await t.close()
  })

  test('a worker killed between claim and send: after the lease another delivers it, with the same idempotency id', async () => {
    const died = await deliverOutbox(t.ctx, { dieAfterClaim: true, leaseMs: 30_000 })
    assert.equal(died.claimed, 2)
    assert.equal(good.requests.length, 0, 'the dead worker sent nothing')
    assert.equal((await deliverOutbox(other, { leaseMs: 30_000 })).claimed, 0, 'the lease holds the rows')
    t.setNow(t.now() + 31_000)
    const round = await deliverOutbox(other, { leaseMs: 30_000 })
    assert.deepEqual(round, { claimed: 2, delivered: 1, retried: 0, dead: 1 })
    assert.equal(good.requests.length, 1)
    const row = await t.ctx.db
      .selectFrom('outbox as o')
      .innerJoin('notification_endpoint as e', 'e.id', 'o.endpoint_id')
      .select(['o.idempotency_id', 'o.attempts', 'o.status'])
      .where('e.name', '=', 'CRM')
      .executeTakeFirstOrThrow()
    assert.equal(good.requests[0]!.headers['webhook-id'], row.idempotency_id)
    assert.equal(row.attempts, 2, 'claimed twice, sent once')
    assert.equal(row.status, 'delivered')
  })

  test('a receiver that answers 410 dead-letters the notification, visible in the API', async () => {
    const res = await t.app.inject({ url: '/v1/outbox?status=dead', headers: t.auth('admin') })
    assert.equal(res.statusCode, 200, res.body)
    const dead = res.json().notifications
    assert.equal(dead.length, 1)
    assert.equal(dead[0].endpoint_name, 'Old CRM')
    assert.equal(dead[0].topic, 'lead.handed_off')
    assert.match(dead[0].last_error, /permanent failure on attempt 2: HTTP 410 Gone/)
  })

  test('timers that came due while no worker ran fire exactly once when two workers start together', async () => {
    // Monday 11:00 New York: due 09:30 passed (breach), so did breach + 0 (notify rep and manager) and
    // breach + 1h (reassign to the backup pool); breach + 4h (13:30) is still ahead. The 09:15 warning is overtaken.
    t.setNow('2026-11-23T16:00:00Z')
    const [a, b] = await Promise.all([runTimers(t.ctx), runTimers(other)])
    const fired = [...a!.fired, ...b!.fired].map((f) => f.key).sort()
    assert.deepEqual(fired, ['breach', 'escalation:0', 'escalation:1'])
    const again = await Promise.all([runTimers(t.ctx), runTimers(other)])
    assert.deepEqual(
      again.flatMap((r) => r.fired),
      [],
      'nothing fires twice',
    )

    const clocks = await t.ctx.db
      .selectFrom('sla_clock')
      .select(['id', 'rep_id', 'status', 'breached_at', 'due_at', 'started_at'])
      .orderBy('id')
      .execute()
    assert.equal(clocks.length, 2)
    assert.equal(clocks[0]!.rep_id, 'ana_ruiz')
    assert.equal(clocks[0]!.status, 'cancelled')
    assert.equal(ny(clocks[0]!.breached_at), '2026-11-23T09:30:00-05:00')
    assert.equal(clocks[1]!.rep_id, 'diego_santos', 'reassigned through na_east’s backup pool, na_west')
    assert.equal(clocks[1]!.status, 'running')
    const timers = await t.ctx.db
      .selectFrom('sla_timer')
      .select(['key', 'fired_at', 'outcome'])
      .where('clock_id', '=', clocks[0]!.id)
      .orderBy('key')
      .execute()
    assert.deepEqual(
      timers.map((x) => [x.key, x.fired_at !== null]),
      [
        ['breach', true],
        ['escalation:0', true],
        ['escalation:1', true],
        ['escalation:2', true],
        ['warn', true],
      ],
    )
    const topics = await t.ctx.db
      .selectFrom('outbox as o')
      .innerJoin('notification_endpoint as e', 'e.id', 'o.endpoint_id')
      .select('o.topic')
      .where('e.name', '=', 'CRM')
      .orderBy('o.id')
      .execute()
    assert.deepEqual(
      topics.map((x) => x.topic),
      ['lead.handed_off', 'sla.breached', 'sla.escalated', 'sla.escalated', 'lead.reassigned'],
    )
    const assignment = (await t.app.inject({ url: `/v1/leads/${dana}/assignment`, headers: t.auth('sales') })).json()
    assert.equal(assignment.current.rep_id, 'diego_santos')
    assert.equal(assignment.current.reason, 'reassigned')
    assert.equal(assignment.assignments.length, 2)
  })
})
