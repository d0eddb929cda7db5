/**
 * Evaluations per second of a typical MQL condition: the fast closure path versus the cel-js interpreter on the same
 * compiled condition, plus the explained evaluation (with reasons) the engine records with each decision.
 * Run: npx tsx bench/cel.bench.ts
 */
import { createConditionEnvironment } from '../src/core/rules/cel-environment.ts'
import { compileCondition } from '../src/core/rules/compile-condition.ts'
import { evaluateCondition } from '../src/core/rules/evaluate-condition.ts'

const env = createConditionEnvironment('stage', {
  lists: { competitors: ['rival.io'] },
  signals: ['pricing_interest', 'demo_request', 'product_engaged'],
  accountSignals: [],
  stages: ['Lead', 'MQL', 'AQL'],
  tiers: ['hot', 'warm'],
})
const source =
  'fit >= 60 && (intent >= 40 || signals.pricing_interest || signals.demo_request || signals.product_engaged)'
const compiled = compileCondition(env, source)
if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('; '))
const c = compiled.condition

// Varied contexts so neither path can specialise on one input.
const contexts = Array.from({ length: 1024 }, (_, i) => ({
  fit: (i * 37) % 101,
  intent: (i * 53) % 97,
  stage: 'Lead',
  signals: { pricing_interest: i % 5 === 0, demo_request: i % 11 === 0, product_engaged: i % 7 === 0 },
  account: { industry: 'Healthcare', employees: 300 + i },
}))

function measure(name: string, fn: (ctx: (typeof contexts)[number]) => unknown, iterations: number): number {
  for (let i = 0; i < 50_000; i++) fn(contexts[i & 1023]!)
  const start = performance.now()
  let sink = 0
  for (let i = 0; i < iterations; i++) if (fn(contexts[i & 1023]!) === true) sink++
  const ms = performance.now() - start
  const perSecond = (iterations / ms) * 1000
  console.log(
    `${name.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(13)} evals/s  (${sink} matched)`,
  )
  return perSecond
}

console.log(`condition: ${source}\nfast path available: ${c.isFast}\n`)
const fast = measure('fast path (test)', c.test, 5_000_000)
const cel = measure('cel-js interpreter (testWithCel)', c.testWithCel, 1_000_000)
const explained = measure('explained (evaluateCondition)', (ctx) => evaluateCondition(c, ctx).matched, 500_000)
const compileStart = performance.now()
for (let i = 0; i < 200; i++) compileCondition(env, source)
const compileMs = (performance.now() - compileStart) / 200
console.log(
  `\nfast / interpreter: ${(fast / cel).toFixed(1)}×   explained / interpreter: ${(explained / cel).toFixed(2)}×`,
)
console.log(`compile (parse + type-check + closures): ${compileMs.toFixed(3)} ms per condition`)
