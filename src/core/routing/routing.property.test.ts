import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { Temporal } from 'temporal-polyfill'
import { type Calendar, isOpen } from '../calendar/index.ts'
import { decideRoute, type Load, type Pool, type Rep, takeTurn } from './index.ts'
import { alwaysOpen, everyoneToPool, makeRep, newYorkHours, weekendHours } from './routing-fixtures.ts'

const calendars: Calendar[] = [newYorkHours, weekendHours, alwaysOpen]
const DAY = 86_400_000
const START = Date.parse('2026-11-01T00:00:00Z')
const isoDate = (offsetDays: number) => new Date(START + offsetDays * DAY).toISOString().slice(0, 10)

const memberArb = fc.record({
  weight: fc.integer({ min: 1, max: 5 }),
  active: fc.boolean(),
  calendar: fc.constantFrom(...calendars),
  away: fc.option(fc.tuple(fc.integer({ min: 0, max: 55 }), fc.integer({ min: 0, max: 6 })), { nil: undefined }),
  daily: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  weekly: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  today: fc.integer({ min: 0, max: 5 }),
  thisWeek: fc.integer({ min: 0, max: 14 }),
})

const scenarioArb = fc.record({
  members: fc.array(memberArb, { minLength: 1, maxLength: 8 }),
  split: fc.integer({ min: 1, max: 8 }),
  respectWorkingHours: fc.boolean(),
  respectCapacity: fc.boolean(),
  now: fc.integer({ min: START, max: START + 60 * DAY }),
})

/** Availability computed independently of the code under test, from the rules as people state them. */
function mayTakeLead(rep: Rep, load: Load, now: number, pool: Pool): boolean {
  if (!rep.active) return false
  const localDate = Temporal.Instant.fromEpochMilliseconds(now)
    .toZonedDateTimeISO(rep.calendar.timeZone)
    .toPlainDate()
    .toString()
  if (rep.outOfOffice.some((o) => o.from <= localDate && localDate <= o.to)) return false
  if (pool.respectWorkingHours !== false && !isOpen(now, rep.calendar)) return false
  if (pool.respectCapacity !== false && rep.capacity) {
    const l = load[rep.id] ?? { today: 0, thisWeek: 0 }
    if (rep.capacity.daily !== undefined && l.today >= rep.capacity.daily) return false
    if (rep.capacity.weekly !== undefined && l.thisWeek >= rep.capacity.weekly) return false
  }
  return true
}

describe('routing properties', () => {
  test('the chosen rep is always active, in office, within working hours and under its caps, and a lead is unassigned only when nobody could take it', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const reps = s.members.map((m, i) =>
          makeRep(`r${i}`, {
            active: m.active,
            calendar: m.calendar,
            outOfOffice: m.away ? [{ from: isoDate(m.away[0]), to: isoDate(m.away[0] + m.away[1]) }] : [],
            capacity: {
              ...(m.daily !== undefined ? { daily: m.daily } : {}),
              ...(m.weekly !== undefined ? { weekly: m.weekly } : {}),
            },
          }),
        )
        const load: Load = Object.fromEntries(
          s.members.map((m, i) => [`r${i}`, { today: m.today, thisWeek: m.thisWeek }]),
        )
        const options = { respectWorkingHours: s.respectWorkingHours, respectCapacity: s.respectCapacity }
        const weights = (from: number, to: number) =>
          Object.fromEntries(s.members.slice(from, to).map((m, i) => [`r${from + i}`, m.weight]))
        const split = Math.min(s.split, s.members.length)
        const main: Pool = {
          name: 'main',
          members: Object.entries(weights(0, split)).map(([rep, weight]) => ({ rep, weight })),
          ...options,
        }
        const pools: Pool[] = [main]
        if (split < s.members.length) {
          pools[0] = { ...main, backup: 'backup' }
          pools.push({
            name: 'backup',
            members: Object.entries(weights(split, s.members.length)).map(([rep, weight]) => ({ rep, weight })),
            ...options,
          })
        }
        const decision = decideRoute({
          rules: [everyoneToPool('main')],
          input: { accountOwnerId: null, fields: {} },
          reps,
          pools,
          poolStates: {},
          load,
          now: s.now,
        })
        const byId = new Map(reps.map((r) => [r.id, r]))
        if (decision.kind === 'assigned') {
          const pool = pools.find((p) => p.name === decision.poolName)!
          assert.ok(pool.members.some((m) => m.rep === decision.repId))
          assert.ok(
            mayTakeLead(byId.get(decision.repId)!, load, s.now, pool),
            `${decision.repId} could not take a lead`,
          )
          assert.equal(decision.viaBackup, decision.poolName === 'backup')
          if (decision.viaBackup) assert.ok(!main.members.some((m) => mayTakeLead(byId.get(m.rep)!, load, s.now, main)))
        } else {
          for (const pool of pools)
            assert.ok(!pool.members.some((m) => mayTakeLead(byId.get(m.rep)!, load, s.now, pool)))
        }
      }),
      { numRuns: 400 },
    )
  })

  test('over any run with the same members available each gets its weight share within one lead, whatever happened before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 200 }),
        (weights, history, leads) => {
          let state: Record<string, number> = {}
          const turn = (available: readonly boolean[]) => {
            const candidates = weights.map((weight, i) => ({ rep: `r${i}`, weight, available: available[i] ?? true }))
            const t = takeTurn(candidates, state)
            state = Object.fromEntries(candidates.map((c, i) => [c.rep, t.after[i]!]))
            for (const v of t.after) assert.ok(Math.abs(v) <= 1, `state stays within one turn, got ${v}`)
            return t.chosen
          }
          for (const available of history) turn(available)
          const counts = weights.map(() => 0)
          const total = weights.reduce((a, b) => a + b, 0)
          for (let n = 1; n <= leads; n++) {
            const chosen = turn(weights.map(() => true))
            assert.ok(chosen >= 0)
            counts[chosen]!++
            weights.forEach((w, i) => {
              const share = (n * w) / total
              assert.ok(
                Math.abs(counts[i]! - share) < 2,
                `after ${n}: r${i} has ${counts[i]}, share ${share.toFixed(2)}`,
              )
            })
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  test('from a fresh pool every prefix is within one lead of the weight share', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 8 }), (weights) => {
        let state: Record<string, number> = {}
        const counts = weights.map(() => 0)
        const total = weights.reduce((a, b) => a + b, 0)
        for (let n = 1; n <= 3 * total; n++) {
          const candidates = weights.map((weight, i) => ({ rep: `r${i}`, weight, available: true }))
          const t = takeTurn(candidates, state)
          state = Object.fromEntries(candidates.map((c, i) => [c.rep, t.after[i]!]))
          counts[t.chosen]!++
          for (const [i, w] of weights.entries()) assert.ok(Math.abs(counts[i]! - (n * w) / total) < 1 + 1e-9)
        }
        for (const [i, w] of weights.entries()) assert.equal(counts[i], 3 * w)
      }),
      { numRuns: 300 },
    )
  })
})
