/**
 * Pausing and resuming an SLA clock over HTTP. Dana requests a demo Friday 16:30 New York (1 business hour: due
 * Monday 09:30, warning 09:15). Monday 09:10 Ana reaches her assistant, who asks for a call back Tuesday 11:45: Ana
 * pauses the clock (waiting_on_lead, the Agreement's only pause reason). Nothing fires while paused. Tuesday 11:45
 * the sales lead resumes it: the 20 business minutes left now run from 11:45, so due 12:05 and warning 11:50 —
 * moved out by exactly the 11 business hours 5 minutes the pause lasted. Ana's touch at 12:00 meets it in time.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { findActiveEngine } from '../../src/agreement/active-agreement.ts'
import { businessTimeBetween, formatInZone } from '../../src/core/calendar/index.ts'
import { getHandoffPlan } from '../../src/handoff/handoff-plan.ts'
import { runTimers } from '../../src/handoff/run-timers.ts'
import { createHandoffApp, demoRequest, type HandoffTestApp, seedAccounts } from '../helpers/handoff.ts'

const MINUTE = 60_000
const ny = (v: string | null) => (v === null ? null : formatInZone(Date.parse(v), 'America/New_York'))

describe('pausing and resuming an SLA clock', () => {
  let t: HandoffTestApp
  let ana: { authorization: string }
  let ben: { authorization: string }
  const dana = 'dana@acme-health-0.com'
  const lee = 'lee@acme-health-1.com'

  const post = (headers: { authorization: string }, url: string, payload: object = {}) =>
    t.app.inject({ method: 'POST', url, headers, payload })
  const sla = async (email: string) =>
    (await t.app.inject({ url: `/v1/leads/${email}/sla`, headers: t.auth('sales') })).json().clocks[0]
  const historyCount = async () => (await t.ctx.db.selectFrom('sla_clock_event').select('id').execute()).length

  before(async () => {
    t = await createHandoffApp()
    await seedAccounts(t, ['acme-health-0.com', 'acme-health-1.com'])
    for (const [id, email, first] of [
      ['p-1', dana, 'Dana'],
      ['p-2', lee, 'Lee'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: t.auth('ingest'),
        payload: { events: [demoRequest(id, email, '2026-11-20T21:29:00Z', first, 'Reyes')] },
      })
      assert.equal(res.statusCode, 200, res.body)
    }
    ana = { authorization: `Bearer ${await t.repKey('ana_ruiz')}` }
    ben = { authorization: `Bearer ${await t.repKey('ben_cho')}` }
    assert.equal((await sla(dana)).rep_id, 'ana_ruiz')
  })
  after(() => t.close())

  test('the owner pauses for a reason the Agreement lists: business time stops and every timer is stood down', async () => {
    t.setNow('2026-11-23T14:10:00Z') // Monday 09:10 New York
    const res = await post(ana, `/v1/leads/${dana}/sla/pause`, {
      reason_code: 'waiting_on_lead',
      note: 'Her assistant asked for a call back Tuesday 11:45',
    })
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.equal(body.status, 'paused')
    assert.equal(body.consumedBusinessMs, 40 * MINUTE)
    assert.equal(body.remainingBusinessMs, 20 * MINUTE)
    assert.equal(body.dueAt, null)
    assert.equal(
      body.reason,
      'paused Mon 09:10: 40 business minutes used of 1 business hour, 20 business minutes remain',
    )

    const clock = await sla(dana)
    assert.equal(clock.status, 'paused')
    assert.equal(clock.due_at, null)
    assert.equal(clock.ticking, false)
    assert.equal(clock.remaining_business_ms, 20 * MINUTE)
    assert.ok(
      clock.timers.every(
        (x: { fired_at: string | null; outcome: string }) => x.outcome === 'obsolete: the clock is paused',
      ),
      JSON.stringify(clock.timers),
    )
    assert.deepEqual(
      clock.history.map((h: { kind: string; actor: string; reason_code: string | null }) => [
        h.kind,
        h.actor,
        h.reason_code,
      ]),
      [
        ['started', 'system', null],
        ['paused', 'rep:ana_ruiz', 'waiting_on_lead'],
      ],
    )
    assert.equal(clock.history[1].note, 'Her assistant asked for a call back Tuesday 11:45')
    assert.equal(clock.history[1].consumed_ms, 40 * MINUTE)

    const queue = (await t.app.inject({ url: '/v1/queue', headers: ana })).json()
    const row = queue.leads.find((l: { email: string }) => l.email === dana)
    assert.equal(row.sla_status, 'paused')
    assert.equal(row.pause_reason, 'waiting_on_lead')
    assert.equal(row.remaining_business_ms, 20 * MINUTE)
  })

  test('a reason outside sla.pause_when, a missing reason, another rep or a marketing key: refused, nothing written', async () => {
    const before = await historyCount()
    const other = await post(t.auth('sales'), `/v1/leads/${lee}/sla/pause`, { reason_code: 'meeting_scheduled' })
    assert.equal(other.statusCode, 422, other.body)
    assert.equal(other.json().error.issues[0].path, 'reason_code')
    assert.match(
      other.json().error.message,
      /"meeting_scheduled" is not a pause reason; expected one of waiting_on_lead/,
    )
    const missing = await post(t.auth('sales'), `/v1/leads/${lee}/sla/pause`, {})
    assert.equal(missing.statusCode, 422, missing.body)
    assert.equal(missing.json().error.issues[0].path, 'reason_code')
    const notHis = await post(ben, `/v1/leads/${dana}/sla/resume`)
    assert.equal(notHis.statusCode, 403, notHis.body)
    assert.match(notHis.json().error.message, /owned by ana_ruiz; a rep key acts only on its own leads/)
    const marketing = await post(t.auth('marketing'), `/v1/leads/${lee}/sla/pause`, { reason_code: 'waiting_on_lead' })
    assert.equal(marketing.statusCode, 403, marketing.body)
    const again = await post(ana, `/v1/leads/${dana}/sla/pause`, { reason_code: 'waiting_on_lead' })
    assert.equal(again.statusCode, 409, again.body)
    assert.match(again.json().error.message, /already paused since 2026-11-23T09:10-05:00/)
    const running = await post(t.auth('sales'), `/v1/leads/${lee}/sla/resume`)
    assert.equal(running.statusCode, 409, running.body)
    assert.match(running.json().error.message, /the SLA clock is running, not paused/)
    assert.equal(await historyCount(), before)
    assert.equal((await sla(lee)).status, 'running')
  })

  test('a clock past its due instant is not paused, and a breached one neither', async () => {
    t.setNow('2026-11-23T14:45:00Z') // Monday 09:45: Lee's clock was due 09:30
    const late = await post(t.auth('sales'), `/v1/leads/${lee}/sla/pause`, { reason_code: 'waiting_on_lead' })
    assert.equal(late.statusCode, 409, late.body)
    assert.match(late.json().error.message, /was due 2026-11-23T09:30-05:00; a clock past due is not paused/)
    t.setNow('2026-11-23T15:00:00Z')
    const round = await runTimers(t.ctx)
    const danaClock = await sla(dana)
    assert.deepEqual(
      round.fired.filter((f) => f.clockId === danaClock.id),
      [],
      'nothing fires for a paused clock',
    )
    assert.equal((await sla(lee)).status, 'breached')
    const breached = await post(t.auth('sales'), `/v1/leads/${lee}/sla/pause`, { reason_code: 'waiting_on_lead' })
    assert.equal(breached.statusCode, 409, breached.body)
    assert.match(breached.json().error.message, /breached at 2026-11-23T09:30-05:00; a breached clock is not paused/)
  })

  test('resuming moves due and warning out by the business time paused and re-arms the timers', async () => {
    t.setNow('2026-11-24T16:45:00Z') // Tuesday 11:45 New York
    const before = await sla(dana)
    const res = await post(t.auth('sales'), `/v1/leads/${dana}/sla/resume`, { note: 'Called back as agreed' })
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.equal(body.status, 'running')
    assert.equal(ny(body.dueAt), '2026-11-24T12:05:00-05:00')
    assert.equal(ny(body.warnAt), '2026-11-24T11:50:00-05:00')
    assert.equal(body.remainingBusinessMs, 20 * MINUTE)
    assert.match(body.reason, /^resumed Tue 11:45 after 11 business hours 5 minutes paused; due 2026-11-24T12:05-05:00/)

    // Out by the paused business time, in Ana's calendar: due Mon 09:30 + (Mon 09:10 → Tue 11:45 in business time).
    const active = await findActiveEngine(t.ctx, t.workspaceId, t.now())
    const calendar = getHandoffPlan(active!.engine, t.now()).calendar('new_york', t.now(), t.now())
    const paused = businessTimeBetween(Date.parse('2026-11-23T14:10:00Z'), t.now(), calendar)
    assert.equal(paused, 11 * 60 * MINUTE + 5 * MINUTE)
    assert.equal(businessTimeBetween(Date.parse('2026-11-23T14:30:00Z'), Date.parse(body.dueAt), calendar), paused)

    const clock = await sla(dana)
    assert.equal(clock.status, 'running')
    assert.equal(clock.ticking, true)
    assert.deepEqual(
      Object.fromEntries(
        clock.timers.map((x: { key: string; due_at: string; fired_at: string | null }) => [
          x.key,
          [ny(x.due_at), x.fired_at],
        ]),
      ),
      {
        warn: ['2026-11-24T11:50:00-05:00', null],
        breach: ['2026-11-24T12:05:00-05:00', null],
        'escalation:0': ['2026-11-24T12:05:00-05:00', null],
        'escalation:1': ['2026-11-24T13:05:00-05:00', null],
        'escalation:2': ['2026-11-24T16:05:00-05:00', null],
      },
    )
    assert.notDeepEqual(clock.timers, before.timers)
    const resumed = clock.history.at(-1)
    assert.equal(resumed.kind, 'resumed')
    assert.equal(resumed.actor, 'sales:sales key')
    assert.equal(resumed.note, 'Called back as agreed')
    assert.equal(ny(resumed.due_at), '2026-11-24T12:05:00-05:00')
  })

  test('the re-armed warning fires at its new instant, and a touch at 12:00 meets the clock in time', async () => {
    t.setNow('2026-11-24T16:55:00Z') // 11:55
    const round = await runTimers(t.ctx)
    const danaClock = await sla(dana)
    assert.deepEqual(
      round.fired.filter((f) => f.clockId === danaClock.id).map((f) => f.key),
      ['warn'],
    )
    t.setNow('2026-11-24T17:00:00Z') // 12:00
    const touch = await post(ana, `/v1/leads/${dana}/touch`, { channel: 'call' })
    assert.equal(touch.statusCode, 200, touch.body)
    assert.equal(touch.json().clock.status, 'met')
    assert.equal(touch.json().clock.late, false)
    const clock = await sla(dana)
    assert.equal(clock.consumed_business_ms, 55 * MINUTE)
    assert.deepEqual(
      clock.history.map((h: { kind: string }) => h.kind),
      ['started', 'paused', 'resumed', 'warned', 'met'],
    )
  })
})
