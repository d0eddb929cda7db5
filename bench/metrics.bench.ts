/**
 * The dashboard's metric queries on a large workspace: 1,000,000 leads and 10,000,000 events, built directly with
 * set-based SQL (insert … select generate_series) in a throw-away embedded PostgreSQL (or DATABASE_URL), then each
 * query run 20 times, printing p50 / p95 against the 300 ms target.
 *
 * What it creates (bench/large-workspace.ts, shared with the dashboard bench; sizes scale with BENCH_LEADS, default
 * 1,000,000; events are 10 per lead):
 * - 50,000 accounts (3 segments, 6 industries), one person per lead;
 * - leads whose first event is spread over 2026, with 8 sources × 5 media, 40 campaigns, 3 tiers, 10 owners;
 * - stage transitions: 25% of leads reach MQL 0–6 days later, 40% of those SQL, 50% of those Opportunity,
 *   30% of those Won (≈ 400,000 rows for 1,000,000 leads);
 * - opportunities: one per lead reaching Opportunity (≈ 50,000), on the lead's account, 60% closed (60% of those won);
 * - events: 10 per lead over the lead's year, 30% of them carrying source/medium/campaign (marketing touches).
 * Handoff tables (SLA clocks, dispositions) are left empty: their loaders read one row per handoff, not per event.
 * The funnel's pre-aggregates (funnel_entry, migration 0007; funnel_day, migration 0011) are filled by their triggers
 * as the leads and transitions are inserted, as they are on every write in production, and funnel_day's changes are
 * merged as the workers merge them.
 *
 * The built database is cached between runs (embedded database only; see bench/large-workspace.ts): the first run of
 * a size builds it (≈ 6–9 minutes for 1,000,000 leads), later runs restore a copy from `$BENCH_CACHE_DIR` (default
 * `<tmp>/accord-bench-cache`) until a migration or the builder changes.
 *
 * Run: npx tsx bench/metrics.bench.ts   (BENCH_LEADS=200000 for a quicker run; BENCH_QUERIES=attribution for one query)
 */
import { DEFAULT_FUNNEL_STAGES } from '../src/analytics/analytics-settings.ts'
import { getAttribution } from '../src/analytics/attribution.queries.ts'
import { getReasons } from '../src/analytics/feedback.queries.ts'
import { getFunnel } from '../src/analytics/funnel.queries.ts'
import { getOpportunityMetrics } from '../src/analytics/opportunities.queries.ts'
import { getScoreboard } from '../src/analytics/scoreboard.queries.ts'
import { parsePeriod } from '../src/core/metrics/index.ts'
import { fmt } from './helpers.ts'
import { EVENTS_PER_LEAD, startLargeWorkspaceServer } from './large-workspace.ts'

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000)
const RUNS = 20
const TARGET_MS = 300

console.log(`a workspace of ${fmt(LEADS)} leads and ${fmt(LEADS * EVENTS_PER_LEAD)} events`)
const { server, workspaceId: ws } = await startLargeWorkspaceServer(LEADS, console.log)
const { ctx } = server

const period = parsePeriod('2026-Q4')
const fixedNow = Date.parse('2026-11-16T00:00:00Z')
const at = { ...ctx, clock: () => fixedNow }
const queries: [string, () => Promise<unknown>][] = [
  ['scoreboard (all sections)', () => getScoreboard(at, ws, { period, by: 'source' })],
  ['scoreboard, segment = smb', () => getScoreboard(at, ws, { period, by: 'source', filter: { segment: 'smb' } })],
  [
    'funnel by source + campaign',
    () => getFunnel(at, ws, { period, stages: [...DEFAULT_FUNNEL_STAGES], by: ['source', 'campaign'] }),
  ],
  [
    'funnel, one week',
    () => getFunnel(at, ws, { period: parsePeriod('2026-W46'), stages: [...DEFAULT_FUNNEL_STAGES], by: ['source'] }),
  ],
  ['opportunities by owner', () => getOpportunityMetrics(at, ws, { period, by: 'owner' })],
  ['attribution (locked + 3)', () => getAttribution(at, ws, { period, alternatives: ['first', 'last', 'linear'] })],
  ['feedback reasons by source', () => getReasons(at, ws, { period, by: ['source'] })],
]
// BENCH_QUERIES=attribution (a comma-separated list of label substrings) runs only the matching queries.
const only = process.env.BENCH_QUERIES?.split(',').filter((s) => s !== '')
const selected = only === undefined ? queries : queries.filter(([label]) => only.some((s) => label.includes(s)))
console.log(`\n${RUNS} runs each on ${period.label} (target p95 ≤ ${TARGET_MS} ms)`)
console.log(`  ${'query'.padEnd(30)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}  verdict`)
for (const [label, run] of selected) {
  await run()
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    await run()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!
  const p95 = q(0.95)
  console.log(
    `  ${label.padEnd(30)} ${fmt(q(0.5), 1).padStart(8)} ${fmt(p95, 1).padStart(8)}  ${p95 <= TARGET_MS ? 'within' : 'OVER'} (${fmt(p95 / TARGET_MS, 2)}× target)`,
  )
}
await server.close()
