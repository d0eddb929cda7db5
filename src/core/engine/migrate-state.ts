import type { Engine } from './create-engine.ts'
import { type Instant, type LeadState, NEVER } from './engine-types.ts'
import { emptyAggregates } from './score-intent.ts'

/**
 * Carrying a lead's aggregates from one layout to another: to a new Agreement version (`migrateState`), and from the
 * schema 1 shape stored before aggregates were flat (`intent: { keys, sums, refs }`, one object per signal), which
 * every entry point of the engine still reads.
 */

/** The schema 1 shape of `LeadState` (lead rows written before schema 2); everything else is unchanged. */
export type LeadStateV1 = Omit<LeadState, 'schema' | 'layout' | 'aggregates'> & {
  schema: 1
  /** Per rule, aligned with `keys` (`id|fingerprint|points`): decayed sum as of `refs[i]`. */
  intent: { keys: string[]; sums: number[]; refs: Instant[] }
  signals: (
    | { name: string; key: string; kind: 'count'; times: Instant[] }
    | { name: string; key: string; kind: 'any'; lastAt: Instant | null; lastOf: number }
    | { name: string; key: string; kind: 'inactivity' }
  )[]
}

type OldRule = { print: string; points: number; sum: number; ref: Instant }
type OldSignal =
  | { kind: 'count'; key: string; times: Instant[] }
  | { kind: 'any'; key: string; lastAt: Instant; lastOf: number }
  | { kind: 'inactivity'; key: string }

/** The aggregates of a state in either schema, by rule id and signal name. */
function readAggregates(state: LeadState | LeadStateV1): {
  rules: Map<string, OldRule>
  signals: Map<string, OldSignal>
} {
  const rules = new Map<string, OldRule>()
  const signals = new Map<string, OldSignal>()
  if (state.schema !== 2) {
    const old = state as LeadStateV1
    old.intent.keys.forEach((k, j) => {
      const [id, print, points] = k.split('|')
      rules.set(id!, { print: print!, points: Number(points), sum: old.intent.sums[j]!, ref: old.intent.refs[j]! })
    })
    for (const s of old.signals)
      signals.set(
        s.name,
        s.kind === 'count'
          ? { kind: 'count', key: s.key, times: s.times }
          : s.kind === 'any'
            ? { kind: 'any', key: s.key, lastAt: s.lastAt ?? NEVER, lastOf: s.lastOf }
            : { kind: 'inactivity', key: s.key },
      )
    return { rules, signals }
  }
  const agg = state.aggregates
  let offset = 0
  for (const entry of state.layout) {
    const [kind, name, print, extra] = entry.split('|') as [string, string, string | undefined, string | undefined]
    if (kind === 'rule') {
      // `rule|<id>|<fingerprint>|<points>`: the id is the rule's, the rest the schema 1 key.
      rules.set(name, { print: print!, points: Number(extra), sum: agg[offset]!, ref: agg[offset + 1]! })
      offset += 2
    } else if (kind === 'count') {
      const atLeast = Number(extra)
      const times: Instant[] = []
      for (let k = offset; k < offset + atLeast; k++) if (agg[k] !== NEVER) times.push(agg[k]!)
      signals.set(name, { kind: 'count', key: print!, times })
      offset += atLeast
    } else if (kind === 'any') {
      signals.set(name, { kind: 'any', key: print!, lastAt: agg[offset]!, lastOf: agg[offset + 1]! })
      offset += 2
    } else signals.set(name, { kind: 'inactivity', key: 'inactivity' })
  }
  return { rules, signals }
}

