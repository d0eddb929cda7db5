/**
 * Stage moves people and the CRM make: forward to SQL / Opportunity / Won / Lost, the explicit re-open, and the new
 * lead cycle a person's next event starts after a closed one.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { createTestApp, type TestApp } from '../helpers/app.ts'

const example = readFileSync('accord.example.yaml', 'utf8')

type Lead = {
  id: number
  cycle: number
  stage: string
  transitions: { from_stage: string | null; to_stage: string; rule: string; actor: string; reasons: string[] }[]
}

describe('stage moves and lead cycles', () => {
  let t: TestApp
  let now = Date.parse('2026-11-23T15:00:00Z') // Monday 10:00 in New York
  before(async () => {
    t = await createTestApp({ now: () => now })
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements',
      headers: { ...t.auth('marketing'), 'content-type': 'application/yaml' },
      payload: example,
    })
    const { id } = proposed.json()
    await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('marketing') })
    await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('sales') })
    const accounts = await t.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: t.auth('ingest'),
      payload: {
        accounts: [{ domain: 'acme-health.com', industry: 'Healthcare', employees: 450, country: 'US', state: 'NY' }],
      },
    })
    assert.equal(accounts.statusCode, 200, accounts.body)
  })
  after(() => t.close())

  let seq = 0
  const demoRequest = async (email: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: {
        events: [
          {
            id: `demo-${++seq}`,
            type: 'form_submit',
            occurred_at: new Date(now).toISOString(),
            person: { email, title: 'CISO' },
            properties: { form: 'demo_request' },
            context: { source: 'google' },
          },
        ],
      },
    })
    assert.equal(res.statusCode, 200, res.body)
  }
  const call = (url: string, payload: object, role: 'sales' | 'rep' = 'sales') =>
    t.app.inject({ method: 'POST', url, headers: t.auth(role), payload })
  const lead = async (ref: string | number): Promise<Lead> => {
    const res = await t.app.inject({ url: `/v1/leads/${encodeURIComponent(ref)}`, headers: t.auth('marketing') })
    assert.equal(res.statusCode, 200, res.body)
    return res.json()
  }

  const sla = async (ref: string): Promise<{ status: string; rep_id: string; started_at: string }[]> => {
    const res = await t.app.inject({ url: `/v1/leads/${encodeURIComponent(ref)}/sla`, headers: t.auth('marketing') })
    assert.equal(res.statusCode, 200, res.body)
    return res.json().clocks
  }
  const assignments = async (
    ref: string,
  ): Promise<{
    current: { id: number; rep_id: string } | null
    assignments: { id: number; rep_id: string; ended_at: string | null }[]
  }> => {
    const res = await t.app.inject({
      url: `/v1/leads/${encodeURIComponent(ref)}/assignment`,
      headers: t.auth('marketing'),
    })
    assert.equal(res.statusCode, 200, res.body)
    return res.json()
  }

  test('forward from SAL to SQL, Opportunity and Won, each recorded with actor and reason; Won closes the cycle', async () => {
    const email = 'dana@acme-health.com'
    await demoRequest(email)
    assert.equal((await lead(email)).stage, 'MQL')
    now += 10 * 60_000
    assert.equal((await call(`/v1/leads/${email}/touch`, { channel: 'call' })).statusCode, 200)
    const accepted = await call(`/v1/leads/${email}/disposition`, {
      outcome: 'accept',
      reason_code: 'qualified_meeting_booked',
    })
    assert.equal(accepted.statusCode, 200, accepted.body)

    const sql = await call(`/v1/leads/${email}/stage`, { to: 'SQL', reason: 'discovery held: budget owner confirmed' })
    assert.equal(sql.statusCode, 200, sql.body)
    assert.deepEqual(
      { from: sql.json().from, stage: sql.json().stage, closed: sql.json().closed },
      { from: 'SAL', stage: 'SQL', closed: false },
    )
    assert.equal((await call(`/v1/leads/${email}/stage`, { to: 'Opportunity', reason: 'opp 0061' })).statusCode, 200)
    const won = await call(`/v1/leads/${email}/stage`, { to: 'Won', reason: 'contract signed' })
    assert.equal(won.json().closed, true)

    const l = await lead(email)
    assert.equal(l.stage, 'Won')
    const moves = l.transitions.filter((x) => x.rule === 'stage.advance')
    assert.deepEqual(
      moves.map((m) => [m.from_stage, m.to_stage, m.actor, m.reasons[0]]),
      [
        ['SAL', 'SQL', 'sales:sales key', 'discovery held: budget owner confirmed'],
        ['SQL', 'Opportunity', 'sales:sales key', 'opp 0061'],
        ['Opportunity', 'Won', 'sales:sales key', 'contract signed'],
      ],
    )
  })

  test('the leads list filters by the state of the latest SLA clock and shows it', async () => {
    const list = async (query: string) => {
      const res = await t.app.inject({ url: `/v1/leads?${query}`, headers: t.auth('sales') })
      assert.equal(res.statusCode, 200, res.body)
      return res.json().leads as { email: string; sla_status: string | null; sla_due_at: string | null }[]
    }
    const met = await list('sla=met')
    assert.deepEqual(
      met.map((l) => [l.email, l.sla_status]),
      [['dana@acme-health.com', 'met']],
    )
    assert.ok(met[0]!.sla_due_at)
    assert.deepEqual(await list('sla=running'), [])
    const bad = await t.app.inject({ url: '/v1/leads?sla=late', headers: t.auth('sales') })
    assert.equal(bad.statusCode, 422)
    assert.match(bad.body, /sla/)
  })

  test('a closed lead refuses further forward moves', async () => {
    const res = await call('/v1/leads/dana@acme-health.com/stage', { to: 'Lost', reason: 'changed mind' })
    assert.equal(res.statusCode, 409, res.body)
    assert.match(res.json().error.message, /a Won lead is closed: re-open it or start a new cycle/)
  })

  test("the person's next event starts cycle 2 at Lead; the closed cycle cannot be re-opened while it is open", async () => {
    const first = await lead('dana@acme-health.com')
    now += 86_400_000
    await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: {
        events: [
          {
            id: 'after-won',
            type: 'page_view',
            occurred_at: new Date(now).toISOString(),
            person: { email: 'dana@acme-health.com' },
            properties: { path: '/docs/sso' },
          },
        ],
      },
    })
    const second = await lead('dana@acme-health.com')
    assert.notEqual(second.id, first.id)
    assert.equal(second.cycle, 2)
    assert.equal(second.stage, 'Lead')
    const started = second.transitions.find((x) => x.rule === 'new_cycle')
    assert.ok(started, JSON.stringify(second.transitions))
    assert.deepEqual(started.reasons, ['cycle 1 ended in Won', 'page_view after the Won cycle'])

    const reopen = await call(`/v1/leads/${first.id}/reopen`, { reason: 'closed by mistake' })
    assert.equal(reopen.statusCode, 409, reopen.body)
    assert.match(reopen.json().error.message, new RegExp(`cycle 2 \\(lead ${second.id}\\) is open`))
  })

  test('Lost from MQL, then re-opened at Lead with the reason; the engine takes over again', async () => {
    const email = 'eve@acme-health.com'
    await demoRequest(email)
    const lost = await call(`/v1/leads/${email}/stage`, { to: 'Lost', reason: 'went with a competitor' })
    assert.equal(lost.statusCode, 200, lost.body)
    const reopened = await call(`/v1/leads/${email}/reopen`, { reason: 'competitor deal fell through' })
    assert.equal(reopened.statusCode, 200, reopened.body)
    assert.deepEqual([reopened.json().from, reopened.json().stage], ['Lost', 'Lead'])
    const l = await lead(email)
    assert.equal(l.cycle, 1, 're-opening keeps the cycle')
    const r = l.transitions.at(-1)!
    assert.equal(r.rule, 'stage.reopen')
    assert.deepEqual(r.reasons, ['re-opened from Lost: competitor deal fell through'])
    now += 60_000
    await demoRequest(email)
    assert.equal((await lead(email)).stage, 'MQL', 'a re-opened lead qualifies again by itself')
    const clocks = await sla(email)
    assert.deepEqual(
      clocks.map((c) => c.status),
      ['running', 'cancelled'],
      'qualifying again, it is handed off again with a new clock',
    )
  })

  test('Lost from SQL, re-opened at MQL: handed off again at once — routed, a new clock, the rep notified', async () => {
    const email = 'frank@acme-health.com'
    await demoRequest(email)
    now += 5 * 60_000
    assert.equal((await call(`/v1/leads/${email}/touch`, { channel: 'call' })).statusCode, 200)
    await call(`/v1/leads/${email}/disposition`, { outcome: 'accept', reason_code: 'qualified_meeting_booked' })
    await call(`/v1/leads/${email}/stage`, { to: 'SQL', reason: 'discovery held' })
    // An endpoint (never delivered to here) so handoffs write their notifications to the outbox.
    const endpoint = await t.app.inject({
      method: 'POST',
      url: '/v1/endpoints',
      headers: t.auth('admin'),
      payload: { kind: 'webhook', name: 'CRM', url: 'http://127.0.0.1:9/hooks' },
    })
    assert.equal(endpoint.statusCode, 201, endpoint.body)
    const lost = await call(`/v1/leads/${email}/stage`, { to: 'Lost', reason: 'no budget this year' })
    assert.equal(lost.statusCode, 200, lost.body)
    const before = await assignments(email)
    assert.equal(before.current?.rep_id, before.assignments[0]!.rep_id, 'a Lost lead keeps its owner')

    now += 60 * 60_000
    const reopened = await call(`/v1/leads/${email}/reopen`, { to: 'MQL', reason: 'budget approved after all' })
    assert.equal(reopened.statusCode, 200, reopened.body)
    const after = await assignments(email)
    assert.equal(after.assignments.length, before.assignments.length + 1, 'routed again')
    assert.equal(reopened.json().handedOffTo, after.current!.rep_id)
    assert.ok(
      after.assignments.slice(1).every((a) => a.ended_at !== null),
      'the earlier assignment ended',
    )
    const clocks = await sla(email)
    assert.deepEqual(
      clocks.map((c) => c.status),
      ['running', 'met'],
    )
    assert.equal(clocks[0]!.rep_id, after.current!.rep_id)
    assert.equal(Date.parse(clocks[0]!.started_at), now)
    const l = await lead(email)
    assert.equal(l.stage, 'MQL')
    const handedOff = await t.ctx.db
      .selectFrom('outbox')
      .select(['payload'])
      .where('topic', '=', 'lead.handed_off')
      .where('lead_id', '=', l.id)
      .orderBy('id')
      .execute()
    assert.equal(handedOff.length, 1, 'the new handoff is notified (the endpoint came after the first)')
    assert.match(JSON.stringify(handedOff[0]!.payload), new RegExp(`"assignment_id":${after.current!.id}\\b`))
  })

  test('bad moves name the field; a rep acts only on its own leads', async () => {
    const backward = await call('/v1/leads/eve@acme-health.com/stage', { to: 'MQL', reason: 'x' })
    assert.equal(backward.statusCode, 422)
    assert.match(backward.body, /"path":"to"/)
    const noReason = await call('/v1/leads/eve@acme-health.com/stage', { to: 'SQL', reason: '  ' })
    assert.equal(noReason.statusCode, 422)
    assert.match(noReason.body, /say why/)
    const rep = await call('/v1/leads/eve@acme-health.com/stage', { to: 'SQL', reason: 'mine now' }, 'rep')
    assert.equal(rep.statusCode, 403, rep.body)
    assert.equal((await lead('eve@acme-health.com')).stage, 'MQL', 'nothing moved')
  })
})
