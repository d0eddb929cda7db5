/**
 * The Agreement's calendars over the API: weekly hours, the year's holidays with names and sources, overrides, open
 * now, and "when is it due?" / "how much business time between?" over the same core the SLA clock uses.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createHandoffApp, FRIDAY_1630_NY, type HandoffTestApp } from '../helpers/handoff.ts'

describe('calendars API', () => {
  let t: HandoffTestApp
  before(async () => {
    t = await createHandoffApp(FRIDAY_1630_NY)
  })
  after(() => t.close())

  const get = (url: string, role: 'admin' | 'rep' | 'ingest' = 'rep') =>
    t.app.inject({ method: 'GET', url, headers: t.auth(role) })

  test('each calendar lists its weekly windows, open now, and the year’s holidays with their names and sources', async () => {
    const res = await get('/v1/calendars?year=2026')
    assert.equal(res.statusCode, 200, res.body)
    const ny = res.json().calendars.find((c: { name: string }) => c.name === 'new_york')
    assert.equal(ny.time_zone, 'America/New_York')
    assert.equal(ny.local_now, '2026-11-20T16:30:00-05:00')
    assert.equal(ny.open_now, true, 'the test Agreement keeps New York open until 17:00 on Fridays')
    assert.equal(ny.next_change_at, '2026-11-20T22:00:00.000Z')
    assert.deepEqual(ny.weekly[0], { day: 'mon', windows: [{ start: 540, end: 1050, text: '09:00-17:30' }] })
    assert.deepEqual(ny.weekly[6], { day: 'sun', windows: [] })
    const byDate = Object.fromEntries(ny.holidays.dates.map((h: { date: string }) => [h.date, h]))
    assert.deepEqual(byDate['2026-11-26'], {
      date: '2026-11-26',
      weekday: 'thu',
      name: 'Thanksgiving Day',
      source: 'seeded',
    })
    assert.equal(byDate['2026-12-24'].source, 'added')
    assert.equal(byDate['2026-12-24'].name, 'Christmas Eve (company holiday)')
    assert.equal(byDate['2026-11-03'], undefined, 'Election Day is removed')
    assert.deepEqual(ny.holidays.removed, [{ date: '2026-11-03', name: 'Election Day — we work' }])
    assert.deepEqual(ny.overrides, [
      { date: '2026-11-27', hours: ['09:00-13:00'], note: 'Day after Thanksgiving — half day' },
    ])
    assert.deepEqual(ny.used_by.teams, ['na_east_sdr'])
    assert.ok(ny.used_by.reps.includes('ana_ruiz'))
    const berlin = res.json().calendars.find((c: { name: string }) => c.name === 'berlin')
    assert.equal(berlin.open_now, false, 'Friday 22:30 in Berlin')
    assert.equal(berlin.next_change_at, '2026-11-23T08:00:00.000Z', 'Monday 09:00 Berlin')
  })

  test('a lead created Friday 16:30 in New York with 1 business hour is due Monday 09:30', async () => {
    const res = await get('/v1/calendars/new_york/due?from=2026-11-20T16:30:00-05:00&duration=1h')
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().due, '2026-11-23T09:30:00-05:00')
    assert.equal(res.json().due_utc, '2026-11-23T14:30:00.000Z')
    assert.equal(res.json().business, '1 business hour')
  })

  test('without an offset the instant is local to the calendar, and without `from` it is now', async () => {
    const local = await get('/v1/calendars/berlin/due?from=2026-11-25T17:30&duration=1h')
    assert.equal(local.json().due, '2026-11-26T09:30:00+01:00')
    const now = await get('/v1/calendars/new_york/due?duration=4h')
    assert.equal(now.json().from, '2026-11-20T16:30:00-05:00')
    assert.equal(now.json().due, '2026-11-23T12:30:00-05:00')
  })

  test('business time between two instants skips Thanksgiving and the half day after it', async () => {
    const res = await get(
      `/v1/calendars/new_york/between?from=${encodeURIComponent('2026-11-25T15:00:00-05:00')}&to=${encodeURIComponent('2026-11-30T12:00:00-05:00')}`,
    )
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().business_ms, 9.5 * 3_600_000)
    assert.equal(res.json().business, '9 business hours 30 minutes')
  })

  test('bad input names the field; an unknown calendar lists the real ones; ingest keys read nothing', async () => {
    const duration = await get('/v1/calendars/new_york/due?duration=2d')
    assert.equal(duration.statusCode, 422)
    assert.equal(duration.json().error.issues[0].path, 'duration')
    const from = await get('/v1/calendars/new_york/due?duration=1h&from=friday')
    assert.equal(from.statusCode, 422)
    assert.equal(from.json().error.issues[0].path, 'from')
    const unknown = await get('/v1/calendars/nyc/due?duration=1h')
    assert.equal(unknown.statusCode, 404)
    assert.match(unknown.json().error.message, /berlin, new_york, san_francisco/)
    assert.equal((await get('/v1/calendars', 'ingest')).statusCode, 403)
  })
})
