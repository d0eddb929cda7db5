import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestApp, type TestApp } from '../helpers/app.ts'

function event(id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    type: 'page_view',
    occurred_at: '2026-11-20T14:03:00Z',
    person: { email: 'ana@acme.com', anonymous_id: 'a-1' },
    properties: { path: '/pricing' },
    context: { source: 'google', medium: 'cpc', campaign: 'q4-launch' },
    ...over,
  }
}

describe('POST /v1/events', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
  })
  after(() => t.close())

  const post = (body: unknown, role: Parameters<TestApp['auth']>[0] = 'ingest') =>
    t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth(role), payload: body as object })

  test('the README example batch is accepted and resolves the person and the account', async () => {
    const res = await post({ events: [event('evt_1')] })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), { received: 1, accepted: 1, duplicates: 0 })
    const person = await t.app.inject({ url: '/v1/people/ANA@acme.com', headers: t.auth('marketing') })
    assert.equal(person.statusCode, 200)
    const body = person.json()
    assert.equal(body.email, 'ana@acme.com')
    assert.equal(body.account.domain, 'acme.com')
    assert.equal(body.events.length, 1)
  })

  test('sending the same batch twice stores each event once', async () => {
    const batch = { events: [event('dup_1'), event('dup_2'), event('dup_1')] }
    const first = await post(batch)
    assert.deepEqual(first.json(), { received: 3, accepted: 2, duplicates: 1 })
    const second = await post(batch)
    assert.deepEqual(second.json(), { received: 3, accepted: 0, duplicates: 3 })
    const rows = await t.ctx.db.selectFrom('event').select('id').where('id', 'in', ['dup_1', 'dup_2']).execute()
    assert.equal(rows.length, 2)
  })

  test('a batch with one bad event writes nothing and names the bad event', async () => {
    const res = await post({
      events: [
        event('bad_1', { person: { email: 'new.person@newco.com' } }),
        event('bad_2', { occurred_at: 'yesterday' }),
      ],
    })
    assert.equal(res.statusCode, 422)
    const issues = res.json().error.issues as { path: string; message: string }[]
    assert.equal(issues.length, 1)
    assert.equal(issues[0]!.path, 'events[1].occurred_at')
    assert.match(issues[0]!.message, /ISO-8601/)
    const written = await t.ctx.db.selectFrom('event').select('id').where('id', 'in', ['bad_1', 'bad_2']).execute()
    assert.equal(written.length, 0)
    const person = await t.ctx.db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'new.person@newco.com')
      .execute()
    assert.equal(person.length, 0, 'no person half-written from a rejected batch')
  })

  test('unknown event types, bad emails and future events are each named', async () => {
    const res = await post({
      events: [
        event('u_1', { type: 'pageview' }),
        event('u_2', { person: { email: 'not-an-email' } }),
        event('u_3', { occurred_at: '2099-01-01T00:00:00Z' }),
      ],
    })
    assert.equal(res.statusCode, 422)
    const paths = (res.json().error.issues as { path: string }[]).map((i) => i.path)
    assert.deepEqual(paths, ['events[0].type', 'events[1].person.email', 'events[2].occurred_at'])
  })

  test('a missing id and an event without email or anonymous id are refused', async () => {
    const { id: _, ...noId } = event('x')
    const res = await post({ events: [noId, event('anon_missing', { person: {} })] })
    assert.equal(res.statusCode, 422)
    const issues = (res.json().error.issues as { path: string; message: string }[]).sort((a, b) =>
      a.path.localeCompare(b.path),
    )
    assert.deepEqual(issues, [
      { path: 'events[0].id', message: 'required (a string)' },
      { path: 'events[1].person', message: 'needs an email or an anonymous_id' },
    ])
  })

  test('malformed JSON is a 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...t.auth('ingest'), 'content-type': 'application/json' },
      payload: '{"events": [',
    })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().error.code, 'malformed')
  })

  test('a batch over 1,000 events is a 413', async () => {
    const events = Array.from({ length: 1001 }, (_, i) => event(`big_${i}`))
    const res = await post({ events })
    assert.equal(res.statusCode, 413)
    assert.match(res.json().error.message, /at most 1000/)
  })

  test('anonymous page views count for the person once they identify', async () => {
    const anon = await post({
      events: [
        event('s_1', { person: { anonymous_id: 'visitor-9' }, occurred_at: '2026-11-18T10:00:00Z' }),
        event('s_2', { person: { anonymous_id: 'visitor-9' }, occurred_at: '2026-11-18T10:05:00Z' }),
      ],
    })
    assert.equal(anon.json().accepted, 2)
    const identify = await post({
      events: [
        event('s_3', {
          type: 'form_submit',
          person: { email: 'Li.Wei@Globex.io', anonymous_id: 'visitor-9' },
          properties: { form: 'demo_request' },
        }),
      ],
    })
    assert.equal(identify.json().accepted, 1)
    const later = await post({ events: [event('s_4', { person: { anonymous_id: 'visitor-9' } })] })
    assert.equal(later.json().accepted, 1)
    const person = (await t.app.inject({ url: '/v1/people/li.wei@globex.io', headers: t.auth('admin') })).json()
    assert.deepEqual(person.events.map((e: { id: string }) => e.id).sort(), ['s_1', 's_2', 's_3', 's_4'])
    assert.equal(person.account.domain, 'globex.io')
  })

  test('concurrent batches introducing the same new people and visitors resolve each once', async () => {
    const batchFor = (lane: number) => ({
      events: Array.from({ length: 120 }, (_, i) =>
        event(`race_${lane}_${i}`, {
          person: { email: `racer${i}@race${i % 7}.com`, anonymous_id: `race-visitor-${i}` },
          occurred_at: '2026-11-19T09:00:00Z',
        }),
      ),
    })
    const results = await Promise.all([0, 1, 2, 3].map((lane) => post(batchFor(lane))))
    for (const r of results) assert.equal(r.statusCode, 200, r.body)
    const people = await t.ctx.db.selectFrom('person').select('email').where('email', 'like', 'racer%').execute()
    assert.equal(people.length, 120)
    const stitches = await t.ctx.db
      .selectFrom('anonymous_identity')
      .select(['anonymous_id', 'person_id'])
      .where('anonymous_id', 'like', 'race-visitor-%')
      .execute()
    assert.equal(stitches.length, 120)
    const unlinked = await t.ctx.db
      .selectFrom('event')
      .select('id')
      .where('id', 'like', 'race_%')
      .where('person_id', 'is', null)
      .execute()
    assert.equal(unlinked.length, 0)
  })

  test('concurrent batches repeating the same event ids store each once and count the rest as duplicates', async () => {
    // Every lane sends the same 200 ids (in a different order), so the batches race on every row of each other.
    const ids = Array.from({ length: 200 }, (_, i) => `same_${i}`)
    const batchFor = (lane: number) => ({
      events: (lane % 2 === 0 ? ids : [...ids].reverse()).map((id, i) =>
        event(id, { person: { email: `twin${i % 13}@twins.com`, anonymous_id: `twin-visitor-${i % 13}` } }),
      ),
    })
    const results = await Promise.all([0, 1, 2, 3].map((lane) => post(batchFor(lane))))
    for (const r of results) assert.equal(r.statusCode, 200, r.body)
    const counts = results.map((r) => r.json() as { received: number; accepted: number; duplicates: number })
    assert.equal(
      counts.reduce((n, c) => n + c.accepted, 0),
      200,
    )
    for (const c of counts) assert.equal(c.accepted + c.duplicates, 200)
    const rows = await t.ctx.db.selectFrom('event').select('id').where('id', 'like', 'same_%').execute()
    assert.equal(rows.length, 200)
  })

  test('events are stored exactly as sent, whatever their fields hold, by the copy and by the plain insert', async () => {
    const tricky = [
      'back\\slash',
      'tab\there',
      'line\nbreak',
      'carriage\rreturn',
      '\\N',
      'é ü 漢字 🚀',
      'quote \' " end',
    ]
    const batch = (prefix: string) =>
      tricky.map((text, i) =>
        event(`${prefix}_${i}_${text}`, {
          person: { anonymous_id: `odd visitor ${text}` },
          properties: { text, nested: { list: [text, null, 1.5, true] }, [`key ${text}`]: text },
          context: {
            source: text,
            medium: `m ${text}`,
            campaign: `c ${text}`,
            content: `x ${text}`,
            term: `t ${text}`,
          },
        }),
      )
    const read = (prefix: string) =>
      t.ctx.db
        .selectFrom('event')
        .select(['id', 'anonymous_id', 'properties', 'source', 'medium', 'campaign', 'content', 'term', 'occurred_at'])
        .where('id', 'like', `${prefix}\\_%`)
        .orderBy('id')
        .execute()
    const expected = (sent: ReturnType<typeof batch>) =>
      [...sent]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((e) => ({
          id: e.id,
          anonymous_id: e.person.anonymous_id,
          properties: e.properties,
          ...e.context,
          occurred_at: new Date('2026-11-20T14:03:00Z'),
        }))
    // A batch of new ids is copied; one that repeats a stored id is written by the insert that skips it.
    const copied = batch('copied')
    const res = await post({ events: copied })
    assert.deepEqual(res.json(), { received: copied.length, accepted: copied.length, duplicates: 0 })
    assert.deepEqual(await read('copied'), expected(copied))
    const inserted = batch('inserted')
    const again = await post({ events: [...inserted, copied[0]] })
    assert.deepEqual(again.json(), { received: inserted.length + 1, accepted: inserted.length, duplicates: 1 })
    assert.deepEqual(await read('inserted'), expected(inserted))
  })

  test('free-mail people get no account', async () => {
    await post({ events: [event('fm_1', { person: { email: 'someone@gmail.com' } })] })
    const person = (await t.app.inject({ url: '/v1/people/someone@gmail.com', headers: t.auth('admin') })).json()
    assert.equal(person.account, null)
    const acc = await t.app.inject({ url: '/v1/accounts/gmail.com', headers: t.auth('admin') })
    assert.equal(acc.statusCode, 404)
  })
})

