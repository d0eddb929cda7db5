import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { simulateEvents } from './simulate-events.ts'
import type { SimEvent } from './types.ts'

const START = '2026-10-01'

function collect(seed: number, persons: number, batchSize = 1000): { batches: SimEvent[][]; total: number } {
  const batches: SimEvent[][] = []
  const gen = simulateEvents({ seed, start: START, persons, batchSize })
  let r = gen.next()
  while (!r.done) {
    batches.push(r.value)
    r = gen.next()
  }
  return { batches, total: r.value.events }
}

describe('simulateEvents', () => {
  test('yields full batches of the requested size, a shorter last one, and reports the total', () => {
    const { batches, total } = collect(3, 2000, 777)
    assert.ok(batches.length > 3)
    for (const b of batches.slice(0, -1)) assert.equal(b.length, 777)
    assert.ok((batches.at(-1)?.length ?? 0) <= 777)
    assert.equal(
      batches.reduce((n, b) => n + b.length, 0),
      total,
    )
  })

  test('the same seed streams byte-identical events; another seed does not', () => {
    const a = JSON.stringify(collect(8, 500).batches)
    const b = JSON.stringify(collect(8, 500).batches)
    const c = JSON.stringify(collect(9, 500).batches)
    assert.equal(a, b)
    assert.notEqual(a, c)
  })

  test('ids are unique, times fall inside the window, and each person is in time order', () => {
    const events = collect(4, 3000).batches.flat()
    const start = Date.parse(START)
    const end = start + 91 * 86_400_000
    assert.equal(new Set(events.map((e) => e.id)).size, events.length)
    const last = new Map<string, string>()
    for (const e of events) {
      const at = Date.parse(e.occurred_at)
      assert.ok(at >= start && at < end, e.occurred_at)
      const key = e.person.anonymous_id ?? e.person.email ?? ''
      assert.ok((last.get(key) ?? '') <= e.occurred_at, `${key} goes back in time at ${e.id}`)
      last.set(key, e.occurred_at)
    }
  })

  test('each anonymous id stitches to exactly one email and each email to one anonymous id', () => {
    const events = collect(5, 5000).batches.flat()
    const emailOf = new Map<string, string>()
    const anonOf = new Map<string, string>()
    for (const { person } of events) {
      if (person.anonymous_id === undefined || person.email === undefined) continue
      assert.equal(emailOf.get(person.anonymous_id) ?? person.email, person.email)
      assert.equal(anonOf.get(person.email) ?? person.anonymous_id, person.anonymous_id)
      emailOf.set(person.anonymous_id, person.email)
      anonOf.set(person.email, person.anonymous_id)
    }
    assert.ok(emailOf.size > 2000, `stitched ${emailOf.size}`)
  })

  test('eventsPerPerson sets the mean volume', () => {
    const count = (eventsPerPerson: number) => {
      let n = 0
      for (const b of simulateEvents({ seed: 6, start: START, persons: 4000, eventsPerPerson })) n += b.length
      return n / 4000
    }
    const ten = count(10)
    const forty = count(40)
    assert.ok(ten > 6 && ten < 15, `mean at 10: ${ten}`)
    assert.ok(forty > 28 && forty < 55, `mean at 40: ${forty}`)
  })

  test('invalid options are rejected with the path of the option', () => {
    assert.throws(() => simulateEvents({ seed: 1, start: START, persons: 0 }).next(), /simulateEvents\.persons/)
    assert.throws(
      () => simulateEvents({ seed: 1, start: START, persons: 5, batchSize: 0 }).next(),
      /simulateEvents\.batchSize/,
    )
  })
})
