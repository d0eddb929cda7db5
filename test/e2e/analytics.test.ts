/**
 * The analytics pages in a real browser, with the browser tests' shared set-up (test/helpers/e2e.ts: Debian's
 * Chromium driven by playwright-core against the real server on a port, a fresh test database, the web bundle built
 * for this run) over a seeded workspace (test/helpers/seed-analytics.ts). The server's clock is fixed at Monday 23 November 2026 08:00 UTC and the
 * browser's clock is installed at the same instant, so "this quarter" is 2026-Q4 on both sides.
 *
 * It logs in and reads the scoreboard's numbers against the API's, changes period and breakdown through the URL's
 * controls, narrows it to one segment from a breakdown table and back, opens a drift alert's amendment in the Agreement editor, reads the locked attribution model beside its
 * alternatives, generates, views and downloads a review pack, reads a lead seeded without scoring state, and checks
 * roles and the nav. Screenshots at 1280 px
 * and 390 px go to test-results/screenshots/. Skips, saying why, where /usr/bin/chromium is absent.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { chromiumSkipReason } from '../helpers/chromium.ts'
import { type E2e, ROLE_KEYS, startE2e } from '../helpers/e2e.ts'
import {
  seedAccount,
  seedDisposition,
  seedLead,
  seedOpportunity,
  seedSlaClock,
  seedTouch,
} from '../helpers/seed-analytics.ts'

const NOW = Date.parse('2026-11-23T08:00:00Z')
const HOSTILE = '<img src=x onerror="window.__pwned=1">spring'

const skip = chromiumSkipReason()

type Key = 'marketing' | 'sales' | 'rep'

describe('the analytics pages in Chromium', { skip }, () => {
  let e2e: E2e<Key>
  let leadId = 0

  const apiGet = (url: string) => e2e.inject('marketing', 'GET', url)

  before(async () => {
    e2e = await startE2e({
      slug: 'e2e-analytics',
      clock: () => NOW,
      keys: { marketing: ROLE_KEYS.marketing, sales: ROLE_KEYS.sales, rep: ROLE_KEYS.rep },
      agreement: readFileSync('accord.example.yaml', 'utf8'),
    })
    const db = e2e.ctx.db
    const w = e2e.workspaceId
    const versionId = e2e.agreementVersionId!
    const acme = await seedAccount(db, w, { domain: 'acme.com', name: 'Acme', segment: 'mid_market', employees: 450 })
    const globex = await seedAccount(db, w, { domain: 'globex.io', name: 'Globex', segment: 'smb', employees: 120 })
    const tiny = await seedAccount(db, w, { domain: 'tiny.shop', name: 'Tiny', segment: 'smb', employees: 30 })
    // Q4 leads through the funnel, from three sources; one campaign name is markup that must stay text.
    leadId = await seedLead(db, w, {
      email: 'lena@acme.com',
      account: acme,
      firstEventAt: '2026-10-05',
      stages: [
        ['MQL', '2026-10-06'],
        ['SAL', '2026-10-07'],
        ['SQL', '2026-10-10'],
      ],
      source: 'google',
      medium: 'cpc',
      campaign: 'q4-search',
      tier: 'hot',
      owner: 'ana_ruiz',
      fit: 72,
    })
    const l2 = await seedLead(db, w, {
      email: 'omar@acme.com',
      account: acme,
      firstEventAt: '2026-10-07',
      stages: [['MQL', '2026-10-08']],
      source: 'google',
      medium: 'cpc',
      campaign: 'q4-search',
      tier: 'warm',
      owner: 'diego_santos',
    })
    const l3 = await seedLead(db, w, {
      email: 'kim@globex.io',
      account: globex,
      firstEventAt: '2026-10-09',
      stages: [
        ['MQL', '2026-10-12'],
        ['SAL', '2026-10-13'],
      ],
      source: 'linkedin',
      medium: 'paid_social',
      campaign: HOSTILE,
      tier: 'hot',
      owner: 'felix_braun',
    })
    for (const [i, day] of ['2026-10-14', '2026-10-20', '2026-11-02', '2026-11-10'].entries())
      await seedLead(db, w, {
        email: `visitor${i}@globex.io`,
        account: globex,
        firstEventAt: day,
        source: 'webinar',
        medium: 'event',
        campaign: 'w1',
      })
    // Opportunities: Q4 opens 350k (100k won, 50k lost, 200k open); a Q3 deal makes "last quarter" differ.
    await seedOpportunity(db, w, {
      id: 'O1',
      account: acme,
      amount: 100_000,
      openedAt: '2026-10-10',
      closedAt: '2026-11-09',
      won: true,
      owner: 'ana_ruiz',
      source: 'google',
    })
    await seedOpportunity(db, w, {
      id: 'O2',
      account: globex,
      amount: 50_000,
      openedAt: '2026-10-03',
      closedAt: '2026-10-23',
      won: false,
      owner: 'diego_santos',
      source: 'webinar',
    })
    await seedOpportunity(db, w, {
      id: 'O3',
      account: acme,
      amount: 200_000,
      openedAt: '2026-11-01',
      owner: 'ana_ruiz',
    })
    await seedOpportunity(db, w, {
      id: 'O4',
      account: globex,
      amount: 40_000,
      openedAt: '2026-08-03',
      closedAt: '2026-09-20',
      won: true,
      owner: 'diego_santos',
      source: 'webinar',
    })
    const touches: [string, number, string, string, string, string?][] = [
      ['t1', acme, '2026-09-20', 'google', 'cpc', 'q4-search'],
      ['t2', acme, '2026-10-08', 'linkedin', 'paid_social', 'abm'],
      ['t3', acme, '2026-11-05', 'newsletter', 'email'],
      ['t4', globex, '2026-09-25', 'webinar', 'event', 'w0'],
      ['t5', globex, '2026-07-20', 'google', 'cpc', 'q3-search'],
    ]
    for (const [id, account, at, source, medium, campaign] of touches)
      await seedTouch(db, w, { id, account, at, source, medium, campaign })
    // Handoffs: met in 30 business minutes, breached untouched, met late after 2 business hours.
    await seedSlaClock(db, w, {
      lead: leadId,
      rep: 'ana_ruiz',
      agreementVersionId: versionId,
      startedAt: '2026-10-06T14:00:00Z',
      dueAt: '2026-10-06T15:00:00Z',
      status: 'met',
      metAt: '2026-10-06T14:30:00Z',
      consumedMs: 30 * 60_000,
    })
    await seedSlaClock(db, w, {
      lead: l2,
      rep: 'diego_santos',
      agreementVersionId: versionId,
      startedAt: '2026-10-08T14:00:00Z',
      dueAt: '2026-10-08T18:00:00Z',
      status: 'breached',
      breachedAt: '2026-10-08T18:00:00Z',
    })
    await seedSlaClock(db, w, {
      lead: l3,
      rep: 'felix_braun',
      agreementVersionId: versionId,
      startedAt: '2026-10-12T09:00:00Z',
      dueAt: '2026-10-12T10:00:00Z',
      status: 'met',
      metAt: '2026-10-12T11:00:00Z',
      late: true,
      consumedMs: 2 * 3_600_000,
    })
    // Drift: leads from accounts under 50 people were rarely rejected before and mostly rejected lately.
    for (let i = 0; i < 60; i++) {
      const recent = i < 30
      const lead = await seedLead(db, w, {
        email: `p${i}@tiny.shop`,
        account: tiny,
        firstEventAt: '2026-07-01',
        source: 'ads',
        campaign: 'smb-promo',
      })
      const rejected = recent ? i < 24 : i % 10 === 0
      await seedDisposition(db, w, {
        lead,
        outcome: rejected ? 'reject' : 'accept',
        reason: rejected ? 'too_small' : 'good_fit',
        at: recent
          ? `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T12:00:00Z`
          : `2026-09-${String(1 + (i % 25)).padStart(2, '0')}T12:00:00Z`,
      })
    }
    await seedDisposition(db, w, { lead: leadId, outcome: 'accept', reason: 'good_fit', at: '2026-10-06T15:00:00Z' })
    await seedDisposition(db, w, { lead: l2, outcome: 'recycle', reason: 'not_now', at: '2026-10-09T12:00:00Z' })
  })

  after(() => e2e?.close())

  /** A 1280 px browser at NOW, logged in with the key. */
  const newPage = (key: Key = 'marketing') => e2e.newPage({ now: NOW, key, acceptDownloads: true })
  const ready = (page: Page, name: string) => e2e.ready(page, name)

  const kpi = async (page: Page, id: string) => {
    const el = page.getByTestId(`kpi-${id}`)
    const raw = await el.getAttribute('data-value')
    return { value: raw === '' || raw === null ? null : Number(raw), text: await el.locator('.kpi-value').innerText() }
  }

  test('logging in opens the scoreboard, whose numbers are the API’s', async () => {
    const { context, page } = await e2e.newPage({ now: NOW })
    await e2e.logIn(page, 'marketing', '/', 'scoreboard')
    assert.equal(new URL(page.url()).pathname, '/scoreboard', 'the scoreboard is the landing page')
    assert.equal(await page.locator('h1').innerText(), 'Scoreboard')

    const api = await apiGet('/v1/metrics/scoreboard?period=2026-Q4&by=source')
    const o = api.opportunities
    assert.deepEqual(await kpi(page, 'pipeline'), { value: o.created.amount, text: '$350,000' })
    assert.deepEqual(await kpi(page, 'bookings'), { value: o.won.amount, text: '$100,000' })
    assert.deepEqual(await kpi(page, 'win-rate'), { value: o.winRate, text: '50%' })
    assert.equal((await kpi(page, 'deal-size')).value, o.avgDealSize)
    assert.equal((await kpi(page, 'cycle')).value, o.cycleDays.median)
    assert.equal((await kpi(page, 'velocity')).value, o.velocity.perDay)
    assert.deepEqual(await kpi(page, 'speed'), { value: api.speedToLead.overall.businessHours.median, text: '1.3 h' })
    assert.deepEqual(await kpi(page, 'sla'), { value: api.sla.overall.compliance, text: '33.3%' })

    const pipelineTarget = api.targets.lines.find((l: { metric: string }) => l.metric === 'pipeline')
    assert.equal(pipelineTarget.actual, 350_000)
    assert.match(await page.locator('[data-metric="pipeline"]').innerText(), /\$350,000\s+of \$3,000,000/)
    const funnelRows = await page.getByTestId('funnel-table').locator('tbody tr').allInnerTexts()
    assert.deepEqual(
      funnelRows.map((r) => r.split('\t').slice(0, 2)),
      api.funnel.overall.stages.map((s: { stage: string; entered: number }) => [s.stage, String(s.entered)]),
    )
    const bySource = await page.getByTestId('conversion-by-table').innerText()
    for (const source of ['google', 'linkedin', 'webinar']) assert.match(bySource, new RegExp(source))
    // A campaign named like markup is shown as its text.
    assert.match(await page.getByTestId('conversion-by-campaign-table').innerText(), /<img src=x/)
    assert.equal(await page.locator('main img').count(), 0)
    assert.equal(await page.evaluate('window.__pwned'), undefined)
    assert.match(await page.getByTestId('sla-table').innerText(), /Team\s+SDR — EMEA/)
    await page.waitForSelector('#funnel canvas')
    await e2e.shoot(page, 'scoreboard', 'scoreboard', '#funnel canvas')
    await context.close()
  })

  test('period and breakdown live in the URL; the keyboard changes them', async () => {
    const { context, page } = await newPage()
    await page.goto(`${e2e.base}/scoreboard`)
    await ready(page, 'scoreboard')
    const breakdown = page.getByLabel('Break down by')
    await breakdown.focus()
    await page.keyboard.press('ArrowDown') // source → medium
    await page.waitForURL(/by=medium/)
    await ready(page, 'scoreboard')
    assert.match(await page.getByTestId('conversion-by-table').innerText(), /Medium[\s\S]*paid_social/)
    await breakdown.selectOption('team')
    await page.waitForURL(/by=team/)
    await ready(page, 'scoreboard')
    assert.match(await page.getByTestId('conversion-by-table').innerText(), /SDR — North America East/)

    await page.getByLabel('Period', { exact: true }).selectOption('last_quarter')
    await page.waitForURL(/period=2026-Q3/)
    await page.getByTestId('kpi-pipeline').filter({ hasText: '$40,000' }).waitFor()
    const q3 = await apiGet('/v1/metrics/scoreboard?period=2026-Q3&by=team')
    assert.deepEqual(await kpi(page, 'pipeline'), { value: q3.opportunities.created.amount, text: '$40,000' })

    // A shared URL opens the same view; a custom range reads back inclusive.
    await page.goto(`${e2e.base}/scoreboard?period=2026-10-01..2026-11-01&by=tier`)
    await ready(page, 'scoreboard')
    assert.equal(await page.getByLabel('Period', { exact: true }).inputValue(), 'custom')
    assert.equal(await page.getByLabel('From').inputValue(), '2026-10-01')
    assert.equal(await page.getByLabel('To (inclusive)').inputValue(), '2026-10-31')
    const october = await apiGet('/v1/metrics/scoreboard?period=2026-10-01..2026-11-01&by=tier')
    assert.equal((await kpi(page, 'pipeline')).value, october.opportunities.created.amount)
    await page.getByLabel('To (inclusive)').fill('2026-11-30')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.waitForURL(/period=2026-10-01\.\.2026-12-01/)
    await context.close()
  })

  test('a value in a breakdown table narrows the whole scoreboard to it; its chip widens it again', async () => {
    const { context, page } = await newPage()
    await page.goto(`${e2e.base}/scoreboard?period=2026-Q4&by=segment`)
    await ready(page, 'scoreboard')
    await page.getByTestId('conversion-by-table').getByRole('button', { name: 'mid_market' }).click()
    await page.waitForURL(/segment=mid_market/)
    await ready(page, 'scoreboard')

    const narrowed = await apiGet('/v1/metrics/scoreboard?period=2026-Q4&by=segment&segment=mid_market')
    assert.deepEqual(narrowed.filter, { segment: 'mid_market' })
    assert.deepEqual(await kpi(page, 'pipeline'), { value: narrowed.opportunities.created.amount, text: '$300,000' })
    assert.equal((await kpi(page, 'sla')).value, narrowed.sla.overall.compliance)
    const funnelRows = await page.getByTestId('funnel-table').locator('tbody tr').allInnerTexts()
    assert.deepEqual(
      funnelRows.map((r) => r.split('\t').slice(0, 2)),
      narrowed.funnel.overall.stages.map((s: { stage: string; entered: number }) => [s.stage, String(s.entered)]),
    )
    assert.match(await page.getByTestId('scoreboard-filters').innerText(), /Segment: mid_market/)
    assert.match(await page.locator('#targets').innerText(), /company-wide/)

    // Break the narrowed view down by source: only Acme's source is left, and the filter stays.
    await page.getByLabel('Break down by').selectOption('source') // the default: it leaves the URL
    await page.waitForURL((url) => !url.searchParams.has('by'))
    await ready(page, 'scoreboard')
    assert.match(page.url(), /segment=mid_market/)
    const bySource = await page.getByTestId('conversion-by-table').innerText()
    assert.match(bySource, /google/)
    assert.doesNotMatch(bySource, /linkedin|webinar/)
    await e2e.shoot(page, 'scoreboard-filtered', 'scoreboard', '#funnel canvas')

    await page.getByRole('button', { name: 'Remove the filter Segment = mid_market' }).click()
    await page.waitForURL((url) => !url.searchParams.has('segment'))
    await ready(page, 'scoreboard')
    assert.equal(await page.getByTestId('scoreboard-filters').count(), 0)
    assert.match(await page.locator('[data-metric="pipeline"]').innerText(), /\$350,000\s+of \$3,000,000/)
    await context.close()
  })

  test('the feedback page shows the drift alert with its evidence and amendment, and proposes it', async () => {
    const { context, page } = await newPage()
    await page.goto(`${e2e.base}/feedback`)
    await ready(page, 'feedback')
    const alert = page.getByTestId('drift-alert').filter({ hasText: 'employees_band = <50' })
    await alert.waitFor()
    const evidence = await alert.getByTestId('drift-evidence').innerText()
    assert.match(evidence, /24 of 30 · 80%/)
    assert.match(evidence, /3 of 30 · 10%/)
    assert.match(evidence, /too_small \(24\)/)
    const amendment = await alert.getByTestId('amendment').innerText()
    assert.match(amendment, /Add disqualifier/)
    assert.match(amendment, /account\.employees < 50/)
    const weeks = await apiGet('/v1/feedback/reasons?period=2026-Q4&by=week')
    assert.equal(await page.getByTestId('reasons-weekly').locator('tbody tr').count(), weeks.rows.length)
    assert.match(await page.getByTestId('reasons-by').innerText(), /ads[\s\S]*too_small 24/)
    await e2e.shoot(page, 'feedback', 'feedback', '#reasons-over-time canvas')

    await alert.getByRole('link', { name: /Propose it in the Agreement editor/ }).click()
    await ready(page, 'agreement-propose')
    assert.match(await page.getByTestId('suggested-amendment').innerText(), /account\.employees < 50/)
    await context.close()
  })

  test('the attribution page shows the locked model and the alternatives beside it', async () => {
    const { context, page } = await newPage()
    await page.goto(`${e2e.base}/attribution`)
    await ready(page, 'attribution')
    const locked = page.locator('#locked-model')
    assert.match(await locked.locator('.card-head').innerText(), /locked model: W-shaped[\s\S]*locked from 2026-10-01/)
    const api = await apiGet('/v1/attribution?period=2026-Q4&by=channel&model=first,last,linear')
    const lockedRows = await page.getByTestId('locked-table').locator('tbody tr').allInnerTexts()
    assert.deepEqual(
      lockedRows.map((r) => r.split('\t')[0]),
      api.locked.result.channels.map((c: { channel: string }) => c.channel),
    )
    const head = await page.getByTestId('alternatives').locator('thead').innerText()
    assert.match(
      head,
      /W-shaped\s+locked[\s\S]*First touch\s+alternative[\s\S]*Last touch\s+alternative[\s\S]*Linear\s+alternative/,
    )
    await page.getByLabel('Markov (removal effect)').check()
    await page.waitForURL(/models=first%2Clast%2Clinear%2Cmarkov|models=first,last,linear,markov/)
    await ready(page, 'attribution')
    assert.match(
      await page.getByTestId('alternatives').locator('thead').innerText(),
      /Markov \(removal effect\)\s+alternative/,
    )
    const pipeline = await page.getByTestId('pipeline-by-channel').innerText()
    // cpc touched Acme before O1 and O3 and Globex before O2: it sourced all three (350k).
    const cpc = api.pipeline.byChannel.find((r: { channel: string }) => r.channel === 'cpc')
    assert.equal(cpc.sourcedPipeline, 350_000)
    assert.match(pipeline, /cpc\s+\$350,000/)
    await page.waitForSelector('#sourced-influenced canvas')
    await e2e.shoot(page, 'attribution', 'attribution', '#sourced-influenced canvas')
    await context.close()
  })

  test('the reviews page generates a pack, shows it sandboxed and downloads it', async () => {
    const { context, page } = await newPage('sales')
    await page.goto(`${e2e.base}/reviews`)
    await ready(page, 'reviews')
    assert.match(await page.locator('main').innerText(), /No review packs yet/)
    await page.getByLabel('Pack', { exact: true }).selectOption('weekly')
    await page.getByRole('button', { name: 'Generate now' }).click()
    await ready(page, 'review')
    assert.match(new URL(page.url()).pathname, /^\/reviews\/\d+$/)
    assert.equal(await page.locator('h1').innerText(), 'Weekly pipeline review 2026-W47')
    const frame = page.getByTestId('review-frame')
    assert.equal(await frame.getAttribute('sandbox'), '')
    await page.frameLocator('[data-testid="review-frame"]').locator('h1').filter({ hasText: '2026-W47' }).waitFor()
    assert.equal(
      await page.locator('nav[aria-label="Main"] [aria-current="page"]').innerText(),
      'Reviews',
      'a pack lights Reviews in the nav',
    )
    await e2e.shoot(page, 'review')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-markdown').click()])
    assert.equal(download.suggestedFilename(), 'weekly_pipeline-2026-W47.md')
    const file = await download.path()
    assert.match(readFileSync(file, 'utf8'), /^# Weekly pipeline review 2026-W47/)

    await page.getByRole('tab', { name: 'Markdown' }).click()
    await page.waitForURL(/view=markdown/)
    assert.match(await page.getByTestId('review-markdown').innerText(), /^# Weekly pipeline review 2026-W47/)

    await page.getByRole('link', { name: 'Reviews', exact: true }).first().click()
    await ready(page, 'reviews')
    assert.equal(await page.getByTestId('review-list').locator('tbody tr').count(), 1)
    await e2e.shoot(page, 'reviews', 'reviews')
    await context.close()
  })

  test('a lead seeded without scoring state shows what is known and lights Leads in the nav; a rep sees none of the leadership pages', async () => {
    const { context, page } = await newPage()
    // Seeded rows store no engine state (as the bench's large workspace): the page shows the stage, transitions,
    // stored fit and owner, and says the scores are not available.
    await page.goto(`${e2e.base}/leads/${leadId}`)
    await ready(page, 'lead')
    assert.equal(await page.locator('nav[aria-label="Main"] [aria-current="page"]').innerText(), 'Leads')
    assert.equal(await page.locator('h1').innerText(), 'lena@acme.com')
    assert.equal(await page.getByTestId('lead-explanation').locator('p').innerText(), 'SAL → SQL')
    const facts = await page.locator('.lead-facts').innerText()
    assert.match(facts, /Stage\s+SQL/)
    assert.match(facts, /Owner\s+Ana Ruiz/)
    assert.match(facts, /Handoff\s+unknown/)
    assert.match(await page.getByTestId('scores-unavailable').innerText(), /^Scores are not available/)
    assert.match(await page.locator('#lead-scores').innerText(), /Fit \(stored\)\s+72/)
    assert.equal(await page.locator('.lead-transitions > li').count(), 3)
    assert.equal(await page.locator('#lead-fit').count(), 0, 'no fit parts to show')
    // The brief (built from the stored fit) and the routing trace of its seeded assignment load too.
    await page.locator('[data-slot="lead-brief"] summary').waitFor()
    await page.locator('[data-slot="lead-assignment"] summary').waitFor()
    assert.match((await page.locator('[data-slot="lead-brief"] pre').textContent()) ?? '', /fit 72/)
    assert.equal(await page.locator('main [role="alert"]').count(), 0)
    await e2e.shoot(page, 'lead-unscored', 'lead')
    await context.close()

    const rep = await newPage('rep')
    await rep.page.goto(`${e2e.base}/`)
    await rep.page.waitForURL(/\/leads$/)
    const nav = await rep.page.locator('nav[aria-label="Main"]').innerText()
    for (const page of ['Scoreboard', 'Feedback', 'Attribution', 'Reviews']) assert.ok(!nav.includes(page), nav)
    await rep.page.goto(`${e2e.base}/scoreboard`)
    assert.match(await rep.page.locator('main').innerText(), /Not available to your role/)
    await rep.context.close()
  })

  test('no page logged an error or broke the content security policy', () => {
    assert.deepEqual(e2e.problems, [])
  })
})
