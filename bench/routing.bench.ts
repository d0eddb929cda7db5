// Routing throughput: decideRoute decisions per second for one pool of 20 reps (weights 1–3, a few out of office,
// one inactive, caps on some), an account-owner rule and a condition rule in front, the full trace built every
// time, the pool state carried from decision to decision as the use case does under its row lock. Instants spread
// over four weeks so working hours, nights and weekends (backup pool) all occur. Peer in the same run: the round
// robin step alone (takeTurn), to show what the availability checks and the trace cost.
// Target: ≥ 100k decisions/s. Run: npx tsx bench/routing.bench.ts

import {
  decideRoute,
  explainRoute,
  type Load,
  type Pool,
  type PoolState,
  type RoutingRule,
  takeTurn,
} from '../src/core/routing/index.ts'
import { makePool, makeRep, weekendHours } from '../src/core/routing/routing-fixtures.ts'

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0
    return s / 2 ** 32
  }
}

const reps = [
  ...Array.from({ length: 20 }, (_, i) =>
    makeRep(`rep${i}`, {
      active: i !== 7,
      outOfOffice: i % 6 === 0 ? [{ from: '2026-11-09', to: '2026-11-13' }] : [],
      ...(i % 4 === 0 ? { capacity: { daily: 40, weekly: 150 } } : {}),
    }),
  ),
  makeRep('night1', { calendar: weekendHours }),
  makeRep('night2', { calendar: weekendHours }),
]
const pools: Pool[] = [
  makePool('na', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`rep${i}`, 1 + (i % 3)])), {
    backup: 'cover',
  }),
  makePool('cover', { night1: 1, night2: 1 }),
]
const rules: RoutingRule[] = [
  { name: 'Account owner', condition: null, to: { kind: 'account_owner' } },
  {
    name: 'Enterprise',
    condition: (input) => {
      const employees = (input.fields.account as { employees?: number } | undefined)?.employees
      return employees === undefined ? 'unknown' : employees >= 5000
    },
    conditionText: 'account.employees >= 5000',
    to: { kind: 'rep', rep: 'rep3' },
  },
  { name: 'Everyone else', condition: null, to: { kind: 'pool', pool: 'na' } },
]
const load: Load = Object.fromEntries(reps.map((r, i) => [r.id, { today: i % 50, thisWeek: (i * 7) % 160 }]))

const N = 200_000
const random = lcg(42)
const start = Date.parse('2026-11-02T00:00:00Z')
const nows = Float64Array.from({ length: N }, () => start + Math.floor(random() * 28 * 86_400_000))
// Weekday working hours only (Mon–Fri 10:00–16:00 New York): every decision runs the round robin over 20 reps.
const weekdayNows = Float64Array.from({ length: N }, () => {
  const day = Math.floor(random() * 20)
  const monday = Date.parse('2026-11-02T15:00:00Z') + Math.floor(day / 5) * 7 * 86_400_000
  return monday + (day % 5) * 86_400_000 + Math.floor(random() * 6 * 3_600_000)
})
const input = { accountOwnerId: null, accountDomain: 'acme.com', fields: { account: { employees: 300 } } }

function runDecisions(times: Float64Array): { rate: number; assigned: number } {
  let states: Record<string, PoolState> = {}
  let assigned = 0
  const t0 = performance.now()
  for (let i = 0; i < N; i++) {
    const d = decideRoute({ rules, input, reps, pools, poolStates: states, load, now: times[i]! })
    if (d.kind === 'assigned') {
      assigned++
      if (d.newPoolState) states = { ...states, [d.newPoolState.poolName]: d.newPoolState }
    }
  }
  return { rate: N / ((performance.now() - t0) / 1000), assigned }
}

function runTurns(): number {
  const candidates = pools[0]!.members.map((m, i) => ({ rep: m.rep, weight: m.weight, available: i % 5 !== 0 }))
  let state: Record<string, number> = {}
  const t0 = performance.now()
  for (let i = 0; i < N; i++) {
    const t = takeTurn(candidates, state)
    const next: Record<string, number> = {}
    for (let j = 0; j < candidates.length; j++) next[candidates[j]!.rep] = t.after[j]!
    state = next
  }
  return N / ((performance.now() - t0) / 1000)
}

runDecisions(nows) // warm-up: JIT and calendar chunks
runTurns()
const decisions = runDecisions(nows)
const working = runDecisions(weekdayNows)
const turns = runTurns()
const sample = decideRoute({ rules, input, reps, pools, poolStates: {}, load, now: Date.parse('2026-11-21T18:00:00Z') })
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
console.log(`decideRoute, pool of 20 reps + backup, full trace: ${fmt(decisions.rate)} decisions/s (target ≥ 100,000)`)
console.log(`  assigned ${decisions.assigned} of ${N} (the rest: nights when the backup pool is closed too)`)
console.log(`  working hours only: ${fmt(working.rate)} decisions/s, assigned ${working.assigned} of ${N}`)
console.log(`takeTurn alone (20 members):                        ${fmt(turns)} turns/s`)
console.log(`ratio decision / bare turn: ${(turns / decisions.rate).toFixed(1)}× the cost`)
console.log(`trace of a Saturday lead, as explainRoute prints it:\n  ${explainRoute(sample.trace).join('\n  ')}`)
