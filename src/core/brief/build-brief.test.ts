import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { makeBriefInput } from './brief-fixture.ts'
import { buildBrief, MAX_TIMELINE_LINES } from './build-brief.ts'

const MONDAY = Date.parse('2026-11-23T13:00:00Z') // Mon 23 Nov 08:00 in New York
const FRIDAY = Date.parse('2026-11-20T15:00:00Z')

describe('buildBrief', () => {
  test('the due instant is shown in the rep’s zone with the SLA target: Mon 23 Nov, 09:30 EST (1 business hour)', () => {
    const brief = buildBrief(makeBriefInput(), { now: MONDAY })
    assert.equal(brief.due, 'Mon 23 Nov, 09:30 EST (1 business hour)')
    assert.equal(brief.facts.due, 'Mon 23 Nov, 09:30 EST')
  })

  test('a Berlin rep sees CET, and a Sydney rep in summer sees the daylight offset', () => {
    const due = { at: Date.parse('2026-11-23T08:30:00Z'), timeZone: 'Europe/Berlin', targetMs: 4 * 3_600_000 }
    const berlin = buildBrief(makeBriefInput({ owner: { name: 'Jonas', timeZone: 'Europe/Berlin' }, due }), {
      now: MONDAY,
    })
    assert.equal(berlin.due, 'Mon 23 Nov, 09:30 CET (4 business hours)')
    const sydney = buildBrief(
      makeBriefInput({ due: { at: Date.parse('2026-11-22T22:30:00Z'), timeZone: 'Australia/Sydney' } }),
      { now: MONDAY },
    )
    assert.equal(sydney.due, 'Mon 23 Nov, 09:30 GMT+11')
  })

  test('the opener names the demo request, its day and the guide read before it', () => {
    const brief = buildBrief(makeBriefInput(), { now: MONDAY })
    assert.equal(
      brief.suggestedOpener,
      'Hi Dana, saw you requested a demo on Thursday after downloading our “HIPAA compliance guide” — happy to show ' +
        'you how other Healthcare teams use it. Would 15 minutes this week work?',
    )
    assert.match(buildBrief(makeBriefInput(), { now: FRIDAY }).suggestedOpener, /requested a demo yesterday/)
  })

  test('a pricing form as the trigger gives “Saw you requested pricing”', () => {
    const at = Date.parse('2026-11-19T19:05:00Z')
    const brief = buildBrief(
      makeBriefInput({
        timeline: [
          { type: 'page_view', at: at - 3_600_000, properties: { path: '/blog/soc2', title: 'SOC 2 in 30 days' } },
          { type: 'form_submit', at, properties: { form: 'pricing_request' } },
        ],
        trigger: { kind: 'stage', name: 'MQL', at, explanation: 'MQL because fit 72 ≥ 60' },
      }),
      { now: MONDAY },
    )
    assert.match(
      brief.suggestedOpener,
      /^Hi Dana, saw you requested pricing on Thursday after reading our “SOC 2 in 30 days”/,
    )
    assert.match(brief.headline, /requested pricing$/)
  })

  test('repeated pricing views as the trigger are counted in the opener', () => {
    const at = Date.parse('2026-11-19T19:05:00Z')
    const brief = buildBrief(
      makeBriefInput({
        timeline: [0, 1, 2].map((i) => ({
          type: 'page_view',
          at: at - i * 86_400_000,
          properties: { path: '/pricing' },
        })),
        trigger: { kind: 'signal', name: 'pricing_interest', at, explanation: '3 pricing views in 7 days' },
      }),
      { now: MONDAY },
    )
    assert.match(brief.suggestedOpener, /saw you looked at our pricing 3 times on Thursday/)
  })

  test('a lead with no recorded intent event still gets an opener from the trigger explanation', () => {
    const brief = buildBrief(makeBriefInput({ timeline: [] }), { now: MONDAY })
    assert.match(
      brief.suggestedOpener,
      /I noticed your interest on Thursday \(demo_request: submitted the demo request form\)/,
    )
    assert.deepEqual(brief.whatTheyDid, [])
  })

  test('the timeline is oldest first, in the rep’s zone, with source and campaign', () => {
    const brief = buildBrief(makeBriefInput(), { now: MONDAY })
    assert.equal(brief.whatTheyDid[0], 'Tue 10 Nov 12:00 — attended “Securing PHI in the cloud”')
    assert.equal(
      brief.whatTheyDid[1],
      'Tue 17 Nov 10:00 — downloaded “HIPAA compliance guide” (linkedin / paid_social, campaign q4-hipaa)',
    )
    assert.deepEqual(brief.contentEngaged, [
      '“Securing PHI in the cloud” — attended Tue 10 Nov',
      '“HIPAA compliance guide” — downloaded Tue 17 Nov',
    ])
  })

  test('a long timeline keeps the latest events and says how many earlier ones were left out', () => {
    const start = Date.parse('2026-11-01T15:00:00Z')
    const timeline = Array.from({ length: 30 }, (_, i) => ({
      type: 'page_view',
      at: start + i * 3_600_000,
      properties: { path: `/p/${i}` },
    }))
    const brief = buildBrief(makeBriefInput({ timeline }), { now: MONDAY })
    assert.equal(brief.whatTheyDid.length, MAX_TIMELINE_LINES)
    assert.equal(brief.whatTheyDid[0], '… 19 earlier events')
    assert.match(brief.whatTheyDid.at(-1) ?? '', /viewed \/p\/29$/)
  })

  test('company facts, ICP criteria, scores and routing reasons are all carried', () => {
    const brief = buildBrief(makeBriefInput(), { now: MONDAY })
    assert.equal(
      brief.company,
      'Acme Health (acmehealth.com) — Healthcare, 450 employees, US — uses Salesforce, Snowflake',
    )
    assert.equal(brief.who, 'Dana Reyes — VP Engineering (persona: Technical buyer), dana@acmehealth.com')
    assert.deepEqual(brief.icpMatched, ['Target industry (+25)', 'Mid-market (+25)', 'Uses Salesforce (+22)'])
    assert.equal(brief.scores, 'fit 72 · intent 85 · tier hot')
    assert.equal(brief.whyThisRep.length, 2)
    assert.equal(
      brief.trigger,
      'Signal demo_request (Thu 19 Nov, 14:05 EST): demo_request: submitted the demo request form',
    )
    assert.equal(brief.headline, 'Hot lead: Dana Reyes (VP Engineering, Acme Health) requested a demo')
  })

  test('an unmatched account and a nameless person read sensibly, and the facts omit the company', () => {
    const brief = buildBrief(
      makeBriefInput({
        account: null,
        person: { name: null, email: 'x@gmail.com', title: null, persona: null },
        tier: null,
      }),
      { now: MONDAY },
    )
    assert.equal(brief.company, 'Company unknown (no account matched yet)')
    assert.equal(brief.who, 'x@gmail.com')
    assert.equal(brief.headline, 'x@gmail.com requested a demo')
    assert.match(brief.suggestedOpener, /^Hi, saw you/)
    assert.deepEqual(Object.keys(brief.facts).sort(), ['due', 'person', 'trigger'])
  })

  test('no SLA clock gives a null due; a calendar that never opens says so', () => {
    assert.equal(buildBrief(makeBriefInput({ due: null }), { now: MONDAY }).due, null)
    const never = buildBrief(makeBriefInput({ due: { at: Number.POSITIVE_INFINITY, timeZone: 'America/New_York' } }), {
      now: MONDAY,
    })
    assert.match(never.due ?? '', /^never due/)
    assert.equal(never.facts.due, undefined)
  })

  test('a paused clock says so, with the business time left when it resumes, instead of a due instant', () => {
    const paused = buildBrief(
      makeBriefInput({
        due: { at: null, timeZone: 'America/New_York', targetMs: 3_600_000, remainingMs: 29 * 60_000 },
      }),
      { now: MONDAY },
    )
    assert.equal(paused.due, 'clock paused: 29 business minutes left when it resumes (1 business hour)')
    assert.equal(paused.facts.due, undefined)
  })

  test('the same lead gives the same brief whatever order storage returned its events in (property)', () => {
    const input = makeBriefInput()
    const expected = buildBrief(input, { now: MONDAY })
    fc.assert(
      fc.property(fc.shuffledSubarray([...input.timeline], { minLength: input.timeline.length }), (timeline) => {
        assert.deepEqual(buildBrief({ ...input, timeline }, { now: MONDAY }), expected)
      }),
    )
  })
})
