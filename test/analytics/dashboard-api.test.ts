/**
 * What the dashboard's analytics pages need from the API beyond the numbers themselves: rejection and recycle
 * reasons over time (`by=week` / `by=month`), a breakdown the API does not know refused naming it, and review packs
 * that download as files and render sandboxed.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { seedAccount, seedDisposition, seedLead } from '../helpers/seed-analytics.ts'

/**
 * "Now" is Monday 23 November 2026. Dispositions in Q4:
 *   W44 (26 Oct – 1 Nov): 1 accepted, 1 rejected too_small
 *   W46 (9 – 15 Nov):     1 rejected too_small, 1 rejected no_budget, 1 recycled not_now
 */
describe('the analytics API for the dashboard pages', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp({ now: () => Date.parse('2026-11-23T08:00:00Z') })
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
    const acme = await seedAccount(db, ws, { domain: 'acme.example', employees: 30 })
    const dispositions: [string, 'accept' | 'reject' | 'recycle', string][] = [
      ['2026-10-27T10:00:00Z', 'accept', 'good_fit'],
      ['2026-10-29T10:00:00Z', 'reject', 'too_small'],
      ['2026-11-09T10:00:00Z', 'reject', 'too_small'],
      ['2026-11-11T10:00:00Z', 'reject', 'no_budget'],
      ['2026-11-15T22:00:00Z', 'recycle', 'not_now'],
    ]
    for (const [i, [at, outcome, reason]] of dispositions.entries()) {
      const lead = await seedLead(db, ws, {
        email: `p${i}@acme.example`,
        account: acme,
        firstEventAt: '2026-10-01',
        source: 'google',
      })
      await seedDisposition(db, ws, { lead, outcome, reason, at })
    }
  })
  after(() => t.close())

  const get = async (url: string) => {
    const res = await t.app.inject({ url, headers: t.auth('marketing') })
    assert.equal(res.statusCode, 200, res.body)
    return res
  }

  type Row = {
    key: Record<string, string | null>
    total: number
    rejected: number
    recycled: number
    reasons: { outcome: string; reasonCode: string; count: number }[]
  }

  test('reasons by week: one row per ISO week with its rejections and recycles and their reasons', async () => {
    const r = (await get('/v1/feedback/reasons?period=2026-Q4&by=week')).json()
    const rows = (r.rows as Row[]).sort((a, b) => String(a.key.week).localeCompare(String(b.key.week)))
    assert.deepEqual(
      rows.map((x) => [x.key.week, x.total, x.rejected, x.recycled]),
      [
        ['2026-W44', 2, 1, 0],
        ['2026-W46', 3, 2, 1],
      ],
    )
    assert.deepEqual(rows[1]!.reasons.map((x) => [x.outcome, x.reasonCode, x.count]).sort(), [
      ['recycled', 'not_now', 1],
      ['rejected', 'no_budget', 1],
      ['rejected', 'too_small', 1],
    ])
  })

  test('reasons by month and source together', async () => {
    const r = (await get('/v1/feedback/reasons?period=2026-Q4&by=month,source')).json()
    const rows = (r.rows as Row[]).map((x) => [x.key.month, x.key.source, x.total]).sort()
    assert.deepEqual(rows, [
      ['2026-10', 'google', 2],
      ['2026-11', 'google', 3],
    ])
  })

  test('a breakdown the reasons do not have is refused, naming it', async () => {
    const res = await t.app.inject({ url: '/v1/feedback/reasons?by=source,colour', headers: t.auth('marketing') })
    assert.equal(res.statusCode, 422)
    assert.equal(res.json().error.issues[0].path, 'by[1]')
    assert.match(res.json().error.issues[0].message, /week, month/)
    const icp = await get('/v1/feedback/reasons?by=icp:Target%20industry')
    assert.equal(icp.json().rows[0].key['icp:Target industry'], 'not_matched')
  })

  test('a review pack downloads as Markdown or HTML, and its page runs sandboxed', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/reviews',
      headers: t.auth('marketing'),
      payload: { kind: 'weekly' },
    })
    assert.equal(created.statusCode, 201, created.body)
    const { id } = created.json()
    const md = await get(`/v1/reviews/${id}?format=markdown&download=true`)
    assert.equal(md.headers['content-disposition'], 'attachment; filename="weekly_pipeline-2026-W47.md"')
    assert.match(md.body, /^# Weekly pipeline review 2026-W47/)
    const html = await get(`/v1/reviews/${id}?format=html&download=true`)
    assert.equal(html.headers['content-disposition'], 'attachment; filename="weekly_pipeline-2026-W47.html"')
    const page = await get(`/v1/reviews/${id}?format=html`)
    assert.equal(page.headers['content-disposition'], undefined, 'viewing is not downloading')
    assert.match(page.headers['content-security-policy'] as string, /default-src 'none'.*sandbox/)
    assert.equal(page.headers['x-content-type-options'], 'nosniff')
    const bad = await t.app.inject({ url: `/v1/reviews/${id}?format=html&download=maybe`, headers: t.auth() })
    assert.equal(bad.statusCode, 422)
  })
})
