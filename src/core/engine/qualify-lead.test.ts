import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { accountEngagement, createEngagementAggregate, updateEngagement } from './account-engagement.ts'
import { applyEvent, reevaluate, refreshFit } from './apply-event.ts'
import { ACME, at, DAY, eventOf, makeEngine, makeFacts, pricingView } from './engine-fixture.ts'
import type { ApplyResult, EngineEvent, LeadFacts, LeadState, Transition } from './engine-types.ts'
import { explainLead, scoreAt } from './explain-lead.ts'
import { advanceLead, recycleLead, reopenLead, startNewCycle } from './lifecycle.ts'
import { matchPersona, resolveFit } from './score-fit.ts'

const engine = makeEngine()

function run(
  events: readonly EngineEvent[],
  facts: LeadFacts = makeFacts(),
  eng = engine,
  start: LeadState | null = null,
): { state: LeadState; transitions: Transition[]; results: ApplyResult[] } {
  let state = start
  const transitions: Transition[] = []
  const results: ApplyResult[] = []
  for (const e of events) {
    const r = applyEvent(eng, state, facts, e)
    state = r.state
    transitions.push(...r.transitions)
    results.push(r)
  }
  return { state: state!, transitions, results }
}

const VIEWS = [at('2026-11-14T09:12'), at('2026-11-17T16:40'), at('2026-11-20T14:03')]

describe('fit', () => {
  test('fit sums the points of the matching criteria', () => {
    const fit = resolveFit(engine, makeFacts(), VIEWS[0]!).fit
    assert.equal(fit.score, 72)
    assert.deepEqual(
      fit.parts.map((p) => `${p.name} ${p.points}`),
      ['Healthcare 25', '200–2,000 employees 25', 'uses Salesforce 15', 'US 7'],
    )
    assert.deepEqual(fit.unknown, [])
  })

  test('a criterion whose field is missing is reported unknown with the missing field, not as no match', () => {
    const { employees: _, ...account } = ACME
    const fit = resolveFit(engine, makeFacts({ account }), VIEWS[0]!).fit
    assert.equal(fit.score, 47)
    assert.deepEqual(
      fit.unknown.map((u) => [u.kind, u.id, u.missing]),
      [
        ['criterion', 'mid_market', ['account.employees']],
        ['disqualifier', 'too_small', ['account.employees']],
      ],
    )
  })

  test('a situational criterion counts an account signal only within its window', () => {
    const facts = makeFacts({ accountSignals: [{ type: 'hiring_surge', at: at('2026-09-01') }] })
    assert.equal(resolveFit(engine, facts, at('2026-08-31')).fit.score, 72, 'not before the signal')
    assert.equal(resolveFit(engine, facts, at('2026-11-01')).fit.score, 77, 'within 90 days')
    assert.equal(resolveFit(engine, facts, at('2026-12-01')).fit.score, 72, 'expired after 90 days')
  })

  test('a disqualifier beats a perfect fit and names its reason', () => {
    const facts = makeFacts({ account: { ...ACME, domain: 'rival.io' } })
    const { state, transitions } = run([eventOf('demo_request', VIEWS[2]!)], facts)
    assert.equal(state.fit.score, 72)
    assert.equal(state.stage, 'Disqualified')
    assert.equal(transitions.length, 1)
    assert.equal(transitions[0]!.rule, 'icp.disqualify.competitor')
    assert.equal(
      transitions[0]!.explanation,
      'Disqualified at 2026-11-20 14:03 UTC under agreement v3 (a1b2c3): disqualifier Competitor (reason competitor_locked_in): account.domain in lists.competitors (account.domain = "rival.io")',
    )
    const after = run([eventOf('demo_request', VIEWS[2]! + DAY)], facts, engine, state)
    assert.equal(after.transitions.length, 0, 'a disqualified lead does not qualify later in the cycle')
  })
})

