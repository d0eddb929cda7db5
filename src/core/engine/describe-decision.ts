import type { CompiledCondition } from '../rules/compile-condition.ts'
import { evaluateCondition } from '../rules/evaluate-condition.ts'
import type { Engine, StageContext } from './create-engine.ts'
import type { FitSnapshot, Instant, LeadState } from './engine-types.ts'
import { countTimesInWindow, lastAnyMatch, ruleContributionAt } from './score-intent.ts'

/**
 * The analyst's sentence for a decision, e.g.
 * `MQL at 2026-11-20 14:03 UTC under agreement v3 (a1b2c3): fit 72 ≥ 60 (Healthcare +25, …); signal pricing_interest:
 * 3 pricing page views in 7 days (Nov 14, 17, 20)`. Dates are UTC; numbers use en-US grouping, one decimal at most.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAY = 86_400_000

/** `2026-11-20 14:03 UTC` */
export function formatInstant(at: Instant): string {
  const iso = new Date(at).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

/** `Nov 20` */
export function formatDay(at: Instant): string {
  const d = new Date(at)
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`
}

/** `Nov 14, 17, 20`; the month is repeated only when it changes (`Oct 30, Nov 2`). */
export function formatDays(times: readonly Instant[]): string {
  let lastMonth = -1
  return times
    .map((t) => {
      const d = new Date(t)
      const same = d.getUTCMonth() === lastMonth
      lastMonth = d.getUTCMonth()
      return same ? String(d.getUTCDate()) : formatDay(t)
    })
    .join(', ')
}

/** `7 days`, `1 day`, `4 hours`, `90 minutes`: the largest unit that divides the duration. */
export function formatDurationWords(ms: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  if (ms % DAY === 0) return unit(ms / DAY, 'day')
  if (ms % 3_600_000 === 0) return unit(ms / 3_600_000, 'hour')
  if (ms % 60_000 === 0) return unit(ms / 60_000, 'minute')
  return unit(Math.round(ms / 1000), 'second')
}

/** `72`, `45.5`, `1,200` */
export function formatNumber(x: number): string {
  const tenths = Math.round(Math.abs(x) * 10)
  const whole = String(Math.floor(tenths / 10)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const fraction = tenths % 10
  return `${x < 0 && tenths !== 0 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}

/** `+25`, `-10` */
export function formatPoints(x: number): string {
  return x < 0 ? `-${formatNumber(-x)}` : `+${formatNumber(x)}`
}

export function formatVersion(agreement: LeadState['agreement']): string {
  return `agreement v${agreement.versionId} (${agreement.hash.slice(0, 6)})`
}

export function describeFitParts(fit: FitSnapshot): string {
  return fit.parts.map((p) => `${p.name} ${formatPoints(p.points)}`).join(', ')
}

export function describeIntentParts(engine: Engine, state: LeadState, at: Instant): string {
  const parts: string[] = []
  for (let i = 0; i < engine.rules.length; i++) {
    const v = ruleContributionAt(engine, state.aggregates, i, at)
    if (Math.abs(v) >= 0.05) parts.push(`${engine.rules[i]!.name} ${formatPoints(v)}`)
  }
  return parts.join(', ')
}

/** One sentence fragment per signal as of `at`: why it holds. */
export function describeSignal(engine: Engine, state: LeadState, i: number, at: Instant): string {
  const def = engine.signals[i]!
  switch (def.kind) {
    case 'count': {
      const times = countTimesInWindow(engine, state, i, at)
      return `signal ${def.name}: ${times.length} ${def.label} in ${formatDurationWords(def.withinMs)}${times.length ? ` (${formatDays(times)})` : ''}`
    }
    case 'any': {
      const last = lastAnyMatch(engine, state, i)
      if (last === null) return `signal ${def.name}: none`
      return `signal ${def.name}: ${def.labels[last.of] ?? 'match'} on ${formatDay(last.at)}`
    }
    case 'inactivity':
      return `signal ${def.name}: no activity for ${formatDurationWords(def.forMs)}${state.lastEventAt !== null ? ` (last ${formatDay(state.lastEventAt)})` : ''}`
  }
}

const SYMBOL: Record<string, string> = { '>=': '≥', '>': '>', '==': '=', '<=': '≤', '<': '<', '!=': '≠' }
const SCORE_LEAF = /^(fit|intent)\s*(>=|>|==|<=|<|!=)\s*(-?\d+(?:\.\d+)?)$/

/**
 * The clauses of a condition that hold, in words (`fit 72 ≥ 60 (…)`, `signal …`), and the condition's full operand
 * reasons. Operands that do not hold are left out of the sentence but kept in `reasons`.
 */
export function describeCondition(
  engine: Engine,
  state: LeadState,
  condition: CompiledCondition,
  ctx: StageContext,
  at: Instant,
): { clauses: string[]; reasons: string[] } {
  const evaluated = evaluateCondition(condition, ctx)
  const clauses: string[] = []
  const seen = new Set<string>()
  condition.leaves.forEach((leaf, li) => {
    if (leaf.test(ctx) !== true) return
    const score = SCORE_LEAF.exec(leaf.source)
    let clause: string
    if (score) {
      const [, field, op, value] = score as unknown as [string, 'fit' | 'intent', string, string]
      const actual = field === 'fit' ? ctx.fit : ctx.intent
      const parts = field === 'fit' ? describeFitParts(state.fit) : describeIntentParts(engine, state, at)
      clause = `${field} ${formatNumber(actual)} ${SYMBOL[op]} ${formatNumber(Number(value))}${parts ? ` (${parts})` : ''}`
    } else if (leaf.reads.length === 1 && leaf.reads[0]!.startsWith('signals.') && leaf.source === leaf.reads[0]) {
      const i = engine.signals.findIndex((s) => `signals.${s.name}` === leaf.source)
      clause = i >= 0 ? describeSignal(engine, state, i, at) : leaf.source
    } else if (leaf.reads.length > 0 && leaf.reads.every((r) => r.startsWith('account_engagement.'))) {
      const e = ctx.account_engagement
      clause = e
        ? `account engagement: ${describeCoverage(engine, e.engaged_personas)}, intent ${formatNumber(e.intent)}`
        : leaf.source
    } else {
      clause = (evaluated.reasons[li] ?? leaf.source).replace(/: true/, '')
    }
    if (!seen.has(clause)) {
      seen.add(clause)
      clauses.push(clause)
    }
  })
  return { clauses, reasons: evaluated.reasons }
}

/** `2 of 3 personas engaged` over the buying committee (or over all personas when the Agreement names none). */
export function describeCoverage(engine: Engine, engagedPersonas: readonly string[]): string {
  const committee = engine.committee?.personas ?? engine.compiled.personas.map((p) => p.id)
  const engaged = committee.filter((p) => engagedPersonas.includes(p)).length
  return `${engaged} of ${committee.length} personas engaged`
}

export function describeTransition(to: string, at: Instant, state: LeadState, clauses: readonly string[]): string {
  return `${to} at ${formatInstant(at)} under ${formatVersion(state.agreement)}${clauses.length ? `: ${clauses.join('; ')}` : ''}`
}