describe('authentication and roles', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
  })
  after(() => t.close())

  test('health needs no key and names the database kind', async () => {
    const res = await t.app.inject({ url: '/health' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().status, 'ok')
    assert.ok(['embedded', 'server'].includes(res.json().database))
  })
  test('a missing key is a 401, and so is a wrong one', async () => {
    assert.equal((await t.app.inject({ url: '/v1/keys' })).statusCode, 401)
    assert.equal(
      (await t.app.inject({ url: '/v1/keys', headers: { authorization: 'Bearer acc_nope_nope_nope_nope' } }))
        .statusCode,
      401,
    )
  })
  test('an ingest key can send data and read nothing', async () => {
    const send = await t.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: t.auth('ingest'),
      payload: { accounts: [{ domain: 'initech.com' }] },
    })
    assert.equal(send.statusCode, 200)
    const read = await t.app.inject({ url: '/v1/accounts/initech.com', headers: t.auth('ingest') })
    assert.equal(read.statusCode, 403)
    assert.equal(read.json().error.code, 'forbidden')
  })
  test('an unknown route is a JSON 404', async () => {
    const res = await t.app.inject({ url: '/v1/nothing-here', headers: t.auth() })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().error.code, 'not_found')
  })
  test('a revoked key stops working at once', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: t.auth('admin'),
      payload: { name: 'temp', role: 'marketing' },
    })
    assert.equal(created.statusCode, 201)
    const { id, secret } = created.json()
    assert.equal(
      (await t.app.inject({ url: '/v1/agreement', headers: { authorization: `Bearer ${secret}` } })).statusCode !== 401,
      true,
    )
    const revoked = await t.app.inject({ method: 'DELETE', url: `/v1/keys/${id}`, headers: t.auth('admin') })
    assert.equal(revoked.statusCode, 200)
    assert.equal(
      (await t.app.inject({ url: '/v1/keys', headers: { authorization: `Bearer ${secret}` } })).statusCode,
      401,
    )
  })
  test('keys are stored hashed, never in clear', async () => {
    const rows = await t.ctx.db.selectFrom('api_key').select(['hash', 'prefix']).execute()
    for (const r of rows) {
      assert.match(r.hash, /^[0-9a-f]{64}$/)
      assert.ok(!Object.values(t.keys).includes(r.hash))
    }
  })
  test('only an admin manages keys', async () => {
    for (const role of ['marketing', 'sales', 'rep', 'ingest'] as const) {
      assert.equal((await t.app.inject({ url: '/v1/keys', headers: t.auth(role) })).statusCode, 403, role)
    }
  })
})
