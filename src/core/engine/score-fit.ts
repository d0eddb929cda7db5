import type { CompiledCondition, ConditionContext } from '../rules/compile-condition.ts'
import { evaluateCondition, findMissingFields } from '../rules/evaluate-condition.ts'
import type { Engine } from './create-engine.ts'
import type { AccountSignal, FitPart, FitSnapshot, Instant, LeadFacts, UnknownCriterion } from './engine-types.ts'

/**
 * Fit of one facts object, valid for decision instants in [from, until): situational criteria change only when an
 * account signal enters or leaves a criterion's window, so between those instants the answer is reused.
 */
export type FitMemo = {
  person: LeadFacts['person']
  account: LeadFacts['account']
  accountSignals: LeadFacts['accountSignals']
  /**
   * `facts.person` with `persona` filled from the title when the facts did not carry one and something reads it
   * (`Engine.personaInContext`); `facts.person` itself otherwise.
   */
  personContext: Readonly<Record<string, unknown>>
  persona: string | null
  from: Instant
  until: Instant
  /** No account signal can change the answer (`from`/`until` infinite): the per-event check reads no instant. */
  timeless: boolean
  fit: FitSnapshot
  /**
   * Bit i set: automatic stage i (engine order) is false whatever the lead's intent, signals, engagement and lead
   * fields — decided from fit, account and person alone. A number in the memo itself, not an array beside it: it is
   * read on every decision. -1 until first needed; reset when `fit` is recomputed.
   */
  stagesFalse: number
}

/** Past this many distinct people without an account, the shared fit table starts over (bounds memory). */
const SHARED_WITHOUT_ACCOUNT_LIMIT = 50_000
const PERSONA_CACHE_LIMIT = 10_000

const NO_SIGNALS: readonly AccountSignal[] = []

/**
 * The persona of a person: `person.persona` when the records carry one, else the first Agreement persona whose title
 * rules match (`VP Finance` → `economic_buyer`).
 *
 * Example: `matchPersona(engine, { title: 'Director of Compliance' })` → `'compliance_lead'`
 */
export function matchPersona(engine: Engine, person: Readonly<Record<string, unknown>>): string | null {
  if (typeof person.persona === 'string') return person.persona
  const title = person.title
  if (typeof title !== 'string' || title === '') return null
  const seniority = typeof person.seniority === 'string' ? person.seniority : undefined
  // Titles repeat across people: the persona regexes run once per distinct title and seniority.
  const key = seniority === undefined ? title : `${title}\u0000${seniority}`
  const cache = engine.caches.persona
  const known = cache.get(key)
  if (known !== undefined) return known
  let found: string | null = null
  for (const p of engine.compiled.personas)
    if (p.test(title, seniority)) {
      found = p.id
      break
    }
  if (cache.size >= PERSONA_CACHE_LIMIT) cache.clear()
  cache.set(key, found)
  return found
}

/** account_signals for a criterion: types seen in [at − within, at] are true, all others false. */
function signalFlags(
  engine: Engine,
  signals: readonly AccountSignal[],
  at: Instant,
  withinMs: number | null,
): Record<string, boolean> {
  const flags: Record<string, boolean> = {}
  for (const type of engine.compiled.agreement.account_signal_types) flags[type] = false
  for (const s of signals) if (s.at <= at && (withinMs === null || s.at >= at - withinMs)) flags[s.type] = true
  return flags
}

const ALWAYS: { from: Instant; until: Instant } = Object.freeze({
  from: Number.NEGATIVE_INFINITY,
  until: Number.POSITIVE_INFINITY,
})

function validity(engine: Engine, signals: readonly AccountSignal[], at: Instant): { from: Instant; until: Instant } {
  if (signals.length === 0) return ALWAYS
  let from = Number.NEGATIVE_INFINITY
  let until = Number.POSITIVE_INFINITY
  const consider = (change: Instant) => {
    if (change <= at) from = Math.max(from, change)
    else until = Math.min(until, change)
  }
  for (const s of signals) {
    consider(s.at)
    for (const c of engine.compiled.fit) if (c.withinMs !== null) consider(s.at + c.withinMs + 1)
  }
  return { from, until }
}

