import type { LifecycleStage } from '../agreement/agreement-schema.ts'
import type { CompiledAgreement } from '../agreement/compile-agreement.ts'
import type { CompiledCondition } from '../rules/compile-condition.ts'
import type { CompiledEventMatcher, EventMatch } from '../rules/event-matcher.ts'
import { type AggregateLayout, type FitSnapshot, type LeadFacts, NEVER } from './engine-types.ts'
import type { FitMemo, PersonCriteria } from './score-fit.ts'

export type EngineRule = {
  /** Place of the rule's `[sum, ref]` in `LeadState.aggregates`. */
  offset: number
  id: string
  name: string
  points: number
  /** Only for positive rules: bounds the rule's decayed contribution at any instant. */
  cap: number | null
  key: string
  matcher: CompiledEventMatcher
}

/** `offset`: place of the signal's numbers in `LeadState.aggregates` (`atLeast` instants, or `[lastAt, lastOf]`). */
export type EngineSignal =
  | { name: string; key: string; offset: number; kind: 'count'; atLeast: number; withinMs: number; label: string }
  | { name: string; key: string; offset: number; kind: 'any'; withinMs: number; labels: string[] }
  | { name: string; key: string; offset: number; kind: 'inactivity'; forMs: number }

/**
 * What one event type can touch, so an event only runs the matchers of its own type: intent rules, `count` signals
 * and `any` filters, each with its place in `LeadState.aggregates` (`atLeast` for counts, the filter index for anys).
 */
type TypeHandlers = {
  rules: { index: number; offset: number; points: number; matcher: CompiledEventMatcher }[]
  counts: { index: number; offset: number; atLeast: number; matcher: CompiledEventMatcher }[]
  anys: { index: number; offset: number; of: number; matcher: CompiledEventMatcher }[]
}

export type AutoStage = { stage: LifecycleStage; rule: string; condition: CompiledCondition }

/** The scratch context conditions read; reused for every evaluation so the hot path allocates nothing. */
export type StageContext = {
  account: Readonly<Record<string, unknown>> | null
  person: Readonly<Record<string, unknown>>
  lead: Readonly<Record<string, unknown>>
  fit: number
  intent: number
  stage: string
  signals: Record<string, boolean>
  account_engagement: {
    engaged_people: number
    engaged_personas: string[]
    committee_coverage: number
    intent: number
  } | null
}

/**
 * One Agreement version made ready for events: matchers grouped by event type, stage and tier conditions picked
 * out, labels for explanations prepared. Build it once per version and reuse it for every lead.
 */
export type Engine = {
  compiled: CompiledAgreement
  version: { id: number; hash: string }
  halfLifeMs: number
  intentMax: number
  rules: EngineRule[]
  signals: EngineSignal[]
  /** What each place of `LeadState.aggregates` means; shared by every state of this version. */
  layout: AggregateLayout
  byType: ReadonlyMap<string, TypeHandlers>
  /** Automatic forward stages, furthest first: a lead that meets both AQL and MQL goes straight to AQL. */
  autoStages: AutoStage[]
  tiers: CompiledAgreement['tiers']
  requiredFields: string[]
  committee: { personas: string[]; minEngaged: number } | null
  /** Some stage or tier condition reads `account_engagement.*`: only then is engagement computed. */
  readsAccountEngagement: boolean
  /**
   * Some automatic stage condition could turn true just because time passed (it negates, compares downwards, uses a
   * ternary or `==`, or reads an inactivity signal). When false, a Lead whose inputs did not move cannot qualify, so
   * events that match nothing skip the evaluation.
   */
  stagesTimeSensitive: boolean
  /**
   * Some condition or required handoff field reads `person.persona` (or `person` as a whole): only then does the
   * person context carry the persona matched from the title (a copy of the person per lead).
   */
  personaInContext: boolean
  fitMemo: WeakMap<LeadFacts, FitMemo>
  memoKey: symbol
  scratch: StageContext
  /** Results shared across leads (see score-fit.ts); pure functions of their keys, so sharing changes no answer. */
  caches: EngineCaches
  /**
   * Shared by every new state of this version (never mutated in place: states replace them), and `aggregates`, the
   * empty aggregates new states copy.
   */
  blank: { agreement: { versionId: number; hash: string }; aggregates: readonly number[] }
}

export type EngineCaches = {
  persona: Map<string, string | null>
  /** Person fields fit criteria and disqualifiers read; null when one reads `person` as a whole. */
  fitPersonFields: string[] | null
  fitByAccount: WeakMap<object, Map<string, FitSnapshot>>
  fitWithoutAccount: Map<string, FitSnapshot>
  /** Which fit criteria read the person (see score-fit.ts personCriteriaOf); decided on first use. */
  personCriteria: PersonCriteria | undefined
  /** Person field values (one level per field of `fitPersonFields`) → the person's fit signature. */
  personSignatures: Map<unknown, unknown>
  personSignatureCount: number
  signatureStrings: Map<string, string>
}

