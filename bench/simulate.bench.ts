/**
 * Simulator throughput. Run: npx tsx bench/simulate.bench.ts [persons]
 * The streaming generator must sustain ≥ 1,000,000 events/s so ingest benchmarks measure ingest, not the generator.
 * Peers measured in the same run: JSON.stringify of the same events (the cheapest thing a consumer does with them),
 * and the cached ISO formatter against Date#toISOString.
 */
import { simulateEvents, simulateQuarter } from '../src/demo/simulate/index.ts'
import { createWindow, formatIso } from '../src/demo/simulate/time.ts'

const persons = Number(process.argv[2] ?? 200_000)
const start = '2026-10-01'

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

// Warm-up, so the JIT has compiled the journey before timing.
for (const _ of simulateEvents({ seed: 99, start, persons: 5_000 })) {
}

const runs: number[] = []
let events = 0
let peakHeap = 0
for (let run = 0; run < 3; run++) {
  const t0 = performance.now()
  let n = 0
  let batches = 0
  for (const batch of simulateEvents({ seed: run + 1, start, persons, batchSize: 1_000 })) {
    n += batch.length
    if (++batches % 100 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
  }
  const ms = performance.now() - t0
  runs.push((n / ms) * 1000)
  events = n
}
runs.sort((a, b) => a - b)
const median = runs[1] as number
console.log(
  `simulateEvents: ${fmt(persons)} persons → ${fmt(events)} events (${(events / persons).toFixed(1)} per person)`,
)
console.log(
  `  throughput   ${fmt(median)} events/s (median of 3; min ${fmt(runs[0] as number)}, max ${fmt(runs[2] as number)})`,
)
console.log(
  `  target       ≥ 1,000,000 events/s → ${median >= 1_000_000 ? 'met' : 'NOT MET'} (${(median / 1_000_000).toFixed(2)}×)`,
)
console.log(`  peak heap    ${fmt(peakHeap / 1_048_576)} MB (flat: events are not retained)`)

// Peer: serialising the same events, as an HTTP client or a COPY writer would.
{
  let bytes = 0
  let n = 0
  const t0 = performance.now()
  for (const batch of simulateEvents({ seed: 1, start, persons: 50_000, batchSize: 1_000 })) {
    bytes += JSON.stringify(batch).length
    n += batch.length
  }
  const withJson = (n / (performance.now() - t0)) * 1000
  console.log(`  generate + JSON.stringify  ${fmt(withJson)} events/s, ${(bytes / n).toFixed(0)} bytes per event`)
  console.log(`  generation alone is ${(median / withJson).toFixed(2)}× generate-and-serialise`)
}

// Peer: the minute-cached ISO formatter against Date#toISOString.
{
  const window = createWindow(start, 91, 'bench')
  const n = 2_000_000
  const span = window.end - window.start
  let sink = 0
  let t0 = performance.now()
  for (let i = 0; i < n; i++) sink += formatIso(window, window.start + ((i * 7_919_111) % span)).length
  const cached = performance.now() - t0
  t0 = performance.now()
  for (let i = 0; i < n; i++) sink += new Date(window.start + ((i * 7_919_111) % span)).toISOString().length
  const native = performance.now() - t0
  console.log(
    `formatIso: ${fmt((n / cached) * 1000)}/s vs toISOString ${fmt((n / native) * 1000)}/s → ${(native / cached).toFixed(2)}× (${sink % 2})`,
  )
}

// The demo quarter, as npm start builds it on first run.
{
  const t0 = performance.now()
  const q = simulateQuarter({ seed: 42, start })
  const ms = performance.now() - t0
  const s = q.stats
  console.log(
    `simulateQuarter (defaults): ${fmt(ms)} ms — ${fmt(s.accounts)} accounts, ${fmt(s.people)} people, ` +
      `${fmt(s.events)} events, ${fmt(s.opportunities)} opportunities`,
  )
}
