import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { createTestApp, type TestApp } from '../helpers/app.ts'

const example = readFileSync('accord.example.yaml', 'utf8')

/** Proposes accord.example.yaml and signs it for both sides, so it is the Agreement in force. */
async function activateExample(t: TestApp): Promise<void> {
  const proposed = await t.app.inject({
    method: 'POST',
    url: '/v1/agreements',
    headers: { ...t.auth('marketing'), 'content-type': 'application/yaml' },
    payload: example,
  })
  const { id } = proposed.json()
  await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('marketing') })
  const signed = await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('sales') })
  assert.equal(signed.json().state, 'active')
}

function pageView(id: string, email: string, at: string, path = '/pricing') {
  return {
    id,
    type: 'page_view',
    occurred_at: at,
    person: { email, title: 'VP Compliance' },
    properties: { path },
    context: { source: 'google', medium: 'cpc', campaign: 'q4-search' },
  }
}

describe('qualification over HTTP', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp({ now: () => Date.parse('2026-11-21T12:00:00Z') })
    await activateExample(t)
    // A fitting account: Healthcare +25, 200–2,000 employees +20, US +15, runs on AWS +10, $20M–$1B revenue +10 = 80.
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: t.auth('ingest'),
      payload: {
        accounts: [
          {
            domain: 'acme-health.com',
            name: 'Acme Health',
            industry: 'Healthcare',
            employees: 450,
            country: 'US',
            state: 'NY',
            technologies: ['AWS'],
            revenue: 50_000_000,
          },
          { domain: 'tinyshop.io', name: 'Tiny Shop', industry: 'Retail', employees: 8, country: 'US' },
        ],
      },
    })
    assert.equal(res.statusCode, 200)
  })
  after(() => t.close())

  const send = (events: unknown[]) =>
    t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: { events } })
  const lead = async (email: string) => {
    const res = await t.app.inject({ url: `/v1/leads/${encodeURIComponent(email)}`, headers: t.auth('marketing') })
    assert.equal(res.statusCode, 200, res.body)
    return res.json()
  }

  test('a lead becomes MQL exactly at the third pricing view inside 7 days, with the reasons', async () => {
    const ana = 'ana@acme-health.com'
    await send([pageView('q1', ana, '2026-11-14T10:00:00Z'), pageView('q2', ana, '2026-11-17T10:00:00Z')])
    const before = await lead(ana)
    assert.equal(before.stage, 'Lead')
    assert.equal(before.scores.fit.score, 80)
    await send([pageView('q3', ana, '2026-11-20T14:03:00Z')])
    const after = await lead(ana)
    assert.equal(after.stage, 'MQL')
    const mql = after.transitions.find((x: { to_stage: string }) => x.to_stage === 'MQL')
    assert.equal(new Date(mql.at).toISOString(), '2026-11-20T14:03:00.000Z')
    assert.match(mql.explanation, /^MQL at 2026-11-20 14:03 UTC under agreement v\d+ \([0-9a-f]{6,}\): fit 80 ≥ 60/)
    assert.match(mql.explanation, /pricing_interest/)
    assert.match(mql.explanation, /Nov 14, 17, 20/)
    assert.equal(after.tier, 'warm', 'an MQL without a demo request is warm (4 business hours)')
    assert.equal(after.explanation, mql.explanation, 'why this stage is the last transition’s sentence')
    assert.equal(after.fit, after.scores.fit.score, 'the stored fit is the one the scores explain')
    assert.equal(after.scores_unavailable, null)
    assert.equal(after.handoff, 'ready')
    assert.deepEqual(after.needs_data, [])
    assert.ok(
      after.scores.fit.lines.some((l: string) => l.startsWith('Target industry +25')),
      JSON.stringify(after.scores.fit.lines),
    )
  })

  test('a demo request from a fit account makes the lead hot', async () => {
    const ben = 'ben@acme-health.com'
    await send([
      {
        id: 'd1',
        type: 'form_submit',
        occurred_at: '2026-11-20T16:00:00Z',
        person: { email: ben, title: 'CISO' },
        properties: { form: 'demo_request' },
        context: { source: 'linkedin' },
      },
    ])
    const b = await lead(ben)
    assert.equal(b.stage, 'MQL')
    assert.equal(b.tier, 'hot')
    assert.match(b.transitions.at(-1).explanation, /demo_request/)
  })

  test('a disqualifier beats the signals: a tiny company never qualifies and the reason is named', async () => {
    const cy = 'cy@tinyshop.io'
    await send([
      {
        id: 'x1',
        type: 'form_submit',
        occurred_at: '2026-11-20T16:00:00Z',
        person: { email: cy, title: 'Owner' },
        properties: { form: 'demo_request' },
        context: { source: 'google' },
      },
    ])
    const c = await lead(cy)
    assert.equal(c.stage, 'Disqualified')
    assert.equal(c.disqualified_reason, 'too_small')
  })

  test('an anonymous visitor’s earlier pricing views count once they identify', async () => {
    const dee = 'dee@acme-health.com'
    await send([
      { ...pageView('v1', dee, '2026-11-18T09:00:00Z'), person: { anonymous_id: 'anon-dee' } },
      { ...pageView('v2', dee, '2026-11-18T09:05:00Z'), person: { anonymous_id: 'anon-dee' } },
    ])
    await send([
      {
        ...pageView('v3', dee, '2026-11-19T09:00:00Z'),
        person: { email: dee, anonymous_id: 'anon-dee', title: 'Compliance Manager' },
      },
    ])
    const d = await lead(dee)
    assert.equal(d.stage, 'MQL', 'the two anonymous views plus the identified one make three in 7 days')
  })

  test('leads are listed by stage and tier, and a rep sees only their own', async () => {
    const mqls = await t.app.inject({ url: '/v1/leads?stage=MQL', headers: t.auth('sales') })
    assert.equal(mqls.statusCode, 200)
    assert.ok(mqls.json().total >= 3)
    assert.ok(mqls.json().leads.every((l: { stage: string }) => l.stage === 'MQL'))
    const hot = await t.app.inject({ url: '/v1/leads?tier=hot', headers: t.auth('sales') })
    assert.deepEqual(
      hot.json().leads.map((l: { email: string }) => l.email),
      ['ben@acme-health.com'],
    )
    const mine = await t.app.inject({ url: '/v1/leads', headers: t.auth('rep') })
    assert.equal(mine.json().total, 0, 'no lead is routed to this rep yet')
    const other = await t.app.inject({ url: '/v1/leads/ana@acme-health.com', headers: t.auth('rep') })
    assert.equal(other.statusCode, 404)
  })

  test('concurrent batches scoring the same people, sent in any order, all succeed and keep one open lead each', async () => {
    // People created one by one in reverse alphabetical order, so their ids run against their emails' order: identity
    // resolution and qualification must still lock them in one order, or concurrent batches deadlock.
    const emails = Array.from({ length: 40 }, (_, i) => `racer${String(i).padStart(2, '0')}@racers.org`)
    for (const email of [...emails].reverse()) {
      const res = await send([pageView(`racer_seed_${email}`, email, '2026-11-20T08:00:00Z', '/blog')])
      assert.equal(res.statusCode, 200, res.body)
    }
    const batch = (lane: number) =>
      emails.flatMap((email, i) =>
        [0, 1, 2].map((k) => ({
          ...pageView(`racer_${lane}_${i}_${k}`, email, `2026-11-20T1${lane}:0${k}:00Z`),
          person: { email, title: `Title ${lane}` },
        })),
      )
    const results = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((lane) => send(batch(lane))))
    for (const r of results) assert.equal(r.statusCode, 200, r.body)
    const open = await t.ctx.db
      .selectFrom('lead')
      .innerJoin('person', 'person.id', 'lead.person_id')
      .select(['person.email', 'lead.id'])
      .where('person.email', 'like', '%@racers.org')
      .where('lead.closed_at', 'is', null)
      .execute()
    assert.deepEqual(open.map((l) => l.email).sort(), emails)
    const stored = await t.ctx.db.selectFrom('event').select('id').where('id', 'like', 'racer_%').execute()
    assert.equal(stored.length, emails.length * (1 + 8 * 3))
  })
})
