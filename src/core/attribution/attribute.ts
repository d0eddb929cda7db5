import { AppError, type Issue } from '../errors.ts'
import { buildAttributionResult } from './attribution-result.ts'
import { type JourneySet, toJourneySet } from './compile-journeys.ts'
import { markovRemovalEffects } from './markov-removal-effects.ts'
import {
  FULL_PATH,
  type SlotWeights,
  toSlotWeights,
  U_SHAPED,
  W_SHAPED,
  writePositionWeights,
  writeTimeDecayWeights,
} from './touch-weights.ts'
import type { AttributionModel, AttributionModelKind, AttributionResult, Journey } from './types.ts'

/** Every model name, in the order the CLI lists them. */
export const ATTRIBUTION_MODEL_KINDS: readonly AttributionModelKind[] = [
  'first',
  'last',
  'linear',
  'time_decay',
  'u_shaped',
  'w_shaped',
  'full_path',
  'custom',
  'markov',
]

/** Bizible's default half-life: a touch a week older than another counts half as much. */
export const DEFAULT_HALF_LIFE_MS = 7 * 24 * 60 * 60 * 1000

/**
 * Problems with a model definition, each naming its field; empty when the model is usable.
 *
 * Example: `validateAttributionModel({ kind: 'time_decay', halfLifeMs: 0 })` →
 * `[{ path: 'model.halfLifeMs', message: 'expected a finite number > 0, got 0' }]`
 */
export function validateAttributionModel(model: AttributionModel, path = 'model'): Issue[] {
  const issues: Issue[] = []
  const positive = (field: string, v: unknown) => {
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) {
      issues.push({ path: `${path}.${field}`, message: `expected a finite number > 0, got ${String(v)}` })
    }
  }
  switch (model.kind) {
    case 'first':
    case 'last':
    case 'linear':
    case 'u_shaped':
    case 'w_shaped':
    case 'full_path':
      break
    case 'time_decay':
      positive('halfLifeMs', model.halfLifeMs)
      if (model.halfLifeTouches !== undefined) positive('halfLifeTouches', model.halfLifeTouches)
      break
    case 'custom': {
      let total = 0
      for (const [slot, w] of Object.entries(model.weights ?? {})) {
        if (!['first', 'lead', 'opportunity', 'won', 'last', 'middle'].includes(slot)) {
          issues.push({
            path: `${path}.weights.${slot}`,
            message: 'unknown slot; expected first, lead, opportunity, won, last or middle',
          })
        } else if (w !== undefined && !(typeof w === 'number' && Number.isFinite(w) && w >= 0)) {
          issues.push({ path: `${path}.weights.${slot}`, message: `expected a finite number ≥ 0, got ${String(w)}` })
        } else total += w ?? 0
      }
      if (issues.length === 0 && !(total > 0)) {
        issues.push({ path: `${path}.weights`, message: 'at least one weight must be > 0' })
      }
      break
    }
    case 'markov':
      if (model.order !== undefined && !(Number.isInteger(model.order) && model.order >= 1)) {
        issues.push({ path: `${path}.order`, message: `expected an integer ≥ 1, got ${String(model.order)}` })
      }
      break
    default: {
      const kind = (model as { kind: unknown }).kind
      issues.push({
        path: `${path}.kind`,
        message: `unknown attribution model ${JSON.stringify(kind)}; expected one of ${ATTRIBUTION_MODEL_KINDS.join(', ')}`,
      })
    }
  }
  return issues
}

/**
 * Build a model from its name and optional parameters, as a CLI flag or an Agreement line gives them.
 *
 * Example: `resolveAttributionModel('time_decay', { halfLifeMs: 3_600_000 })` →
 * `{ ok: true, model: { kind: 'time_decay', halfLifeMs: 3600000 } }`
 */
export function resolveAttributionModel(
  name: string,
  options: { halfLifeMs?: number; halfLifeTouches?: number; order?: number; weights?: Record<string, number> } = {},
): { ok: true; model: AttributionModel } | { ok: false; issues: Issue[] } {
  let model: AttributionModel
  switch (name) {
    case 'first':
    case 'last':
    case 'linear':
    case 'u_shaped':
    case 'w_shaped':
    case 'full_path':
      model = { kind: name }
      break
    case 'time_decay':
      model = { kind: 'time_decay', halfLifeMs: options.halfLifeMs ?? DEFAULT_HALF_LIFE_MS }
      if (options.halfLifeTouches !== undefined) model.halfLifeTouches = options.halfLifeTouches
      break
    case 'custom':
      model = { kind: 'custom', weights: options.weights ?? {} }
      break
    case 'markov':
      model = { kind: 'markov', order: options.order ?? 1 }
      break
    default:
      return {
        ok: false,
        issues: [
          {
            path: 'model',
            message: `unknown attribution model ${JSON.stringify(name)}; expected one of ${ATTRIBUTION_MODEL_KINDS.join(', ')}`,
          },
        ],
      }
  }
  const issues = validateAttributionModel(model)
  return issues.length > 0 ? { ok: false, issues } : { ok: true, model }
}