/** Fit as of `at`, every criterion evaluated: the plain path the shared snapshots must equal. */
export function computeFit(
  engine: Engine,
  account: LeadFacts['account'],
  person: Readonly<Record<string, unknown>>,
  signals: readonly AccountSignal[],
  at: Instant,
): FitSnapshot {
  // Without an account nothing is known about its signals; with one, a type not reported is a type not seen.
  const seen = account === null ? {} : signalFlags(engine, signals, at, null)
  const base: Record<string, unknown> = { account, person, account_signals: seen }
  const parts: FitPart[] = []
  const unknown: UnknownCriterion[] = []
  let score = 0
  for (const c of engine.compiled.fit) {
    const ctx: ConditionContext =
      c.withinMs === null || account === null
        ? base
        : { account, person, account_signals: signalFlags(engine, signals, at, c.withinMs) }
    const truth = c.condition.test(ctx)
    if (truth === true) {
      score += c.points
      parts.push({ id: c.id, name: c.name, points: c.points })
    } else if (truth === 'unknown') {
      const missing = findMissingFields(ctx, c.condition.reads)
      unknown.push({ id: c.id, name: c.name, kind: 'criterion', missing: missing.length ? missing : ['(no value)'] })
    }
  }
  let disqualifier: FitSnapshot['disqualifier'] = null
  for (const d of engine.compiled.disqualifiers) {
    const truth = d.condition.test(base)
    if (truth === true && disqualifier === null) {
      const r = evaluateCondition(d.condition, base)
      disqualifier = { id: d.id, name: d.name, reason: d.reason, reasons: r.reasons }
    } else if (truth === 'unknown') {
      const missing = findMissingFields(base, d.condition.reads)
      unknown.push({ id: d.id, name: d.name, kind: 'disqualifier', missing: missing.length ? missing : ['(no value)'] })
    }
  }
  return { score, parts, unknown, disqualifier }
}

function keyPart(v: unknown): string {
  return typeof v === 'string' ? `s${v}` : v == null ? 'n' : `j${JSON.stringify(v)}`
}

/** Past this many distinct people (by the fields fit reads), the person signature table starts over. */
const PERSON_SIGNATURE_LIMIT = 50_000

/**
 * Whether every fit criterion and disqualifier that reads the person reads nothing else (`person.title`, not
 * `person.title` and `account.industry`): then a person changes a fit snapshot only through those criteria's own
 * results, and people whose results agree share the account's snapshot. Decided once per engine.
 */
function personCriteriaOf(engine: Engine): PersonCriteria {
  const cached = engine.caches.personCriteria
  if (cached !== undefined) return cached
  const criteria: PersonCriteria['criteria'] = []
  let personOnly = true
  const all = [
    ...engine.compiled.fit.map((c) => ({ condition: c.condition, disqualifier: false })),
    ...engine.compiled.disqualifiers.map((d) => ({ condition: d.condition, disqualifier: true })),
  ]
  for (const c of all) {
    const fields = c.condition.fields
    const person = fields.filter((f) => f === 'person' || f.startsWith('person.'))
    if (person.length === 0) continue
    if (person.length !== fields.length || person.includes('person')) personOnly = false
    criteria.push(c)
  }
  const found: PersonCriteria = { personOnly, criteria }
  engine.caches.personCriteria = found
  return found
}

export type PersonCriteria = {
  personOnly: boolean
  criteria: { condition: CompiledCondition; disqualifier: boolean }[]
}

