import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { applyEvent } from './apply-event.ts'
import { at, DAY, eventOf, makeEngine, makeFacts, pricingView } from './engine-fixture.ts'
import type { EngineEvent, LeadState } from './engine-types.ts'
import { scoreAt } from './explain-lead.ts'

const engine = makeEngine()
const facts = makeFacts({ account: null })

function run(events: readonly EngineEvent[], options: { now?: number } = {}): LeadState {
  let state: LeadState | null = null
  for (const e of events) state = applyEvent(engine, state, facts, e, options).state
  return state!
}

describe('intent', () => {
  test('decay after one half-life halves the points', () => {
    const t0 = at('2026-11-02T10:00')
    const state = run([eventOf('webinar_attended', t0)])
    assert.equal(scoreAt(engine, state, t0).intent, 15)
    assert.equal(scoreAt(engine, state, t0 + 14 * DAY).intent, 7.5)
  })

  test('intent is computed as of an instant, falling with no new events', () => {
    const t0 = at('2026-11-02T10:00')
    const state = run([eventOf('webinar_attended', t0), eventOf('webinar_attended', t0 + 14 * DAY)])
    const before = JSON.stringify(state)
    assert.equal(scoreAt(engine, state, t0 + 14 * DAY).intent, 22.5)
    assert.equal(scoreAt(engine, state, t0 + 28 * DAY).intent, 11.25)
    assert.equal(scoreAt(engine, state, t0 + 42 * DAY).intent, 5.625)
    assert.equal(JSON.stringify(state), before, 'reading a score never changes the lead')
  })

  test('negative points lower intent, and intent never falls below zero', () => {
    const t0 = at('2026-11-02T10:00')
    const low = run([eventOf('webinar_attended', t0), eventOf('email_unsubscribe', t0)])
    assert.equal(scoreAt(engine, low, t0).intent, 0)
    const high = run([
      eventOf('webinar_attended', t0),
      eventOf('webinar_attended', t0),
      eventOf('email_unsubscribe', t0),
    ])
    assert.equal(scoreAt(engine, high, t0).intent, 10)
  })

  test('a cap bounds a rule: five pricing views count 30, not 50, and the rule decays from what was earned', () => {
    const t0 = at('2026-11-02T10:00')
    const state = run([0, 1, 2, 3, 4].map((i) => pricingView(t0 + i * 60_000)))
    const now = scoreAt(engine, state, t0 + 4 * 60_000)
    assert.equal(now.intent, 30)
    assert.deepEqual(
      now.intentParts.map((p) => [p.id, p.points, p.capped]),
      [['pricing_view', 30, true]],
    )
    // 50 earned within four minutes, halved after one half-life: 25 (to a few thousandths), below the cap.
    assert.ok(Math.abs(scoreAt(engine, state, t0 + 4 * 60_000 + 14 * DAY).intent - 25) < 0.01)
  })
})

describe('windowed signals', () => {
  test('the third pricing view inside 7 days fires the signal', () => {
    const views = [at('2026-11-14T09:00'), at('2026-11-17T09:00'), at('2026-11-20T14:03')]
    const two = run(views.slice(0, 2).map(pricingView))
    assert.equal(scoreAt(engine, two, views[1]!).signals.pricing_interest, false)
    const three = run(views.map(pricingView))
    assert.equal(scoreAt(engine, three, views[2]!).signals.pricing_interest, true)
  })

  test('the same three pricing views spread over 8 days do not fire the signal', () => {
    const views = [at('2026-11-12T14:00'), at('2026-11-16T09:00'), at('2026-11-20T14:03')]
    const state = run(views.map(pricingView))
    assert.equal(scoreAt(engine, state, views[2]!).signals.pricing_interest, false)
  })

  test('a count window includes its bound: three views exactly 7 days apart fire', () => {
    const t0 = at('2026-11-13T14:03')
    const state = run([t0, t0 + 3 * DAY, t0 + 7 * DAY].map(pricingView))
    assert.equal(scoreAt(engine, state, t0 + 7 * DAY).signals.pricing_interest, true)
    assert.equal(scoreAt(engine, state, t0 + 7 * DAY + 1).signals.pricing_interest, false)
  })

  test('an any-of signal holds within its window and expires after it', () => {
    const t0 = at('2026-11-02T10:00')
    const state = run([eventOf('form_submit', t0, { form: 'demo_request' })])
    assert.equal(scoreAt(engine, state, t0).signals.demo_request, true)
    assert.equal(scoreAt(engine, state, t0 + 30 * DAY).signals.demo_request, true)
    assert.equal(scoreAt(engine, state, t0 + 30 * DAY + 1).signals.demo_request, false)
    const other = run([eventOf('form_submit', t0, { form: 'newsletter' })])
    assert.equal(scoreAt(engine, other, t0).signals.demo_request, false, 'a form that is not in `of` does not count')
  })

  test('an inactivity signal holds after the quiet period and not before', () => {
    const t0 = at('2026-11-02T10:00')
    const state = run([eventOf('email_open', t0)])
    assert.equal(scoreAt(engine, state, t0).signals.gone_quiet, false)
    assert.equal(scoreAt(engine, state, t0 + 45 * DAY - 1).signals.gone_quiet, false)
    assert.equal(scoreAt(engine, state, t0 + 45 * DAY).signals.gone_quiet, true)
  })
})

describe('late events', () => {
  test('a late event is scored at its occurred_at: same intent and signals as in order', () => {
    const t = [at('2026-11-14T09:00'), at('2026-11-17T09:00'), at('2026-11-20T14:03')]
    const inOrder = run([pricingView(t[0]!), eventOf('webinar_attended', t[1]!), pricingView(t[2]!)])
    const late = run([pricingView(t[0]!), pricingView(t[2]!), eventOf('webinar_attended', t[1]!)])
    const a = scoreAt(engine, inOrder, t[2]! + DAY)
    const b = scoreAt(engine, late, t[2]! + DAY)
    assert.ok(Math.abs(a.intent - b.intent) < 1e-9, `${a.intent} vs ${b.intent}`)
    assert.deepEqual(a.signals, b.signals)
    assert.equal(late.lastEventAt, t[2])
  })

  test('any arrival order gives the same intent and signals (property)', () => {
    const base = at('2026-11-01T00:00')
    const eventArb = fc.record({
      kind: fc.constantFrom('pricing', 'webinar', 'unsubscribe', 'demo', 'download'),
      offset: fc.integer({ min: 0, max: 40 * DAY }),
    })
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 25 }), fc.integer(), (specs, seed) => {
        const events = specs.map(({ kind, offset }) => {
          const when = base + offset
          if (kind === 'pricing') return pricingView(when)
          if (kind === 'webinar') return eventOf('webinar_attended', when)
          if (kind === 'unsubscribe') return eventOf('email_unsubscribe', when)
          if (kind === 'demo') return eventOf('demo_request', when)
          return eventOf('content_download', when)
        })
        const sorted = [...events].sort((x, y) => x.at - y.at)
        const shuffled = [...events].sort((x, y) => ((x.at * 31 + seed) % 97) - ((y.at * 31 + seed) % 97))
        const end = base + 41 * DAY
        const a = scoreAt(engine, run(sorted), end)
        const b = scoreAt(engine, run(shuffled), end)
        return Math.abs(a.intent - b.intent) < 1e-9 && JSON.stringify(a.signals) === JSON.stringify(b.signals)
      }),
      { numRuns: 200 },
    )
  })
})