/**
 * Credit each channel with a share of every journey's conversions and value under one model.
 * Credit per journey sums to its conversions and value, except on journeys without touches (reported in
 * `unattributed`). Throws `AppError('invalid_input')` on an invalid model or journey, naming the field.
 *
 * Example:
 * ```ts
 * const r = attribute(
 *   [{ touches: [{ channel: 'A' }, { channel: 'B' }, { channel: 'C' }], conversions: 1, value: 100 }],
 *   { kind: 'u_shaped' },
 * )
 * r.byChannel.B // { channel: 'B', conversions: 0.2, value: 20 }
 * ```
 */
export function attribute(journeys: Iterable<Journey> | JourneySet, model: AttributionModel): AttributionResult {
  const issues = validateAttributionModel(model)
  if (issues.length > 0) throw new AppError('invalid_input', `invalid attribution model: ${issues[0]!.message}`, issues)
  const set = toJourneySet(journeys)
  if (model.kind === 'markov') return markovRemovalEffects(set, { order: model.order ?? 1 }).attribution
  const { conversions, values } = creditHeuristic(set, model)
  return buildAttributionResult(set, model, conversions, values)
}

/**
 * Run several models over the same journeys, validating and aggregating them once.
 *
 * Example: `attributeMany(journeys, [{ kind: 'first' }, { kind: 'last' }]).map((r) => r.byChannel.email)`
 */
export function attributeMany(
  journeys: Iterable<Journey> | JourneySet,
  models: readonly AttributionModel[],
): AttributionResult[] {
  const issues = models.flatMap((m, i) => validateAttributionModel(m, `models[${i}]`))
  if (issues.length > 0) throw new AppError('invalid_input', `invalid attribution model: ${issues[0]!.message}`, issues)
  const set = toJourneySet(journeys)
  return models.map((m) => attribute(set, m))
}

type HeuristicModel = Exclude<AttributionModel, { kind: 'markov' }>

function creditHeuristic(set: JourneySet, model: HeuristicModel): { conversions: Float64Array; values: Float64Array } {
  const { offsets, channelIds, pathCount } = set
  const pathConversions = set.conversions
  const pathValues = set.values
  const conversions = new Float64Array(set.channels.length)
  const values = new Float64Array(set.channels.length)

  if (model.kind === 'first' || model.kind === 'last' || model.kind === 'linear') {
    for (let p = 0; p < pathCount; p++) {
      const c = pathConversions[p]!
      const v = pathValues[p]!
      const from = offsets[p]!
      const to = offsets[p + 1]!
      if (model.kind === 'linear') {
        const share = 1 / (to - from)
        for (let t = from; t < to; t++) {
          const ch = channelIds[t]!
          conversions[ch]! += c * share
          values[ch]! += v * share
        }
      } else {
        const ch = channelIds[model.kind === 'first' ? from : to - 1]!
        conversions[ch]! += c
        values[ch]! += v
      }
    }
    return { conversions, values }
  }

  let longest = 1
  for (let p = 0; p < pathCount; p++) longest = Math.max(longest, offsets[p + 1]! - offsets[p]!)
  const weights = new Float64Array(longest)
  const claimed = new Uint8Array(longest)
  const slots = slotWeightsOf(model)
  const halfLifeTouches = model.kind === 'time_decay' ? (model.halfLifeTouches ?? 1) : 1
  for (let p = 0; p < pathCount; p++) {
    const c = pathConversions[p]!
    const v = pathValues[p]!
    const from = offsets[p]!
    const n = offsets[p + 1]! - from
    if (model.kind === 'time_decay') {
      writeTimeDecayWeights(n, set.ages, from, model.halfLifeMs, halfLifeTouches, weights)
    } else {
      writePositionWeights(n, set.milestones, from, slots!, weights, claimed)
    }
    for (let i = 0; i < n; i++) {
      const ch = channelIds[from + i]!
      const w = weights[i]!
      conversions[ch]! += c * w
      values[ch]! += v * w
    }
  }
  return { conversions, values }
}

function slotWeightsOf(model: HeuristicModel): SlotWeights | undefined {
  switch (model.kind) {
    case 'u_shaped':
      return U_SHAPED
    case 'w_shaped':
      return W_SHAPED
    case 'full_path':
      return FULL_PATH
    case 'custom':
      return toSlotWeights(model.weights)
    case 'first':
    case 'last':
    case 'linear':
    case 'time_decay':
      return undefined
  }
}
