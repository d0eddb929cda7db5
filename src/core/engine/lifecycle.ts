import type { LifecycleStage } from '../agreement/agreement-schema.ts'
import type { Engine } from './create-engine.ts'
import { describeTransition, formatInstant } from './describe-decision.ts'
import type { FitSnapshot, Instant, LeadState, Transition } from './engine-types.ts'
import { emptyAggregates } from './score-intent.ts'

/**
 * The lifecycle: stage spans, transitions, and the explicit moves a person (rep, CRM sync) makes. Forward moves from
 * conditions happen in applyEvent; everything here is explicit and recorded with its reason.
 */

const HISTORY_LIMIT = 32

/** Shared by new states until their first decision; never mutated (states replace `fit`, `tierHistory`, `needsData`). */
const NO_FIT: FitSnapshot = Object.freeze({
  score: 0,
  parts: Object.freeze([]) as unknown as FitSnapshot['parts'],
  unknown: Object.freeze([]) as unknown as FitSnapshot['unknown'],
  disqualifier: null,
})
const NO_TIERS: LeadState['tierHistory'] = Object.freeze([]) as unknown as LeadState['tierHistory']
const NO_FIELDS: string[] = Object.freeze([]) as unknown as string[]

/**
 * Stages a matching disqualifier moves out of by itself: marketing's stages, before sales accepted the lead.
 * apply-event.ts tests these two sets with comparisons (`autoDisqualifies`, `inHandoffStage`): keep them in step.
 */
export const AUTO_DISQUALIFY_FROM: ReadonlySet<LifecycleStage> = new Set(['Lead', 'MQL', 'AQL', 'Recycled'])
/** Stages in which a lead waits for handoff: tier and required fields are decided here. */
export const HANDOFF_STAGES: ReadonlySet<LifecycleStage> = new Set(['MQL', 'AQL'])

/** Position on the forward path; side stages (Recycled, Disqualified) are off it. */
const FORWARD_ORDER: Record<LifecycleStage, number> = {
  Lead: 0,
  MQL: 1,
  AQL: 2,
  SAL: 3,
  SQL: 4,
  Opportunity: 5,
  Won: 6,
  Lost: 6,
  Recycled: -1,
  Disqualified: -1,
}

export type LifecycleResult = { state: LeadState; transitions: Transition[]; refused: string | null }

/**
 * A fresh lead (cycle 1) created by its first event at `at`: `lastEventAt` is already `at` (`events` counts it once
 * applied). Starting with a number, never null, lets the engine update `lastEventAt` in place on every event.
 *
 * Example: `createLeadState(engine, Date.UTC(2026, 10, 2))` → `{ stage: 'Lead', cycle: 1, lastEventAt: …, … }`
 */
export function createLeadState(engine: Engine, at: Instant): LeadState {
  return {
    schema: 2,
    cycle: 1,
    stage: 'Lead',
    history: [{ stage: 'Lead', enteredAt: at, exitedAt: null }],
    agreement: engine.blank.agreement,
    createdAt: at,
    lastEventAt: at,
    events: 0,
    persona: null,
    fit: NO_FIT,
    layout: engine.layout,
    aggregates: emptyAggregates(engine),
    lead: {},
    firstTouchAt: null,
    tier: null,
    tierHistory: NO_TIERS,
    handoff: 'not_qualified',
    needsData: NO_FIELDS,
    nurtureUntil: null,
    explanation: null,
  }
}

/** Closes the current span, opens the next, and returns the transition record. Mutates `state`. */
export function enterStage(
  state: LeadState,
  to: LifecycleStage,
  at: Instant,
  decidedAt: Instant,
  rule: string,
  reasons: string[],
  explanation: string,
): Transition {
  const from = state.stage
  const current = state.history[state.history.length - 1]
  if (current && current.exitedAt === null) current.exitedAt = at
  state.history.push({ stage: to, enteredAt: at, exitedAt: null })
  if (state.history.length > HISTORY_LIMIT) state.history.splice(0, state.history.length - HISTORY_LIMIT)
  state.stage = to
  state.explanation = explanation
  if (!HANDOFF_STAGES.has(to)) {
    state.handoff = 'not_qualified'
    state.needsData = NO_FIELDS
  }
  return {
    from,
    to,
    at,
    decidedAt,
    rule,
    agreementVersionId: state.agreement.versionId,
    agreementHash: state.agreement.hash,
    cycle: state.cycle,
    reasons,
    explanation,
  }
}

function refuse(state: LeadState, why: string): LifecycleResult {
  return { state, transitions: [], refused: why }
}

/**
 * Return a lead to nurture (backward move, explicit). It re-qualifies by itself only from `nurtureUntil` on.
 * Mutates and returns `state`.
 *
 * Example: `recycleLead(state, { at, reason: 'not_now', nurtureUntil: at + 90 * 86_400_000 })`
 */
