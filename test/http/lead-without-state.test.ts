/**
 * Leads whose row holds no engine state (`state` `{}` or a fragment): the bench's large workspace and test seeds write
 * them straight into the tables. Their API answers still say what is known — stage, transitions, stored fit, owner —
 * and that the scores are not available, instead of failing.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { proposeAgreement, signAgreement } from '../../src/agreement/agreement-versions.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { seedAccount, seedLead } from '../helpers/seed-analytics.ts'

describe('a lead loaded without engine state, over HTTP', () => {
  let t: TestApp
  let seeded = 0
  let bulk = 0
  let versionId = 0
  let hash = ''
  before(async () => {
    t = await createTestApp({ now: () => Date.parse('2026-11-23T08:00:00Z') })
    const source = readFileSync('accord.example.yaml', 'utf8')
    const { version } = await proposeAgreement(t.ctx, t.workspaceId, { source, proposedBy: 'test' })
    await signAgreement(t.ctx, t.workspaceId, { ref: String(version.id), side: 'marketing', signer: 'Priya' })
    await signAgreement(t.ctx, t.workspaceId, { ref: String(version.id), side: 'sales', signer: 'Marcus' })
    versionId = version.id
    hash = version.hash
    const acme = await seedAccount(t.ctx.db, t.workspaceId, { domain: 'acme.com', name: 'Acme', employees: 450 })
    seeded = await seedLead(t.ctx.db, t.workspaceId, {
      email: 'lena@acme.com',
      account: acme,
      firstEventAt: '2026-10-05',
      stages: [
        ['MQL', '2026-10-06'],
        ['SAL', '2026-10-07'],
      ],
      tier: 'hot',
      owner: 'ana',
      fit: 72,
      matched: ['Target industry'],
    })
    // As bench/large-workspace.ts writes them: `{}` under the Agreement in force.
    bulk = await seedLead(t.ctx.db, t.workspaceId, {
      email: 'omar@acme.com',
      account: acme,
      firstEventAt: '2026-10-07',
    })
    await t.ctx.db
      .updateTable('lead')
      .set({ state: '{}', agreement_version_id: versionId, fit: 41, intent: 12.5 })
      .where('id', '=', bulk)
      .execute()
  })
  after(() => t.close())

  const get = async (url: string, role: 'marketing' | 'rep' = 'marketing') => {
    const res = await t.app.inject({ url, headers: t.auth(role) })
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`)
    return res.json()
  }

  test('the lead answers with its stage, transitions, stored fit and owner, and says its scores are not available', async () => {
    const lead = await get(`/v1/leads/${seeded}`)
    assert.equal(lead.stage, 'SAL')
    assert.equal(lead.tier, 'hot')
    assert.equal(lead.owner_rep_id, 'ana')
    assert.equal(lead.fit, 72)
    assert.deepEqual(
      lead.transitions.map((x: { from_stage: string; to_stage: string }) => `${x.from_stage}→${x.to_stage}`),
      ['Lead→MQL', 'MQL→SAL'],
    )
    assert.equal(lead.explanation, 'MQL → SAL', 'why this stage is the last transition’s sentence')
    assert.equal(lead.scores, null)
    assert.equal(lead.scores_unavailable, 'no_engine_state')
    assert.equal(lead.handoff, null, 'not known without the engine’s state')
    assert.equal(lead.person.persona, null)
    assert.deepEqual(lead.stages, [])
    assert.equal(lead.account.name, 'Acme')
    // The rep who owns it reads it too.
    assert.equal((await get(`/v1/leads/${seeded}`, 'rep')).id, seeded)
  })

  test('a `{}` state under the Agreement in force reads the same, with that version and its hash', async () => {
    const lead = await get(`/v1/leads/${encodeURIComponent('omar@acme.com')}`)
    assert.equal(lead.id, bulk)
    assert.equal(lead.stage, 'Lead')
    assert.deepEqual(lead.agreement, { version_id: versionId, hash })
    assert.deepEqual([lead.fit, lead.intent], [41, 12.5])
    assert.equal(lead.scores, null)
    assert.equal(lead.scores_unavailable, 'no_engine_state')
    assert.equal(lead.explanation, null, 'no transition, no sentence')
    assert.deepEqual(lead.transitions, [])
  })

  test('its handoff brief is built from the stored fit', async () => {
    const { brief, text } = await get(`/v1/leads/${seeded}/brief`)
    assert.ok(brief, 'a brief')
    assert.match(text, /fit 72 · intent 0 · tier hot/)
  })
})
