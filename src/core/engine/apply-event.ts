import type { LifecycleStage } from '../agreement/agreement-schema.ts'
import { evaluateCondition } from '../rules/evaluate-condition.ts'
import { fillAccountEngagement } from './account-engagement.ts'
import type { Engine, StageContext } from './create-engine.ts'
import { describeCondition, describeFitParts, describeTransition } from './describe-decision.ts'
import type {
  ApplyResult,
  EngineEvent,
  FitSnapshot,
  HandoffDecision,
  Instant,
  LeadFacts,
  LeadState,
  TierChange,
  Transition,
} from './engine-types.ts'
import { createLeadState, enterStage } from './lifecycle.ts'
import { adoptState } from './migrate-state.ts'
import { type FitMemo, findFitMemo, findStagesFalse, resolveFit } from './score-fit.ts'
import { addRulePoints, insertCountTime, intentAt, recordAnyMatch, signalHoldsAt } from './score-intent.ts'

const NO_TRANSITIONS: Transition[] = Object.freeze([]) as unknown as Transition[]
const NO_TIER_CHANGES: TierChange[] = Object.freeze([]) as unknown as TierChange[]
const TIER_HISTORY_LIMIT = 16

/** `HANDOFF_STAGES.has(stage)` without hashing the name: it is asked on every decision. */
function inHandoffStage(stage: LifecycleStage): boolean {
  return stage === 'MQL' || stage === 'AQL'
}

/** `AUTO_DISQUALIFY_FROM.has(stage)`, likewise. */
function autoDisqualifies(stage: LifecycleStage): boolean {
  return stage === 'Lead' || stage === 'MQL' || stage === 'AQL' || stage === 'Recycled'
}

export type ApplyOptions = {
  /** Processing time, recorded as `decidedAt` on transitions; defaults to the decision instant (replay). */
  now?: Instant
}

