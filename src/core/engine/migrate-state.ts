import type { Engine } from './create-engine.ts'
import type { LeadState, SignalState } from './engine-types.ts'
import { emptyIntent, emptySignals } from './score-intent.ts'

/**
 * Carries a lead's aggregates over to another Agreement version without its history: an intent rule keeps its
 * decayed sum when its id and matcher are unchanged (rescaled when only its points changed); a signal keeps its
 * timestamps when its name and filters are unchanged. A rule or signal that is new or changed starts from zero at the
 * switch — replay the person's history through the version when that matters. Returns notes for the transition log.
 * Mutates `state`.
 *
 * Example: `migrateState(engineV4, state)` → `['intent rule pricing_view: points 10 → 15, decayed sum rescaled']`
 */
export function migrateState(engine: Engine, state: LeadState): string[] {
  const notes: string[] = []
  const old = state.intent
  const oldById = new Map<string, number>()
  old.keys.forEach((k, j) => {
    oldById.set(k.split('|')[0]!, j)
  })
  const next = emptyIntent(engine)
  engine.rules.forEach((rule, i) => {
    const j = oldById.get(rule.id)
    if (j === undefined) {
      notes.push(`intent rule ${rule.id}: new in this version, starts at 0`)
      return
    }
    const [, oldPrint, oldPoints] = old.keys[j]!.split('|')
    const [, newPrint] = rule.key.split('|')
    if (oldPrint !== newPrint) {
      notes.push(`intent rule ${rule.id}: matcher changed, starts at 0`)
      return
    }
    const p0 = Number(oldPoints)
    next.sums[i] = p0 === rule.points ? old.sums[j]! : p0 !== 0 ? (old.sums[j]! * rule.points) / p0 : 0
    next.refs[i] = old.refs[j]!
    if (p0 !== rule.points) notes.push(`intent rule ${rule.id}: points ${p0} → ${rule.points}, decayed sum rescaled`)
  })
  const oldSignals = new Map(state.signals.map((s) => [s.name, s]))
  const signals = emptySignals(engine).map((fresh, i): SignalState => {
    const prev = oldSignals.get(fresh.name)
    if (!prev || prev.kind !== fresh.kind || prev.key !== fresh.key) {
      if (fresh.kind !== 'inactivity') notes.push(`signal ${fresh.name}: new or changed, starts empty`)
      return fresh
    }
    const def = engine.signals[i]!
    if (prev.kind === 'count' && def.kind === 'count')
      return { ...prev, times: prev.times.slice(Math.max(0, prev.times.length - def.atLeast)) }
    return { ...prev }
  })
  state.intent = next
  state.signals = signals
  state.agreement = { versionId: engine.version.id, hash: engine.version.hash }
  return notes
}
