/**
 * Managing notification endpoints as an admin does in Settings: list with recent deliveries, edit, test-send (signed
 * like a real delivery, recorded in the outbox), rotate a webhook secret, disable (pending rows dead-lettered) and
 * enable again, and send a dead letter again.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { verifyWebhook } from '../../src/core/notify/index.ts'
import { type LocalHttpSink, startLocalHttpSink } from '../../src/notify/local-http-sink.ts'
import { createHandoffApp, type HandoffTestApp } from '../helpers/handoff.ts'

describe('endpoint administration', () => {
  let t: HandoffTestApp
  let sink: LocalHttpSink
  let failing = false
  let id = 0
  let secret = ''
  before(async () => {
    t = await createHandoffApp()
    sink = await startLocalHttpSink(() => (failing ? { status: 500, body: 'down' } : { status: 200, body: 'ok' }))
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/endpoints',
      headers: t.auth('admin'),
      payload: { kind: 'webhook', name: 'CRM', url: `${sink.url}/hooks` },
    })
    assert.equal(res.statusCode, 201, res.body)
    id = res.json().id
    secret = res.json().secret
  })
  after(async () => {
    await sink.close()
    await t.close()
  })

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, role = 'admin' as const) =>
    t.app.inject({ method, url, headers: t.auth(role), ...(payload ? { payload } : {}) })

  test('a test send is signed like a real delivery, answers with the outcome and is recorded', async () => {
    const res = await call('POST', `/v1/endpoints/${id}/test`, {})
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().ok, true)
    assert.equal(res.json().status, 200)
    const req = sink.requests.at(-1)!
    assert.equal(
      verifyWebhook(req.headers as Record<string, string>, req.body, secret, { now: Date.now() }).kind,
      'valid',
    )
    const body = JSON.parse(req.body)
    assert.equal(body.type, 'endpoint.test')
    assert.equal(body.data.endpoint_name, 'CRM')
    const outbox = await call('GET', `/v1/outbox?endpoint_id=${id}`)
    assert.deepEqual(
      outbox.json().notifications.map((n: { topic: string; status: string }) => [n.topic, n.status]),
      [['endpoint.test', 'delivered']],
    )
    const list = await call('GET', '/v1/endpoints')
    const listed = list.json().endpoints.find((e: { id: number }) => e.id === id)
    assert.equal(listed.deliveries.delivered, 1)
    assert.equal(listed.secret, undefined, 'secrets are never listed')
  })

  test('a failing receiver makes the test answer with the failure, recorded as dead', async () => {
    failing = true
    const res = await call('POST', `/v1/endpoints/${id}/test`, {})
    failing = false
    assert.equal(res.json().ok, false)
    assert.equal(res.json().status, 500)
    const dead = await call('GET', `/v1/outbox?status=dead&endpoint_id=${id}`)
    assert.equal(dead.json().notifications[0].last_error, res.json().detail)
    const retry = await call('POST', `/v1/outbox/${res.json().outbox_id}/retry`)
    assert.equal(retry.statusCode, 409, 'a test send is not retried')
  })

  test('editing changes what is given and refuses bad fields, naming them; nothing half-written', async () => {
    const ok = await call('PATCH', `/v1/endpoints/${id}`, { name: 'CRM (prod)', topics: ['lead.handed_off'] })
    assert.equal(ok.statusCode, 200, ok.body)
    assert.equal(ok.json().name, 'CRM (prod)')
    assert.deepEqual(ok.json().topics, ['lead.handed_off'])
    assert.equal(ok.json().url, `${sink.url}/hooks`, 'an absent field stays')
    const bad = await call('PATCH', `/v1/endpoints/${id}`, {
      name: 'renamed',
      url: 'ftp://example.com',
      topics: ['lead.nope'],
    })
    assert.equal(bad.statusCode, 422)
    assert.deepEqual(
      bad.json().error.issues.map((i: { path: string }) => i.path),
      ['url', 'topics[0]'],
    )
    const row = await t.ctx.db
      .selectFrom('notification_endpoint')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    assert.equal(row.name, 'CRM (prod)')
    assert.equal((await call('PATCH', '/v1/endpoints/999999', { name: 'x' })).statusCode, 404)
  })

  test('rotating the secret shows the new one once; the next delivery is signed with it', async () => {
    const res = await call('POST', `/v1/endpoints/${id}/secret`)
    assert.equal(res.statusCode, 200, res.body)
    const rotated = res.json().secret as string
    assert.match(rotated, /^whsec_/)
    assert.notEqual(rotated, secret)
    await call('POST', `/v1/endpoints/${id}/test`, {})
    const req = sink.requests.at(-1)!
    const now = { now: Date.now() }
    assert.equal(verifyWebhook(req.headers as Record<string, string>, req.body, rotated, now).kind, 'valid')
    assert.notEqual(verifyWebhook(req.headers as Record<string, string>, req.body, secret, now).kind, 'valid')
    secret = rotated
  })

  test('disabling dead-letters the pending notifications; enabled again, a dead letter can be sent again', async () => {
    const at = new Date(t.now()).toISOString()
    const pending = await t.ctx.db
      .insertInto('outbox')
      .values({
        workspace_id: t.workspaceId,
        endpoint_id: id,
        kind: 'webhook',
        idempotency_id: 'ntf_pending_test',
        topic: 'lead.handed_off',
        payload: JSON.stringify({ type: 'lead.handed_off' }),
        next_attempt_at: at,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const off = await call('PATCH', `/v1/endpoints/${id}`, { enabled: false })
    assert.notEqual(off.json().disabled_at, null)
    const row = await t.ctx.db.selectFrom('outbox').selectAll().where('id', '=', pending.id).executeTakeFirstOrThrow()
    assert.equal(row.status, 'dead')
    assert.equal(row.last_error, 'endpoint disabled before delivery')
    assert.equal((await call('GET', '/v1/endpoints')).json().endpoints.length, 0)
    assert.equal((await call('GET', '/v1/endpoints?include_disabled=true')).json().endpoints.length, 1)
    assert.equal(
      (await call('POST', `/v1/endpoints/${id}/test`, {})).statusCode,
      409,
      'a disabled endpoint is not tested',
    )
    assert.equal((await call('POST', `/v1/outbox/${pending.id}/retry`)).statusCode, 409)
    await call('PATCH', `/v1/endpoints/${id}`, { enabled: true })
    const retry = await call('POST', `/v1/outbox/${pending.id}/retry`)
    assert.equal(retry.statusCode, 200, retry.body)
    assert.equal(retry.json().status, 'pending')
    assert.equal(retry.json().attempts, 0)
    assert.equal((await call('POST', `/v1/outbox/${pending.id}/retry`)).statusCode, 409, 'only dead letters')
  })

  test('an email endpoint without a fixed address needs a test address; only admins manage endpoints', async () => {
    const email = await call('POST', '/v1/endpoints', { kind: 'email', name: 'Email the rep' })
    const res = await call('POST', `/v1/endpoints/${email.json().id}/test`, {})
    assert.equal(res.statusCode, 422)
    assert.equal(res.json().error.issues[0].path, 'to')
    for (const role of ['sales', 'marketing', 'rep'] as const) {
      const r = await t.app.inject({ method: 'PATCH', url: `/v1/endpoints/${id}`, headers: t.auth(role), payload: {} })
      assert.equal(r.statusCode, 403, role)
    }
  })
})
