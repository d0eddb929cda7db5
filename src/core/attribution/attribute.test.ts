import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isAppError } from '../errors.ts'
import { attribute, attributeMany, resolveAttributionModel, validateAttributionModel } from './attribute.ts'
import { compileJourneys } from './compile-journeys.ts'
import type { AttributionModel, Journey, Milestone, Touch } from './types.ts'

const HOUR = 3_600_000

/** 'A>B(lead)>C' → touches; a milestone in parentheses marks the touch. */
function path(spec: string): Touch[] {
  return spec.split('>').map((part) => {
    const m = /^(\w+)(?:\((\w+)\))?$/.exec(part.trim())
    if (!m) throw new Error(`bad path spec ${spec}`)
    return m[2] ? { channel: m[1]!, milestone: m[2] as Milestone } : { channel: m[1]! }
  })
}

function journey(spec: string, conversions = 1, value = 0): Journey {
  return { touches: path(spec), conversions, value }
}

function credit(journeys: Journey[], model: AttributionModel): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of attribute(journeys, model).channels) out[c.channel] = c.conversions
  return out
}

function assertCredit(actual: Record<string, number>, expected: Record<string, number>) {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort())
  for (const [k, v] of Object.entries(expected)) {
    assert.ok(Math.abs(actual[k]! - v) < 1e-12, `${k}: expected ${v}, got ${actual[k]}`)
  }
}

const ABC_AC = [journey('A>B>C', 1, 30), journey('A>C', 1, 60)]

describe('first and last touch', () => {
  test('first touch gives each journey entirely to its first channel', () => {
    const r = attribute(ABC_AC, { kind: 'first' })
    assert.deepEqual(r.byChannel.A, { channel: 'A', conversions: 2, value: 90 })
    assert.equal(r.byChannel.B!.conversions, 0)
    assert.equal(r.byChannel.C!.conversions, 0)
  })

  test('last touch gives each journey entirely to its last channel', () => {
    const r = attribute(ABC_AC, { kind: 'last' })
    assert.deepEqual(r.byChannel.C, { channel: 'C', conversions: 2, value: 90 })
    assert.equal(r.byChannel.A!.conversions, 0)
  })
})

describe('linear', () => {
  test('A>B>C and A>C give A = C = 5/6 and B = 1/3', () => {
    assertCredit(credit(ABC_AC, { kind: 'linear' }), { A: 5 / 6, B: 1 / 3, C: 5 / 6 })
  })

  test('value is split like conversions: 30 over three touches and 60 over two', () => {
    const r = attribute(ABC_AC, { kind: 'linear' })
    assert.ok(Math.abs(r.byChannel.A!.value - 40) < 1e-12)
    assert.ok(Math.abs(r.byChannel.B!.value - 10) < 1e-12)
  })

  test('a repeated channel earns one share per touch, as ChannelAttribution does: A>A>B gives A 2/3, B 1/3', () => {
    assertCredit(credit([journey('A>A>B')], { kind: 'linear' }), { A: 2 / 3, B: 1 / 3 })
  })
})

describe('time decay', () => {
  const timed = (ats: number[], convertedAt?: number): Journey => ({
    touches: ats.map((at, i) => ({ channel: `T${i}`, at })),
    conversions: 1,
    value: 7,
    ...(convertedAt === undefined ? {} : { convertedAt }),
  })

  test('half-life 1 h with touches at −2 h, −1 h and 0 weighs them 0.25 : 0.5 : 1', () => {
    const c = credit([timed([-2 * HOUR, -HOUR, 0])], { kind: 'time_decay', halfLifeMs: HOUR })
    assertCredit(c, { T0: 0.25 / 1.75, T1: 0.5 / 1.75, T2: 1 / 1.75 })
  })

  test('the conversion instant defaults to the latest touch, and a later one keeps the ratios', () => {
    const c = credit([timed([-2 * HOUR, -HOUR, 0], 5 * HOUR)], { kind: 'time_decay', halfLifeMs: HOUR })
    assertCredit(c, { T0: 1 / 7, T1: 2 / 7, T2: 4 / 7 })
  })

  test('touches given out of order decay by their own age', () => {
    const c = credit([timed([0, -2 * HOUR, -HOUR])], { kind: 'time_decay', halfLifeMs: HOUR })
    assertCredit(c, { T0: 4 / 7, T1: 1 / 7, T2: 2 / 7 })
  })

  test('journeys ten years old do not underflow to nothing', () => {
    const tenYears = 10 * 365 * 24 * HOUR
    const c = credit([timed([-tenYears - HOUR, -tenYears], 0)], { kind: 'time_decay', halfLifeMs: HOUR })
    assertCredit(c, { T0: 1 / 3, T1: 2 / 3 })
  })

  test('without timestamps each touch back from the last is one half-life by default', () => {
    assertCredit(credit([journey('A>B>C')], { kind: 'time_decay', halfLifeMs: HOUR }), { A: 1 / 7, B: 2 / 7, C: 4 / 7 })
  })

  test('without timestamps halfLifeTouches 2 weighs A>B 2^−½ : 1', () => {
    const w = 2 ** -0.5
    assertCredit(credit([journey('A>B')], { kind: 'time_decay', halfLifeMs: HOUR, halfLifeTouches: 2 }), {
      A: w / (1 + w),
      B: 1 / (1 + w),
    })
  })
})

