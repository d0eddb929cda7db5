import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { createTestApp, type TestApp } from '../helpers/app.ts'

const example = readFileSync('accord.example.yaml', 'utf8')
const yaml = { 'content-type': 'application/yaml' }

describe('the Agreement over HTTP', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
  })
  after(() => t.close())

  test('before any version is signed there is no active Agreement', async () => {
    const res = await t.app.inject({ url: '/v1/agreement', headers: t.auth('marketing') })
    assert.equal(res.statusCode, 404)
  })

  test('an invalid Agreement is refused with every problem, its path and its line', async () => {
    const bad = example
      .replace('points: 25', 'points: ten')
      .replace('account.industry in lists', 'acount.industry in lists')
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements',
      headers: { ...t.auth('marketing'), ...yaml },
      payload: bad,
    })
    assert.equal(res.statusCode, 422)
    const issues = res.json().error.issues as { path: string; line: number; message: string }[]
    const points = issues.find((i) => i.path === 'icp.fit[0].points')
    assert.ok(points, JSON.stringify(issues))
    assert.match(points.message, /expected a number, got "ten"/)
    assert.equal(bad.split('\n')[points.line - 1]!.trim(), 'points: ten')
    const field = issues.find((i) => i.path === 'icp.fit[0].when')
    assert.match(field!.message, /unknown field `acount`/)
    const stored = await t.app.inject({ url: '/v1/agreements', headers: t.auth('marketing') })
    assert.deepEqual(stored.json().versions, [], 'nothing stored')
  })

  test('a version becomes active only when both marketing and sales have signed it', async () => {
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements',
      headers: { ...t.auth('marketing'), ...yaml },
      payload: example,
    })
    assert.equal(proposed.statusCode, 201)
    const { id, hash, state } = proposed.json()
    assert.equal(state, 'proposed')
    assert.match(hash, /^[0-9a-f]{64}$/)

    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements',
      headers: { ...t.auth('sales'), 'content-type': 'application/json' },
      payload: { source: example },
    })
    assert.equal(again.statusCode, 200, 'the same content is the same version')
    assert.equal(again.json().id, id)

    const byMarketing = await t.app.inject({
      method: 'POST',
      url: `/v1/agreements/${hash.slice(0, 10)}/sign`,
      headers: t.auth('marketing'),
    })
    assert.equal(byMarketing.statusCode, 200)
    assert.equal(byMarketing.json().state, 'proposed')
    const twice = await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('marketing') })
    assert.equal(twice.statusCode, 409)

    const byAdmin = await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('admin') })
    assert.equal(byAdmin.statusCode, 403, 'an admin cannot sign for a team')
    const byRep = await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('rep') })
    assert.equal(byRep.statusCode, 403)

    const bySales = await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('sales') })
    assert.equal(bySales.json().state, 'active')
    assert.deepEqual(
      bySales.json().signatures.map((s: { side: string; signer: string }) => [s.side, s.signer]),
      [
        ['marketing', 'marketing key'],
        ['sales', 'sales key'],
      ],
    )
    const active = await t.app.inject({ url: '/v1/agreement', headers: t.auth('rep') })
    assert.equal(active.json().hash, hash)
    assert.equal(active.json().source, example)
  })

  test('a proposed change shows its semantic diff against the active version', async () => {
    const v2 = example.replace('fit >= 60 && (intent', 'fit >= 65 && (intent')
    const check = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements/validate',
      headers: { ...t.auth('sales'), ...yaml },
      payload: v2,
    })
    assert.equal(check.statusCode, 200)
    assert.match(check.json().diffAgainstActive.text, /MQL: fit >= 60 .*→ fit >= 65/)
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements',
      headers: { ...t.auth('sales'), ...yaml },
      payload: v2,
    })
    const diff = await t.app.inject({ url: `/v1/agreements/${proposed.json().id}/diff`, headers: t.auth('marketing') })
    assert.equal(diff.statusCode, 200)
    assert.deepEqual(
      diff.json().changes.map((c: { section: string; kind: string }) => [c.section, c.kind]),
      [['stages', 'changed']],
    )
    const history = await t.app.inject({ url: '/v1/agreements', headers: t.auth('marketing') })
    assert.deepEqual(
      history.json().versions.map((v: { state: string }) => v.state),
      ['proposed', 'active'],
    )
  })

  test('an ingest key cannot read the Agreement', async () => {
    const res = await t.app.inject({ url: '/v1/agreement', headers: t.auth('ingest') })
    assert.equal(res.statusCode, 403)
  })

  test('ingestion accepts only the event types of the active Agreement', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: {
        events: [{ id: 'e1', type: 'pageview', occurred_at: '2026-11-20T10:00:00Z', person: { email: 'a@b.com' } }],
      },
    })
    assert.equal(res.statusCode, 422)
    assert.match(res.json().error.issues[0].message, /unknown event type "pageview"; known types: page_view/)
  })
})
