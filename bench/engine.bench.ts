/**
 * Replay throughput of the pure qualification engine: ≥ 5,000,000 simulated events through the example Agreement on
 * one core, target ≥ 1,000,000 events/s. Generation (simulateEvents), the global sort by occurred_at and the
 * regrouping account by account (`replayOrder`, as the what-if report orders its history) are timed apart and
 * excluded from the engine figure; the input is held as columns (bench/engine-input.ts, ~30 bytes an event per copy)
 * and each replayed event is a fresh object built from them, as a reader paging through stored history would hand it
 * over, so the heap is the engine's. Replay runs account by account (each account's events in time order), which
 * gives the same outcome as occurred_at order (replay.test.ts pins it); one run in occurred_at order is a peer.
 * Each run is reported in wall-clock time and in CPU time of the process (user + system): on a shared machine the
 * wall clock also counts the time other processes hold the core, CPU time does not.
 * Peers measured in the same run: the same replay in occurred_at order, iterating the input alone, the bare applyEvent
 * loop as ingestion calls it (one lead after another, no account engagement, no replay bookkeeping, no read-ahead) and
 * a loop that only runs the intent matchers (the floor any engine pays to look at each event).
 * Peak heap is sampled every 100,000 applied events and after each phase.
 * Run: npm run bench -- engine [minEvents]   (or: taskset -c 1 node --import tsx bench/engine.bench.ts [minEvents])
 */
import { readFileSync } from 'node:fs'
import { compileAgreement } from '../src/core/agreement/compile-agreement.ts'
import { parseAgreement } from '../src/core/agreement/parse-agreement.ts'
import { applyEvent, createEngine, type LeadState, replayHistory } from '../src/core/engine/index.ts'
import { buildEngineInput } from './engine-input.ts'
import { fmt } from './helpers.ts'

const minEvents = Number(process.argv[2] ?? 5_000_000)
const TARGET = 1_000_000

