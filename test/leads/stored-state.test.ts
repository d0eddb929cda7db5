/**
 * A lead's engine state is stored in two parts (src/leads/stored-state.ts): batches that move only its aggregates write
 * `state_hot`, the others the whole state. Whatever the split, the stored state is the engine's: a lead scored over
 * several batches reads back exactly as the same events scored in one.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import type { LeadState } from '../../src/core/engine/index.ts'
import { onlyHotChanged, storedLeadState } from '../../src/leads/stored-state.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { activateAgreement } from '../helpers/handoff.ts'

const example = readFileSync('accord.example.yaml', 'utf8')

describe('stored lead state', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp({ now: () => Date.parse('2026-11-21T12:00:00Z') })
    await activateAgreement(t, example)
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: t.auth('ingest'),
      // Three accounts alike, one person each: an account's engagement is shared by its people.
      payload: {
        accounts: ['acme', 'beta', 'gamma'].map((name) => ({
          domain: `${name}-health.com`,
          industry: 'Healthcare',
          employees: 600,
          country: 'US',
        })),
      },
    })
    assert.equal(res.statusCode, 200, res.body)
  })
  after(() => t.close())

  const event = (
    email: string,
    n: number,
    at: string,
    type = 'page_view',
    properties: object = { path: '/pricing' },
  ) => ({
    id: `${email}-${n}`,
    type,
    occurred_at: at,
    person: { email, title: 'VP Compliance' },
    properties,
    context: { source: 'google', medium: 'cpc' },
  })
  const send = async (events: object[]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: { events },
    })
    assert.equal(res.statusCode, 200, res.body)
  }
  const stored = async (email: string) => {
    const r = await sql<{
      state: LeadState
      hot: unknown
      base_events: number
    }>`select ${storedLeadState('l')} as state,
        l.state_hot as hot, (l.state->>'events')::int as base_events
      from lead l join person p on p.id = l.person_id where p.email = ${email}`.execute(t.ctx.db)
    assert.equal(r.rows.length, 1)
    return r.rows[0]!
  }
  /** One history: Ana gets it batch by batch, Ben its first two events at once, Cara all three at once. */
  const history = [
    ['2026-11-17T10:00:00Z', 'page_view', { path: '/pricing' }],
    ['2026-11-18T10:00:00Z', 'page_view', { path: '/product' }],
    ['2026-11-19T10:00:00Z', 'form_submit', { form: 'demo_request' }],
  ] as const

  test('a batch that only moves the aggregates writes them alone; the state reads back whole', async () => {
    await send([event('ana@acme-health.com', 0, history[0][0], history[0][1], history[0][2])])
    const first = await stored('ana@acme-health.com')
    assert.equal(first.hot, null, 'a new lead is written whole')

    await send([event('ana@acme-health.com', 1, history[1][0], history[1][1], history[1][2])])
    const second = await stored('ana@acme-health.com')
    assert.notEqual(second.hot, null, 'a second page view changes only the aggregates')
    assert.equal(second.base_events, 1, 'the whole state was not rewritten')
    assert.equal(second.state.events, 2)

    await send(history.slice(0, 2).map(([at, type, props], i) => event('ben@beta-health.com', i, at, type, props)))
    assert.deepEqual(second.state, (await stored('ben@beta-health.com')).state)
  })

  test('a batch that moves the stage writes the whole state, equal to the same events scored at once', async () => {
    await send([event('ana@acme-health.com', 2, history[2][0], history[2][1], history[2][2])])
    const batched = await stored('ana@acme-health.com')
    await send(history.map(([at, type, props], i) => event('cara@gamma-health.com', i, at, type, props)))
    const once = await stored('cara@gamma-health.com')
    assert.equal(batched.hot, null, 'a stage change writes the whole state and clears the hot part')
    assert.notEqual(batched.state.stage, 'Lead')
    assert.deepEqual(batched.state, once.state)
  })

  test('onlyHotChanged compares everything but the hot keys, in any key order', () => {
    const s = { stage: 'Lead', fit: { score: 40, parts: [] }, aggregates: [1, 2], events: 1, lastEventAt: 5 }
    const json = JSON.stringify({
      events: 0,
      fit: { parts: [], score: 40 },
      stage: 'Lead',
      aggregates: [0],
      lastEventAt: 1,
    })
    assert.equal(onlyHotChanged(json, s as unknown as LeadState), true)
    assert.equal(onlyHotChanged(json, { ...s, stage: 'MQL' } as unknown as LeadState), false)
    assert.equal(onlyHotChanged(json, { ...s, fit: { score: 41, parts: [] } } as unknown as LeadState), false)
  })
})
