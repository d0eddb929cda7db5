import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  applyRepStatuses,
  checkOutOfOffice,
  decideRoute,
  explainRoute,
  findOwnerUnavailability,
  listCurrentAndUpcomingAbsences,
  type Rep,
} from './index.ts'
import { assignedRep, everyoneToPool, MONDAY_10AM_NY, makePool, makeRep } from './routing-fixtures.ts'

const pool = makePool('na', { ana: 2, ben: 1 })

function route(reps: readonly Rep[]) {
  return decideRoute({
    rules: [everyoneToPool('na')],
    input: { accountOwnerId: null, fields: {} },
    reps,
    pools: [pool],
    poolStates: {},
    load: {},
    now: MONDAY_10AM_NY,
  })
}

describe('rep status merged into routing', () => {
  test('a rep marked out of office in the rep status is skipped, and the trace says the status set it', () => {
    const reps = applyRepStatuses(
      [makeRep('ana'), makeRep('ben')],
      [{ repId: 'ana', active: null, outOfOffice: [{ from: '2026-11-23', to: '2026-11-24', note: 'Flu' }] }],
    )
    const decision = route(reps)
    assert.equal(assignedRep(decision), 'ben')
    assert.match(explainRoute(decision.trace)[0]!, /Ana skipped: out of office until Nov 24 \(Flu; set in rep status\)/)
  })

  test('an absence from the Agreement reads as before: no source in the trace', () => {
    const reps = [makeRep('ana', { outOfOffice: [{ from: '2026-11-23', to: '2026-11-24' }] }), makeRep('ben')]
    const decision = route(applyRepStatuses(reps, []))
    assert.match(explainRoute(decision.trace)[0]!, /Ana skipped: out of office until Nov 24;/)
    assert.equal(JSON.stringify(decision.trace).includes('rep_status'), false)
  })

  test('switching a rep off in the status overrides the Agreement, and switching one on re-activates them', () => {
    const off = route(
      applyRepStatuses([makeRep('ana'), makeRep('ben')], [{ repId: 'ana', active: false, outOfOffice: [] }]),
    )
    assert.equal(assignedRep(off), 'ben')
    assert.match(explainRoute(off.trace)[0]!, /Ana skipped: inactive \(set in rep status\)/)
    const on = applyRepStatuses(
      [makeRep('ana', { active: false }), makeRep('ben')],
      [{ repId: 'ana', active: true, outOfOffice: [] }],
    )
    assert.equal(assignedRep(route(on)), 'ana', 'the heavier member, back on, takes the first turn')
  })

  test('reps without a status keep their objects, and no statuses at all returns the same array', () => {
    const reps = [makeRep('ana'), makeRep('ben')]
    assert.equal(applyRepStatuses(reps, []), reps)
    const merged = applyRepStatuses(reps, [
      { repId: 'ben', active: false, outOfOffice: [] },
      { repId: 'zoe', active: false, outOfOffice: [] },
    ])
    assert.equal(merged[0], reps[0])
    assert.equal(merged[1]!.active, false)
    assert.equal(merged.length, 2, 'a status for a rep the Agreement does not list adds no one')
  })

  test('a status that repeats what the Agreement says changes nothing', () => {
    const reps = [makeRep('ana')]
    const merged = applyRepStatuses(reps, [{ repId: 'ana', active: true, outOfOffice: [] }])
    assert.equal(merged[0], reps[0])
    assert.equal(findOwnerUnavailability(merged[0]!, MONDAY_10AM_NY), null)
  })

  test('an absence given as instants ends at its instant, in the rep status too', () => {
    const [ana] = applyRepStatuses(
      [makeRep('ana')],
      [{ repId: 'ana', active: null, outOfOffice: [{ from: '2026-11-23T14:00:00Z', to: '2026-11-23T17:00:00Z' }] }],
    )
    assert.deepEqual(findOwnerUnavailability(ana!, MONDAY_10AM_NY), {
      kind: 'out_of_office',
      until: '2026-11-23T12:00-05:00',
      timeZone: 'America/New_York',
      source: 'rep_status',
    })
    assert.equal(findOwnerUnavailability(ana!, Date.parse('2026-11-23T17:00:00Z')), null)
  })

  test('current and upcoming absences are listed in start order, ended ones left out', () => {
    const ana = makeRep('ana', {
      outOfOffice: [
        { from: '2026-12-21', to: '2027-01-01', note: 'Holidays' },
        { from: '2026-11-01', to: '2026-11-02' },
        { from: '2026-11-23', to: '2026-11-23', note: 'Dentist' },
      ],
    })
    assert.deepEqual(
      listCurrentAndUpcomingAbsences(ana, MONDAY_10AM_NY).map((a) => [a.until, a.note]),
      [
        ['2026-11-23', 'Dentist'],
        ['2027-01-01', 'Holidays'],
      ],
    )
  })
})

describe('checkOutOfOffice', () => {
  const zone = 'America/New_York'
  test('dates and date-times with an offset are accepted, an end before the start is refused', () => {
    assert.equal(checkOutOfOffice({ from: '2026-11-23', to: '2026-11-23' }, zone).ok, true, 'a single day')
    assert.equal(
      checkOutOfOffice({ from: '2026-11-23T09:00:00-05:00', to: '2026-11-23T13:00:00-05:00' }, zone).ok,
      true,
    )
    assert.deepEqual(checkOutOfOffice({ from: '2026-11-25', to: '2026-11-24' }, zone), {
      ok: false,
      field: 'to',
      message: 'ends (2026-11-24) before it starts (2026-11-25)',
    })
  })

  test('unreadable, unreal and mixed bounds are refused naming the field', () => {
    assert.deepEqual(checkOutOfOffice({ from: 'next monday', to: '2026-11-24' }, zone), {
      ok: false,
      field: 'from',
      message:
        'expected a date (YYYY-MM-DD) or a date-time with an offset (2026-11-24T13:00:00-05:00), got "next monday"',
    })
    assert.equal(checkOutOfOffice({ from: '2026-11-23T09:00', to: '2026-11-24' }, zone).ok, false, 'no offset')
    const unreal = checkOutOfOffice({ from: '2026-02-30', to: '2026-03-01' }, zone)
    assert.deepEqual(unreal, { ok: false, field: 'from', message: 'not a real date: 2026-02-30' })
    const mixed = checkOutOfOffice({ from: '2026-11-23', to: '2026-11-24T12:00:00Z' }, zone)
    assert.equal(mixed.ok === false && mixed.field, 'to')
  })
})
