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
import {
  compareReplays,
  type KnownOutcome,
  orderForReplay,
  type ReplayEvent,
  type ReplayOutcome,
  replayHistory,
  weekOf,
} from './replay.ts'

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

  test('every order the input allows gives the same outcome: time order, account by account, in chunks, interleaved', () => {
    const { facts, events } = demoHistory()
    // The example Agreement's AQL reads account engagement, the one thing leads of an account share.
    const engine = exampleEngine((y) => y, { id: 1, hash: 'example0001' })
    assert.ok(engine.readsAccountEngagement)
    const other = exampleEngine((y) => y.replace('when: "fit >= 60 && (intent', 'when: "fit >= 45 && (intent'), {
      id: 0,
      hash: 'candidate000',
    })
    const accountOf = (e: ReplayEvent) => (facts.get(e.personKey)?.account?.domain as string | undefined) ?? e.personKey
    /** Everything a report reads, independent of the order leads were first seen in. */
    const outcome = (o: ReplayOutcome) =>
      JSON.stringify({
        applied: o.applied,
        skipped: o.skipped,
        leads: [...o.leads].sort(([a], [b]) => a.localeCompare(b)),
        qualified: [...o.qualified].sort(([a], [b]) => a.localeCompare(b)),
        mqlsByWeek: o.mqlsByWeek,
        tierMix: o.tierMix,
      })
    const options = { from: Date.parse('2026-10-15T00:00:00Z') }
    const inTimeOrder = replayHistory(engine, { facts, events }, options)
    const expected = outcome(inTimeOrder)
    const expectedReport = JSON.stringify(
      compareReplays(inTimeOrder, replayHistory(other, { facts, events }), new Map()),
    )
    assert.ok(
      [...inTimeOrder.leads.values()].some((l) => l.transitions.some((t) => t.to === 'AQL')),
      'the demo quarter has AQLs, so engagement is exercised',
    )

    // Accounts interleaved at random, each account's events in time order.
    const queues = new Map<string, ReplayEvent[]>()
    for (const e of events) queues.set(accountOf(e), [...(queues.get(accountOf(e)) ?? []), e])
    let seed = 7
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed / 2 ** 32
    }
    const open = [...queues.values()].map((q) => ({ q, next: 0 }))
    const interleaved: ReplayEvent[] = []
    while (open.length > 0) {
      const i = Math.floor(random() * open.length)
      const o = open[i]!
      interleaved.push(o.q[o.next++]!)
      if (o.next === o.q.length) open.splice(i, 1)
    }

    const orders: [string, ReplayEvent[]][] = [
      ['account by account', orderForReplay(events, facts)],
      ['accounts interleaved at random', interleaved],
      ...[1, 2, 7, 64, 1000, 65_536].map((chunk): [string, ReplayEvent[]] => [
        `chunks of ${chunk}`,
        orderForReplay(events, facts, { chunk }),
      ]),
    ]
    for (const [name, order] of orders) {
      assert.equal(order.length, events.length)
      // Small chunks may leave the order as it is (a chunk keeps its accounts in order of first appearance).
      if (!name.startsWith('chunks of'))
        assert.notDeepEqual(
          order.map((e) => e.id),
          events.map((e) => e.id),
          `${name} is another order`,
        )
      const run = replayHistory(engine, { facts, events: order }, options)
      assert.equal(outcome(run), expected, name)
      const report = compareReplays(run, replayHistory(other, { facts, events: order }), new Map())
      assert.equal(JSON.stringify(report), expectedReport, `${name}: the comparison`)
    }
    // Person by person breaks the time order within accounts: engagement then differs, so the check above can fail.
    const byPerson = [...events].sort((a, b) => a.personKey.localeCompare(b.personKey))
    assert.notEqual(outcome(replayHistory(engine, { facts, events: byPerson }, options)), expected)
  })

  test('account by account: each account runs together, its events in their given order', () => {
    const { facts, events } = demoHistory()
    const ordered = orderForReplay(events, facts)
    const accountOf = (e: ReplayEvent) => (facts.get(e.personKey)?.account?.domain as string | undefined) ?? e.personKey
    const finished = new Set<string>()
    const position = new Map(events.map((e, i) => [e, i]))
    for (let i = 0; i < ordered.length; i++) {
      const a = accountOf(ordered[i]!)
      assert.ok(!finished.has(a), `${a} comes back after another account`)
      if (i + 1 < ordered.length && accountOf(ordered[i + 1]!) !== a) finished.add(a)
      else if (i + 1 < ordered.length)
        assert.ok(position.get(ordered[i]!)! < position.get(ordered[i + 1]!)!, `${a} keeps its order`)
    }
    assert.deepEqual(new Set(ordered), new Set(events))
  })

  test('weeks are keyed by their Monday in UTC', () => {
    assert.equal(weekOf(at('2026-11-22T23:59')), '2026-11-16')
    assert.equal(weekOf(at('2026-11-23T00:00')), '2026-11-23')
  })
})
