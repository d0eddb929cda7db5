/**
 * Settings in a real browser: Debian's Chromium driven by playwright-core against the real server (buildApp on a
 * port, a fresh test database, the web bundle built for this run), with the server's and the browser's clocks on
 * Monday 23 Nov 2026, 10:00 in New York. An admin opens Settings, reads the reps' live state, marks Ana out of
 * office and sees it in the reps table, the pools and in routing (the next demo request skips her and the trace says
 * why); reads a calendar and asks when something is due; adds a signed webhook endpoint, sees its secret once and
 * test-sends to a local sink. Ana, a rep, sees only her own availability. Screenshots at 1280 px and 390 px go to
 * test-results/screenshots/. Skips, saying why, where /usr/bin/chromium is absent.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { verifyWebhook } from '../../src/core/notify/index.ts'
import { type LocalHttpSink, startLocalHttpSink } from '../../src/notify/local-http-sink.ts'
import { chromiumSkipReason } from '../helpers/chromium.ts'
import { type E2e, startE2e } from '../helpers/e2e.ts'
import { demoRequest, handoffAgreement } from '../helpers/handoff.ts'

const skip = chromiumSkipReason()

/** Monday 23 Nov 2026, 10:00 in New York: na_east is working. */
const MONDAY_10_NY = Date.parse('2026-11-23T15:00:00Z')