function findFitPersonFields(compiled: CompiledAgreement): string[] | null {
  const fields = new Set<string>()
  for (const c of [...compiled.fit, ...compiled.disqualifiers])
    for (const f of c.condition.fields) {
      if (f === 'person') return null
      if (f.startsWith('person.')) fields.add(f.slice('person.'.length))
    }
  return [...fields].sort()
}

/** FNV-1a, hex: a short stable fingerprint of a rule's matcher, to tell whether a new version changed it. */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, '0')
}

const EVENT_WORDS: Record<string, [string, string]> = {
  page_view: ['page view', 'page views'],
  form_submit: ['form submission', 'form submissions'],
  demo_request: ['demo request', 'demo requests'],
  contact_request: ['contact request', 'contact requests'],
  content_download: ['content download', 'content downloads'],
  webinar_registered: ['webinar registration', 'webinar registrations'],
  webinar_attended: ['webinar attended', 'webinars attended'],
  event_attended: ['event attended', 'events attended'],
  email_sent: ['email sent', 'emails sent'],
  email_open: ['email open', 'email opens'],
  email_click: ['email click', 'email clicks'],
  email_reply: ['email reply', 'email replies'],
  email_bounce: ['email bounce', 'email bounces'],
  email_unsubscribe: ['unsubscribe', 'unsubscribes'],
  chat_conversation: ['chat conversation', 'chat conversations'],
  meeting_booked: ['meeting booked', 'meetings booked'],
  call: ['call', 'calls'],
  trial_start: ['trial start', 'trial starts'],
  signup: ['signup', 'signups'],
  product_signal: ['product signal', 'product signals'],
  ad_click: ['ad click', 'ad clicks'],
  review_site_visit: ['review site visit', 'review site visits'],
  intent_surge: ['intent surge', 'intent surges'],
}

/**
 * "pricing page views" for `{ type: page_view, match: { path: { prefix: /pricing } } }`: the event words, qualified
 * by the last segment of a path prefix or by a single required value.
 */
export function describeEventFilter(type: string, match: EventMatch | undefined, plural: boolean): string {
  const words = EVENT_WORDS[type] ?? [type.replace(/_/g, ' '), `${type.replace(/_/g, ' ')}s`]
  const noun = plural ? words[1] : words[0]
  const path = match?.path?.prefix
  if (path) {
    const segment = path.split('/').filter(Boolean).pop()
    if (segment) return `${segment.replace(/[-_]/g, ' ')} ${noun}`
  }
  const entries = Object.entries(match ?? {})
  if (entries.length === 1) {
    const [prop, m] = entries[0]!
    if (m.equals !== undefined) return `${noun} (${prop} ${String(m.equals)})`
    if (m.in !== undefined && m.in.length <= 3) return `${noun} (${prop} ${m.in.join(' or ')})`
  }
  return noun
}

/**
 * Conservative: intent, engagement and windowed signals only fall as time passes, so a condition built from `&&`, `||`,
 * `>=`, `>` with those on the left, `in`, `has()` and string tests over them can only turn true when an input rises.
 */
function isTimeSensitive(source: string, signals: readonly EngineSignal[]): boolean {
  const code = source.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
  if (/!|<|==|\?/.test(code)) return true
  if (/>=?\s*[\w.]*(intent|account_engagement|signals|fit)/.test(code)) return true
  return signals.some((s) => s.kind === 'inactivity' && code.includes(`signals.${s.name}`))
}

/** The layout key of a signal (see `AggregateLayout`). */
export function layoutKey(s: EngineSignal): string {
  switch (s.kind) {
    case 'count':
      return `count|${s.name}|${s.key}|${s.atLeast}`
    case 'any':
      return `any|${s.name}|${s.key}`
    default:
      return `inactivity|${s.name}`
  }
}

function createScratch(signalNames: readonly string[]): StageContext {
  const signals: Record<string, boolean> = {}
  for (const n of signalNames) signals[n] = false
  return {
    account: null,
    person: {},
    lead: {},
    fit: 0,
    intent: 0,
    stage: 'Lead',
    signals,
    account_engagement: null,
  }
}

/**
 * Prepare a compiled Agreement version for the engine. `version.id` is the version number shown to analysts
 * ("agreement v3"); `version.hash` its content hash.
 *
 * Example: `const engine = createEngine(compileAgreement(agreement), { id: 3, hash: compiled.hash })`
 */