describe('qualification', () => {
  test('the explanation reads as the analyst sentence', () => {
    const { state, transitions } = run(VIEWS.map(pricingView))
    assert.equal(transitions.length, 1)
    const t = transitions[0]!
    assert.deepEqual(
      [t.from, t.to, t.at, t.rule, t.agreementVersionId],
      ['Lead', 'MQL', VIEWS[2], 'stages.MQL.when', 3],
    )
    assert.equal(
      t.explanation,
      'MQL at 2026-11-20 14:03 UTC under agreement v3 (a1b2c3): fit 72 ≥ 60 (Healthcare +25, 200–2,000 employees +25, uses Salesforce +15, US +7); signal pricing_interest: 3 pricing page views in 7 days (Nov 14, 17, 20)',
    )
    assert.ok(t.reasons.includes('fit >= 60: true (fit = 72)'), t.reasons.join('\n'))
    assert.equal(state.explanation, t.explanation)
  })

  test('MQL happens exactly at the event that satisfies the definition', () => {
    const { results } = run(VIEWS.map(pricingView))
    assert.deepEqual(
      results.map((r) => r.transitions.length),
      [0, 0, 1],
    )
  })

  test('fit exactly at the threshold qualifies (60 ≥ 60) and one point below does not', () => {
    const at60 = makeEngine((a) => {
      a.icp.fit[3].points = -5
    })
    assert.equal(run(VIEWS.map(pricingView), makeFacts(), at60).state.stage, 'MQL')
    const at59 = makeEngine((a) => {
      a.icp.fit[3].points = -6
    })
    const below = run(VIEWS.map(pricingView), makeFacts(), at59)
    assert.equal(below.state.fit.score, 59)
    assert.equal(below.state.stage, 'Lead')
  })

  test('intent exactly at the threshold qualifies (40 ≥ 40)', () => {
    const t = VIEWS[0]!
    const { transitions } = run([eventOf('content_download', t), eventOf('content_download', t)])
    assert.equal(transitions[0]?.to, 'MQL')
    assert.match(transitions[0]!.explanation, /intent 40 ≥ 40 \(download \+40\)/)
  })

  test('a late event is inserted in order and fires the signal at the right time', () => {
    const first = run([pricingView(VIEWS[0]!), pricingView(VIEWS[2]!)])
    assert.equal(first.state.stage, 'Lead')
    const late = applyEvent(engine, first.state, makeFacts(), pricingView(VIEWS[1]!), { now: at('2026-11-21T08:00') })
    assert.equal(late.transitions.length, 1)
    const t = late.transitions[0]!
    assert.equal(t.at, VIEWS[2], 'qualified as of the latest event, as if the views had arrived in order')
    assert.equal(t.decidedAt, at('2026-11-21T08:00'))
    assert.match(t.explanation, /^MQL at 2026-11-20 14:03 UTC .*\(Nov 14, 17, 20\)$/)
  })

  test('a lead missing a required field is held as needs data, then handed off once the data arrives', () => {
    const strict = makeEngine((a) => {
      a.handoff.required_fields = ['person.title', 'lead.source']
    })
    const facts = makeFacts({ person: { email: 'x@acme.com' }, lead: {} })
    const held = run(VIEWS.map(pricingView), facts, strict)
    assert.equal(held.state.stage, 'MQL')
    assert.equal(held.state.handoff, 'needs_data')
    assert.deepEqual(held.state.needsData, ['person.title', 'lead.source'])
    assert.deepEqual(held.results[2]!.handoff, {
      kind: 'needs_data',
      at: VIEWS[2],
      missing: ['person.title', 'lead.source'],
    })
    const enriched = {
      ...facts,
      person: { email: 'x@acme.com', title: 'Compliance Manager' },
      lead: { source: 'event' },
    }
    const r = refreshFit(strict, held.state, enriched, { now: VIEWS[2]! + 3_600_000 })
    assert.equal(r.state.handoff, 'ready')
    assert.deepEqual(r.handoff, { kind: 'ready', at: VIEWS[2]! + 3_600_000, tier: 'warm' })
    assert.deepEqual(r.state.needsData, [])
  })

  test('the first touch becomes lead.source unless the records say otherwise', () => {
    const e = { ...pricingView(VIEWS[0]!), source: 'google', medium: 'cpc', campaign: 'q4' }
    const derived = run([e], makeFacts({ lead: {} })).state.lead
    assert.deepEqual(derived, { source: 'google', medium: 'cpc', campaign: 'q4' })
    const given = run([e], makeFacts({ lead: { source: 'event' } })).state.lead
    assert.deepEqual(given, { source: 'event', medium: 'cpc', campaign: 'q4' })
  })
})

