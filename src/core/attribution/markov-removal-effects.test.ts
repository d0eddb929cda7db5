import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isAppError } from '../errors.ts'
import { attribute } from './attribute.ts'
import { markovRemovalEffects } from './markov-removal-effects.ts'
import type { Journey } from './types.ts'

function j(spec: string, conversions: number, nulls: number, value = 0): Journey {
  return { touches: spec.split('>').map((channel) => ({ channel: channel.trim() })), conversions, nulls, value }
}

function close(actual: number | undefined, expected: number, tolerance = 1e-12) {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`)
}

// start → A (2), B (2); A → B 1, A → null 1; B → conv 2, B → null 1.
// h_B = 2/3, h_A = 1/3, P = 1/2. Without A: 1/3 (RE 1/3). Without B: 0 (RE 1).
const SMALL = [j('A>B', 1, 0, 10), j('A', 0, 1), j('B', 1, 1, 30)]

describe('exact first-order Markov removal effects', () => {
  test('a hand-solved chain gives P(conv) = 1/2 and removal effects A = 1/3, B = 1', () => {
    const r = markovRemovalEffects(SMALL)
    close(r.baseConversionProbability, 0.5)
    close(r.removalEffects.A, 1 / 3)
    close(r.removalEffects.B, 1)
    close(r.conversionProbabilityWithout.A, 1 / 3)
    close(r.conversionProbabilityWithout.B, 0)
    assert.equal(r.solver, 'dense')
    assert.equal(r.stateCount, 2)
  })

  test('conversions and value are split by removal-effect share: A 0.5 and 10, B 1.5 and 30', () => {
    const a = markovRemovalEffects(SMALL).attribution
    close(a.byChannel.A!.conversions, 0.5)
    close(a.byChannel.B!.conversions, 1.5)
    close(a.byChannel.A!.value, 10)
    close(a.byChannel.B!.value, 30)
  })

  test('attribute with kind markov returns the same attribution', () => {
    const a = attribute(SMALL, { kind: 'markov' })
    close(a.byChannel.B!.conversions, 1.5)
    assert.deepEqual(a.model, { kind: 'markov', order: 1 })
  })

  test('repeated touches are self-loops that change nothing at order 1', () => {
    const looped = [j('A>A>B', 1, 0), j('A>A', 0, 1), j('B>B>B', 1, 1)]
    const r = markovRemovalEffects(looped)
    close(r.baseConversionProbability, 0.5)
    close(r.removalEffects.A, 1 / 3)
    close(r.removalEffects.B, 1)
  })

  test('at order 1 a channel seen only on non-converting paths still earns credit through the states it leads to', () => {
    // start → A 1, X 1; X → A 1; A → conv 1, null 1. P = 1/2; without X: 1/4 (RE 1/2); without A: 0.
    const r = markovRemovalEffects([j('A', 1, 0), j('X>A', 0, 1)])
    close(r.removalEffects.X, 0.5)
    close(r.removalEffects.A, 1)
    close(r.attribution.byChannel.X!.conversions, 1 / 3)
  })

  test('paths with neither conversions nor nulls carry no weight', () => {
    const r = markovRemovalEffects([...SMALL, j('C>A', 0, 0)])
    close(r.baseConversionProbability, 0.5)
    assert.equal(r.removalEffects.C, 0)
    assert.equal(r.attribution.byChannel.C!.conversions, 0)
  })

  test('without any conversion every removal effect is 0 and nothing is credited', () => {
    const r = markovRemovalEffects([j('A>B', 0, 3)])
    assert.equal(r.baseConversionProbability, 0)
    assert.deepEqual({ ...r.removalEffects }, { A: 0, B: 0 })
    assert.equal(r.attribution.byChannel.A!.conversions, 0)
  })

  test('the iterative solver agrees with dense elimination', () => {
    const journeys = [j('A>B>C', 3, 5), j('B>A>C>A', 2, 7), j('C>B', 1, 4), j('A>C>B>A>B', 4, 2), j('C', 0, 6)]
    const dense = markovRemovalEffects(journeys, { solver: 'dense' })
    const sparse = markovRemovalEffects(journeys, { solver: 'iterative' })
    assert.equal(sparse.solver, 'iterative')
    assert.ok(sparse.converged)
    close(sparse.baseConversionProbability, dense.baseConversionProbability, 1e-13)
    for (const c of ['A', 'B', 'C']) close(sparse.removalEffects[c], dense.removalEffects[c]!, 1e-13)
  })

  test('an order below 1 is rejected naming order', () => {
    assert.throws(
      () => markovRemovalEffects(SMALL, { order: 0 }),
      (e: unknown) => isAppError(e) && e.issues[0]!.path === 'order',
    )
  })
})

describe('higher-order Markov removal effects', () => {
  // A > C converts, B > C does not. Order 1 cannot tell the two C visits apart; order 2 can.
  const CONTEXT = [j('A>C', 1, 0), j('B>C', 0, 1)]

  test('order 1 blurs the context: A and B get the same removal effect 1/2', () => {
    const r = markovRemovalEffects(CONTEXT)
    close(r.removalEffects.A, 0.5)
    close(r.removalEffects.B, 0.5)
  })

  test('order 2 remembers it: removing A loses every conversion, removing B none', () => {
    const r = markovRemovalEffects(CONTEXT, { order: 2 })
    assert.equal(r.stateCount, 4)
    close(r.baseConversionProbability, 0.5)
    close(r.removalEffects.A, 1)
    close(r.removalEffects.B, 0)
    close(r.removalEffects.C, 1)
    close(r.attribution.byChannel.A!.conversions, 0.5)
    close(r.attribution.byChannel.B!.conversions, 0)
  })

  test('order 2 solved iteratively matches the dense solution', () => {
    const journeys = [j('A>B>C', 3, 5), j('B>A>C>A', 2, 7), j('C>B', 1, 4), j('A>C>B>A>B', 4, 2), j('A>A>C', 1, 1)]
    const dense = markovRemovalEffects(journeys, { order: 2, solver: 'dense' })
    const sparse = markovRemovalEffects(journeys, { order: 2, solver: 'iterative' })
    for (const c of ['A', 'B', 'C']) close(sparse.removalEffects[c], dense.removalEffects[c]!, 1e-13)
  })
})
