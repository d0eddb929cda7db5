import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { proposeAgreement, signAgreement } from '../../src/agreement/agreement-versions.ts'
import { parseAgreement } from '../../src/core/agreement/index.ts'
import { loadDemo } from '../../src/demo/load-demo.ts'
import { replayAgreement } from '../../src/leads/replay-agreement.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

const NOW = Date.parse('2026-11-22T00:00:00Z')
const source = readFileSync('accord.example.yaml', 'utf8')

function agreementFrom(text: string) {
  const parsed = parseAgreement(text)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.agreement
}

describe('what-if replay over stored history', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp({ now: () => NOW })
    const { version } = await proposeAgreement(t.ctx, t.workspaceId, { source, proposedBy: 'test' })
    await signAgreement(t.ctx, t.workspaceId, { ref: String(version.id), side: 'marketing', signer: 'm' })
    await signAgreement(t.ctx, t.workspaceId, { ref: String(version.id), side: 'sales', signer: 's' })
    await loadDemo(t.ctx, t.workspaceId, { seed: 7, accounts: 120, repIds: ['ana_ruiz', 'ben_cho'] })
  })
  after(() => t.close())

  test('replaying the active Agreement reproduces exactly the MQLs the live engine decided (one engine)', async () => {
    const report = await replayAgreement(t.ctx, t.workspaceId, {
      candidate: agreementFrom(source),
      from: 0,
      to: NOW + 1,
    })
    assert.equal(report.gained.count, 0)
    assert.equal(report.lost.count, 0)
    const live = await t.ctx.db
      .selectFrom('stage_transition')
      .select(({ fn }) => fn.count<number>('lead_id').distinct().as('n'))
      .where('workspace_id', '=', t.workspaceId)
      .where('to_stage', 'in', ['MQL', 'AQL'])
      .executeTakeFirstOrThrow()
    assert.ok(Number(live.n) > 0, 'the demo quarter produces qualified leads')
    assert.equal(report.qualified.active, Number(live.n))
    assert.equal(report.qualified.candidate, Number(live.n))
  })

  test('a stricter candidate loses leads, names them with reasons, and reports how they converted', async () => {
    const stricter = source.replace('fit >= 60 && (intent', 'fit >= 75 && (intent')
    const report = await replayAgreement(t.ctx, t.workspaceId, {
      candidate: agreementFrom(stricter),
      from: 0,
      to: NOW + 1,
    })
    assert.equal(report.gained.count, 0)
    assert.ok(report.lost.count > 0)
    assert.equal(report.qualified.active - report.lost.count, report.qualified.candidate)
    assert.ok(report.lost.examples.length > 0)
    assert.ok(report.lost.examples.every((e) => report.people_by_key[e.personKey]?.includes('@')))
    assert.ok(report.lost.examples[0]!.reasons.length > 0)
    assert.equal(report.conversion.lost.leads, report.lost.count)
    const weeks = report.mqlsPerWeek.reduce((s, w) => s + w.candidate, 0)
    assert.ok(weeks <= report.qualified.candidate)
  })

  test('the API replays a proposed version against the active one', async () => {
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements',
      headers: { ...t.auth('marketing'), 'content-type': 'application/yaml' },
      payload: source.replace('fit >= 60 && (intent', 'fit >= 50 && (intent'),
    })
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/agreements/${proposed.json().id}/replay`,
      headers: t.auth('marketing'),
      payload: { from: '2026-01-01' },
    })
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.ok(body.gained.count >= 0 && body.lost.count === 0, 'a looser threshold loses nobody')
    assert.equal(body.window.from, '2026-01-01T00:00:00.000Z')
  })
})