describe('Settings in Chromium', { skip }, () => {
  let e2e: E2e<'admin' | 'ingest' | 'ana'>
  let sink: LocalHttpSink
  const now = MONDAY_10_NY
  const newPage = () => e2e.newPage({ now, timezoneId: 'Europe/London', locale: 'en-GB' })
  const ready = (page: Page, name: string) => e2e.ready(page, name)
  const text = async (page: Page, selector: string) => (await page.locator(selector).innerText()).replace(/\s+/g, ' ')

  async function demo(i: number) {
    const email = `buyer@clinic-${i}.com`
    await e2e.inject('ingest', 'POST', '/v1/events', {
      events: [demoRequest(`s-${i}`, email, new Date(now - 60_000).toISOString())],
    })
    return (await e2e.inject('admin', 'GET', `/v1/leads/${email}/assignment`)).current as {
      rep_id: string
      explanation: string[]
    }
  }

  before(async () => {
    sink = await startLocalHttpSink(() => ({ status: 200, body: 'ok' }))
    e2e = await startE2e({
      slug: 'e2e-settings',
      clock: () => now,
      keys: {
        admin: { name: 'admin', role: 'admin' },
        ingest: { name: 'ingest', role: 'ingest' },
        ana: { name: 'ana', role: 'rep', repId: 'ana_ruiz' },
      },
      agreement: handoffAgreement(),
    })
    await e2e.inject('ingest', 'POST', '/v1/accounts', {
      accounts: Array.from({ length: 6 }, (_, i) => ({
        domain: `clinic-${i}.com`,
        name: `Clinic ${i}`,
        industry: 'Healthcare',
        employees: 450,
        country: 'US',
        state: 'NY',
        technologies: ['AWS'],
        revenue: 50_000_000,
      })),
    })
    // A B A C through na_east (2:1:1): Ana twice, Ben and Chloe once.
    for (let i = 0; i < 4; i++) await demo(i)
  })

  after(async () => {
    await e2e?.close()
    await sink?.close()
  })

  test('an admin marks a rep out of office; the reps table, the pools and routing reflect it at once', async () => {
    const { context, page } = await newPage()
    await e2e.logIn(page, 'admin', '/settings', 'settings-reps')
    assert.equal(await page.locator('h1').innerText(), 'Reps & teams')
    const tabs = await page.getByRole('navigation', { name: 'Settings sections' }).innerText()
    for (const tab of ['Reps & teams', 'Calendars', 'Pools', 'Notifications', 'API keys', 'Users'])
      assert.ok(tabs.includes(tab), `the admin sees ${tab}`)
    const ana = page.locator('[data-testid="reps-table"] tr', { hasText: 'Ana Ruiz' })
    assert.match(
      (await ana.innerText()).replace(/\s+/g, ' '),
      /Available.*new_york.*closes 17:30.*na_east ×2.* 2 \/ 500/,
    )
    const omar = page.locator('[data-testid="reps-table"] tr', { hasText: 'Omar Diaz' })
    assert.match(await omar.innerText(), /out of office until Dec 31 \(Sabbatical\)/)
    await e2e.shoot(page, 'settings-reps', 'settings-reps')

    await page.getByRole('button', { name: 'Set the status of Ana Ruiz' }).click()
    await page.waitForURL(/[?&]rep=ana_ruiz/)
    const panel = page.getByTestId('rep-status')
    await panel.waitFor()
    const absence = page.getByRole('form', { name: 'Add an absence' })
    assert.equal(await absence.getByLabel('From').inputValue(), '2026-11-23', 'today in Ana’s zone')
    await absence.getByLabel('To', { exact: true }).fill('2026-11-24')
    await absence.getByLabel('Note').fill('Flu')
    await absence.getByRole('button', { name: 'Mark out of office' }).click()
    await page.getByRole('status').filter({ hasText: 'no new leads until it ends' }).waitFor()
    await ana.filter({ hasText: 'Out of office' }).waitFor()
    assert.match(await ana.innerText(), /out of office until Nov 24 \(Flu; set in rep status\)/)
    assert.match(await text(page, '[data-testid="ooo-list"]'), /23 Nov 2026 – 24 Nov 2026 — Flu set here/)
    assert.match(await panel.getByTestId('status-updated').innerText(), /admin:admin/)
    await e2e.shoot(page, 'settings-rep-status', 'settings-reps')

    // Routing reads the status in its transaction: the next lead skips Ana, and says why.
    const next = await demo(4)
    assert.notEqual(next.rep_id, 'ana_ruiz')
    assert.match(next.explanation.join('\n'), /Ana Ruiz skipped: out of office until Nov 24 \(Flu; set in rep status\)/)

    await page.getByRole('link', { name: 'Pools' }).click()
    await ready(page, 'settings-pools')
    const east = page.getByTestId('pool-na_east')
    assert.match(await east.innerText(), /Next lead goes to/)
    const anaInPool = page.locator('.card', { has: east }).locator('tr', { hasText: 'Ana Ruiz' })
    assert.match(await anaInPool.innerText(), /Out of office/)
    const ivan = page.locator('.card', { has: east }).locator('tr', { hasText: 'Ivan Petrov' })
    assert.match(await ivan.innerText(), /Inactive/)
    await e2e.shoot(page, 'settings-pools', 'settings-pools')
    await context.close()
  })

  test('a calendar shows its week, its holidays, and when a Friday 16:30 lead with 1 business hour is due', async () => {
    const { context, page } = await newPage()
    await e2e.logIn(page, 'admin', '/settings?tab=calendars&calendar=new_york', 'settings-calendars')
    assert.match(
      await text(page, '[data-testid="calendar-now"]'),
      /America\/New York · local time Mon 23 Nov, 10:00 EST · closes 17:30 EST/,
    )
    assert.match(
      (await page.getByTestId('week-grid').getAttribute('aria-label')) ?? '',
      /Mon 09:00-17:30; .* Fri 09:00-17:00; Sat closed/,
    )
    const holidays = await text(page, '[data-testid="holidays"]')
    assert.match(holidays, /26 Nov 2026 Thanksgiving Day closed · public/)
    assert.match(holidays, /24 Dec 2026 Christmas Eve \(company holiday\) closed · added/)
    assert.match(holidays, /3 Nov 2026 Election Day — we work working day/)
    assert.match(holidays, /27 Nov 2026 Day after Thanksgiving — half day hours 09:00-13:00/)
    await page.getByLabel('From').fill('2026-11-20T16:30')
    await page.getByLabel('Business time').fill('1h')
    await page.getByRole('button', { name: 'Calculate' }).click()
    await page.waitForURL(/duration=1h/)
    await page.getByText('Due Mon 23 Nov, 09:30 EST').waitFor()
    assert.match(await text(page, '[data-testid="due-result"]'), /2026-11-23T09:30:00-05:00/)
    await e2e.shoot(page, 'settings-calendars', 'settings-calendars')
    const propose = page.getByRole('main').getByRole('link', { name: 'Propose a change' })
    assert.equal(await propose.getAttribute('href'), '/agreement/propose?at=calendars.new_york')
    await propose.click()
    await ready(page, 'agreement-propose')
    await page.waitForFunction("document.activeElement?.id === 'agreement-source'")
    const selected = await page.evaluate(
      "(() => { const el = document.getElementById('agreement-source'); return el.value.slice(el.selectionStart, el.selectionEnd) })()",
    )
    assert.equal(selected, '  new_york:', 'the editor opens at the calendar')
    await context.close()
  })

  test('an admin adds a signed webhook endpoint, copies its secret once and test-sends to it', async () => {
    const { context, page } = await newPage()
    await e2e.logIn(page, 'admin', '/settings?tab=notifications', 'settings-notifications')
    const form = page.getByRole('form', { name: 'Add an endpoint' })
    await form.getByLabel('Kind').selectOption('webhook')
    await form.getByLabel('Endpoint name').fill('CRM <script>alert(1)</script>')
    await form.getByLabel('URL').fill(`${sink.url}/accord`)
    await form.getByLabel('Team').selectOption('na_east_sdr')
    await form.getByLabel('lead.handed_off').check()
    await form.getByRole('button', { name: 'Add endpoint' }).click()
    const secret = await page.getByLabel('Webhook signing secret').inputValue()
    assert.match(secret, /^whsec_/)
    const row = page.locator('[data-testid="endpoints-table"] tr', { hasText: 'CRM <script>' })
    await row.waitFor()
    assert.match(await row.innerText(), /team na_east_sdr/)
    assert.match(await row.innerText(), /lead\.handed_off/)
    await page.getByRole('button', { name: 'I have stored it' }).click()
    assert.equal(await page.getByLabel('Webhook signing secret').count(), 0, 'the secret is not shown again')

    await page.getByRole('button', { name: /^Send a test to CRM/ }).click()
    await page.getByTestId('test-result').filter({ hasText: 'delivered' }).waitFor()
    const received = sink.requests.at(-1)!
    assert.equal(JSON.parse(received.body).type, 'endpoint.test')
    assert.equal(
      verifyWebhook(received.headers as Record<string, string>, received.body, secret, { now: Date.now() }).kind,
      'valid',
      'signed with the secret shown once',
    )
    await page
      .locator('[data-testid="deliveries"] tr', { hasText: 'endpoint.test' })
      .filter({ hasText: 'delivered' })
      .waitFor()
    await row.filter({ hasText: '1 delivered' }).waitFor()
    await e2e.shoot(page, 'settings-notifications', 'settings-notifications')

    await page.getByRole('button', { name: /^Disable CRM/ }).click()
    await page.getByRole('button', { name: 'Disable now' }).click()
    await page.locator('[data-testid="endpoints-table"]').waitFor({ state: 'detached' })
    await page.locator('#endpoint-show').selectOption('all')
    await page.locator('[data-testid="endpoints-table"] tr', { hasText: 'disabled' }).waitFor()
    assert.equal(await page.locator('main script').count(), 0, 'user content is text, never markup')
    await context.close()
  })

  test('a rep sees only their own availability and can mark themselves away; no keys, no endpoints', async () => {
    const { context, page } = await newPage()
    await e2e.logIn(page, 'ana', '/settings', 'settings-reps')
    assert.equal(await page.locator('h1').innerText(), 'My availability')
    const tabs = await page.getByRole('navigation', { name: 'Settings sections' }).innerText()
    assert.ok(!tabs.includes('API keys') && !tabs.includes('Notifications') && !tabs.includes('Pools'), tabs)
    assert.equal(await page.locator('[data-testid="reps-table"] tbody tr').count(), 1)
    assert.equal(await page.getByLabel('Takes leads').count(), 0, 'a rep does not switch themselves on or off')
    await page.getByRole('button', { name: /^Remove the absence/ }).click()
    await page.locator('[data-testid="reps-table"] tr', { hasText: 'Available' }).waitFor()
    await e2e.shoot(page, 'settings-rep-own', 'settings-reps')
    await page.goto(`${e2e.base}/settings?tab=keys`)
    await ready(page, 'settings-reps')
    assert.equal(
      await page.locator('h1').innerText(),
      'My availability',
      'a tab the role lacks falls back to its first',
    )
    await context.close()
  })

  test('no page logged an error or broke the content security policy', () => {
    assert.deepEqual(e2e.problems, [])
  })
})
