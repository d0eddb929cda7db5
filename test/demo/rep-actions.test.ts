import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { proposeAgreement, signAgreement } from '../../src/agreement/agreement-versions.ts'
import type { Ctx } from '../../src/context.ts'
import { parseAgreement } from '../../src/core/agreement/index.ts'
import { type DemoSummary, loadDemo } from '../../src/demo/load-demo.ts'
import { createWorkspace } from '../../src/workspace/create-workspace.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

const NOW = Date.parse('2026-11-22T00:00:00Z')
const source = readFileSync('accord.example.yaml', 'utf8')
const parsed = parseAgreement(source)
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
const agreement = parsed.agreement
const repIds = agreement.reps.filter((r) => r.active !== false).map((r) => r.id)

async function demoWorkspace(ctx: Ctx, workspaceId: number, seed: number): Promise<DemoSummary> {
  const { version } = await proposeAgreement(ctx, workspaceId, { source, proposedBy: 'test' })
  await signAgreement(ctx, workspaceId, { ref: String(version.id), side: 'marketing', signer: 'm' })
  await signAgreement(ctx, workspaceId, { ref: String(version.id), side: 'sales', signer: 's' })
  return loadDemo(ctx, workspaceId, { seed, accounts: 200, repIds })
}

type DispositionFact = {
  email: string
  outcome: string
  reason_code: string
  at: Date
  employees: number | null
  industry: string | null
  touched_at: Date | null
  assigned_at: Date
}