describe('tiers', () => {
  test('a tier is decided on qualification and re-decided while the lead waits for handoff', () => {
    const first = run(VIEWS.map(pricingView))
    assert.equal(first.state.tier?.name, 'warm')
    assert.equal(first.state.tier?.sla?.firstTouchBusinessMs, 4 * 3_600_000)
    assert.deepEqual(
      first.results[2]!.tierChanges.map((c) => [c.from, c.to]),
      [[null, 'warm']],
    )
    const demo = run([eventOf('demo_request', VIEWS[2]! + 3_600_000)], makeFacts(), engine, first.state)
    assert.deepEqual(
      demo.results[0]!.tierChanges.map((c) => [c.from, c.to]),
      [['warm', 'hot']],
    )
    assert.equal(demo.state.tier?.sla?.firstTouchBusinessMs, 3_600_000)
    assert.deepEqual(
      demo.state.tierHistory.map((h) => h.tier),
      ['warm', 'hot'],
    )
  })

  test('an unqualified lead has no tier', () => {
    assert.equal(run([pricingView(VIEWS[0]!)]).state.tier, null)
  })
})

describe('personas and the buying committee', () => {
  test('titles map to personas: first match wins, exclusions veto', () => {
    assert.equal(matchPersona(engine, { title: 'VP of Compliance' }), 'economic_buyer')
    assert.equal(matchPersona(engine, { title: 'Executive Assistant to the CFO' }), null)
    assert.equal(matchPersona(engine, { title: 'Senior DevOps Engineer' }), 'technical_evaluator')
    assert.equal(matchPersona(engine, { title: 'Head of Risk' }), 'compliance_lead')
    assert.equal(matchPersona(engine, { title: 'Office Manager' }), null)
    assert.equal(matchPersona(engine, {}), null)
    assert.equal(matchPersona(engine, { title: 'Intern', persona: 'economic_buyer' }), 'economic_buyer')
  })

  test('committee coverage counts distinct engaged personas: 2 of 3 personas engaged', () => {
    const now = at('2026-11-20T12:00')
    const e = accountEngagement(
      engine,
      [
        { personKey: 'a', persona: 'economic_buyer', intent: 30, at: now },
        { personKey: 'b', persona: 'economic_buyer', intent: 20, at: now },
        { personKey: 'c', persona: 'compliance_lead', intent: 40, at: now - 14 * DAY },
        { personKey: 'd', persona: 'technical_evaluator', intent: 1, at: now - 14 * DAY },
      ],
      now,
    )
    assert.equal(e.intent, 70.5)
    assert.equal(e.engagedPeople, 3)
    assert.deepEqual(e.personasEngaged, ['economic_buyer', 'compliance_lead'])
    assert.equal(e.coverage, '2 of 3 personas engaged')
    assert.equal(e.coverageRatio, 2 / 3)
  })

  test('an account whose committee is engaged makes a fitting lead AQL', () => {
    const now = at('2026-11-20T12:00')
    const aggregate = createEngagementAggregate()
    updateEngagement(
      engine,
      aggregate,
      { personKey: 'cfo', persona: null, intent: 0, at: 0 },
      {
        personKey: 'cfo',
        persona: 'economic_buyer',
        intent: 30,
        at: now,
      },
    )
    updateEngagement(
      engine,
      aggregate,
      { personKey: 'grc', persona: null, intent: 0, at: 0 },
      {
        personKey: 'grc',
        persona: 'compliance_lead',
        intent: 20,
        at: now,
      },
    )
    const facts = makeFacts({
      person: { email: 'ops@acme.com', title: 'DevOps lead' },
      account: { ...ACME, technologies: [], country: 'CA' },
      accountEngagement: { aggregate, self: null },
    })
    const { state, transitions } = run([eventOf('content_download', now)], facts)
    assert.equal(state.fit.score, 50)
    assert.equal(transitions[0]?.to, 'AQL')
    assert.match(transitions[0]!.explanation, /account engagement: 3 of 3 personas engaged, intent 70/)
    const alone = run([eventOf('content_download', now)], { ...facts, accountEngagement: undefined })
    assert.equal(alone.state.stage, 'Lead')
  })

  test("the account aggregate swaps a person's old share for the new one in O(1)", () => {
    const t0 = at('2026-11-02T10:00')
    const aggregate = createEngagementAggregate()
    const ana = { personKey: 'ana', persona: null, intent: 0, at: 0 }
    updateEngagement(engine, aggregate, ana, { personKey: 'ana', persona: 'economic_buyer', intent: 40, at: t0 })
    updateEngagement(engine, aggregate, ana, {
      personKey: 'ana',
      persona: 'economic_buyer',
      intent: 30,
      at: t0 + 14 * DAY,
    })
    assert.equal(aggregate.intent, 30)
    assert.equal(aggregate.personas.economic_buyer, 30)
    assert.equal(aggregate.engagedPeople, 1)
    assert.deepEqual(ana, { personKey: 'ana', persona: 'economic_buyer', intent: 30, at: t0 + 14 * DAY })
  })
})