export function recycleLead(
  state: LeadState,
  opts: { at: Instant; reason: string; nurtureUntil: Instant; decidedAt?: Instant },
): LifecycleResult {
  if (state.stage === 'Recycled' || state.stage === 'Won')
    return refuse(state, `a ${state.stage} lead cannot be recycled`)
  const explanation = describeTransition('Recycled', opts.at, state, [
    `reason ${opts.reason}, nurture until ${formatInstant(opts.nurtureUntil)}`,
  ])
  const t = enterStage(
    state,
    'Recycled',
    opts.at,
    opts.decidedAt ?? opts.at,
    'recycle',
    [`recycled from ${state.stage}: ${opts.reason}`, `nurture until ${formatInstant(opts.nurtureUntil)}`],
    explanation,
  )
  state.nurtureUntil = opts.nurtureUntil
  state.tier = null
  return { state, transitions: [t], refused: null }
}

/**
 * Re-open a lead (backward move, explicit): a disqualified, lost or recycled lead back to `to` (default Lead), from
 * where automatic forward moves resume. Mutates and returns `state`.
 *
 * Example: `reopenLead(state, { at, reason: 'disqualified by mistake: enrichment had the wrong domain' })`
 */
export function reopenLead(
  state: LeadState,
  opts: { at: Instant; reason: string; to?: LifecycleStage; decidedAt?: Instant },
): LifecycleResult {
  const to = opts.to ?? 'Lead'
  if (to === state.stage) return refuse(state, `the lead is already ${to}`)
  if (to === 'Recycled' || to === 'Disqualified') return refuse(state, `re-opening cannot move a lead to ${to}`)
  const explanation = describeTransition(to, opts.at, state, [`re-opened from ${state.stage}: ${opts.reason}`])
  const t = enterStage(
    state,
    to,
    opts.at,
    opts.decidedAt ?? opts.at,
    'reopen',
    [`re-opened from ${state.stage}: ${opts.reason}`],
    explanation,
  )
  state.nurtureUntil = null
  state.tier = null
  return { state, transitions: [t], refused: null }
}

/**
 * A forward move made by a person or the CRM: SAL (accepted), SQL, Opportunity, Won, Lost, or Disqualified by a
 * reject reason code. Refuses (without throwing) a move that is not forward. Mutates and returns `state`.
 *
 * Example: `advanceLead(state, { to: 'SAL', at, reason: 'qualified_meeting_booked' })`
 */
export function advanceLead(
  state: LeadState,
  opts: { to: LifecycleStage; at: Instant; reason: string; decidedAt?: Instant },
): LifecycleResult {
  const { to } = opts
  if (to === state.stage) return refuse(state, `the lead is already ${to}`)
  if (state.stage === 'Won' || state.stage === 'Lost' || state.stage === 'Disqualified')
    return refuse(state, `a ${state.stage} lead is closed: re-open it or start a new cycle`)
  const closing = to === 'Lost' || to === 'Disqualified'
  if (!closing && (to === 'Recycled' || FORWARD_ORDER[to] <= FORWARD_ORDER[state.stage]))
    return refuse(state, `${state.stage} → ${to} is not a forward move (use recycleLead or reopenLead)`)
  const explanation = describeTransition(to, opts.at, state, [`${opts.reason}`])
  const t = enterStage(state, to, opts.at, opts.decidedAt ?? opts.at, 'advance', [opts.reason], explanation)
  return { state, transitions: [t], refused: null }
}

/**
 * A new qualification cycle for the same person (a new `lead` row): stage Lead, fresh stage history, tier and
 * handoff. Behaviour scoring (intent, signals, the lead's source) starts afresh: what qualified the closed cycle must
 * not qualify the next one — only what the person does from `at` on counts. Persona and fit carry over (they are
 * re-decided at the next event anyway). The input state is not changed: it stays the closed cycle.
 *
 * Example: `const { state: next } = startNewCycle(engine, lost, { at, reason: 'demo request after a lost deal' })`
 */
export function startNewCycle(
  engine: Engine,
  state: LeadState,
  opts: { at: Instant; reason: string; decidedAt?: Instant },
): LifecycleResult {
  const next: LeadState = {
    ...createLeadState(engine, opts.at),
    cycle: state.cycle + 1,
    stage: state.stage,
    history: [],
    persona: state.persona,
    fit: state.fit,
  }
  const explanation = describeTransition('Lead', opts.at, next, [
    `cycle ${next.cycle} started after ${state.stage}: ${opts.reason}`,
  ])
  const t = enterStage(
    next,
    'Lead',
    opts.at,
    opts.decidedAt ?? opts.at,
    'new_cycle',
    [`cycle ${state.cycle} ended in ${state.stage}`, opts.reason],
    explanation,
  )
  return { state: next, transitions: [t], refused: null }
}
