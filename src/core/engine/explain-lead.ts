import type { LifecycleStage } from '../agreement/agreement-schema.ts'
import { type ConditionResult, evaluateCondition } from '../rules/evaluate-condition.ts'
import { fillAccountEngagement } from './account-engagement.ts'
import type { Engine, StageContext } from './create-engine.ts'
import {
  describeFitParts,
  describeSignal,
  formatDurationWords,
  formatInstant,
  formatNumber,
  formatPoints,
} from './describe-decision.ts'
import type { Instant, LeadFacts, LeadState } from './engine-types.ts'
import { readableState } from './migrate-state.ts'
import { resolveFit } from './score-fit.ts'
import { intentAt, ruleContributionAt, signalHoldsAt } from './score-intent.ts'

export type ScoreAt = {
  at: Instant
  fit: number
  intent: number
  intentParts: { id: string; name: string; points: number; capped: boolean }[]
  signals: Record<string, boolean>
}

/**
 * Intent and signals as of `now`, without an event: intent decays and windows close as time passes. Asking before
 * the lead's last event answers as of that event (the aggregates cannot be rewound).
 *
 * Example: `scoreAt(engine, state, Date.UTC(2026, 11, 1)).intent` → `22.5`
 */
export function scoreAt(engine: Engine, stored: LeadState, now: Instant): ScoreAt {
  const state = readableState(engine, stored)
  const at = Math.max(now, state.lastEventAt ?? now)
  const intentParts: ScoreAt['intentParts'] = []
  engine.rules.forEach((r, i) => {
    const v = ruleContributionAt(engine, state.aggregates, i, at)
    if (v !== 0) intentParts.push({ id: r.id, name: r.name, points: v, capped: r.cap !== null && v === r.cap })
  })
  const signals: Record<string, boolean> = {}
  engine.signals.forEach((s, i) => {
    signals[s.name] = signalHoldsAt(engine, state, i, at)
  })
  return { at, fit: state.fit.score, intent: intentAt(engine, state.aggregates, at), intentParts, signals }
}

export type LeadExplanation = {
  stage: LifecycleStage
  cycle: number
  agreementVersionId: number
  /** Each stage span of the cycle with its time in stage (to `now` for the current one). */
  timeline: { stage: LifecycleStage; enteredAt: Instant; exitedAt: Instant | null; durationMs: number; line: string }[]
  fit: { score: number; lines: string[] }
  intent: { score: number; lines: string[] }
  signals: { name: string; holds: boolean; line: string }[]
  tier: string | null
  handoff: LeadState['handoff']
  needsData: string[]
  /** The last transition's sentence. */
  explanation: string | null
}

/**
 * Everything an analyst reads on the lead page, as of `now`: fit parts, intent parts, signals, time in each stage.
 *
 * Example: `explainLead(engine, state, now).fit.lines` → `['Healthcare +25', '200–2,000 employees +25', 'Revenue band: unknown (account.revenue missing)']`
 */
export function explainLead(engine: Engine, stored: LeadState, now: Instant): LeadExplanation {
  const state = readableState(engine, stored)
  const score = scoreAt(engine, state, now)
  const fitLines = state.fit.parts.map((p) => `${p.name} ${formatPoints(p.points)}`)
  for (const u of state.fit.unknown) fitLines.push(`${u.name}: unknown (${u.missing.join(', ')} missing)`)
  if (state.fit.disqualifier)
    fitLines.unshift(`disqualified: ${state.fit.disqualifier.name} (reason ${state.fit.disqualifier.reason})`)
  const intentLines = score.intentParts.map(
    (p) => `${p.name} ${formatPoints(p.points)}${p.capped ? ' (at its cap)' : ''}`,
  )
  return {
    stage: state.stage,
    cycle: state.cycle,
    agreementVersionId: state.agreement.versionId,
    timeline: state.history.map((h) => {
      const durationMs = (h.exitedAt ?? Math.max(now, h.enteredAt)) - h.enteredAt
      return {
        ...h,
        durationMs,
        line: `${h.stage} from ${formatInstant(h.enteredAt)}${h.exitedAt !== null ? ` to ${formatInstant(h.exitedAt)}` : ''} (${describeElapsed(durationMs)})`,
      }
    }),
    fit: { score: state.fit.score, lines: fitLines },
    intent: { score: score.intent, lines: intentLines },
    signals: engine.signals.map((s, i) => {
      const holds = score.signals[s.name] === true
      return {
        name: s.name,
        holds,
        line: holds ? describeSignal(engine, state, i, score.at) : `signal ${s.name}: not met`,
      }
    }),
    tier: state.tier?.name ?? null,
    handoff: state.handoff,
    needsData: state.needsData,
    explanation: state.explanation,
  }
}

function describeElapsed(ms: number): string {
  if (ms < 60_000) return 'under a minute'
  const hour = 3_600_000
  const day = 24 * hour
  if (ms >= day) return `${formatNumber(Math.floor(ms / day))} d ${Math.floor((ms % day) / hour)} h`
  if (ms >= hour) return `${Math.floor(ms / hour)} h ${Math.floor((ms % hour) / 60_000)} min`
  return formatDurationWords(Math.floor(ms / 60_000) * 60_000)
}

/**
 * Why a lead does (or does not) meet a stage's condition as of `now`: the condition's operands with their values,
 * and the fields that were missing. Does not change the lead.
 *
 * Example: `explainStageCondition(engine, state, facts, 'MQL', now).reasons` → `['fit >= 60: false (fit = 45)', …]`
 */
export function explainStageCondition(
  engine: Engine,
  stored: LeadState,
  facts: LeadFacts,
  stage: 'MQL' | 'AQL',
  now: Instant,
): ConditionResult & { fit: string } {
  const state = readableState(engine, stored)
  const condition = engine.autoStages.find((s) => s.stage === stage)?.condition
  const at = Math.max(now, state.lastEventAt ?? now)
  const memo = resolveFit(engine, facts, at)
  if (!condition) return { matched: 'unknown', missing: [], reasons: [`stage ${stage} has no condition`], fit: '' }
  const intent = intentAt(engine, state.aggregates, at)
  const signals: Record<string, boolean> = {}
  engine.signals.forEach((s, i) => {
    signals[s.name] = signalHoldsAt(engine, state, i, at)
  })
  const ctx: StageContext = {
    account: facts.account,
    person: memo.personContext,
    lead: state.lead,
    fit: memo.fit.score,
    intent,
    stage: state.stage,
    signals,
    account_engagement: null,
  }
  if (engine.readsAccountEngagement)
    fillAccountEngagement(engine, ctx, facts.accountEngagement, facts.account != null, memo.persona, intent, at)
  const result = evaluateCondition(condition, ctx)
  return { ...result, fit: `fit ${memo.fit.score}${memo.fit.parts.length ? ` (${describeFitParts(memo.fit)})` : ''}` }
}
