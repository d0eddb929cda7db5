import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { summarizeForAccount } from './account-engagement.ts'
import { applyEvent, reevaluate } from './apply-event.ts'
import { at, DAY, eventOf, makeEngine, makeFacts, pricingView } from './engine-fixture.ts'
import type { EngineEvent, LeadFacts, LeadState, Transition } from './engine-types.ts'
import { explainLead, scoreAt } from './explain-lead.ts'
import { isEngineState } from './migrate-state.ts'

/**
 * Lead rows stored before aggregates were flat (schema 1: `intent: { keys, sums, refs }`, one object per signal) must
 * read exactly as if the engine had seen their events itself. The two states below were written by the schema 1
 * engine (fixture Agreement v3) and are kept verbatim.
 */

const t0 = at('2026-11-14T09:30')

/** Acme VP (fit 72): pricing view, webinar an hour later, pricing view on day 3 — two of three views for the signal. */
const STORED_A = `{"schema":1,"cycle":1,"stage":"Lead","history":[{"stage":"Lead","enteredAt":1794648600000,"exitedAt":null}],"agreement":{"versionId":3,"hash":"a1b2c3d4e5f6"},"createdAt":1794648600000,"lastEventAt":1794907800000,"events":3,"persona":"economic_buyer","fit":{"score":72,"parts":[{"id":"industry","name":"Healthcare","points":25},{"id":"mid_market","name":"200–2,000 employees","points":25},{"id":"salesforce","name":"uses Salesforce","points":15},{"id":"us","name":"US","points":7}],"unknown":[],"disqualifier":null},"intent":{"keys":["pricing_view|84761b74|10","webinar|0a68e0af|15","download|4622e8b3|20","unsubscribe|7f3d02f3|-20"],"sums":[18.619728212469777,15,0,0],"refs":[1794907800000,1794652200000,0,0]},"signals":[{"name":"pricing_interest","key":"ccf2befd","kind":"count","times":[1794648600000,1794907800000]},{"name":"demo_request","key":"b0a7c5f2","kind":"any","lastAt":null,"lastOf":0},{"name":"gone_quiet","key":"inactivity","kind":"inactivity"}],"lead":{"source":"organic_search"},"firstTouchAt":null,"tier":null,"tierHistory":[],"handoff":"not_qualified","needsData":[],"nurtureUntil":null,"explanation":null}`
const EVENTS_A = (): EngineEvent[] => [
  pricingView(t0),
  eventOf('webinar_attended', t0 + 3_600_000),
  pricingView(t0 + 3 * DAY),
]

/** No account (fit 0): download, demo request on day 1, unsubscribe on day 2. */
const STORED_B = `{"schema":1,"cycle":1,"stage":"Lead","history":[{"stage":"Lead","enteredAt":1794648600000,"exitedAt":null}],"agreement":{"versionId":3,"hash":"a1b2c3d4e5f6"},"createdAt":1794648600000,"lastEventAt":1794821400000,"events":3,"persona":"economic_buyer","fit":{"score":0,"parts":[],"unknown":[{"id":"industry","name":"Healthcare","kind":"criterion","missing":["account.industry"]},{"id":"mid_market","name":"200–2,000 employees","kind":"criterion","missing":["account.employees"]},{"id":"salesforce","name":"uses Salesforce","kind":"criterion","missing":["account.technologies"]},{"id":"us","name":"US","kind":"criterion","missing":["account.country"]},{"id":"hiring","name":"Hiring surge","kind":"criterion","missing":["account_signals.hiring_surge"]},{"id":"competitor","name":"Competitor","kind":"disqualifier","missing":["account.domain"]},{"id":"too_small","name":"Fewer than 20 employees","kind":"disqualifier","missing":["account.employees"]}],"disqualifier":null},"intent":{"keys":["pricing_view|84761b74|10","webinar|0a68e0af|15","download|4622e8b3|20","unsubscribe|7f3d02f3|-20"],"sums":[0,0,20,-20],"refs":[0,0,1794648600000,1794821400000]},"signals":[{"name":"pricing_interest","key":"ccf2befd","kind":"count","times":[]},{"name":"demo_request","key":"b0a7c5f2","kind":"any","lastAt":1794735000000,"lastOf":0},{"name":"gone_quiet","key":"inactivity","kind":"inactivity"}],"lead":{"source":"organic_search"},"firstTouchAt":null,"tier":null,"tierHistory":[],"handoff":"not_qualified","needsData":[],"nurtureUntil":null,"explanation":null}`
const EVENTS_B = (): EngineEvent[] => [
  eventOf('content_download', t0),
  eventOf('demo_request', t0 + DAY),
  eventOf('email_unsubscribe', t0 + 2 * DAY),
]

const engine = makeEngine()
const acme = makeFacts()
const solo = makeFacts({ account: null })