/** Stands for a non-string value in a signature table (strings stand for themselves): `n` null, `j<json>` others. */
const NON_STRING_KEYS = new Map<string, object>()
function tableKey(v: unknown): unknown {
  if (typeof v === 'string') return v
  const k = keyPart(v)
  let o = NON_STRING_KEYS.get(k)
  if (o === undefined) {
    o = Object.freeze({ key: k })
    if (NON_STRING_KEYS.size < PERSON_SIGNATURE_LIMIT) NON_STRING_KEYS.set(k, o)
    else return k
  }
  return o
}

/**
 * What a person contributes to a fit snapshot, as a string shared by everyone who contributes the same: with
 * person-only criteria (see personCriteriaOf), each one's result (`t`, `f`, or `u` with the missing fields) — unless
 * a person-only disqualifier holds, whose reasons quote the person's values: then, like any criterion that also reads
 * the account, the values themselves. Looked up by the values of the fields fit reads, one table level per field, so
 * no key string is built per lead.
 */
function personSignature(engine: Engine, fields: readonly string[], person: Readonly<Record<string, unknown>>): string {
  const caches = engine.caches
  let level = caches.personSignatures
  for (let i = 0; i < fields.length - 1; i++) {
    const k = tableKey(person[fields[i]!])
    let next = level.get(k) as Map<unknown, unknown> | undefined
    if (next === undefined) {
      next = new Map()
      level.set(k, next)
    }
    level = next
  }
  const last = tableKey(person[fields[fields.length - 1]!])
  const known = level.get(last) as string | undefined
  if (known !== undefined) return known
  let values = ''
  for (const f of fields) values += `${keyPart(person[f])}\u0001`
  let signature = `v${values}`
  const { personOnly, criteria } = personCriteriaOf(engine)
  if (personOnly) {
    const ctx: ConditionContext = { account: null, person, account_signals: {} }
    let sig = 'r'
    for (const c of criteria) {
      const truth = c.condition.test(ctx)
      if (truth === true && c.disqualifier) {
        sig = null as unknown as string
        break
      }
      sig += truth === true ? 't' : truth === false ? 'f' : `u${findMissingFields(ctx, c.condition.reads).join(',')};`
    }
    if (sig !== null) signature = sig
  }
  // One string object per distinct signature, so tables keyed by it compare by identity.
  const interned = caches.signatureStrings.get(signature)
  if (interned !== undefined) signature = interned
  else caches.signatureStrings.set(signature, signature)
  if (caches.personSignatureCount >= PERSON_SIGNATURE_LIMIT) {
    caches.personSignatures.clear()
    caches.signatureStrings.clear()
    caches.personSignatureCount = 0
    return signature
  }
  caches.personSignatureCount++
  level.set(last, signature)
  return signature
}

/**
 * Fit of a person at an account that reports no account signals, shared by every lead with the same account object
 * and the same person signature (see personSignature): the snapshot is immutable and independent of time then, so
 * most leads never evaluate a criterion, and an account's people share one snapshot. `computeFit` for that account
 * and person gives an equal snapshot (a test pins it).
 */
function sharedFit(
  engine: Engine,
  account: LeadFacts['account'],
  person: Readonly<Record<string, unknown>>,
): FitSnapshot {
  const fields = engine.caches.fitPersonFields
  if (fields === null) return computeFit(engine, account, person, NO_SIGNALS, 0)
  const key = fields.length === 0 ? '' : personSignature(engine, fields, person)
  let table: Map<string, FitSnapshot> | undefined
  if (account === null) {
    table = engine.caches.fitWithoutAccount
    if (table.size >= SHARED_WITHOUT_ACCOUNT_LIMIT) table.clear()
  } else {
    table = engine.caches.fitByAccount.get(account)
    if (table === undefined) {
      table = new Map()
      engine.caches.fitByAccount.set(account, table)
    }
  }
  let fit = table.get(key)
  if (fit === undefined) {
    fit = computeFit(engine, account, person, NO_SIGNALS, 0)
    table.set(key, fit)
  }
  return fit
}