function sameFit(a: FitSnapshot, b: FitSnapshot): boolean {
  return (
    a.score === b.score &&
    a.parts.length === b.parts.length &&
    a.unknown.length === b.unknown.length &&
    a.disqualifier?.id === b.disqualifier?.id
  )
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/** facts.lead wins field by field over what events told. True when a field changed. */
function mergeLeadFacts(state: LeadState, facts: LeadFacts): boolean {
  const given = facts.lead
  let changed = false
  if (given !== undefined)
    for (const k in given) {
      const v = given[k]
      if (typeof v === 'string' && state.lead[k] !== v) {
        state.lead[k] = v
        changed = true
      }
    }
  return changed
}

/** Someone else at the account acted after `since`: its engagement may have risen. */
function hasNewPeerActivity(facts: LeadFacts, since: Instant): boolean {
  const input = facts.accountEngagement
  if (input === undefined) return false
  return input.aggregate.at > since
}

/**
 * source/medium/campaign come from the earliest event that carries them, unless facts.lead has them. The first touch
 * is never after the lead's last event, so an event at or after `previousAt` is not earlier (no instant to read).
 */
function updateLeadFields(state: LeadState, facts: LeadFacts, event: EngineEvent, previousAt: Instant | null): void {
  const given = facts.lead
  if (
    event.source &&
    (state.firstTouchAt === null || (previousAt !== null && event.at < previousAt && event.at < state.firstTouchAt))
  ) {
    state.firstTouchAt = event.at
    if (typeof given?.source !== 'string') state.lead.source = event.source
    if (typeof given?.medium !== 'string') {
      if (event.medium) state.lead.medium = event.medium
      else delete state.lead.medium
    }
    if (typeof given?.campaign !== 'string') {
      if (event.campaign) state.lead.campaign = event.campaign
      else delete state.lead.campaign
    }
  }
  if (event.type === 'form_submit' && typeof event.properties?.form === 'string' && typeof given?.form !== 'string')
    state.lead.form = event.properties.form
}

/** The scratch context as of `at`; valid until the next call (it is shared by every lead of the engine). */
function fillContext(engine: Engine, state: LeadState, facts: LeadFacts, memo: FitMemo, at: Instant): StageContext {
  const ctx = engine.scratch
  ctx.account = facts.account
  ctx.person = memo.personContext
  ctx.lead = state.lead
  ctx.fit = memo.fit.score
  ctx.intent = intentAt(engine, state.aggregates, at)
  ctx.stage = state.stage
  for (let i = 0; i < engine.signals.length; i++)
    ctx.signals[engine.signals[i]!.name] = signalHoldsAt(engine, state, i, at)
  if (engine.readsAccountEngagement)
    fillAccountEngagement(engine, ctx, facts.accountEngagement, facts.account != null, state.persona, ctx.intent, at)
  return ctx
}

function readField(ctx: StageContext, path: string): unknown {
  const dot = path.indexOf('.')
  const root = (ctx as unknown as Record<string, unknown>)[path.slice(0, dot)] as Record<string, unknown> | null
  return root == null ? undefined : root[path.slice(dot + 1)]
}

/** Required handoff fields the lead lacks; an empty string or list counts as missing. */
export function findMissingHandoffFields(engine: Engine, ctx: StageContext): string[] {
  const missing: string[] = []
  for (const path of engine.requiredFields) {
    const v = readField(ctx, path)
    if (v == null || v === '' || (Array.isArray(v) && v.length === 0)) missing.push(path)
  }
  return missing
}

function fitLines(fit: FitSnapshot): string[] {
  const lines = [`fit ${fit.score}${fit.parts.length ? `: ${describeFitParts(fit)}` : ''}`]
  for (const u of fit.unknown) lines.push(`${u.kind} ${u.name} unknown: ${u.missing.join(', ')} missing`)
  return lines
}

/**
 * The decision at instant `at` after the aggregates are up to date: disqualifier first, then automatic forward
 * stages (furthest first), then tier and handoff for a lead waiting in MQL/AQL.
 */
function decide(
  engine: Engine,
  state: LeadState,
  facts: LeadFacts,
  at: Instant,
  decidedAt: Instant,
  trigger: string | null,
  changedBefore: boolean,
  out: ApplyResult,
  /** `resolveFit(engine, facts, at)` when the caller already has it. */
  known: FitMemo | null = null,
): ApplyResult {
  let changed = changedBefore
  const memo = known ?? resolveFit(engine, facts, at)
  if (state.fit !== memo.fit) {
    if (!sameFit(state.fit, memo.fit)) changed = true
    state.fit = memo.fit
  }
  state.persona = memo.persona
  if (mergeLeadFacts(state, facts)) changed = true
  let transitions = NO_TRANSITIONS
  let tierChanges = NO_TIER_CHANGES
  let handoff: HandoffDecision | null = null
  const stage = state.stage

  const dq = memo.fit.disqualifier
  if (dq !== null && autoDisqualifies(stage)) {
    const why = dq.reasons.filter((r) => r.includes(': true')).map((r) => r.replace(': true', ''))
    const explanation = describeTransition('Disqualified', at, state, [
      `disqualifier ${dq.name} (reason ${dq.reason})${why.length ? `: ${why.join(', ')}` : ''}`,
    ])
    const t = enterStage(
      state,
      'Disqualified',
      at,
      decidedAt,
      `icp.disqualify.${dq.id}`,
      [`disqualifier ${dq.name}: reason ${dq.reason}`, ...dq.reasons, ...fitLines(memo.fit)],
      explanation,
    )
    if (trigger !== null) state.lead.trigger = trigger
    return fill(out, state, [t], tierChanges, handoff, true)
  }

  const canQualify =
    stage === 'Lead' ||
    stage === 'MQL' ||
    (stage === 'Recycled' && (state.nurtureUntil === null || at >= state.nurtureUntil))
  if (!canQualify && !inHandoffStage(stage)) return fill(out, state, transitions, tierChanges, handoff, changed)

  // The context is filled only when a condition has to be read: most leads fail every stage condition on fit alone.
  let ctx: StageContext | null = null
  if (canQualify) {
    const stagesFalse = findStagesFalse(engine, memo)
    for (let i = 0; i < engine.autoStages.length; i++) {
      const auto = engine.autoStages[i]!
      if (auto.stage === stage) break
      if ((stagesFalse & (1 << i)) !== 0) continue
      ctx ??= fillContext(engine, state, facts, memo, at)
      if (auto.condition.test(ctx) !== true) continue
      if (trigger !== null) state.lead.trigger = trigger
      const { clauses, reasons } = describeCondition(engine, state, auto.condition, ctx, at)
      const explanation = describeTransition(auto.stage, at, state, clauses)
      transitions = [
        enterStage(state, auto.stage, at, decidedAt, auto.rule, [...reasons, ...fitLines(memo.fit)], explanation),
      ]
      state.nurtureUntil = null
      ctx.stage = auto.stage
      changed = true
      break
    }
  }

  if (inHandoffStage(state.stage)) {
    ctx ??= fillContext(engine, state, facts, memo, at)
    for (const tier of engine.tiers) {
      if (tier.condition.test(ctx) !== true) continue
      if (state.tier === null || state.tier.name !== tier.name) {
        const from = state.tier?.name ?? null
        state.tier = { name: tier.name, at, sla: tier.sla }
        // Copied, not pushed: new states share one empty list.
        const tiers = [...state.tierHistory, { tier: tier.name, at }]
        state.tierHistory = tiers.length > TIER_HISTORY_LIMIT ? tiers.slice(tiers.length - TIER_HISTORY_LIMIT) : tiers
        tierChanges = [{ from, to: tier.name, at, reasons: evaluateCondition(tier.condition, ctx).reasons }]
        changed = true
      }
      break
    }
    if (state.handoff !== 'ready') {
      const missing = findMissingHandoffFields(engine, ctx)
      if (missing.length === 0) {
        state.handoff = 'ready'
        state.needsData = []
        handoff = { kind: 'ready', at, tier: state.tier?.name ?? null }
        changed = true
      } else if (state.handoff !== 'needs_data' || !sameList(missing, state.needsData)) {
        state.handoff = 'needs_data'
        state.needsData = missing
        handoff = { kind: 'needs_data', at, missing }
        changed = true
      }
    }
  }
  return fill(out, state, transitions, tierChanges, handoff, changed)
}

function fill(
  out: ApplyResult,
  state: LeadState,
  transitions: Transition[],
  tierChanges: TierChange[],
  handoff: HandoffDecision | null,
  changed: boolean,
): ApplyResult {
  out.state = state
  out.transitions = transitions
  out.tierChanges = tierChanges
  out.handoff = handoff
  out.changed = changed
  return out
}

/** A result object for `applyEventInto`, reused from event to event. */
export function createApplyResult(): ApplyResult {
  return {
    state: null as unknown as LeadState,
    transitions: NO_TRANSITIONS,
    tierChanges: NO_TIER_CHANGES,
    handoff: null,
    changed: false,
  }
}

/**
 * Score one event and move the lead if the Agreement says so — O(rules), whatever the lead's history. `state` is
 * updated in place and returned (null: the event creates the lead). Decisions are made at the later of the event's
 * occurred_at and the lead's last event, with intent decayed to that instant; a late event adds its points as of
 * its own occurred_at and is inserted in order into its windows.
 *
 * Example: `const { state, transitions } = applyEvent(engine, null, facts, { id: 'e1', type: 'page_view', at, properties: { path: '/pricing' } })`
 */
export function applyEvent(
  engine: Engine,
  state: LeadState | null,
  facts: LeadFacts,
  event: EngineEvent,
  options: ApplyOptions = {},
): ApplyResult {
  return applyEventInto(engine, state, facts, event, options.now, createApplyResult())
}

/**
 * `applyEvent` writing its result into `out`, which the caller reuses from event to event (replay): the common event
 * allocates nothing. `out` is only valid until the next call.
 */
export function applyEventInto(
  engine: Engine,
  state: LeadState | null,
  facts: LeadFacts,
  event: EngineEvent,
  now: Instant | undefined,
  out: ApplyResult,
): ApplyResult {
  const at = event.at
  const s = state ?? createLeadState(engine, at)
  if (s.agreement !== engine.blank.agreement) {
    // Another version or a stored state: migrate or convert it, then share the engine's (equal) version object.
    adoptState(engine, s)
    s.agreement = engine.blank.agreement
  }
  let changed = state === null
  const handlers = engine.byType.get(event.type)
  if (handlers !== undefined) {
    const agg = s.aggregates
    for (const r of handlers.rules)
      if (r.matcher.test(event)) {
        addRulePoints(engine, agg, r.offset, r.points, at)
        changed = true
      }
    for (const c of handlers.counts)
      if (c.matcher.test(event)) {
        insertCountTime(agg, c.offset, c.atLeast, at)
        changed = true
      }
    for (const a of handlers.anys)
      if (a.matcher.test(event)) {
        recordAnyMatch(agg, a.offset, a.of, at)
        changed = true
      }
  }
  // A new state already holds this event's instant (see createLeadState); it had no event before.
  const previousAt = state === null ? null : s.lastEventAt
  s.events++
  if (previousAt === null || at > previousAt) s.lastEventAt = at
  updateLeadFields(s, facts, event, previousAt)
  const decisionAt = s.lastEventAt!
  // The fast path: nothing this event did can make a Lead qualify (see Engine.stagesTimeSensitive), so skip the
  // evaluation. The fit snapshot being the memo's own object proves facts and account-signal windows are unchanged.
  let memo: FitMemo | null = null
  const found = !changed && s.stage === 'Lead' && !engine.stagesTimeSensitive ? findFitMemo(engine, facts) : undefined
  if (found !== undefined && s.fit === found.fit) {
    memo = resolveFit(engine, facts, decisionAt, found)
    if (
      memo.fit === s.fit &&
      (facts.lead === undefined || !mergeLeadFacts(s, facts)) &&
      !(engine.readsAccountEngagement && hasNewPeerActivity(facts, previousAt ?? Number.NEGATIVE_INFINITY))
    )
      return fill(out, s, NO_TRANSITIONS, NO_TIER_CHANGES, null, false)
  }
  return decide(engine, s, facts, decisionAt, now ?? decisionAt, event.type, changed, out, memo)
}

/**
 * Re-decide a lead without an event, as of `now`: after a record changed (account enriched, title corrected) or from
 * a timer (intent decays, an inactivity signal starts to hold). Mutates and returns `state`.
 *
 * Example: `refreshFit(engine, state, { ...facts, account: enriched }, { now })`
 */
export function refreshFit(engine: Engine, state: LeadState, facts: LeadFacts, options: { now: Instant }): ApplyResult {
  adoptState(engine, state)
  const at = Math.max(options.now, state.lastEventAt ?? options.now)
  return decide(engine, state, facts, at, options.now, null, false, createApplyResult())
}

/**
 * Re-evaluate an open lead under a newly active Agreement version from `now` on. Aggregates carry over rule by rule
 * (`notes` say which could not); past transitions keep the version they were made under. Mutates `state`.
 *
 * Example: `reevaluate(engineV4, state, facts, { now: activatedAt })` → `{ transitions: [{ from: 'Lead', to: 'MQL', agreementVersionId: 4, … }], notes: [] }`
 */
export function reevaluate(
  engine: Engine,
  state: LeadState,
  facts: LeadFacts,
  options: { now: Instant },
): ApplyResult & { notes: string[] } {
  const notes = adoptState(engine, state)
  state.agreement = { versionId: engine.version.id, hash: engine.version.hash }
  const at = Math.max(options.now, state.lastEventAt ?? options.now)
  const result = decide(engine, state, facts, at, options.now, null, notes.length > 0, createApplyResult())
  const why = `re-evaluated under agreement v${engine.version.id}`
  for (const t of result.transitions) {
    t.reasons.unshift(why, ...notes)
    t.explanation = `${t.explanation} (${why})`
  }
  if (result.transitions.length > 0) state.explanation = result.transitions[result.transitions.length - 1]!.explanation
  return { ...result, notes }
}
