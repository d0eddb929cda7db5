/**
 * Open leads are re-decided without an event when what they are judged on changes: their account is enriched, an
 * account signal arrives, or a new Agreement version becomes active — each in the transaction of that change (or,
 * for activation, by the worker's sweep), with reasons that say why, and without rewriting past transitions.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { startWorkers } from '../../src/handoff/workers.ts'
import { reevaluateOpenLeads } from '../../src/leads/reevaluate-open-leads.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { activateAgreement } from '../helpers/handoff.ts'

const example = readFileSync('accord.example.yaml', 'utf8')
const MQL_WHEN = 'when: "fit >= 60 && (intent >= 40 || signals.pricing_interest'

type Transition = {
  to_stage: string
  at: string
  explanation: string
  reasons: string[]
  agreement_version_id: number | null
}

describe('re-deciding open leads without an event', () => {
  let t: TestApp
  let now = Date.parse('2026-11-21T12:00:00Z')
  let v1: number
  before(async () => {
    t = await createTestApp({ now: () => now })
    v1 = await activate(example)
  })
  after(() => t.close())

  const activate = (yaml: string) => activateAgreement(t, yaml)
  const post = async (url: string, payload: object, status = 200) => {
    const res = await t.app.inject({ method: 'POST', url, headers: t.auth('ingest'), payload })
    assert.equal(res.statusCode, status, res.body)
    return res.json()
  }
  /** Three pricing views in a week: the pricing_interest signal holds, so fit alone decides MQL. */
  const pricingViews = (email: string) =>
    post('/v1/events', {
      events: ['2026-11-18T10:00:00Z', '2026-11-19T10:00:00Z', '2026-11-20T10:00:00Z'].map((at, i) => ({
        id: `${email}-${i}`,
        type: 'page_view',
        occurred_at: at,
        person: { email, title: 'VP Compliance' },
        properties: { path: '/pricing' },
        context: { source: 'google', medium: 'cpc' },
      })),
    })
  const lead = async (email: string) => {
    const res = await t.app.inject({ url: `/v1/leads/${encodeURIComponent(email)}`, headers: t.auth('marketing') })
    assert.equal(res.statusCode, 200, res.body)
    return res.json() as {
      stage: string
      tier: string | null
      scores: { fit: { score: number } }
      agreement: { version_id: number }
      transitions: Transition[]
    }
  }
  const transitionsTo = (l: { transitions: Transition[] }, stage: string) =>
    l.transitions.filter((x) => x.to_stage === stage)

  test('enriching the account completes the fit: the lead becomes MQL and is handed off in that write', async () => {
    const email = 'dana@globex-care.com'
    await pricingViews(email)
    const before = await lead(email)
    assert.equal(before.stage, 'Lead', 'nothing is known about the account yet')

    await post('/v1/accounts', {
      accounts: [{ domain: 'globex-care.com', industry: 'Healthcare', employees: 450, country: 'US' }],
    })
    const after = await lead(email)
    assert.equal(after.stage, 'MQL')
    assert.equal(after.scores.fit.score, 60)
    const [mql] = transitionsTo(after, 'MQL')
    assert.equal(new Date(mql!.at).toISOString(), new Date(now).toISOString(), 'decided when the record changed')
    assert.match(mql!.explanation, /fit 60 ≥ 60 \(Target industry \+25, Mid-market head count \(200–2,000\) \+20/)
    const routed = await sql<{ n: number }>`select count(*)::int as n from assignment a join lead l on l.id = a.lead_id
        join person p on p.id = l.person_id where p.email = ${email} and a.reason = 'routed'`.execute(t.ctx.db)
    assert.equal(routed.rows[0]!.n, 1, 'routed in the same transaction as the enrichment')
  })

  test('an account signal adds its situational points; re-sending it changes nothing', async () => {
    const email = 'eli@initech-health.com'
    // Healthcare 25 + mid-market 20 + revenue 10 = 55, country not a target: below the MQL line of 60.
    await post('/v1/accounts', {
      accounts: [
        { domain: 'initech-health.com', industry: 'Healthcare', employees: 300, revenue: 50_000_000, country: 'BR' },
      ],
    })
    await pricingViews(email)
    assert.equal((await lead(email)).stage, 'Lead')

    const signal = { domain: 'initech-health.com', type: 'compliance_deadline', at: '2026-11-10T00:00:00Z' }
    assert.deepEqual(await post('/v1/account-signals', { signals: [signal] }), {
      received: 1,
      created: 1,
      duplicates: 0,
    })
    const after = await lead(email)
    assert.equal(after.stage, 'MQL')
    assert.equal(after.scores.fit.score, 65)
    assert.match(transitionsTo(after, 'MQL')[0]!.explanation, /Audit or compliance deadline announced \+10/)

    assert.deepEqual(await post('/v1/account-signals', { signals: [signal] }), {
      received: 1,
      created: 0,
      duplicates: 1,
    })
    assert.equal(transitionsTo(await lead(email), 'MQL').length, 1)
  })

  test('a bad signal names its field and nothing of the batch is written', async () => {
    const good = { domain: 'hooli-med.com', type: 'funding_round', at: '2026-11-01T00:00:00Z' }
    const res = await post(
      '/v1/account-signals',
      {
        signals: [
          good,
          { domain: 'hooli-med.com', type: 'ipo', at: '2026-11-01T00:00:00Z' },
          { domain: 'hooli-med.com', type: 'hiring_surge', at: '2027-01-01T00:00:00Z' },
          { domain: 'not a domain', type: 'hiring_surge', at: '2026-11-01T00:00:00Z' },
        ],
      },
      422,
    )
    const { issues } = res.error
    assert.deepEqual(
      issues.map((i: { path: string }) => i.path),
      ['signals[1].type', 'signals[2].at', 'signals[3].domain'],
    )
    assert.match(issues[0].message, /unknown account signal type "ipo"; known types: .*funding_round/)
    const account = await t.app.inject({ url: '/v1/accounts/hooli-med.com', headers: t.auth('marketing') })
    assert.equal(account.statusCode, 404, 'not even the account was created')
  })

  test('a new Agreement version re-evaluates open leads from its activation on, keeping past transitions', async () => {
    const email = 'fay@umbrella-clinics.com'
    await post('/v1/accounts', {
      accounts: [{ domain: 'umbrella-clinics.com', industry: 'Healthcare', employees: 300, country: 'BR' }],
    })
    await pricingViews(email)
    const before = await lead(email)
    assert.equal(before.stage, 'Lead', 'fit 45 is below 60')
    assert.equal(before.agreement.version_id, v1)

    now += 60_000
    assert.ok(example.includes(MQL_WHEN))
    const v2 = await activate(example.replace(MQL_WHEN, MQL_WHEN.replace('fit >= 60', 'fit >= 45')))
    assert.equal((await lead(email)).stage, 'Lead', 'nothing moves until the sweep (or an event) reaches it')

    let swept = 0
    for (;;) {
      const r = await reevaluateOpenLeads(t.ctx, t.workspaceId, { batch: 2 })
      assert.equal(r.versionId, v2)
      if (r.leads === 0) break
      swept += r.leads
    }
    assert.ok(swept >= 3, `every open lead was visited (${swept})`)
    const after = await lead(email)
    assert.equal(after.stage, 'MQL')
    assert.equal(after.agreement.version_id, v2)
    const [mql] = transitionsTo(after, 'MQL')
    assert.equal(mql!.agreement_version_id, v2)
    assert.match(mql!.explanation, new RegExp(`re-evaluated under agreement v${v2}`))
    assert.equal(new Date(mql!.at).toISOString(), new Date(now).toISOString())
    // The MQLs made under v1 keep v1.
    const dana = await lead('dana@globex-care.com')
    assert.equal(dana.agreement.version_id, v2)
    assert.equal(transitionsTo(dana, 'MQL')[0]!.agreement_version_id, v1)
    assert.equal(transitionsTo(dana, 'MQL').length, 1, 'an MQL is not made twice')
  })

  test('the workers sweep by themselves after a version is activated', async () => {
    const email = 'gus@wayne-care.com'
    await post('/v1/accounts', {
      accounts: [{ domain: 'wayne-care.com', industry: 'Healthcare', employees: 300, country: 'BR' }],
    })
    now += 60_000
    const v3 = await activate(example.replace(MQL_WHEN, MQL_WHEN.replace('fit >= 60', 'fit >= 70')))
    await pricingViews(email)
    assert.equal((await lead(email)).stage, 'Lead')
    now += 60_000
    const v4 = await activate(example.replace(MQL_WHEN, MQL_WHEN.replace('fit >= 60', 'fit >= 40')))
    assert.notEqual(v3, v4)
    const workers = startWorkers(t.ctx, { pollMs: 20 })
    try {
      for (let i = 0; i < 500 && (await lead(email)).stage !== 'MQL'; i++) await new Promise((r) => setTimeout(r, 20))
    } finally {
      await workers.stop()
    }
    const after = await lead(email)
    assert.equal(after.stage, 'MQL')
    assert.equal(after.agreement.version_id, v4)
  })
})