const parsed = parseAgreement(readFileSync(new URL('../accord.example.yaml', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error('accord.example.yaml does not parse')
const engine = createEngine(compileAgreement(parsed.agreement), { id: 1, hash: parsed.hash })

let peakHeap = 0
function sampleHeap(): void {
  const used = process.memoryUsage().heapUsed
  if (used > peakHeap) peakHeap = used
}

/** Events per second of `fn` over `count` events, by the wall clock and by the process's CPU time. */
function measure(count: number, fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  fn()
  const wallMs = performance.now() - t0
  const c = process.cpuUsage(c0)
  return { wall: (count / wallMs) * 1000, cpu: count / ((c.user + c.system) / 1e6) }
}

// Generate, intern into columns, sort (excluded from the engine figure).
const input = buildEngineInput(minEvents, sampleHeap)
const { facts, events } = input
sampleHeap()
console.log(
  `input: ${fmt(input.length)} events, ${fmt(facts.size)} people (leads), ${fmt(input.accounts)} accounts — generated in ${fmt(input.generatedMs / 1000, 1)} s (${fmt((input.length / input.generatedMs) * 1000)} events/s), sorted in ${fmt(input.sortMs / 1000, 1)} s, ordered account by account in ${fmt(input.accountOrderMs / 1000, 1)} s, ${fmt(input.columnBytes / 2 ** 20)} MiB of columns (excluded below)`,
)

// Warm-up on a slice so the JIT has compiled the engine before timing.
replayHistory(engine, { facts, events: input.slice(200_000) })

const runs: { wall: number; cpu: number }[] = []
let last: ReturnType<typeof replayHistory> | undefined
for (let run = 0; run < 3; run++) {
  last = undefined
  runs.push(
    measure(input.length, () => {
      last = replayHistory(engine, { facts, events }, { onProgress: sampleHeap })
    }),
  )
  sampleHeap()
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!
const wall = runs.map((r) => r.wall)
const cpu = runs.map((r) => r.cpu)
console.log(
  `replayHistory (example Agreement, one core, account by account): ${fmt(median(wall))} events/s wall clock (median of 3; min ${fmt(Math.min(...wall))}, max ${fmt(Math.max(...wall))}); ${fmt(median(cpu))} events per CPU-second (min ${fmt(Math.min(...cpu))}, max ${fmt(Math.max(...cpu))})`,
)
const best = Math.max(median(wall), median(cpu))
console.log(
  `  target ≥ ${fmt(TARGET)} events/s → wall clock ${median(wall) >= TARGET ? 'met' : 'NOT MET'} (${(median(wall) / TARGET).toFixed(2)}×), CPU time ${median(cpu) >= TARGET ? 'met' : 'NOT MET'} (${(median(cpu) / TARGET).toFixed(2)}×)`,
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
const outcomeOf = (r: ReturnType<typeof replayHistory>) =>
  JSON.stringify([r.applied, r.qualified.size, r.mqlsByWeek, r.tierMix, transitionsOf(r)])
function transitionsOf(r: ReturnType<typeof replayHistory>): number {
  let n = 0
  for (const lead of r.leads.values()) n += lead.transitions.length
  return n
}
const accountOutcome = outcomeOf(o)
last = undefined

// Peer: the same replay with the input in occurred_at order (one run): each event lands on a lead last touched long ago.
{
  let byTime: ReturnType<typeof replayHistory> | undefined
  const r = measure(input.length, () => {
    byTime = replayHistory(engine, { facts, events: input.eventsByTime }, { onProgress: sampleHeap })
  })
  sampleHeap()
  const same = outcomeOf(byTime!) === accountOutcome
  byTime = undefined
  console.log(
    `replayHistory in occurred_at order: ${fmt(r.wall)} events/s wall, ${fmt(r.cpu)} per CPU-second — account by account runs at ${(median(cpu) / r.cpu).toFixed(2)}× this rate (CPU time); same outcome: ${same ? 'yes' : 'NO'}`,
  )
}

// Peer: iterating the input alone (building each event object), the part of the figure that is not the engine.
{
  let n = 0
  const r = measure(input.length, () => {
    for (const _ of events) n++
  })
  console.log(
    `input iteration alone: ${fmt(r.wall)} events/s wall, ${fmt(r.cpu)} per CPU-second (${fmt(n)} events) — included in the figure above`,
  )
}

// Peer: the bare applyEvent loop, as ingestion calls it (no peers, no replay bookkeeping).
{
  const states = new Map<string, LeadState>()
  let n = 0
  const r = measure(input.length, () => {
    for (const e of events) {
      const st = states.get(e.personKey)
      const result = applyEvent(engine, st ?? null, facts.get(e.personKey)!, e)
      if (st === undefined) states.set(e.personKey, result.state)
      if (++n % 100_000 === 0) sampleHeap()
    }
  })
  sampleHeap()
  console.log(
    `applyEvent loop: ${fmt(r.wall)} events/s wall, ${fmt(r.cpu)} per CPU-second — replayHistory (bookkeeping and read-ahead included) runs at ${(median(cpu) / r.cpu).toFixed(2)}× this rate (CPU time)`,
  )
}

// Peer: only the intent matchers of each event's type — the floor of looking at every event.
{
  let hits = 0
  const r = measure(input.length, () => {
    for (const e of events) for (const rule of engine.rules) if (rule.matcher.test(e)) hits++
  })
  console.log(
    `matchers only: ${fmt(r.wall)} events/s wall, ${fmt(r.cpu)} per CPU-second (${fmt(hits)} hits) — the engine is ${(r.cpu / median(cpu)).toFixed(1)}× slower than this floor (CPU time)`,
  )
}

const heapLimit = (await import('node:v8')).getHeapStatistics().heap_size_limit
console.log(
  `peak heap: ${fmt(peakHeap / 2 ** 20)} MiB used (sampled; limit ${fmt(heapLimit / 2 ** 20)} MiB), input columns included; best of wall/CPU medians ${fmt(best)} events/s`,
)
