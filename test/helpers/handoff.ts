/**
 * Handoff fixtures: the example Agreement adapted for routing tests, a test app whose clock the test moves, a
 * fitting account and demo requests.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createApiKey } from '../../src/auth/create-api-key.ts'
import { createTestApp, type TestApp } from './app.ts'

/**
 * accord.example.yaml with: New York open until 17:00 on Fridays (so Friday 16:30 + 1h is Monday 09:30), caps
 * high enough not to interfere, and two more na_east members — Omar (out of office all November and December) and
 * Ivan (inactive, heaviest weight) — who must never receive a lead.
 */
export function handoffAgreement(): string {
  let text = readFileSync('accord.example.yaml', 'utf8')
  text = text.replace('fri: ["09:00-16:00"]', 'fri: ["09:00-17:00"]')
  text = text.replace(/daily: \d+/g, 'daily: 500').replace(/weekly: \d+/g, 'weekly: 2000')
  const hannah = text.indexOf('  - { id: hannah_wu')
  const eol = text.indexOf('\n', hannah)
  text = `${text.slice(0, eol + 1)}  - { id: omar_diaz, name: Omar Diaz, email: omar.diaz@northwind.io, team: na_east_sdr, out_of_office: [{ from: 2026-11-01, to: 2026-12-31, note: Sabbatical }] }
  - { id: ivan_petrov, name: Ivan Petrov, email: ivan.petrov@northwind.io, team: na_east_sdr, active: false }
${text.slice(eol + 1)}`
  const members = '{ rep: chloe_adams, weight: 1 }]'
  assert.ok(text.includes(members))
  text = text.replace(
    members,
    '{ rep: chloe_adams, weight: 1 }, { rep: omar_diaz, weight: 1 }, { rep: ivan_petrov, weight: 3 }]',
  )
  return text
}

export type HandoffTestApp = TestApp & {
  setNow(iso: string | number): void
  now(): number
  repKey(repId: string): Promise<string>
}

/** Friday 2026-11-20 16:30 in New York. */
export const FRIDAY_1630_NY = '2026-11-20T21:30:00Z'

export async function createHandoffApp(start = FRIDAY_1630_NY): Promise<HandoffTestApp> {
  let nowMs = Date.parse(start)
  const t = await createTestApp({ now: () => nowMs })
  await activateAgreement(t, handoffAgreement())
  return Object.assign(t, {
    setNow(at: string | number) {
      nowMs = typeof at === 'number' ? at : Date.parse(at)
    },
    now: () => nowMs,
    async repKey(repId: string) {
      return (await createApiKey(t.ctx, { workspaceId: t.workspaceId, name: repId, role: 'rep', repId })).secret
    },
  })
}

/** Proposes the Agreement text and signs it for both sides; returns the version's id. */
export async function activateAgreement(t: TestApp, yaml: string): Promise<number> {
  const proposed = await t.app.inject({
    method: 'POST',
    url: '/v1/agreements',
    headers: { ...t.auth('marketing'), 'content-type': 'application/yaml' },
    payload: yaml,
  })
  assert.equal(proposed.statusCode, 201, proposed.body)
  const { id } = proposed.json()
  await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('marketing') })
  const signed = await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('sales') })
  assert.equal(signed.json().state, 'active', signed.body)
  return id
}

/** Fitting accounts in New York (fit 80): routed by "Everyone else" to na_east. */
export async function seedAccounts(t: TestApp, domains: string[]): Promise<void> {
  const accounts = domains.map((domain, i) => ({
    domain,
    name: `Acme Health ${i}`,
    industry: 'Healthcare',
    employees: 450,
    country: 'US',
    state: 'NY',
    technologies: ['AWS'],
    revenue: 50_000_000,
  }))
  for (let i = 0; i < accounts.length; i += 1000) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: t.auth('ingest'),
      payload: { accounts: accounts.slice(i, i + 1000) },
    })
    assert.equal(res.statusCode, 200, res.body)
  }
}

/** A demo request: makes a fitting lead a hot MQL, ready for handoff. */
export function demoRequest(id: string, email: string, at: string, first = 'Dana', last = 'Reyes') {
  return {
    id,
    type: 'form_submit',
    occurred_at: at,
    person: { email, title: 'CISO', first_name: first, last_name: last },
    properties: { form: 'demo_request' },
    context: { source: 'linkedin', medium: 'paid_social', campaign: 'q4-compliance' },
  }
}
