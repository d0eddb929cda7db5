/**
 * Editing a calendar: a new Agreement version whose New York calendar gained a holiday, then changed hours.
 * Running clocks are re-planned (due, warning and timers) and re-stamped with the new version; a breached clock and
 * a met clock keep everything they had; a clock already past due under the old calendar is left to the timer
 * poller, which breaches it with its notification.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { formatInZone } from '../../src/core/calendar/index.ts'
import { recomputeClocks } from '../../src/handoff/recompute-clocks.ts'
import { runTimers } from '../../src/handoff/run-timers.ts'
import {
  activateAgreement,
  createHandoffApp,
  demoRequest,
  type HandoffTestApp,
  handoffAgreement,
  seedAccounts,
} from '../helpers/handoff.ts'

const ny = (v: Date | string | null) =>
  v === null ? null : formatInZone(typeof v === 'string' ? Date.parse(v) : v.getTime(), 'America/New_York')

/** The handoff Agreement with New York's company holidays extended (the first `add:` list is New York's). */
function withNewYorkHoliday(text: string, date: string): string {
  const list = 'add: [{ date: 2026-12-24, name: Christmas Eve (company holiday) }]'
  assert.ok(text.indexOf(list) < text.indexOf('san_francisco:'), 'the first list is New York’s')
  return text.replace(
    list,
    `add: [{ date: 2026-12-24, name: Christmas Eve (company holiday) }, { date: ${date}, name: Office closed }]`,
  )
}