describe('the demo quarter with the reps’ touches and dispositions', () => {
  let t: TestApp
  let summary: DemoSummary
  let twinId: number
  before(async () => {
    t = await createTestApp({ now: () => NOW })
    summary = await demoWorkspace(t.ctx, t.workspaceId, 11)
    twinId = (await createWorkspace(t.ctx, { slug: 'twin', name: 'Same seed' })).id
    await demoWorkspace(t.ctx, twinId, 11)
  })
  after(() => t.close())

  const dispositionsOf = async (workspaceId: number) =>
    (
      await t.ctx.db
        .selectFrom('disposition as d')
        .innerJoin('lead as l', 'l.id', 'd.lead_id')
        .innerJoin('person as p', 'p.id', 'l.person_id')
        .leftJoin('account as a', 'a.id', 'l.account_id')
        .innerJoin('assignment as s', (j) => j.onRef('s.lead_id', '=', 'd.lead_id'))
        .leftJoin('lead_activity as f', (j) => j.onRef('f.lead_id', '=', 'd.lead_id').on('f.kind', '=', 'first_touch'))
        .select([
          'p.email',
          'd.outcome',
          'd.reason_code',
          'd.at',
          'a.employees',
          'a.industry',
          'f.at as touched_at',
          's.assigned_at',
        ])
        .where('d.workspace_id', '=', workspaceId)
        .orderBy('p.email')
        .execute()
    ).map((r) => ({ ...r, email: r.email ?? '' })) as DispositionFact[]

  test('enrichment signals reach the ICP: some MQLs owe part of their fit to a situational criterion', async () => {
    assert.ok(summary.accountSignals > 0)
    const rows = await t.ctx.db
      .selectFrom('stage_transition')
      .select('explanation')
      .where('workspace_id', '=', t.workspaceId)
      .where('to_stage', '=', 'MQL')
      .execute()
    const situational = rows.filter((r) =>
      /Audit or compliance deadline announced|Hiring surge in security or compliance|Raised a round recently/.test(
        r.explanation ?? '',
      ),
    )
    assert.ok(situational.length > 0, `${situational.length} of ${rows.length} MQLs`)
  })

  test('handoffs are spread over the quarter, not stamped at load time', async () => {
    const rows = await t.ctx.db
      .selectFrom('assignment')
      .select('assigned_at')
      .where('workspace_id', '=', t.workspaceId)
      .execute()
    assert.ok(rows.length >= 10, `expected handoffs, got ${rows.length}`)
    const early = rows.filter((r) => r.assigned_at.getTime() < NOW - 30 * 86_400_000)
    assert.ok(early.length > rows.length / 3, `${early.length} of ${rows.length} handoffs older than 30 days`)
  })

  test('first touches are mostly within the SLA but not all, and never before the handoff', async () => {
    const clocks = await t.ctx.db
      .selectFrom('sla_clock as c')
      .innerJoin('assignment as a', 'a.id', 'c.assignment_id')
      .leftJoin('lead_activity as f', (j) => j.onRef('f.lead_id', '=', 'c.lead_id').on('f.kind', '=', 'first_touch'))
      .select(['c.status', 'c.late', 'a.assigned_at', 'f.at as touched_at'])
      .where('c.workspace_id', '=', t.workspaceId)
      .execute()
    const met = clocks.filter((c) => c.status === 'met')
    const onTime = met.filter((c) => !c.late)
    assert.ok(met.length >= 10, `${met.length} clocks stopped by a first touch`)
    assert.ok(onTime.length > met.length / 2, `${onTime.length} of ${met.length} touches within the SLA`)
    assert.ok(onTime.length < met.length, 'some touches are late')
    for (const c of clocks)
      if (c.touched_at) assert.ok(c.touched_at.getTime() >= c.assigned_at.getTime(), 'touch after its handoff')
    assert.equal(summary.repActions?.touched, met.length)
  })

  test('every disposition uses a reason code from the Agreement’s lists', async () => {
    const rows = await dispositionsOf(t.workspaceId)
    assert.ok(rows.length >= 10, `${rows.length} dispositions`)
    for (const r of rows) {
      const list = agreement.dispositions[r.outcome as 'accept' | 'reject' | 'recycle']
      assert.ok(
        list.some((d) => d.code === r.reason_code),
        `${r.outcome} ${r.reason_code} is in the Agreement`,
      )
      assert.ok(r.at.getTime() <= NOW && r.at.getTime() >= r.assigned_at.getTime())
    }
    const outcomes = new Set(rows.map((r) => r.outcome))
    assert.ok(outcomes.has('accept') && outcomes.has('reject'), [...outcomes].join(', '))
  })

  test('rejection reasons follow the lead’s facts', async () => {
    const rows = await dispositionsOf(t.workspaceId)
    const targets = new Set(agreement.lists.target_industries ?? [])
    for (const r of rows) {
      if (r.reason_code === 'too_small') assert.ok((r.employees ?? 0) < 200, `${r.email}: ${r.employees} employees`)
      if (r.reason_code === 'wrong_industry') assert.ok(!targets.has(r.industry ?? ''), `${r.email}: ${r.industry}`)
      if (r.reason_code === 'no_response') assert.equal(r.touched_at, null, `${r.email} was never reached`)
      if (r.outcome === 'accept') assert.ok(r.touched_at !== null, `${r.email} was touched before being accepted`)
    }
    const rejected = rows.filter((r) => r.outcome === 'reject')
    assert.ok(new Set(rejected.map((r) => r.reason_code)).size >= 3, 'several distinct rejection reasons')
  })

  test('accepted leads move to SAL with the disposition as the reason', async () => {
    const sal = await t.ctx.db
      .selectFrom('stage_transition')
      .select(['to_stage', 'rule', 'actor'])
      .where('workspace_id', '=', t.workspaceId)
      .where('to_stage', '=', 'SAL')
      .execute()
    assert.ok(sal.length > 0)
    assert.ok(sal.every((s) => s.rule === 'disposition.accept' && s.actor?.startsWith('rep:')))
    assert.equal(sal.length, summary.repActions?.accepted)
  })

  test('the same seed gives the same touches and dispositions in another workspace', async () => {
    const strip = (rows: DispositionFact[]) =>
      rows.map((r) => [r.email, r.outcome, r.reason_code, r.at.toISOString(), r.touched_at?.toISOString() ?? null])
    assert.deepEqual(strip(await dispositionsOf(twinId)), strip(await dispositionsOf(t.workspaceId)))
  })
})
