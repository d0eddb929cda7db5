/**
 * The dashboard's metric queries on a large workspace: 1,000,000 leads and 10,000,000 events, built directly with
 * set-based SQL (insert … select generate_series) in a throw-away embedded PostgreSQL (or DATABASE_URL), then each
 * query run 20 times, printing p50 / p95 against the 300 ms target.
 *
 * What it creates (sizes scale with BENCH_LEADS, default 1,000,000; events are 10 per lead):
 * - 50,000 accounts (3 segments, 6 industries), one person per lead;
 * - leads whose first event is spread over 2026, with 8 sources × 5 media, 40 campaigns, 3 tiers, 10 owners;
 * - stage transitions: 25% of leads reach MQL 0–6 days later, 40% of those SQL, 50% of those Opportunity,
 *   30% of those Won (≈ 400,000 rows for 1,000,000 leads);
 * - opportunities: one per lead reaching Opportunity (≈ 50,000), on the lead's account, 60% closed (60% of those won);
 * - events: 10 per lead over the lead's year, 30% of them carrying source/medium/campaign (marketing touches).
 * Handoff tables (SLA clocks, dispositions) are left empty: their loaders read one row per handoff, not per event.
 * The funnel's pre-aggregate (funnel_entry, migration 0007) is filled by its triggers as the leads and transitions
 * are inserted, as it is on every write in production.
 *
 * Run: npx tsx bench/metrics.bench.ts   (BENCH_LEADS=200000 for a quicker run)
 */
import { sql } from 'kysely'
import { DEFAULT_FUNNEL_STAGES } from '../src/analytics/analytics-settings.ts'
import { getAttribution } from '../src/analytics/attribution.queries.ts'
import { getReasons } from '../src/analytics/feedback.queries.ts'
import { getFunnel } from '../src/analytics/funnel.queries.ts'
import { getOpportunityMetrics } from '../src/analytics/opportunities.queries.ts'
import { getScoreboard } from '../src/analytics/scoreboard.queries.ts'
import { parsePeriod } from '../src/core/metrics/index.ts'
import { fmt, startBenchServer } from './helpers.ts'

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000)
const EVENTS_PER_LEAD = 10
const RUNS = 20
const TARGET_MS = 300

const server = await startBenchServer()
const { ctx, workspaceId: ws } = server
const db = ctx.db
const step = async (label: string, q: ReturnType<typeof sql>) => {
  const t0 = performance.now()
  const r = await q.execute(db)
  console.log(
    `  ${label.padEnd(28)} ${fmt((performance.now() - t0) / 1000, 1)} s${r.numAffectedRows !== undefined ? `  (${fmt(Number(r.numAffectedRows))} rows)` : ''}`,
  )
}

console.log(`building a workspace of ${fmt(LEADS)} leads and ${fmt(LEADS * EVENTS_PER_LEAD)} events`)
const build0 = performance.now()
await step(
  'accounts',
  sql`insert into account (workspace_id, domain, name, segment, industry, employees)
  select ${ws}, 'acc' || g || '.example', 'Account ' || g, (array['smb','mid_market','enterprise'])[1 + g % 3],
    (array['Healthcare','Fintech','Retail','Insurance','Manufacturing','Media'])[1 + g % 6], 10 + (g * 37) % 5000
  from generate_series(1, 50000) g`,
)
await step(
  'people',
  sql`insert into person (workspace_id, email, account_id)
  select ${ws}, 'p' || g || '@acc' || (1 + g % 50000) || '.example',
    (select min(id) from account where workspace_id = ${ws}) + g % 50000
  from generate_series(1, ${LEADS}) g`,
)
await step(
  'leads',
  sql`insert into lead (workspace_id, person_id, account_id, stage, stage_entered_at, state, source, medium,
    campaign, tier, owner_rep_id, fit, first_event_at, last_event_at)
  select ${ws}, p.id, p.account_id, 'Lead', t, '{}'::jsonb,
    (array['google','linkedin','newsletter','webinar','g2','partner','direct','events'])[1 + (p.id * 7) % 8],
    (array['cpc','paid_social','email','organic','referral'])[1 + (p.id * 11) % 5],
    'c' || ((p.id * 13) % 40), (array['hot','warm','cold'])[1 + (p.id * 17) % 3], 'rep' || ((p.id * 19) % 10),
    (p.id * 23) % 100, t, t
  from (select id, account_id, timestamptz '2026-01-01' + ((id * 7919) % 31536000) * interval '1 second' as t
        from person where workspace_id = ${ws}) p`,
)
await step(
  'stage transitions',
  sql`insert into stage_transition (workspace_id, lead_id, from_stage, to_stage, at, rule, explanation)
  select ${ws}, l.id, s.from_stage, s.to_stage, l.first_event_at + s.days * interval '1 day', 'stages.' || s.to_stage, 'bench'
  from lead l
  cross join lateral (values
    ('Lead', 'MQL', 1 + l.id % 6, 4),
    ('MQL', 'SQL', 8 + l.id % 9, 10),
    ('SQL', 'Opportunity', 20 + l.id % 11, 20),
    ('Opportunity', 'Won', 60 + l.id % 40, 67)) as s(from_stage, to_stage, days, modulo)
  where l.workspace_id = ${ws} and l.id % s.modulo = 0`,
)
await step(
  'opportunities',
  sql`insert into opportunity (workspace_id, external_id, account_id, amount, stage, is_closed, is_won,
    opened_at, closed_at, owner, source)
  select ${ws}, 'o' || l.id, l.account_id, 1000 + (l.id * 31) % 90000,
    case when l.id % 5 < 3 then (case when l.id % 5 < 2 then 'closedwon' else 'closedlost' end) else 'proposal' end,
    l.id % 5 < 3, l.id % 5 < 2, t.at,
    case when l.id % 5 < 3 then t.at + (10 + l.id % 80) * interval '1 day' end, l.owner_rep_id, l.source
  from stage_transition t join lead l on l.id = t.lead_id
  where t.workspace_id = ${ws} and t.to_stage = 'Opportunity'`,
)
await step(
  'events',
  sql`insert into event (workspace_id, id, type, occurred_at, person_id, account_id, source, medium, campaign)
  select ${ws}, 'e' || l.id || '-' || k, (array['page_view','page_view','page_view','email_open','form_submit'])[1 + (l.id + k) % 5],
    l.first_event_at + ((l.id * 104729 + k * 7907) % 31536000) * interval '1 second', l.person_id, l.account_id,
    case when (l.id + k) % 10 < 3 then l.source end, case when (l.id + k) % 10 < 3 then l.medium end,
    case when (l.id + k) % 10 < 3 then l.campaign end
  from lead l cross join generate_series(1, ${EVENTS_PER_LEAD}) k where l.workspace_id = ${ws}`,
)
// Vacuum as autovacuum would after a bulk load: the visibility map lets the funnel and the touch ledger be read
// index-only, as they are in a steady workspace.
await step('vacuum analyze', sql`vacuum analyze`)
console.log(`  built in ${fmt((performance.now() - build0) / 1000, 0)} s`)

const period = parsePeriod('2026-Q4')
const fixedNow = Date.parse('2026-11-16T00:00:00Z')
const at = { ...ctx, clock: () => fixedNow }
const queries: [string, () => Promise<unknown>][] = [
  ['scoreboard (all sections)', () => getScoreboard(at, ws, { period, by: 'source' })],
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
console.log(`\n${RUNS} runs each on ${period.label} (target p95 ≤ ${TARGET_MS} ms)`)
console.log(`  ${'query'.padEnd(30)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}  verdict`)
for (const [label, run] of queries) {
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