/** Moves the aggregates into `engine`'s layout; notes name what could not be carried. Leaves `agreement` alone. */
function carryOver(engine: Engine, state: LeadState | LeadStateV1): string[] {
  const notes: string[] = []
  const old = readAggregates(state)
  const next = emptyAggregates(engine)
  for (const rule of engine.rules) {
    const prev = old.rules.get(rule.id)
    if (prev === undefined) {
      notes.push(`intent rule ${rule.id}: new in this version, starts at 0`)
      continue
    }
    const [, print] = rule.key.split('|')
    if (prev.print !== print) {
      notes.push(`intent rule ${rule.id}: matcher changed, starts at 0`)
      continue
    }
    const p0 = prev.points
    next[rule.offset] = p0 === rule.points ? prev.sum : p0 !== 0 ? (prev.sum * rule.points) / p0 : 0
    next[rule.offset + 1] = prev.ref
    if (p0 !== rule.points) notes.push(`intent rule ${rule.id}: points ${p0} → ${rule.points}, decayed sum rescaled`)
  }
  for (const s of engine.signals) {
    const prev = old.signals.get(s.name)
    if (prev === undefined || prev.kind !== s.kind || prev.key !== s.key) {
      if (s.kind !== 'inactivity') notes.push(`signal ${s.name}: new or changed, starts empty`)
      continue
    }
    if (s.kind === 'count' && prev.kind === 'count') {
      // The most recent `atLeast` times, in the last places.
      const kept = prev.times.slice(Math.max(0, prev.times.length - s.atLeast))
      for (let k = 0; k < kept.length; k++) next[s.offset + s.atLeast - kept.length + k] = kept[k]!
    } else if (s.kind === 'any' && prev.kind === 'any') {
      next[s.offset] = prev.lastAt
      next[s.offset + 1] = prev.lastOf
    }
  }
  const target = state as LeadState & Partial<Pick<LeadStateV1, 'intent' | 'signals'>>
  delete target.intent
  delete target.signals
  target.schema = 2
  target.layout = engine.layout
  target.aggregates = next
  return notes
}

function sameLayout(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true
  if (a === undefined || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * Carries a lead's aggregates over to another Agreement version without its history: an intent rule keeps its
 * decayed sum when its id and matcher are unchanged (rescaled when only its points changed); a signal keeps its
 * timestamps when its name and filters are unchanged. A rule or signal that is new or changed starts from zero at the
 * switch — replay the person's history through the version when that matters. Reads schema 1 states too. Returns
 * notes for the transition log. Mutates `state`.
 *
 * Example: `migrateState(engineV4, state)` → `['intent rule pricing_view: points 10 → 15, decayed sum rescaled']`
 */
export function migrateState(engine: Engine, state: LeadState): string[] {
  const notes = carryOver(engine, state)
  state.agreement = { versionId: engine.version.id, hash: engine.version.hash }
  return notes
}

/**
 * Makes `state` readable by `engine` in place, as every mutating entry point does first: a state of another version
 * is migrated (`migrateState`, notes returned); a schema 1 state of this version is converted to schema 2 exactly
 * (no note); a state whose layout equals the engine's shares the engine's array.
 */
export function adoptState(engine: Engine, state: LeadState): string[] {
  if (state.agreement.hash !== engine.version.hash) return migrateState(engine, state)
  if (state.schema !== 2 || !sameLayout(state.layout, engine.layout)) return carryOver(engine, state)
  state.layout = engine.layout
  return []
}

/**
 * Whether a lead row's stored state is one the engine wrote (schema 1 or 2). Rows loaded in bulk outside the engine —
 * the bench's large workspace, test seeds — store `{}` or a fragment; reads must then fall back to the row's columns
 * instead of explaining a state that is not there.
 *
 * Example: `isEngineState({})` → `false`; `isEngineState(JSON.parse(row.state))` → `true` for any ingested lead
 */
export function isEngineState(stored: unknown): stored is LeadState {
  const schema = (stored as { schema?: unknown } | null)?.schema
  return schema === 2 || schema === 1
}

/**
 * `state` when `engine` can read it as it is, otherwise a shallow copy carried over to the engine's layout (a schema 1
 * state, or a state of another version read with the active engine). Never changes `state`: for read-only views.
 */
export function readableState(engine: Engine, state: LeadState): LeadState {
  if (state.schema === 2 && sameLayout(state.layout, engine.layout)) return state
  const copy = { ...state }
  carryOver(engine, copy)
  return copy
}