/**
 * Whether each automatic stage condition is false from what the memo alone knows. Sound because the condition is
 * monotone (see CompiledCondition.isMonotone): with intent, signals, engagement, stage and lead fields absent, a
 * definite false stays false whatever values they take.
 */
export function findStagesFalse(engine: Engine, memo: FitMemo): number {
  if (memo.stagesFalse !== -1) return memo.stagesFalse
  const ctx: ConditionContext = { account: memo.account, person: memo.personContext, fit: memo.fit.score }
  let mask = 0
  engine.autoStages.forEach((s, i) => {
    if (s.condition.isMonotone && s.condition.test(ctx) === false) mask |= 1 << i
  })
  memo.stagesFalse = mask
  return mask
}

/**
 * Fit, persona and the person context as of `at`, memoized per facts object while its records are the same objects.
 * A missing field makes a criterion `unknown` (listed with the fields it lacks), never a non-match; a disqualifier
 * that matches is reported whatever the score.
 *
 * Example: `resolveFit(engine, facts, Date.UTC(2026, 10, 20)).fit` → `{ score: 72, parts: [...], unknown: [], disqualifier: null }`
 */
/**
 * The memo rides on the facts object under a per-engine symbol (JSON and structuredClone skip symbol keys): it is
 * already in cache when the event is processed, where a WeakMap lookup is a cold hash probe per event. It is a plain
 * property (defineProperty costs more than a lead's other setup), so a spread copy of the facts carries it — harmless:
 * the memo checks that `person`, `account` and `accountSignals` are still its own before it is used. Frozen facts fall
 * back to the engine's WeakMap.
 */
export function findFitMemo(engine: Engine, facts: LeadFacts): FitMemo | undefined {
  return (facts as unknown as Record<symbol, FitMemo | undefined>)[engine.memoKey] ?? engine.fitMemo.get(facts)
}

function storeFitMemo(engine: Engine, facts: LeadFacts, memo: FitMemo): void {
  if (Object.isExtensible(facts)) (facts as unknown as Record<symbol, FitMemo>)[engine.memoKey] = memo
  else engine.fitMemo.set(facts, memo)
}

export function resolveFit(
  engine: Engine,
  facts: LeadFacts,
  at: Instant,
  /** `findFitMemo(engine, facts)` when the caller already looked it up. */
  memo: FitMemo | undefined = findFitMemo(engine, facts),
): FitMemo {
  if (
    memo !== undefined &&
    memo.person === facts.person &&
    memo.account === facts.account &&
    memo.accountSignals === facts.accountSignals
  ) {
    if (memo.timeless || (at >= memo.from && at < memo.until)) return memo
    const signals = facts.accountSignals ?? NO_SIGNALS
    const { from, until } = validity(engine, signals, at)
    memo.fit = computeFit(engine, facts.account, memo.personContext, signals, at)
    memo.stagesFalse = -1
    memo.from = from
    memo.until = until
    memo.timeless = from === Number.NEGATIVE_INFINITY && until === Number.POSITIVE_INFINITY
    return memo
  }
  const persona = matchPersona(engine, facts.person)
  const personContext =
    persona !== null && facts.person.persona == null && engine.personaInContext
      ? { ...facts.person, persona }
      : (facts.person as object)
  const signals = facts.accountSignals ?? NO_SIGNALS
  const { from, until } = validity(engine, signals, at)
  const fresh: FitMemo = {
    person: facts.person,
    account: facts.account,
    accountSignals: facts.accountSignals,
    personContext: personContext as Readonly<Record<string, unknown>>,
    persona,
    from,
    until,
    timeless: from === Number.NEGATIVE_INFINITY && until === Number.POSITIVE_INFINITY,
    fit:
      signals.length === 0
        ? sharedFit(engine, facts.account, personContext as Readonly<Record<string, unknown>>)
        : computeFit(engine, facts.account, personContext as Readonly<Record<string, unknown>>, signals, at),
    stagesFalse: -1,
  }
  storeFitMemo(engine, facts, fresh)
  return fresh
}
