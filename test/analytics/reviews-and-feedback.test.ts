import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { generateDueReviews, lastCompletedPeriod } from '../../src/analytics/generate-review.ts'
import { silentLogger } from '../../src/context.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { seedAccount, seedDisposition, seedLead, seedOpportunity } from '../helpers/seed-analytics.ts'

describe('review packs, drift and calibration over stored data', () => {
  let t: TestApp
  let now = Date.parse('2026-11-23T08:00:00Z')
  before(async () => {
    t = await createTestApp({ now: () => now })
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements',
      headers: { ...t.auth('marketing'), 'content-type': 'application/yaml' },
      payload: readFileSync('accord.example.yaml', 'utf8'),
    })
    const id = proposed.json().id
    await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('marketing') })
    await t.app.inject({ method: 'POST', url: `/v1/agreements/${id}/sign`, headers: t.auth('sales') })
    const { db } = t.ctx
    const ws = t.workspaceId
    // 60 closed deals: Healthcare wins 4 in 5, Retail 1 in 5 — calibration must find industry.
    const health = await seedAccount(db, ws, { domain: 'health.example', industry: 'Healthcare', employees: 500 })
    const retail = await seedAccount(db, ws, { domain: 'retail.example', industry: 'Retail', employees: 30 })
    for (let i = 0; i < 60; i++) {
      const healthcare = i % 2 === 0
      const won = healthcare ? i % 10 !== 0 : i % 10 === 1
      const day = String(1 + (i % 28)).padStart(2, '0')
      await seedOpportunity(db, ws, {
        id: `H${i}`,
        account: healthcare ? health : retail,
        amount: 1000 + i,
        openedAt: `2026-08-${day}`,
        closedAt: `2026-11-${String(1 + (i % 15)).padStart(2, '0')}`,
        won,
        owner: 'ana_ruiz',
        source: healthcare ? 'webinar' : 'ads',
      })
    }
    // Drift: leads from small accounts were rarely rejected in the baseline and mostly rejected lately.
    for (let i = 0; i < 60; i++) {
      const recent = i < 30
      const lead = await seedLead(db, ws, {
        email: `p${i}@retail.example`,
        account: retail,
        firstEventAt: '2026-07-01',
        source: 'ads',
      })
      const rejected = recent ? i < 24 : i % 10 === 0
      await seedDisposition(db, ws, {
        lead,
        outcome: rejected ? 'reject' : 'accept',
        reason: rejected ? 'too_small' : 'good_fit',
        at: recent
          ? `2026-11-${String(1 + (i % 20)).padStart(2, '0')}`
          : `2026-09-${String(1 + (i % 25)).padStart(2, '0')}`,
      })
    }
  })
  after(() => t.close())

  test('drift: the rejection rate of employees <50 rose from 10% to 80%, with the evidence and a proposed amendment', async () => {
    const res = await t.app.inject({ url: '/v1/feedback/drift?to=2026-11-23T00:00:00Z', headers: t.auth('marketing') })
    assert.equal(res.statusCode, 200, res.body)
    const alert = res.json().alerts.find((a: { dimension: string }) => a.dimension === 'employees_band')
    assert.ok(alert, res.body)
    assert.equal(alert.value, '<50')
    assert.deepEqual([alert.evidence.recent.hits, alert.evidence.recent.total], [24, 30])
    assert.deepEqual([alert.evidence.baseline.hits, alert.evidence.baseline.total], [3, 30])
    assert.equal(alert.dominantReason.code, 'too_small')
    assert.equal(alert.amendment.kind, 'add_disqualifier')
    assert.match(alert.amendment.yaml, /account\.employees < 50/)
  })

  test('calibration over the won/lost history finds industry and reports a hold-out AUC', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/icp/calibrate',
      headers: t.auth('sales'),
      payload: { seed: 1 },
    })
    assert.equal(res.statusCode, 200, res.body)
    const r = res.json()
    assert.equal(r.rows, 60)
    assert.equal(r.positives, 30)
    assert.ok(r.auc > 0.7, `auc ${r.auc}`)
    assert.ok(r.factors.some((f: { column: string }) => f.column === 'industry' || f.column === 'source'))
  })

  let weeklyId = 0
  test('POST /v1/reviews generates the weekly pack of the last completed week, stored and readable as HTML', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/reviews',
      headers: t.auth('sales'),
      payload: { kind: 'weekly' },
    })
    assert.equal(res.statusCode, 201, res.body)
    const pack = res.json()
    weeklyId = pack.id
    assert.equal(pack.period, '2026-W47')
    assert.match(pack.markdown, /^# Weekly pipeline review 2026-W47/)
    assert.ok(pack.pack.driftAlerts.some((a: { kind: string }) => a.kind === 'drift'))
    const html = await t.app.inject({ url: `/v1/reviews/${pack.id}?format=html`, headers: t.auth('marketing') })
    assert.equal(html.statusCode, 200)
    assert.match(html.headers['content-type'] as string, /text\/html/)
    assert.match(html.body, /<svg/)
    assert.doesNotMatch(html.body, /<script src=|<link rel="stylesheet" href=/)
  })

  test('regenerating a period replaces its pack; the next week compares with the stored one', async () => {
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/reviews',
      headers: t.auth('sales'),
      payload: { kind: 'weekly', period: '2026-W47' },
    })
    assert.equal(again.json().id, weeklyId)
    now = Date.parse('2026-11-30T08:00:00Z')
    const next = await t.app.inject({
      method: 'POST',
      url: '/v1/reviews',
      headers: t.auth('sales'),
      payload: { kind: 'weekly' },
    })
    assert.equal(next.json().period, '2026-W48')
    assert.deepEqual(next.json().pack.comparedWith.kind, 'pack')
    assert.equal(next.json().pack.comparedWith.label, '2026-W47')
    const list = await t.app.inject({ url: '/v1/reviews?kind=weekly_pipeline', headers: t.auth('sales') })
    assert.deepEqual(
      list.json().map((r: { period: string }) => r.period),
      ['2026-W48', '2026-W47'],
    )
  })

  test('a weekly review refuses a month as its period, naming it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/reviews',
      headers: t.auth('sales'),
      payload: { kind: 'weekly', period: '2026-11' },
    })
    assert.equal(res.statusCode, 422)
    assert.equal(res.json().error.issues[0].path, 'period')
  })

  test('scheduled generation on Monday 1 February makes the missing weekly, monthly and quarterly packs once', async () => {
    const at = Date.parse('2027-02-01T00:05:00Z')
    assert.equal(lastCompletedPeriod('quarterly', at).label, '2026-Q4')
    const ctx = { ...t.ctx, logger: silentLogger }
    const first = await generateDueReviews(ctx, at)
    assert.deepEqual(
      first.map((r) => [r.kind, r.period]),
      [
        ['weekly_pipeline', '2027-W04'],
        ['monthly_sla_health', '2027-01'],
        ['quarterly_icp', '2026-Q4'],
      ],
    )
    assert.deepEqual(await generateDueReviews(ctx, at + 60_000), [])
  })

  test('accord review writes the pack as .md and .html', async () => {
    const { registerReviewCommand } = await import('../../src/cli/review.command.ts')
    const { Command } = await import('commander')
    const out = mkdtempSync(join(tmpdir(), 'accord-review-'))
    const program = new Command().exitOverride()
    const written: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    registerReviewCommand(program, {
      config: t.ctx.config,
      logger: silentLogger,
      openCtx: async () => ({ ctx: t.ctx, close: async () => {} }) as never,
    })
    process.stdout.write = ((s: string) => {
      written.push(s)
      return true
    }) as never
    try {
      await program.parseAsync(['node', 'accord', 'review', 'monthly', '--period', '2026-11', '--out', out])
    } finally {
      process.stdout.write = write
    }
    assert.match(written.join(''), /Monthly SLA health check 2026-11/)
    assert.match(
      readFileSync(join(out, 'monthly_sla_health-2026-11.md'), 'utf8'),
      /^# Monthly SLA health check 2026-11/,
    )
    assert.match(readFileSync(join(out, 'monthly_sla_health-2026-11.html'), 'utf8'), /^<!doctype html>/i)
  })
})
