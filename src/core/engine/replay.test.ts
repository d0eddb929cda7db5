import assert from 'node:assert/strict'
// biome-ignore lint/style/noRestrictedImports: the test reads the shipped example Agreement; the code under test stays pure
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { simulateQuarter } from '../../demo/simulate/index.ts'
import { compileAgreement } from '../agreement/compile-agreement.ts'
import { parseAgreement } from '../agreement/parse-agreement.ts'
import { createEngagementAggregate, summarizeForAccount, updateEngagement } from './account-engagement.ts'
import { applyEvent } from './apply-event.ts'
import { createEngine, type Engine } from './create-engine.ts'
import { ACME, at, DAY, eventOf, makeEngine, makeFacts, pricingView } from './engine-fixture.ts'
import type { AccountPeer, EngagementAggregate, LeadFacts, LeadState, Transition } from './engine-types.ts'
import { compareReplays, type KnownOutcome, type ReplayEvent, replayHistory, weekOf } from './replay.ts'

const EXAMPLE = readFileSync(new URL('../../../accord.example.yaml', import.meta.url), 'utf8')

function exampleEngine(patch: (yaml: string) => string, version: { id: number; hash: string }): Engine {
  const parsed = parseAgreement(patch(EXAMPLE))
  assert.ok(parsed.ok)
  return createEngine(compileAgreement(parsed.agreement), version)
}

/** The demo quarter as engine input: facts per person, events keyed by person (anonymous visitors by their id). */
function demoHistory() {
  const q = simulateQuarter({ seed: 42, start: '2026-10-01', accounts: 80 })
  const accounts = new Map(q.accounts.map((a) => [a.domain, { ...a, owner: a.owner ?? undefined }]))
  const facts = new Map<string, LeadFacts>()
  for (const p of q.people)
    facts.set(p.email, {
      person: { email: p.email, title: p.title, country: p.country },
      account: (p.account_domain && accounts.get(p.account_domain)) || null,
    })
  const events: ReplayEvent[] = q.events.map((e) => ({
    id: e.id,
    personKey: e.person.email ?? `anon:${e.person.anonymous_id}`,
    type: e.type,
    at: Date.parse(e.occurred_at),
    properties: e.properties,
    source: e.context.source,
    medium: e.context.medium,
    campaign: e.context.campaign,
  }))
  return { facts, events }
}