describe('U-shaped 40/20/40', () => {
  test('A>B>C and A>C give A = C = 0.9 and B = 0.2', () => {
    assertCredit(credit(ABC_AC, { kind: 'u_shaped' }), { A: 0.9, B: 0.2, C: 0.9 })
  })

  test('the 20% is spread evenly over the middle of A>B>C>D>E', () => {
    assertCredit(credit([journey('A>B>C>D>E')], { kind: 'u_shaped' }), {
      A: 0.4,
      B: 0.2 / 3,
      C: 0.2 / 3,
      D: 0.2 / 3,
      E: 0.4,
    })
  })

  test('a single touch takes everything and two touches split 50/50', () => {
    assertCredit(credit([journey('A'), journey('B>C')], { kind: 'u_shaped' }), { A: 1, B: 0.5, C: 0.5 })
  })
})

describe('W-shaped 30/30/30 + 10', () => {
  test('first, lead and opportunity touches get 30% each; the other touches share 10%', () => {
    assertCredit(credit([journey('A>B(lead)>C>D(opportunity)>E')], { kind: 'w_shaped' }), {
      A: 0.3,
      B: 0.3,
      C: 0.05,
      D: 0.3,
      E: 0.05,
    })
  })

  test('a first touch that also created the lead takes both shares', () => {
    assertCredit(credit([journey('A(lead)>B>C(opportunity)')], { kind: 'w_shaped' }), { A: 0.6, B: 0.1, C: 0.3 })
  })

  test('a marked journey without an opportunity touch renormalises the rest: A>B(lead)>C gives 3/7, 3/7, 1/7', () => {
    assertCredit(credit([journey('A>B(lead)>C')], { kind: 'w_shaped' }), { A: 3 / 7, B: 3 / 7, C: 1 / 7 })
  })

  test('two marked touches A(lead)>B(opportunity) give 2/3 and 1/3', () => {
    assertCredit(credit([journey('A(lead)>B(opportunity)')], { kind: 'w_shaped' }), { A: 2 / 3, B: 1 / 3 })
  })

  test('an unmarked A>B>C>D falls back to first / middle / last: A, C, D 30% and B 10%', () => {
    assertCredit(credit([journey('A>B>C>D')], { kind: 'w_shaped' }), { A: 0.3, B: 0.1, C: 0.3, D: 0.3 })
  })

  test('an unmarked A>B>C gives a third each, and unmarked A>B gives B the middle and last shares', () => {
    assertCredit(credit([journey('A>B>C')], { kind: 'w_shaped' }), { A: 1 / 3, B: 1 / 3, C: 1 / 3 })
    assertCredit(credit([journey('A>B')], { kind: 'w_shaped' }), { A: 1 / 3, B: 2 / 3 })
  })
})

describe('full path 22.5 × 4 + 10', () => {
  test('first, lead, opportunity and closed-won touches get 22.5% each; the rest share 10%', () => {
    assertCredit(credit([journey('A>B(lead)>C>D(opportunity)>E(won)>F')], { kind: 'full_path' }), {
      A: 0.225,
      B: 0.225,
      C: 0.05,
      D: 0.225,
      E: 0.225,
      F: 0.05,
    })
  })

  test('an unmarked seven-touch path anchors touches 1, 3, 5 and 7', () => {
    assertCredit(credit([journey('A>B>C>D>E>F>G')], { kind: 'full_path' }), {
      A: 0.225,
      B: 0.1 / 3,
      C: 0.225,
      D: 0.1 / 3,
      E: 0.225,
      F: 0.1 / 3,
      G: 0.225,
    })
  })

  test('an unmarked four-touch path gives a quarter each', () => {
    assertCredit(credit([journey('A>B>C>D')], { kind: 'full_path' }), { A: 0.25, B: 0.25, C: 0.25, D: 0.25 })
  })
})

