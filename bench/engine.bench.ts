/**
 * Replay throughput of the pure qualification engine: ≥ 5,000,000 simulated events through the example Agreement on
 * one core, target ≥ 1,000,000 events/s. Generation (simulateEvents), conversion to engine events and the global sort
 * by occurred_at are timed apart and excluded from the engine figure.
 * Peers measured in the same run: the bare applyEvent loop (no replay bookkeeping) and a loop that only runs the
 * intent matchers (the floor any engine pays to look at each event).
 * Person keys are interned while converting (one string per person, as a loader keyed by person id would produce),
 * so the replay's per-person map lookups compare pointers rather than re-hashing a fresh string per event.
 * Peak heap is sampled every 100,000 applied events and after each phase.
 * Run: npx tsx bench/engine.bench.ts [minEvents]
 */
import { readFileSync } from 'node:fs'
import { compileAgreement } from '../src/core/agreement/compile-agreement.ts'
import { parseAgreement } from '../src/core/agreement/parse-agreement.ts'
import {
  applyEvent,
  createEngine,
  type LeadFacts,
  type LeadState,
  type ReplayEvent,
  replayHistory,
} from '../src/core/engine/index.ts'
import { simulateEvents, simulateQuarter } from '../src/demo/simulate/index.ts'
import { fmt } from './helpers.ts'

const minEvents = Number(process.argv[2] ?? 5_000_000)
const TARGET = 1_000_000

const parsed = parseAgreement(readFileSync(new URL('../accord.example.yaml', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error('accord.example.yaml does not parse')
const engine = createEngine(compileAgreement(parsed.agreement), { id: 1, hash: parsed.hash })

// Firmographics and titles for the streamed people: simulateEvents yields events only, so each email domain borrows
// a simulated account's attributes (and each person a simulated title), deterministically by hash.
const pool = simulateQuarter({ seed: 1, start: '2026-10-01', accounts: 600 })
function hash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}
const accountFacts = new Map<string, LeadFacts['account']>()
const facts = new Map<string, LeadFacts>()
const internedKeys = new Map<string, string>()
let peakHeap = 0
function sampleHeap(): void {
  const used = process.memoryUsage().heapUsed
  if (used > peakHeap) peakHeap = used
}
function factsFor(key: string): string {
  const interned = internedKeys.get(key)
  if (interned !== undefined) return interned
  internedKeys.set(key, key)
  const at = key.indexOf('@')
  const domain = at > 0 ? key.slice(at + 1) : null
  let account: LeadFacts['account'] = null
  if (domain !== null && !/gmail|outlook|yahoo|hotmail|icloud|proton|\.edu$/.test(domain)) {
    account = accountFacts.get(domain) ?? null
    if (account === null) {
      const a = pool.accounts[hash(domain) % pool.accounts.length]!
      account = { ...a, domain, owner: a.owner ?? undefined }
      accountFacts.set(domain, account)
    }
  }
  const person = pool.people[hash(key) % pool.people.length]!
  facts.set(key, { person: { email: key, title: person.title, country: person.country }, account })
  return key
}

// Generate, convert, sort (excluded from the engine figure).
const g0 = performance.now()
const events: ReplayEvent[] = []
let persons = Math.ceil(minEvents / 24)
for (;;) {
  events.length = 0
  for (const batch of simulateEvents({ seed: 7, start: '2026-10-01', persons, batchSize: 10_000 }))
    for (const e of batch) {
      const personKey = factsFor(e.person.email ?? `anon:${e.person.anonymous_id}`)
      events.push({
        id: e.id,
        personKey,
        type: e.type,
        at: Date.parse(e.occurred_at),
        properties: e.properties,
        source: e.context.source,
        medium: e.context.medium,
        campaign: e.context.campaign,
      })
    }
  sampleHeap()
  if (events.length >= minEvents) break
  persons = Math.ceil(persons * (minEvents / events.length) * 1.02)
}
const generatedMs = performance.now() - g0
const s0 = performance.now()
events.sort((a, b) => a.at - b.at)
const sortMs = performance.now() - s0
console.log(
  `input: ${fmt(events.length)} events, ${fmt(facts.size)} people (leads), ${fmt(accountFacts.size)} accounts — generated and converted in ${fmt(generatedMs / 1000, 1)} s (${fmt((events.length / generatedMs) * 1000)} events/s), sorted in ${fmt(sortMs / 1000, 1)} s (excluded below)`,
)

// Warm-up on a slice so the JIT has compiled the engine before timing.
replayHistory(engine, { facts, events: events.slice(0, 200_000) })

const runs: number[] = []
let last: ReturnType<typeof replayHistory> | undefined
for (let run = 0; run < 3; run++) {
  const t0 = performance.now()
  last = undefined
  last = replayHistory(engine, { facts, events }, { onProgress: sampleHeap })
  sampleHeap()
  runs.push((events.length / (performance.now() - t0)) * 1000)
}
runs.sort((a, b) => a - b)
const median = runs[1]!
console.log(
  `replayHistory (example Agreement, one core): ${fmt(median)} events/s (median of 3; min ${fmt(runs[0]!)}, max ${fmt(runs[2]!)})`,
)
console.log(
  `  target ≥ ${fmt(TARGET)} events/s → ${median >= TARGET ? 'met' : 'NOT MET'} (${(median / TARGET).toFixed(2)}×)`,
)
const o = last!
let transitions = 0
let bytes = 0
let maxBytes = 0
for (const lead of o.leads.values()) {
  transitions += lead.transitions.length
  const n = JSON.stringify(lead.state).length
  bytes += n
  maxBytes = Math.max(maxBytes, n)
}
console.log(
  `  outcome: ${fmt(o.leads.size)} leads, ${fmt(o.qualified.size)} qualified (MQL/AQL), ${fmt(transitions)} transitions, tier mix ${JSON.stringify(o.tierMix)}`,
)
console.log(`  LeadState JSON: ${fmt(bytes / o.leads.size)} bytes on average, ${fmt(maxBytes)} at most`)

// Peer: the bare applyEvent loop, as ingestion calls it (no peers, no replay bookkeeping).
{
  const states = new Map<string, LeadState>()
  let n = 0
  const t0 = performance.now()
  for (const e of events) {
    const st = states.get(e.personKey)
    const r = applyEvent(engine, st ?? null, facts.get(e.personKey)!, e)
    if (st === undefined) states.set(e.personKey, r.state)
    if (++n % 100_000 === 0) sampleHeap()
  }
  sampleHeap()
  const perSecond = (events.length / (performance.now() - t0)) * 1000
  console.log(
    `applyEvent loop: ${fmt(perSecond)} events/s — replay bookkeeping costs ${(perSecond / median).toFixed(2)}×`,
  )
}

// Peer: only the intent matchers of each event's type — the floor of looking at every event.
{
  let hits = 0
  const t0 = performance.now()
  for (const e of events) for (const r of engine.rules) if (r.matcher.test(e)) hits++
  const perSecond = (events.length / (performance.now() - t0)) * 1000
  console.log(
    `matchers only: ${fmt(perSecond)} events/s (${fmt(hits)} hits) — engine is ${(perSecond / median).toFixed(1)}× slower than the floor`,
  )
}

const heapLimit = (await import('node:v8')).getHeapStatistics().heap_size_limit
console.log(
  `peak heap: ${fmt(peakHeap / 2 ** 20)} MiB used (sampled; limit ${fmt(heapLimit / 2 ** 20)} MiB), of which the ${fmt(events.length)} materialized input events are part`,
)
