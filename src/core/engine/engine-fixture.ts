import { stringify } from 'yaml'
import { compileAgreement } from '../agreement/compile-agreement.ts'
import { formatAgreementErrors } from '../agreement/format-agreement-errors.ts'
import { parseAgreement } from '../agreement/parse-agreement.ts'
import { createEngine, type Engine } from './create-engine.ts'
import type { EngineEvent, LeadFacts } from './engine-types.ts'

/**
 * Test fixtures for the engine: a small Agreement whose fit criteria add up to the example (Healthcare +25,
 * 200–2,000 employees +25, uses Salesforce +15, US +7 = 72), validated by the real parser, and factories for facts
 * and events. Tests patch the Agreement object before it is parsed.
 */

// biome-ignore lint/suspicious/noExplicitAny: a fixture document patched freely by tests before validation
export type AgreementDoc = Record<string, any>

export function baseAgreement(): AgreementDoc {
  return {
    agreement: 'Engine test agreement',
    effective_from: '2026-10-01',
    owners: {
      marketing: { name: 'Mia Marketing', email: 'mia@example.com' },
      sales: { name: 'Sam Sales', email: 'sam@example.com' },
    },
    lists: { competitors: ['rival.io'] },
    icp: {
      fit: [
        { id: 'industry', name: 'Healthcare', when: 'account.industry == "Healthcare"', points: 25 },
        {
          id: 'mid_market',
          name: '200–2,000 employees',
          when: 'account.employees >= 200 && account.employees <= 2000',
          points: 25,
        },
        {
          id: 'salesforce',
          name: 'uses Salesforce',
          kind: 'technographic',
          when: '"salesforce" in account.technologies',
          points: 15,
        },
        { id: 'us', name: 'US', when: 'account.country == "US"', points: 7 },
        {
          id: 'hiring',
          name: 'Hiring surge',
          kind: 'situational',
          when: 'account_signals.hiring_surge',
          within: '90d',
          points: 5,
        },
      ],
      disqualify: [
        {
          id: 'competitor',
          name: 'Competitor',
          when: 'account.domain in lists.competitors',
          reason: 'competitor_locked_in',
        },
        { id: 'too_small', name: 'Fewer than 20 employees', when: 'account.employees < 20', reason: 'too_small' },
      ],
    },
    personas: [
      { id: 'economic_buyer', name: 'Economic buyer', titles: ['cfo', 'vp', 'chief'], exclude: ['assistant'] },
      { id: 'compliance_lead', name: 'Compliance lead', titles: ['compliance', 'risk'] },
      { id: 'technical_evaluator', name: 'Technical evaluator', titles: ['security engineer', 'devops'] },
    ],
    buying_committee: { personas: ['economic_buyer', 'compliance_lead', 'technical_evaluator'], min_engaged: 2 },
    intent: {
      half_life: '14d',
      max: 100,
      rules: [
        { id: 'pricing_view', type: 'page_view', match: { path: { prefix: '/pricing' } }, points: 10, cap: 30 },
        { id: 'webinar', name: 'Webinar attended', type: 'webinar_attended', points: 15 },
        { id: 'download', type: 'content_download', points: 20 },
        { id: 'unsubscribe', type: 'email_unsubscribe', points: -20 },
      ],
      signals: {
        pricing_interest: {
          kind: 'count',
          type: 'page_view',
          match: { path: { prefix: '/pricing' } },
          at_least: 3,
          within: '7d',
        },
        demo_request: {
          kind: 'any',
          of: [{ type: 'demo_request' }, { type: 'form_submit', match: { form: { in: ['demo_request'] } } }],
          within: '30d',
        },
        gone_quiet: { kind: 'inactivity', for: '45d' },
      },
    },
    stages: {
      Lead: { description: 'Known person.' },
      MQL: {
        description: 'Marketing qualified.',
        when: 'fit >= 60 && (intent >= 40 || signals.pricing_interest || signals.demo_request)',
      },
      AQL: {
        description: 'Account qualified.',
        when: 'fit >= 50 && account_engagement.committee_coverage >= 0.66 && account_engagement.intent >= 60',
      },
    },
    tiers: [
      { name: 'hot', when: 'signals.demo_request && fit >= 50', sla: { first_touch: '1h' } },
      { name: 'warm', when: 'stage == "MQL" || stage == "AQL"', sla: { first_touch: '4h' } },
      { name: 'nurture', when: 'true', sla: null },
    ],
    handoff: { required_fields: [] },
    calendars: { ny: { time_zone: 'America/New_York', hours: { mon: ['09:00-17:00'] } } },
    teams: { east: { manager: { name: 'Dana', email: 'dana@example.com' }, calendar: 'ny' } },
    reps: [{ id: 'ana', name: 'Ana', email: 'ana@example.com', team: 'east' }],
    pools: { east: { members: [{ rep: 'ana' }] } },
    routing: [{ name: 'Everyone', to: { pool: 'east' } }],
    sla: { warn_at: '75%' },
    dispositions: {
      accept: [{ code: 'qualified', label: 'Qualified' }],
      reject: [
        { code: 'competitor_locked_in', label: 'Competitor' },
        { code: 'too_small', label: 'Too small' },
      ],
      recycle: [{ code: 'not_now', label: 'Not now', nurture_for: '90d' }],
    },
    attribution: { model: 'linear', lookback: '90d', locked_from: '2026-10-01' },
  }
}

/**
 * An engine for the base Agreement after `patch`; version v3 with hash `a1b2c3…` unless told otherwise.
 *
 * Example: `makeEngine((a) => { a.stages.MQL.when = 'fit >= 50' })`
 */
export function makeEngine(
  patch: (a: AgreementDoc) => void = () => {},
  version: { id: number; hash: string } = { id: 3, hash: 'a1b2c3d4e5f6' },
): Engine {
  const doc = baseAgreement()
  patch(doc)
  const parsed = parseAgreement(stringify(doc))
  if (!parsed.ok) throw new Error(formatAgreementErrors(parsed.errors, 'fixture.yaml'))
  return createEngine(compileAgreement(parsed.agreement), version)
}

export const ACME = Object.freeze({
  domain: 'acme.com',
  name: 'Acme Health',
  industry: 'Healthcare',
  employees: 500,
  technologies: ['salesforce'],
  country: 'US',
})

/** Facts of a VP at Acme (fit 72) unless overridden. */
export function makeFacts(overrides: Partial<LeadFacts> = {}): LeadFacts {
  return {
    person: { email: 'vera@acme.com', title: 'VP Finance' },
    account: ACME,
    lead: { source: 'organic_search' },
    ...overrides,
  }
}

export const DAY = 86_400_000

/** Instant of an ISO date-time in UTC: `at('2026-11-20T14:03')`. */
export function at(iso: string): number {
  return Date.parse(`${iso}${iso.length === 10 ? 'T00:00' : ''}Z`)
}

let serial = 0
export function pricingView(when: number): EngineEvent {
  return { id: `e${++serial}`, type: 'page_view', at: when, properties: { path: '/pricing' } }
}

export function eventOf(type: string, when: number, properties: Record<string, unknown> = {}): EngineEvent {
  return { id: `e${++serial}`, type, at: when, properties }
}