function run(facts: LeadFacts, events: readonly EngineEvent[], state: LeadState | null = null) {
  const transitions: Transition[] = []
  for (const e of events) {
    const r = applyEvent(engine, state, facts, e)
    state = r.state
    transitions.push(...r.transitions)
  }
  return { state: state!, transitions }
}

function stored(json: string): LeadState {
  return JSON.parse(json) as LeadState
}

describe('lead state stored in schema 1', () => {
  test('the next event continues a schema 1 lead exactly as if the engine had seen its events: the third view makes it MQL', () => {
    const third = pricingView(t0 + 6 * DAY)
    const continued = run(acme, [third], stored(STORED_A))
    const fresh = run(acme, [...EVENTS_A(), third])
    assert.deepEqual(continued.transitions, fresh.transitions)
    assert.equal(
      continued.transitions[0]?.explanation,
      'MQL at 2026-11-20 09:30 UTC under agreement v3 (a1b2c3): fit 72 ≥ 60 (Healthcare +25, 200–2,000 employees +25, uses Salesforce +15, US +7); signal pricing_interest: 3 pricing page views in 7 days (Nov 14, 17, 20)',
    )
    const end = t0 + 10 * DAY
    assert.deepEqual(explainLead(engine, continued.state, end), explainLead(engine, fresh.state, end))
    assert.equal(continued.state.schema, 2, 'the state is written back in schema 2')
    assert.deepEqual(JSON.parse(JSON.stringify(continued.state)), JSON.parse(JSON.stringify(fresh.state)))
  })

  test('intent sums, negative rules and the latest demo request are carried over', () => {
    const later = pricingView(t0 + 20 * DAY)
    const continued = run(solo, [later], stored(STORED_B))
    const fresh = run(solo, [...EVENTS_B(), later])
    const asOf = t0 + 21 * DAY
    assert.deepEqual(scoreAt(engine, continued.state, asOf), scoreAt(engine, fresh.state, asOf))
    assert.deepEqual(scoreAt(engine, continued.state, asOf), {
      at: asOf,
      fit: 0,
      intent: 8.780928,
      intentParts: [
        { id: 'pricing_view', name: 'pricing_view', points: 9.516951530106196, capped: false },
        { id: 'download', name: 'download', points: 7.071067811865475, capped: false },
        { id: 'unsubscribe', name: 'unsubscribe', points: -7.8070918215571, capped: false },
      ],
      signals: { pricing_interest: false, demo_request: true, gone_quiet: false },
    })
  })

  test('read-only views read a schema 1 lead without changing it', () => {
    const old = stored(STORED_A)
    const fresh = run(acme, EVENTS_A()).state
    const now = t0 + 5 * DAY
    assert.deepEqual(explainLead(engine, old, now), explainLead(engine, fresh, now))
    assert.deepEqual(scoreAt(engine, old, now), scoreAt(engine, fresh, now))
    assert.deepEqual(summarizeForAccount(engine, old, 'vera'), summarizeForAccount(engine, fresh, 'vera'))
    assert.equal(JSON.stringify(old), STORED_A)
  })

  test('a schema 1 lead re-evaluated under a new version is migrated rule by rule, with the same notes', () => {
    const v4 = makeEngine(
      (d) => {
        d.intent.rules[0].points = 20
        d.intent.signals.pricing_interest.at_least = 2
      },
      { id: 4, hash: 'f0f0f0f0f0f0' },
    )
    const now = t0 + 4 * DAY
    const fromOld = reevaluate(v4, stored(STORED_A), acme, { now })
    const fromFresh = reevaluate(v4, run(acme, EVENTS_A()).state, acme, { now })
    assert.deepEqual(fromOld.notes, ['intent rule pricing_view: points 10 → 20, decayed sum rescaled'])
    assert.deepEqual(fromOld.notes, fromFresh.notes)
    assert.deepEqual(fromOld.transitions, fromFresh.transitions)
    assert.equal(
      fromOld.transitions[0]?.explanation,
      'MQL at 2026-11-18 09:30 UTC under agreement v4 (f0f0f0): fit 72 ≥ 60 (Healthcare +25, 200–2,000 employees +25, uses Salesforce +15, US +7); intent 42.3 ≥ 40 (pricing_view +30, Webinar attended +12.3); signal pricing_interest: 2 pricing page views in 7 days (Nov 14, 17) (re-evaluated under agreement v4)',
    )
    assert.deepEqual(explainLead(v4, fromOld.state, now + DAY), explainLead(v4, fromFresh.state, now + DAY))
  })
})

test('a state written outside the engine ({} or a fragment) is not read as an engine state; schemas 1 and 2 are', () => {
  for (const loaded of [{}, null, { fit: { parts: [] } }, { schema: 3 }]) assert.equal(isEngineState(loaded), false)
  assert.equal(isEngineState(stored(STORED_A)), true)
  assert.equal(isEngineState(run(acme, EVENTS_A()).state), true)
})
