/**
 * Metrics benchmark: the funnel over 1,000,000 synthetic leads (5 stages, broken down by source) and
 * opportunity metrics over 100,000 synthetic opportunities (overall and by owner), pure functions on
 * in-memory arrays. Data comes from a seeded PRNG, so every run measures the same input.
 * Run: npx tsx bench/metrics-core.bench.ts
 */
import {
  type FunnelLead,
  funnel,
  type OpportunityRecord,
  opportunityMetrics,
  parsePeriod,
} from '../src/core/metrics/index.ts'
import { createPrng } from '../src/core/stats/create-prng.ts'

const LEADS = 1_000_000
const OPPS = 100_000
const RUNS = 5
const DAY = 86_400_000
const STAGES = ['Lead', 'MQL', 'SAL', 'SQL', 'Opportunity']
const SOURCES = ['search', 'webinar', 'email', 'social', 'referral', 'events', 'partner', null]
const year = parsePeriod('2026')
const quarter = parsePeriod('2026-Q4')
const next = createPrng(47)

function generateLeads(): FunnelLead[] {
  const leads: FunnelLead[] = new Array(LEADS)
  for (let i = 0; i < LEADS; i++) {
    let at = year.from + next() * 365 * DAY
    const stages = []
    for (let s = 0; s < STAGES.length; s++) {
      const stay = (0.5 + next() * 20) * DAY
      const advances = s < STAGES.length - 1 && next() < 0.45
      stages.push({ stage: STAGES[s]!, enteredAt: at, exitedAt: advances ? at + stay : null })
      if (!advances) break
      at += stay
    }
    leads[i] = { id: `L${i}`, stages, dims: { source: SOURCES[Math.floor(next() * SOURCES.length)]! } }
  }
  return leads
}

function generateOpps(): OpportunityRecord[] {
  const opps: OpportunityRecord[] = new Array(OPPS)
  for (let i = 0; i < OPPS; i++) {
    const createdAt = year.from + next() * 365 * DAY
    const closedAt = createdAt + (5 + next() * 120) * DAY
    const isClosed = next() < 0.8
    opps[i] = {
      id: `O${i}`,
      amount: Math.round(500 + next() * 50_000),
      createdAt,
      closedAt: isClosed ? closedAt : null,
      isClosed,
      isWon: isClosed && next() < 0.4,
      owner: `rep_${Math.floor(next() * 200)}`,
      dims: { source: SOURCES[Math.floor(next() * SOURCES.length)]! },
    }
  }
  return opps
}

function time(run: () => unknown): number {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint()
    run()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!
}

const t0 = performance.now()
const leads = generateLeads()
const opps = generateOpps()
console.log(
  `input: ${LEADS.toLocaleString('en')} leads, ${OPPS.toLocaleString('en')} opportunities (generated in ${(performance.now() - t0).toFixed(0)} ms, seed 47)`,
)

const funnelYear = time(() => funnel(leads, { stages: STAGES, period: year, cohort: 'entered_in_period' }))
const funnelBySource = time(() =>
  funnel(leads, { stages: STAGES, period: quarter, by: 'source', cohort: 'entered_in_period' }),
)
const oppsYear = time(() => opportunityMetrics(opps, { period: year }))
const oppsByOwner = time(() => opportunityMetrics(opps, { period: quarter, by: 'owner' }))
const check = funnel(leads, { stages: STAGES, period: year, cohort: 'entered_in_period' })
const m = opportunityMetrics(opps, { period: year })

console.log(`median of ${RUNS} runs:`)
console.log(
  `  funnel, 1M leads, one year, overall            ${funnelYear.toFixed(0)} ms (${((LEADS / funnelYear) * 1000).toLocaleString('en', { maximumFractionDigits: 0 })} leads/s)`,
)
console.log(
  `  funnel, 1M leads, one quarter, by source       ${funnelBySource.toFixed(0)} ms (ratio to overall ${(funnelBySource / funnelYear).toFixed(2)})`,
)
console.log(`  opportunity metrics, 100k, one year, overall   ${oppsYear.toFixed(1)} ms`)
console.log(
  `  opportunity metrics, 100k, quarter, by owner   ${oppsByOwner.toFixed(1)} ms (ratio to overall ${(oppsByOwner / oppsYear).toFixed(2)})`,
)
console.log(
  `sanity: ${check.overall.stages[0]!.entered.toLocaleString('en')} entered Lead, Lead→MQL ${(100 * check.overall.stages[0]!.conversion!).toFixed(1)}%; ` +
    `win rate ${(100 * m.winRate!).toFixed(1)}%, velocity ${m.velocity.perDay!.toFixed(0)}/day`,
)