describe('lifecycle', () => {
  test('recycling is explicit and recorded; the lead re-qualifies only after its nurture period', () => {
    const mql = run(VIEWS.map(pricingView)).state
    const recycledAt = VIEWS[2]! + DAY
    const r = recycleLead(mql, { at: recycledAt, reason: 'not_now', nurtureUntil: recycledAt + 30 * DAY })
    assert.equal(r.transitions[0]?.rule, 'recycle')
    assert.deepEqual([r.transitions[0]!.from, r.transitions[0]!.to], ['MQL', 'Recycled'])
    const during = run(
      [10, 11, 12].map((d) => pricingView(recycledAt + d * DAY)),
      makeFacts(),
      engine,
      r.state,
    )
    assert.equal(during.state.stage, 'Recycled')
    const after = run(
      [31, 32, 33].map((d) => pricingView(recycledAt + d * DAY)),
      makeFacts(),
      engine,
      during.state,
    )
    assert.equal(after.state.stage, 'MQL')
    assert.deepEqual([after.transitions[0]!.from, after.transitions[0]!.to], ['Recycled', 'MQL'])
  })

  test('a lead shows when it entered and left each stage and its time in stage', () => {
    const { state } = run(VIEWS.map(pricingView))
    advanceLead(state, { to: 'SAL', at: VIEWS[2]! + 90 * 60_000, reason: 'qualified_meeting_booked' })
    const view = explainLead(engine, state, VIEWS[2]! + 2 * DAY)
    assert.deepEqual(
      view.timeline.map((s) => s.line),
      [
        'Lead from 2026-11-14 09:12 UTC to 2026-11-20 14:03 UTC (6 d 4 h)',
        'MQL from 2026-11-20 14:03 UTC to 2026-11-20 15:33 UTC (1 h 30 min)',
        'SAL from 2026-11-20 15:33 UTC (1 d 22 h)',
      ],
    )
  })

  test('forward moves by hand are checked; backward ones need recycle or re-open', () => {
    const { state } = run(VIEWS.map(pricingView))
    assert.equal(advanceLead(state, { to: 'Lead', at: VIEWS[2]! + 1, reason: 'oops' }).refused !== null, true)
    assert.equal(advanceLead(state, { to: 'Opportunity', at: VIEWS[2]! + 2, reason: 'opp_created' }).refused, null)
    assert.equal(advanceLead(state, { to: 'Lost', at: VIEWS[2]! + 3, reason: 'no_budget' }).refused, null)
    const reopened = reopenLead(state, { at: VIEWS[2]! + 4, reason: 'deal revived', to: 'Opportunity' })
    assert.deepEqual([reopened.transitions[0]!.from, reopened.transitions[0]!.to], ['Lost', 'Opportunity'])
    assert.equal(reopened.transitions[0]!.rule, 'reopen')
  })

  test('a person can have several lead cycles; closing one does not rewrite it', () => {
    const { state } = run(VIEWS.map(pricingView))
    advanceLead(state, { to: 'Lost', at: VIEWS[2]! + DAY, reason: 'no_budget' })
    const closed = JSON.stringify(state)
    const next = startNewCycle(engine, state, { at: VIEWS[2]! + 60 * DAY, reason: 'new demo request' })
    assert.equal(JSON.stringify(state), closed)
    assert.equal(next.state.cycle, 2)
    assert.equal(next.state.stage, 'Lead')
    assert.deepEqual(
      next.transitions.map((t) => [t.from, t.to, t.cycle, t.rule]),
      [['Lost', 'Lead', 2, 'new_cycle']],
    )
    const again = run([eventOf('demo_request', VIEWS[2]! + 61 * DAY)], makeFacts(), engine, next.state)
    assert.equal(again.state.stage, 'MQL')
  })

  test("a new cycle scores only what the person does from its start: the closed cycle's signals do not count", () => {
    const { state } = run(VIEWS.map(pricingView))
    assert.equal(state.stage, 'MQL')
    advanceLead(state, { to: 'Lost', at: VIEWS[2]! + 1, reason: 'no_budget' })
    const next = startNewCycle(engine, state, { at: VIEWS[2]! + 2, reason: 'page view after Lost' })
    const viewed = run([pricingView(VIEWS[2]! + 3)], makeFacts(), engine, next.state)
    assert.equal(viewed.state.stage, 'Lead', 'one pricing view in the new cycle, not the three of the old one')
    assert.equal(viewed.state.cycle, 2)
  })
})