describe('what-if replay', () => {
  test('replaying a candidate Agreement equals running it live, event by event, on the demo quarter', () => {
    const { facts, events } = demoHistory()
    const candidate = exampleEngine((y) => y.replace('when: "fit >= 60 && (intent', 'when: "fit >= 45 && (intent'), {
      id: 0,
      hash: 'candidate000',
    })
    const replayed = replayHistory(candidate, { facts, events })

    // Live: what ingestion does — load the lead and its account's engagement, apply, store both.
    const states = new Map<string, LeadState>()
    const log = new Map<string, Transition[]>()
    const aggregates = new Map<string, EngagementAggregate>()
    const selves = new Map<string, AccountPeer>()
    for (const e of events) {
      const base = facts.get(e.personKey) ?? { person: {}, account: null }
      const domain = base.account?.domain as string | undefined
      let input: LeadFacts = base
      if (domain) {
        if (!aggregates.has(domain)) aggregates.set(domain, createEngagementAggregate())
        if (!selves.has(e.personKey))
          selves.set(e.personKey, { personKey: e.personKey, persona: null, intent: 0, at: 0 })
        input = { ...base, accountEngagement: { aggregate: aggregates.get(domain)!, self: selves.get(e.personKey)! } }
      }
      const r = applyEvent(candidate, states.get(e.personKey) ?? null, input, e)
      states.set(e.personKey, r.state)
      if (r.transitions.length) log.set(e.personKey, [...(log.get(e.personKey) ?? []), ...r.transitions])
      if (domain && r.changed)
        updateEngagement(
          candidate,
          aggregates.get(domain)!,
          selves.get(e.personKey)!,
          summarizeForAccount(candidate, r.state, e.personKey),
        )
    }

    assert.equal(replayed.leads.size, states.size)
    let qualified = 0
    for (const [key, lead] of replayed.leads) {
      assert.equal(JSON.stringify(lead.state), JSON.stringify(states.get(key)), `state of ${key}`)
      assert.deepEqual(lead.transitions, log.get(key) ?? [], `transitions of ${key}`)
      if (lead.transitions.some((t) => t.to === 'MQL' || t.to === 'AQL')) qualified++
    }
    assert.equal(replayed.qualified.size, qualified)
    assert.ok(qualified > 10, `the demo quarter qualifies leads (${qualified})`)
    assert.equal(
      replayed.mqlsByWeek.reduce((n, w) => n + w.count, 0),
      qualified,
    )
  })

  test('the comparison names the leads gained and lost, with reasons and how they converted', () => {
    const active = makeEngine((a) => {
      a.stages.MQL.when = 'fit >= 60 && (signals.pricing_interest || signals.demo_request)'
    })
    const candidate = makeEngine(
      (a) => {
        a.stages.MQL.when = 'fit >= 50 && signals.demo_request'
      },
      { id: 4, hash: '4444aaaa' },
    )
    const t0 = at('2026-11-16T10:00')
    const facts = new Map<string, LeadFacts>([
      ['gained@acme.com', makeFacts({ account: { ...ACME, country: 'CA', technologies: [] } })],
      ['lost@acme.com', makeFacts()],
      ['both@acme.com', makeFacts()],
      ['never@acme.com', makeFacts({ account: { ...ACME, industry: 'Retail' } })],
    ])
    const events: ReplayEvent[] = [
      { ...eventOf('demo_request', t0), personKey: 'gained@acme.com' },
      ...[0, 1, 2].map((d) => ({ ...pricingView(t0 + d * DAY), personKey: 'lost@acme.com' })),
      { ...eventOf('demo_request', t0 + 8 * DAY), personKey: 'both@acme.com' },
      { ...eventOf('demo_request', t0), personKey: 'never@acme.com' },
    ].sort((a, b) => a.at - b.at)
    const outcomes = new Map<string, KnownOutcome>([
      ['gained@acme.com', { sal: true, opportunity: true, won: false }],
      ['lost@acme.com', { sal: false }],
      ['both@acme.com', { sal: true, opportunity: true, won: true }],
    ])
    const cmp = compareReplays(
      replayHistory(active, { facts, events }),
      replayHistory(candidate, { facts, events }),
      outcomes,
    )
    assert.deepEqual(cmp.qualified, { active: 2, candidate: 2 })
    assert.deepEqual(cmp.mqlsPerWeek, [
      { week: weekOf(t0), active: 1, candidate: 1 },
      { week: weekOf(t0 + 8 * DAY), active: 1, candidate: 1 },
    ])
    assert.deepEqual(cmp.tierMix, [
      { tier: 'hot', active: 1, candidate: 2 },
      { tier: 'warm', active: 1, candidate: 0 },
    ])
    assert.equal(cmp.gained.count, 1)
    assert.equal(cmp.gained.examples[0]!.personKey, 'gained@acme.com')
    assert.match(
      cmp.gained.examples[0]!.reasons[0]!,
      /^MQL at 2026-11-16 10:00 UTC under agreement v4 \(4444aa\): fit 50 ≥ 50/,
    )
    assert.match(cmp.gained.examples[0]!.reasons[1]!, /^active agreement: not MQL — fit >= 60: false \(fit = 50\)/)
    assert.equal(cmp.lost.count, 1)
    assert.match(cmp.lost.examples[0]!.reasons[1]!, /signals\.demo_request: false/)
    assert.deepEqual(cmp.conversion, {
      gained: { leads: 1, known: 1, sal: 1, opportunity: 1, won: 0 },
      lost: { leads: 1, known: 1, sal: 0, opportunity: 0, won: 0 },
      both: { leads: 1, known: 1, sal: 1, opportunity: 1, won: 1 },
    })
  })

  test('weeks are keyed by their Monday in UTC', () => {
    assert.equal(weekOf(at('2026-11-22T23:59')), '2026-11-16')
    assert.equal(weekOf(at('2026-11-23T00:00')), '2026-11-23')
  })
})