describe('custom position weights', () => {
  test('weights are ratios: { first: 3, last: 1 } on A>B gives 0.75 / 0.25', () => {
    assertCredit(credit([journey('A>B')], { kind: 'custom', weights: { first: 3, last: 1 } }), { A: 0.75, B: 0.25 })
  })

  test('{ first: 1, middle: 2, last: 1 } on A>B>C>D gives a quarter each', () => {
    assertCredit(credit([journey('A>B>C>D')], { kind: 'custom', weights: { first: 1, middle: 2, last: 1 } }), {
      A: 0.25,
      B: 0.25,
      C: 0.25,
      D: 0.25,
    })
  })

  test('per-milestone weights { lead: 1, won: 3 } follow the marks', () => {
    assertCredit(credit([journey('A>B(lead)>C(won)')], { kind: 'custom', weights: { lead: 1, won: 3 } }), {
      A: 0,
      B: 0.25,
      C: 0.75,
    })
  })

  test('a journey where every present slot weighs zero falls back to linear', () => {
    assertCredit(credit([journey('A')], { kind: 'custom', weights: { middle: 1 } }), { A: 1 })
  })
})

describe('journeys, totals and validation', () => {
  test('journeys without touches are reported as unattributed, not credited', () => {
    const r = attribute([journey('A', 2, 10), { touches: [], conversions: 3, value: 5 }], { kind: 'linear' })
    assert.equal(r.totalConversions, 5)
    assert.equal(r.totalValue, 15)
    assert.deepEqual(r.unattributed, { journeys: 1, conversions: 3, value: 5 })
    assert.equal(r.byChannel.A!.conversions, 2)
  })

  test('identical paths are aggregated once', () => {
    const set = compileJourneys([journey('A>B', 1, 2), journey('A>B', 2, 3), journey('B>A', 1, 1)])
    assert.equal(set.journeyCount, 3)
    assert.equal(set.pathCount, 2)
    assert.deepEqual([...set.conversions], [3, 1])
  })

  test('paths with the same channels but different milestones or ages stay apart', () => {
    const set = compileJourneys([
      journey('A>B(lead)'),
      journey('A>B'),
      { touches: [{ channel: 'A', at: 0 }], conversions: 1, value: 0 },
      { touches: [{ channel: 'A', at: 0 }], conversions: 1, value: 0, convertedAt: 5 },
    ])
    assert.equal(set.pathCount, 4)
  })

  test('channels are sorted by credit, zero-credit channels included', () => {
    const r = attribute([journey('A>B', 1), journey('C', 0)], { kind: 'last' })
    assert.deepEqual(
      r.channels.map((c) => c.channel),
      ['B', 'A', 'C'],
    )
  })

  test('bad journey fields are all named in one error', () => {
    assert.throws(
      () =>
        attribute([journey('A'), { touches: [{ channel: '' }], conversions: -1, value: Number.NaN }], {
          kind: 'linear',
        }),
      (e: unknown) =>
        isAppError(e) &&
        e.code === 'invalid_input' &&
        e.issues.map((i) => i.path).join(' ') ===
          'journeys[1].conversions journeys[1].value journeys[1].touches[0].channel',
    )
  })

  test('a time decay without a positive half-life is rejected naming model.halfLifeMs', () => {
    assert.deepEqual(validateAttributionModel({ kind: 'time_decay', halfLifeMs: 0 }), [
      { path: 'model.halfLifeMs', message: 'expected a finite number > 0, got 0' },
    ])
    assert.throws(() => attribute([journey('A')], { kind: 'time_decay', halfLifeMs: -1 }), isAppError)
  })

  test('custom weights must be non-negative, known and not all zero', () => {
    assert.equal(validateAttributionModel({ kind: 'custom', weights: { first: -1 } })[0]!.path, 'model.weights.first')
    assert.equal(validateAttributionModel({ kind: 'custom', weights: {} })[0]!.path, 'model.weights')
    const unknownSlot = { kind: 'custom', weights: { closer: 1 } } as unknown as AttributionModel
    assert.equal(validateAttributionModel(unknownSlot)[0]!.path, 'model.weights.closer')
  })

  test('model names resolve as the CLI gives them, unknown names are refused with the list', () => {
    assert.deepEqual(resolveAttributionModel('u_shaped'), { ok: true, model: { kind: 'u_shaped' } })
    assert.deepEqual(resolveAttributionModel('markov'), { ok: true, model: { kind: 'markov', order: 1 } })
    assert.deepEqual(resolveAttributionModel('time_decay', { halfLifeMs: HOUR }), {
      ok: true,
      model: { kind: 'time_decay', halfLifeMs: HOUR },
    })
    const bad = resolveAttributionModel('shapley')
    assert.equal(bad.ok, false)
    assert.match(bad.ok ? '' : bad.issues[0]!.message, /expected one of first, last, linear/)
  })

  test('attributeMany runs every model over one aggregation', () => {
    const [first, markov] = attributeMany(ABC_AC, [{ kind: 'first' }, { kind: 'markov' }])
    assert.equal(first!.byChannel.A!.conversions, 2)
    assert.equal(markov!.model.kind, 'markov')
    assert.throws(
      () => attributeMany(ABC_AC, [{ kind: 'markov', order: 0 }]),
      (e: unknown) => {
        return isAppError(e) && e.issues[0]!.path === 'models[0].order'
      },
    )
  })
})