export function createEngine(compiled: CompiledAgreement, version: { id: number; hash: string }): Engine {
  const a = compiled.agreement
  const rules: EngineRule[] = compiled.intent.rules.map((r, i) => {
    const def = a.intent.rules[i]!
    return {
      offset: 2 * i,
      id: r.id,
      name: def.name ?? r.id,
      points: r.points,
      cap: r.points > 0 ? r.cap : null,
      key: `${r.id}|${fingerprint(JSON.stringify([def.type, def.match ?? {}]))}|${r.points}`,
      matcher: r.matcher,
    }
  })
  let offset = 2 * rules.length
  const signals: EngineSignal[] = Object.entries(compiled.intent.signals).map(([name, s]): EngineSignal => {
    const def = a.intent.signals[name]!
    const at = offset
    switch (s.kind) {
      case 'count': {
        const d = def as Extract<typeof def, { kind: 'count' }>
        offset += s.atLeast
        return {
          name,
          key: fingerprint(JSON.stringify(['count', d.type, d.match ?? {}])),
          offset: at,
          kind: 'count',
          atLeast: s.atLeast,
          withinMs: s.withinMs,
          label: describeEventFilter(d.type, d.match, true),
        }
      }
      case 'any': {
        const d = def as Extract<typeof def, { kind: 'any' }>
        offset += 2
        return {
          name,
          key: fingerprint(JSON.stringify(['any', d.of])),
          offset: at,
          kind: 'any',
          withinMs: s.withinMs,
          labels: d.of.map((f) => describeEventFilter(f.type, f.match, false)),
        }
      }
      default:
        return { name, key: 'inactivity', offset: at, kind: 'inactivity', forMs: s.forMs }
    }
  })
  const byType = new Map<string, TypeHandlers>()
  const handlersOf = (type: string): TypeHandlers => {
    let h = byType.get(type)
    if (!h) {
      h = { rules: [], counts: [], anys: [] }
      byType.set(type, h)
    }
    return h
  }
  rules.forEach((r, index) => {
    handlersOf(r.matcher.type).rules.push({ index, offset: r.offset, points: r.points, matcher: r.matcher })
  })
  Object.values(compiled.intent.signals).forEach((s, index) => {
    const { offset } = signals[index]!
    if (s.kind === 'count')
      handlersOf(s.matcher.type).counts.push({ index, offset, atLeast: s.atLeast, matcher: s.matcher })
    else if (s.kind === 'any')
      s.matchers.forEach((matcher, of) => {
        handlersOf(matcher.type).anys.push({ index, offset, of, matcher })
      })
  })
  const layout = Object.freeze([...rules.map((r) => `rule|${r.key}`), ...signals.map(layoutKey)])
  // Filled with doubles first, so the array (and every state's copy of it) holds unboxed doubles.
  const aggregates: number[] = []
  for (let i = 0; i < offset; i++) aggregates.push(NEVER)
  for (let i = 0; i < 2 * rules.length; i++) aggregates[i] = 0
  for (const s of signals) {
    if (s.kind === 'count') for (let k = 0; k < s.atLeast; k++) aggregates[s.offset + k] = NEVER
    else if (s.kind === 'any') aggregates[s.offset + 1] = 0
  }
  const autoStages: AutoStage[] = []
  for (const stage of ['AQL', 'MQL'] as const) {
    const condition = compiled.stages[stage]?.condition
    if (condition) autoStages.push({ stage, rule: `stages.${stage}.when`, condition })
  }
  const conditions = [...autoStages.map((s) => s.condition), ...compiled.tiers.map((t) => t.condition)]
  return {
    compiled,
    version,
    halfLifeMs: compiled.intent.halfLifeMs,
    intentMax: compiled.intent.max,
    rules,
    signals,
    layout,
    byType,
    autoStages,
    tiers: compiled.tiers,
    requiredFields: compiled.handoffRequiredFields,
    committee: compiled.buyingCommittee,
    readsAccountEngagement: conditions.some((c) => c.source.includes('account_engagement')),
    stagesTimeSensitive: autoStages.some((s) => isTimeSensitive(s.condition.source, signals)),
    personaInContext:
      compiled.handoffRequiredFields.includes('person.persona') ||
      [...compiled.fit.map((c) => c.condition), ...compiled.disqualifiers.map((d) => d.condition), ...conditions].some(
        (c) => c.fields.includes('person') || c.fields.includes('person.persona'),
      ),
    fitMemo: new WeakMap(),
    memoKey: Symbol(`accord.fit.v${version.id}`),
    scratch: createScratch(signals.map((s) => s.name)),
    caches: {
      persona: new Map(),
      fitPersonFields: findFitPersonFields(compiled),
      fitByAccount: new WeakMap(),
      fitWithoutAccount: new Map(),
      personCriteria: undefined,
      personSignatures: new Map(),
      personSignatureCount: 0,
      signatureStrings: new Map(),
    },
    blank: { agreement: { versionId: version.id, hash: version.hash }, aggregates },
  }
}