describe('recomputing SLA clocks after a calendar edit', () => {
  let t: HandoffTestApp
  const ann = 'ann@acme-health-0.com'
  const bo = 'bo@acme-health-1.com'
  const cy = 'cy@acme-health-2.com'
  const dee = 'dee@acme-health-3.com'

  type ClockRow = Awaited<ReturnType<typeof clockOf>>
  async function clockOf(email: string) {
    return t.ctx.db
      .selectFrom('sla_clock as c')
      .innerJoin('lead as l', 'l.id', 'c.lead_id')
      .innerJoin('person as p', 'p.id', 'l.person_id')
      .select(['c.id', 'c.status', 'c.due_at', 'c.warn_at', 'c.agreement_version_id', 'c.state', 'c.updated_at'])
      .where('p.email', '=', email)
      .orderBy('c.id')
      .executeTakeFirstOrThrow()
  }
  async function timersOf(clock: ClockRow) {
    const rows = await t.ctx.db
      .selectFrom('sla_timer')
      .select(['key', 'due_at', 'fired_at', 'outcome'])
      .where('clock_id', '=', clock.id)
      .orderBy('key')
      .execute()
    return rows.map((r) => ({ key: r.key, due: ny(r.due_at), fired: r.fired_at !== null, outcome: r.outcome }))
  }
  async function send(id: string, email: string, at: number) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: { events: [demoRequest(id, email, new Date(at - 60_000).toISOString())] },
    })
    assert.equal(res.statusCode, 200, res.body)
  }

  let annBefore: ClockRow
  let annTimersBefore: Awaited<ReturnType<typeof timersOf>>
  let boBefore: ClockRow
  let firstVersion: number

  before(async () => {
    // Thursday 19 Nov, 10:00 New York: Ann and Bo request demos (1 business hour: due 11:00).
    t = await createHandoffApp('2026-11-19T15:00:00Z')
    await seedAccounts(t, ['acme-health-0.com', 'acme-health-1.com', 'acme-health-2.com', 'acme-health-3.com'])
    await send('r-ann', ann, t.now())
    await send('r-bo', bo, t.now())
    // Bo is called at 10:20 (met); at 11:10 the poller breaches Ann's clock.
    t.setNow('2026-11-19T15:20:00Z')
    const touch = await t.app.inject({
      method: 'POST',
      url: `/v1/leads/${bo}/touch`,
      headers: t.auth('sales'),
      payload: { channel: 'call' },
    })
    assert.equal(touch.json().clock.status, 'met', touch.body)
    t.setNow('2026-11-19T16:10:00Z')
    assert.deepEqual((await runTimers(t.ctx)).fired.map((f) => f.key).sort(), ['breach', 'escalation:0'])
    // Friday 10:00: Dee (due 11:00, and nobody runs the poller); 16:30: Cy (due Monday 09:30).
    t.setNow('2026-11-20T15:00:00Z')
    await send('r-dee', dee, t.now())
    t.setNow('2026-11-20T21:30:00Z')
    await send('r-cy', cy, t.now())

    annBefore = await clockOf(ann)
    annTimersBefore = await timersOf(annBefore)
    boBefore = await clockOf(bo)
    firstVersion = annBefore.agreement_version_id
    assert.equal(annBefore.status, 'breached')
    assert.equal(boBefore.status, 'met')
    const cyClock = await clockOf(cy)
    assert.equal(ny(cyClock.due_at), '2026-11-23T09:30:00-05:00')
    assert.equal(ny(cyClock.warn_at), '2026-11-23T09:15:00-05:00')
  })
  after(() => t.close())

  test('a new holiday on Monday moves a running clock’s due, warning and timers to Tuesday', async () => {
    // Friday 16:45: 15 of Cy's 60 business minutes are used; the rest now runs Friday 16:45–17:00 and Tuesday.
    t.setNow('2026-11-20T21:45:00Z')
    await activateAgreement(t, withNewYorkHoliday(handoffAgreement(), '2026-11-23'))
    const result = await recomputeClocks(t.ctx, t.workspaceId)
    const cyClock = await clockOf(cy)
    assert.deepEqual(
      result.recomputed.map((r) => r.clockId),
      [cyClock.id],
    )
    assert.match(
      result.recomputed[0]!.reason,
      /^recomputed: due 2026-11-24T09:30-05:00: 45 business minutes remaining of 1 business hour/,
    )
    assert.equal(cyClock.status, 'running')
    assert.equal(ny(cyClock.due_at), '2026-11-24T09:30:00-05:00')
    assert.equal(ny(cyClock.warn_at), '2026-11-24T09:15:00-05:00')
    assert.notEqual(cyClock.agreement_version_id, firstVersion, 'stamped with the version now in force')
    assert.deepEqual(await timersOf(cyClock), [
      { key: 'breach', due: '2026-11-24T09:30:00-05:00', fired: false, outcome: null },
      { key: 'escalation:0', due: '2026-11-24T09:30:00-05:00', fired: false, outcome: null },
      { key: 'escalation:1', due: '2026-11-24T10:30:00-05:00', fired: false, outcome: null },
      { key: 'escalation:2', due: '2026-11-24T13:30:00-05:00', fired: false, outcome: null },
      { key: 'warn', due: '2026-11-24T09:15:00-05:00', fired: false, outcome: null },
    ])

    const sla = await t.app.inject({ url: `/v1/leads/${cy}/sla`, headers: t.auth('sales') })
    assert.equal(sla.statusCode, 200, sla.body)
    assert.match(sla.json().clocks[0].due_reason, /^due 2026-11-24T09:30-05:00/)
    const recomputed = sla.json().clocks[0].history.at(-1)
    assert.equal(recomputed.kind, 'recomputed')
    assert.equal(recomputed.actor, 'system')
    assert.equal(recomputed.consumed_ms, 15 * 60_000)
    assert.equal(ny(recomputed.due_at), '2026-11-24T09:30:00-05:00')
  })

  test('breached and met clocks are never touched: same state, instants, timers and version', async () => {
    const ann2 = await clockOf(ann)
    const bo2 = await clockOf(bo)
    assert.deepEqual(ann2, annBefore)
    assert.deepEqual(await timersOf(ann2), annTimersBefore)
    assert.deepEqual(bo2, boBefore)
  })

  test('a clock past due under the old calendar is left to the poller, which breaches it and escalates', async () => {
    const deeClock = await clockOf(dee)
    assert.equal(deeClock.status, 'running', 'not re-planned, not breached behind the poller’s back')
    assert.equal(deeClock.agreement_version_id, firstVersion)
    const round = await runTimers(t.ctx)
    const fired = round.fired.filter((f) => f.clockId === deeClock.id)
    assert.deepEqual(
      fired.map((f) => f.key),
      ['breach', 'escalation:0', 'escalation:1'],
    )
    assert.match(fired[0]!.reason, /^breach at 2026-11-20T11:00-05:00: no first touch/)
    const after = await timersOf(await clockOf(dee))
    assert.equal(after.find((x) => x.key === 'breach')?.outcome, fired[0]!.reason)
  })

  test('changed opening hours re-plan the running clock again, from the business time already used', async () => {
    // Monday 23 Nov 12:00 (a holiday now): Tuesday opens at 10:00 instead of 09:00.
    t.setNow('2026-11-23T17:00:00Z')
    const later = withNewYorkHoliday(handoffAgreement(), '2026-11-23').replace(
      'tue: ["09:00-17:30"]',
      'tue: ["10:00-17:30"]',
    )
    assert.notEqual(later, withNewYorkHoliday(handoffAgreement(), '2026-11-23'))
    await activateAgreement(t, later)
    const result = await recomputeClocks(t.ctx, t.workspaceId)
    const cyClock = await clockOf(cy)
    assert.ok(result.recomputed.some((r) => r.clockId === cyClock.id))
    assert.equal(ny(cyClock.due_at), '2026-11-24T10:30:00-05:00')
    assert.equal(ny(cyClock.warn_at), '2026-11-24T10:15:00-05:00')
    const timers = await timersOf(cyClock)
    assert.equal(timers.find((x) => x.key === 'breach')?.due, '2026-11-24T10:30:00-05:00')
    assert.equal(timers.find((x) => x.key === 'warn')?.due, '2026-11-24T10:15:00-05:00')
  })
})