describe('Agreement versions', () => {
  test('a version change re-evaluates an open lead from then on without rewriting history', () => {
    const facts = makeFacts({ account: { ...ACME, country: 'CA', technologies: [] } })
    const v3 = run(VIEWS.map(pricingView), facts)
    assert.equal(v3.state.fit.score, 50)
    assert.equal(v3.state.stage, 'Lead')
    const historyBefore = structuredClone(v3.state.history)
    const intentBefore = scoreAt(engine, v3.state, VIEWS[2]!).intent
    const v4 = makeEngine(
      (a) => {
        a.stages.MQL.when = 'fit >= 50 && (intent >= 40 || signals.pricing_interest || signals.demo_request)'
      },
      { id: 4, hash: 'f00dfeed0001' },
    )
    const activatedAt = VIEWS[2]! + 3_600_000
    const r = reevaluate(v4, v3.state, facts, { now: activatedAt })
    assert.deepEqual(r.notes, [])
    assert.equal(r.transitions.length, 1)
    const t = r.transitions[0]!
    assert.deepEqual(
      [t.from, t.to, t.at, t.agreementVersionId, t.agreementHash],
      ['Lead', 'MQL', activatedAt, 4, 'f00dfeed0001'],
    )
    assert.match(t.explanation, /^MQL at 2026-11-20 15:03 UTC under agreement v4 \(f00dfe\)/)
    assert.deepEqual(r.state.history[0], { ...historyBefore[0]!, exitedAt: activatedAt })
    assert.equal(scoreAt(v4, r.state, VIEWS[2]!).intent, intentBefore, 'aggregates carried over rule by rule')
    assert.deepEqual(r.state.agreement, { versionId: 4, hash: 'f00dfeed0001' })
  })

  test('a changed intent rule is rescaled or restarted, and the note says so', () => {
    const { state } = run([pricingView(VIEWS[0]!), eventOf('webinar_attended', VIEWS[0]!)])
    const v5 = makeEngine(
      (a) => {
        a.intent.rules[0].points = 20
        a.intent.rules[1].type = 'event_attended'
      },
      { id: 5, hash: 'beefbeef0005' },
    )
    const r = reevaluate(v5, state, makeFacts(), { now: VIEWS[0]! })
    assert.deepEqual(r.notes, [
      'intent rule pricing_view: points 10 → 20, decayed sum rescaled',
      'intent rule webinar: matcher changed, starts at 0',
    ])
    assert.equal(scoreAt(v5, r.state, VIEWS[0]!).intent, 20)
  })
})

describe('shared work across leads', () => {
  test('two people with the same account and the fields fit reads share one fit snapshot', () => {
    const eng = makeEngine()
    const a = resolveFit(eng, makeFacts({ person: { email: 'a@acme.com', title: 'VP Finance' } }), at('2026-11-02'))
    const b = resolveFit(eng, makeFacts({ person: { email: 'b@acme.com', title: 'VP Finance' } }), at('2026-11-03'))
    assert.equal(a.fit, b.fit)
    assert.equal(a.fit.score, 72)
  })

  test('a lead whose fit rules out every stage stays a Lead however much intent it shows', () => {
    const small = makeFacts({ account: { ...ACME, industry: 'Retail', employees: 90 } })
    const views = Array.from({ length: 12 }, (_, i) => pricingView(at('2026-11-02') + i * 3_600_000))
    const { state, transitions } = run(views, small)
    assert.equal(state.stage, 'Lead')
    assert.equal(transitions.length, 0)
    assert.equal(state.fit.score < 50, true)
    assert.equal(state.events, 12)
  })
})
