/**
 * The demo's simulated quarter as the ingestion benchmarks send it: ending today, with its accounts and people, and
 * the example Agreement made effective from the quarter's first day (so scoring qualifies and hands off the share of
 * leads a real quarter would).
 *
 * Example: `const q = benchQuarter(200_000)` → `{ accounts, people, events, agreementSource }`
 */
import { readFileSync } from 'node:fs'
import { validateAgreementText } from '../src/agreement/agreement-versions.ts'
import { demoInputs } from '../src/demo/load-demo.ts'
import { simulateQuarter } from '../src/demo/simulate/index.ts'

const DAY = 86_400_000

/** About `events` events: the quarter's size follows from its number of accounts (~140 events each). */
export function benchQuarter(events: number, now = Date.now()) {
  const start = new Date(now - 91 * DAY).toISOString().slice(0, 10)
  const quarter = simulateQuarter({ seed: 7, start, days: 91, accounts: Math.max(20, Math.round(events / 140)) })
  const agreementSource = readFileSync('accord.example.yaml', 'utf8').replace(
    /^effective_from: .*$/m,
    `effective_from: ${start}`,
  )
  const { agreement } = validateAgreementText(agreementSource)
  const repIds = agreement.reps.filter((r) => r.active !== false).map((r) => r.id)
  return { ...demoInputs(quarter, repIds, now), agreementSource }
}
