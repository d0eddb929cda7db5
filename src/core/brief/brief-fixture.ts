// A lead snapshot for tests and examples: Dana Reyes of Acme Health read the HIPAA guide, looked at pricing twice and
// requested a demo on Thursday 19 Nov 2026; routed to Sam in New York, due Monday 09:30 EST.

import type { BriefInput } from './brief-types.ts'

const at = (iso: string) => Date.parse(iso)

export function makeBriefInput(overrides: Partial<BriefInput> = {}): BriefInput {
  return {
    leadId: 'lead_42',
    person: { name: 'Dana Reyes', email: 'dana@acmehealth.com', title: 'VP Engineering', persona: 'Technical buyer' },
    account: {
      name: 'Acme Health',
      domain: 'acmehealth.com',
      industry: 'Healthcare',
      employees: 450,
      country: 'US',
      technologies: ['Salesforce', 'Snowflake'],
    },
    timeline: [
      {
        type: 'form_submit',
        at: at('2026-11-19T19:05:00Z'),
        properties: { form: 'demo_request' },
        source: 'google',
        medium: 'cpc',
        campaign: 'q4-hipaa',
      },
      {
        type: 'content_download',
        at: at('2026-11-17T15:00:00Z'),
        properties: { title: 'HIPAA compliance guide', path: '/resources/hipaa-guide' },
        source: 'linkedin',
        medium: 'paid_social',
        campaign: 'q4-hipaa',
      },
      { type: 'page_view', at: at('2026-11-18T14:00:00Z'), properties: { path: '/pricing' } },
      { type: 'page_view', at: at('2026-11-19T18:58:00Z'), properties: { path: '/pricing/enterprise' } },
      { type: 'demo_request', at: at('2026-11-19T19:05:00Z'), properties: {} },
      {
        type: 'webinar_attended',
        at: at('2026-11-10T17:00:00Z'),
        properties: { webinar: 'Securing PHI in the cloud' },
      },
    ],
    trigger: {
      kind: 'signal',
      name: 'demo_request',
      at: at('2026-11-19T19:05:00Z'),
      explanation: 'demo_request: submitted the demo request form',
    },
    fit: {
      score: 72,
      criteria: [
        { name: 'Target industry', points: 25 },
        { name: 'Mid-market', points: 25 },
        { name: 'Uses Salesforce', points: 22 },
      ],
    },
    intent: 85,
    tier: 'hot',
    routingReasons: [
      'Rule "EMEA" skipped: account.region is "NA"',
      'Rule "NA pool": weighted round robin chose Sam Lee (weight 2, 3 open leads)',
    ],
    owner: { name: 'Sam Lee', timeZone: 'America/New_York' },
    due: { at: at('2026-11-23T14:30:00Z'), timeZone: 'America/New_York', targetMs: 3_600_000 },
    agreementVersion: 'sha256:9f2c4e1a7b3d5f60a1b2c3d4e5f6',
    ...overrides,
  }
}
