/**
 * The rep status through the API: reps and teams read with live state, out of office and active set without a new
 * Agreement version, roles, bad input, and routing that honours it with a trace that says why.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createApiKey } from '../../src/auth/create-api-key.ts'
import type { RepView } from '../../src/reps/reps.queries.ts'
import { createWorkspace } from '../../src/workspace/create-workspace.ts'
import {
  activateAgreement,
  createHandoffApp,
  demoRequest,
  type HandoffTestApp,
  handoffAgreement,
  seedAccounts,
} from '../helpers/handoff.ts'

/** Monday 2026-11-23 10:00 New York: na_east is working; Omar is away all month; Ivan is inactive. */
const MONDAY_10_NY = '2026-11-23T15:00:00Z'

describe('rep status', () => {
  let t: HandoffTestApp
  let anaKey: string
  before(async () => {
    t = await createHandoffApp(MONDAY_10_NY)
    anaKey = await t.repKey('ana_ruiz')
    await seedAccounts(
      t,
      Array.from({ length: 12 }, (_, i) => `clinic-${i}.com`),
    )
  })
  after(() => t.close())

  const put = (repId: string, payload: unknown, headers: Record<string, string> = t.auth('admin')) =>
    t.app.inject({ method: 'PUT', url: `/v1/reps/${repId}/status`, headers, payload: payload as object })

  async function demo(i: number) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: { events: [demoRequest(`rs-${i}`, `buyer@clinic-${i}.com`, '2026-11-23T14:59:00Z')] },
    })
    assert.equal(res.statusCode, 200, res.body)
    const a = await t.app.inject({
      method: 'GET',
      url: `/v1/leads/${encodeURIComponent(`buyer@clinic-${i}.com`)}/assignment`,
      headers: t.auth('admin'),
    })
    assert.equal(a.statusCode, 200, a.body)
    return a.json().current as { rep_id: string; explanation: string[]; trace: unknown }
  }

  test('GET /v1/reps lists the Agreement’s reps with live state: calendar open now, pools, caps, availability', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/reps', headers: t.auth('marketing') })
    assert.equal(res.statusCode, 200, res.body)
    const reps = res.json().reps as RepView[]
    const ana = reps.find((r) => r.id === 'ana_ruiz')!
    assert.equal(ana.team.id, 'na_east_sdr')
    assert.deepEqual(ana.calendar, {
      name: 'new_york',
      time_zone: 'America/New_York',
      open_now: true,
      next_change_at: '2026-11-23T22:30:00.000Z',
    })
    assert.deepEqual(ana.pools, [
      { pool: 'na_east', weight: 2 },
      { pool: 'enterprise_overflow', weight: 1 },
    ])
    assert.deepEqual(ana.availability, { available: true, reason: null, text: null })
    assert.deepEqual(ana.load, { today: 0, this_week: 0 })
    const omar = reps.find((r) => r.id === 'omar_diaz')!
    assert.equal(omar.availability.available, false)
    assert.equal(omar.availability.text, 'out of office until Dec 31 (Sabbatical)')
    assert.equal(omar.out_of_office.current?.source, 'agreement')
    const ivan = reps.find((r) => r.id === 'ivan_petrov')!
    assert.equal(ivan.active, false)
    assert.equal(ivan.availability.text, 'inactive')
    const felix = reps.find((r) => r.id === 'felix_braun')!
    assert.equal(felix.calendar.open_now, true, 'Berlin 16:00 is inside 13:30-18:00')
  })

  test('a rep marked out of office through the API gets no new leads, and the routing trace says why', async () => {
    const marked = await put(
      'ana_ruiz',
      {
        out_of_office: [{ from: '2026-11-23', to: '2026-11-24', note: 'Flu' }],
        note: 'Ben covers her accounts',
      },
      t.auth('sales'),
    )
    assert.equal(marked.statusCode, 200, marked.body)
    const body = marked.json()
    assert.equal(body.availability.available, false)
    assert.equal(body.availability.text, 'out of office until Nov 24 (Flu; set in rep status)')
    assert.deepEqual(body.status.out_of_office, [{ from: '2026-11-23', to: '2026-11-24', note: 'Flu' }])
    assert.equal(body.status.updated_by, 'sales:sales key')
    assert.equal(body.history.length, 1)

    const owners = []
    for (let i = 0; i < 6; i++) owners.push(await demo(i))
    assert.ok(
      owners.every((o) => o.rep_id !== 'ana_ruiz'),
      owners.map((o) => o.rep_id).join(),
    )
    assert.deepEqual(
      [...new Set(owners.map((o) => o.rep_id))].sort(),
      ['ben_cho', 'chloe_adams'],
      'ana’s turns go to the others in the pool',
    )
    assert.match(
      owners[0]!.explanation.join('\n'),
      /Ana Ruiz skipped: out of office until Nov 24 \(Flu; set in rep status\)/,
    )
    assert.match(JSON.stringify(owners[0]!.trace), /"source":"rep_status"/)

    const reps = (await t.app.inject({ method: 'GET', url: '/v1/reps', headers: t.auth('admin') })).json().reps
    const ben = reps.find((r: { id: string }) => r.id === 'ben_cho')
    assert.equal(ben.load.today + reps.find((r: { id: string }) => r.id === 'chloe_adams').load.today, 6)
    assert.ok(ben.open_leads >= 1)
    assert.ok(ben.sla.running >= 1)
  })

  test('clearing the absence puts the rep back in the round robin at once', async () => {
    const cleared = await put('ana_ruiz', { out_of_office: [] })
    assert.equal(cleared.statusCode, 200, cleared.body)
    assert.equal(cleared.json().availability.available, true)
    assert.equal(cleared.json().status.note, 'Ben covers her accounts', 'an absent field keeps its stored value')
    const owner = await demo(6)
    assert.equal(owner.rep_id, 'ana_ruiz')
  })

  test('switching a rep off overrides the Agreement; null follows the Agreement again', async () => {
    const off = await put('ana_ruiz', { active: false })
    assert.equal(off.json().active, false)
    assert.equal(off.json().active_in_agreement, true)
    const owner = await demo(7)
    assert.notEqual(owner.rep_id, 'ana_ruiz')
    assert.match(owner.explanation.join('\n'), /Ana Ruiz skipped: inactive \(set in rep status\)/)
    const on = await put('ivan_petrov', { active: true })
    assert.equal(on.json().active, true, 'an Agreement-inactive rep can be switched on')
    const back = await put('ivan_petrov', { active: null })
    assert.equal(back.json().active, false)
    await put('ana_ruiz', { active: null, note: null })
  })

  test('a rep sets their own out of office, reads only their own status, and cannot switch themselves on or off', async () => {
    const own = { authorization: `Bearer ${anaKey}` }
    const list = await t.app.inject({ method: 'GET', url: '/v1/reps', headers: own })
    assert.deepEqual(
      list.json().reps.map((r: { id: string }) => r.id),
      ['ana_ruiz'],
    )
    const mine = await put(
      'ana_ruiz',
      { out_of_office: [{ from: '2026-12-24', to: '2026-12-31', note: 'Holidays' }] },
      own,
    )
    assert.equal(mine.statusCode, 200, mine.body)
    assert.equal(mine.json().status.updated_by, 'rep:ana_ruiz')
    assert.deepEqual(
      mine.json().out_of_office.upcoming.map((a: { until: string }) => a.until),
      ['2026-12-31'],
    )
    const active = await put('ana_ruiz', { active: false }, own)
    assert.equal(active.statusCode, 403)
    assert.equal(active.json().error.issues[0].path, 'active')
    const other = await put('ben_cho', { out_of_office: [] }, own)
    assert.equal(other.statusCode, 403)
    const read = await t.app.inject({ method: 'GET', url: '/v1/reps/ben_cho', headers: own })
    assert.equal(read.statusCode, 403)
    const teams = await t.app.inject({ method: 'GET', url: '/v1/teams', headers: own })
    assert.equal(teams.statusCode, 403)
  })

  test('marketing reads reps but may not set a status; an ingest key reads nothing', async () => {
    assert.equal((await put('ben_cho', { active: false }, t.auth('marketing'))).statusCode, 403)
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/reps', headers: t.auth('ingest') })).statusCode, 403)
  })

  test('bad input is refused naming each field, and nothing is written', async () => {
    const before = await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'rep_status.set').execute()
    const bad = await put('ben_cho', {
      out_of_office: [
        { from: '2026-11-25', to: '2026-11-24' },
        { from: 'monday', to: '2026-11-30' },
        { from: '2026-11-23T09:00:00-05:00', to: '2026-11-24' },
      ],
    })
    assert.equal(bad.statusCode, 422, bad.body)
    assert.deepEqual(
      bad.json().error.issues.map((i: { path: string }) => i.path),
      ['out_of_office[0].to', 'out_of_office[1].from', 'out_of_office[2].to'],
    )
    assert.match(bad.json().error.issues[0].message, /ends \(2026-11-24\) before it starts \(2026-11-25\)/)
    const unknownField = await put('ben_cho', { activ: false })
    assert.equal(unknownField.statusCode, 422)
    const unknownRep = await put('zoe', { active: false })
    assert.equal(unknownRep.statusCode, 404)
    assert.match(unknownRep.json().error.message, /rep zoe is not in the active Agreement/)
    const after = await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'rep_status.set').execute()
    assert.equal(after.length, before.length)
    const stored = await t.ctx.db.selectFrom('rep_status').select('rep_id').where('rep_id', '=', 'ben_cho').execute()
    assert.equal(stored.length, 0)
  })

  test('teams show their manager, calendar and how many members can take a lead now', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/teams', headers: t.auth('sales') })
    assert.equal(res.statusCode, 200, res.body)
    const east = res.json().teams.find((x: { id: string }) => x.id === 'na_east_sdr')
    assert.equal(east.manager.name, 'Dana Whitaker')
    assert.equal(east.calendar.open_now, true)
    assert.ok(east.reps.includes('ana_ruiz') && east.reps.includes('hannah_wu'))
    // Ana, Ben, Chloe and Hannah are available; Omar is away and Ivan inactive.
    assert.equal(east.available_now, 4)
  })

  test('pools show each member’s weight, caps and counts, why they would be skipped now, and who is next', async () => {
    await put('ben_cho', { out_of_office: [{ from: '2026-11-23', to: '2026-11-23', note: 'Offsite' }] })
    const res = await t.app.inject({ method: 'GET', url: '/v1/pools', headers: t.auth('admin') })
    assert.equal(res.statusCode, 200, res.body)
    const east = res.json().pools.find((p: { id: string }) => p.id === 'na_east')
    assert.equal(east.backup, 'na_west')
    assert.deepEqual([...east.backup_for].sort(), ['emea', 'na_west'])
    assert.deepEqual(east.rules, [{ number: 5, name: 'Everyone else' }])
    assert.ok(east.state.version >= 8)
    const byRep = Object.fromEntries(east.members.map((m: { rep: string }) => [m.rep, m]))
    assert.equal(byRep.ben_cho.status, 'skipped')
    assert.equal(byRep.ben_cho.reason_text, 'out of office until Nov 23 (Offsite; set in rep status)')
    assert.equal(byRep.omar_diaz.reason.kind, 'out_of_office')
    assert.equal(byRep.ivan_petrov.reason_text, 'inactive')
    assert.equal(byRep.ana_ruiz.capacity.daily, 500)
    assert.equal(byRep.ana_ruiz.share, 2 / 8)
    assert.equal(east.next_rep, [byRep.ana_ruiz, byRep.chloe_adams].find((m) => m.status === 'next').rep)
    const total = east.members.reduce((n: number, m: { load: { today: number } }) => n + m.load.today, 0)
    assert.equal(total, 8, 'every lead routed today through na_east is counted once')
  })

  test('another workspace never sees this one’s rep status, nor routes by it', async () => {
    await put('greta_lind', { out_of_office: [{ from: '2026-11-23', to: '2026-11-30', note: 'Away' }] })
    const other = await createWorkspace(t.ctx, { slug: 'other', name: 'Other workspace' })
    const keys: Record<string, string> = {}
    for (const role of ['admin', 'marketing', 'sales'] as const)
      keys[role] = (await createApiKey(t.ctx, { workspaceId: other.id, name: role, role, repId: null })).secret
    const otherAuth = (role: 'admin' | 'marketing' | 'sales' = 'admin') => ({ authorization: `Bearer ${keys[role]}` })
    await activateAgreement({ ...t, auth: otherAuth }, handoffAgreement())
    const reps = await t.app.inject({ method: 'GET', url: '/v1/reps', headers: otherAuth() })
    const greta = reps.json().reps.find((r: { id: string }) => r.id === 'greta_lind')
    assert.equal(greta.status, null)
    assert.equal(greta.out_of_office.current, null)
    assert.equal(greta.availability.available, true)
    const mine = await t.app.inject({ method: 'GET', url: '/v1/reps/greta_lind', headers: t.auth('admin') })
    assert.equal(mine.json().availability.available, false)
  })
})
