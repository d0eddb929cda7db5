/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core against the real server (buildApp
 * listening on a port, a fresh test database, the web bundle built for this run). Screenshots of every page at
 * 1280 px and 390 px go to test-results/screenshots/. Skips, saying why, where /usr/bin/chromium is absent.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import type { Role } from '../../src/db/schema.ts'
import { chromiumSkipReason, SCREENSHOTS } from '../helpers/chromium.ts'
import { type E2e, ROLE_KEYS, startE2e } from '../helpers/e2e.ts'

const example = readFileSync('accord.example.yaml', 'utf8')

const skip = chromiumSkipReason()

describe('the dashboard in Chromium', { skip }, () => {
  let e2e: E2e<Role>
  before(async () => {
    e2e = await startE2e({ slug: 'e2e', clock: () => Date.now(), keys: ROLE_KEYS, agreement: example })
  })
  after(() => e2e?.close())

  const newPage = (width = 1280) => e2e.newPage({ width })
  const ready = (page: Page, name: string) => e2e.ready(page, name)
  const shoot = (page: Page, name: string) => e2e.shoot(page, name)
  const logInWithKey = (page: Page, role: Role, path = '/agreement') => e2e.logIn(page, role, path)

  let proposedId = ''

  test('logging in with an API key opens the active Agreement, rendered readably', async () => {
    const { context, page } = await newPage()
    await page.goto(`${e2e.base}/agreement`)
    await ready(page, 'login')
    await shoot(page, 'login')
    await logInWithKey(page, 'marketing')
    await ready(page, 'agreement')
    assert.equal(await page.locator('h1').textContent(), 'Northwind Cloud — revenue agreement FY27 Q1')
    const body = await page.locator('main').innerText()
    for (const text of [
      'Mid-market head count',
      'Competitor',
      'Economic buyer',
      'signals.pricing_interest',
      'W-shaped',
    ])
      assert.ok(body.includes(text), `the Agreement page shows ${text}`)
    assert.match(body, /4 business hours/)
    const cookies = await context.cookies()
    const session = cookies.find((c) => c.name === 'accord_session')
    assert.ok(session?.httpOnly, 'the session cookie is HTTP-only')
    assert.equal(session.sameSite, 'Strict')
    assert.equal(await page.evaluate("document.cookie.includes('accord_session')"), false)
    await shoot(page, 'agreement')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('button', { name: 'Menu' }).click()
    await page.screenshot({ path: join(SCREENSHOTS, 'nav-menu-390.png') })
    await context.close()
  })

  test('a cookie-authenticated POST without the CSRF header is refused by the server', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, 'marketing')
    await ready(page, 'agreement')
    const status = await page.evaluate(async () => {
      const res = await fetch('/v1/agreements/validate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'agreement: x' }),
      })
      return { status: res.status, body: (await res.json()) as { error: { message: string } } }
    })
    assert.equal(status.status, 403)
    assert.match(status.body.error.message, /x-csrf-token/)
    await context.close()
  })

  test('a broken edit shows its validation error at its line in the editor', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, 'marketing', '/agreement/propose')
    await ready(page, 'agreement-propose')
    const broken = example.replace('points: 25', 'points: ten')
    const line = broken.split('\n').findIndex((l) => l.trim() === 'points: ten') + 1
    await page.locator('#agreement-source').fill(broken)
    await page.waitForSelector('[data-testid="issues"]')
    const marked = await page
      .locator('.editor-line-error')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-line')))
    assert.deepEqual(marked, [String(line)])
    const issues = await page.locator('[data-testid="issues"]').innerText()
    assert.match(issues, new RegExp(`line ${line}`))
    assert.match(issues, /icp\.fit\[0\]\.points/)
    assert.match(issues, /expected a number, got "ten"/)
    await page.getByRole('button', { name: `line ${line}` }).click()
    assert.equal(await page.evaluate('document.activeElement?.id'), 'agreement-source')
    assert.equal(await page.getByRole('button', { name: 'Propose this version' }).isDisabled(), true)
    await shoot(page, 'propose-error')
    await context.close()
  })

  test('proposing fit >= 65 shows the semantic diff, then the version page with the diff', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, 'marketing', '/agreement/propose')
    await ready(page, 'agreement-propose')
    const next = example.replace('fit >= 60 && (intent', 'fit >= 65 && (intent')
    await page.locator('#agreement-source').fill(next)
    const diff = page.locator('[data-testid="diff"]')
    await diff.waitFor()
    assert.match(await diff.innerText(), /MQL: fit >= 60 → fit >= 65/)
    await shoot(page, 'propose')
    await page.getByRole('button', { name: 'Propose this version' }).click()
    await ready(page, 'agreement-version')
    proposedId = page.url().split('/').pop()!
    assert.match(proposedId, /^\d+$/)
    assert.match(await page.locator('[data-testid="diff"]').innerText(), /fit >= 60 → fit >= 65/)
    // The what-if replay of the proposed version renders beside its diff (its content is tested in leads.test.ts).
    await page.locator('[data-slot="replay"]').waitFor()
    await shoot(page, 'version-proposed')
    await page.goto(`${e2e.base}/agreement/history?state=proposed`)
    await ready(page, 'agreement-history')
    assert.equal(await page.locator('#state-filter').inputValue(), 'proposed', 'the filter comes from the URL')
    assert.equal(await page.locator('tbody tr').count(), 1)
    await shoot(page, 'history')
    await context.close()
  })

  test('a rep sees no sign button, no API keys and no Propose in the nav', async () => {
    assert.ok(proposedId, 'needs the proposed version')
    const { context, page } = await newPage()
    await logInWithKey(page, 'rep', `/agreement/versions/${proposedId}`)
    await ready(page, 'agreement-version')
    assert.equal(await page.locator('[data-testid="sign-panel"]').count(), 0)
    assert.equal(await page.getByRole('button', { name: /^Sign for/ }).count(), 0)
    const nav = await page.locator('nav[aria-label="Main"]').innerText()
    assert.ok(!nav.includes('API keys') && !nav.includes('Propose'), nav)
    await page.goto(`${e2e.base}/settings/keys`)
    assert.match(await page.locator('main').innerText(), /Not available to your role/)
    await context.close()
  })

  test('marketing signs, then sales signs, and the version becomes active', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, 'marketing', `/agreement/versions/${proposedId}`)
    await ready(page, 'agreement-version')
    await page.getByRole('button', { name: 'Sign for marketing' }).click()
    await shoot(page, 'version-confirm-sign')
    await page.getByRole('button', { name: 'Confirm: sign for marketing' }).click()
    await page.waitForSelector('[data-testid="sign-panel"]', { state: 'detached' })
    assert.match(await page.locator('.signatures').innerText(), /Marketing\s+Priya Natarajan/)
    await page.getByRole('button', { name: 'Log out' }).click()
    await ready(page, 'login')

    await page.getByRole('textbox', { name: 'API key' }).fill(e2e.keys.sales)
    await page.getByRole('button', { name: 'Log in' }).click()
    await ready(page, 'agreement-version')
    await page.getByRole('button', { name: 'Sign for sales' }).click()
    await page.getByRole('button', { name: 'Confirm: sign for sales' }).click()
    await page.waitForSelector('.page-header .badge-good')
    assert.equal(await page.locator('.page-header .badge').innerText(), 'active')
    await shoot(page, 'version-active')
    await page.goto(`${e2e.base}/agreement`)
    await ready(page, 'agreement')
    assert.match(await page.locator('#section-stages').innerText(), /fit >= 65/)
    await context.close()
  })

  test('an admin creates a key (secret shown once) and a user, who then logs in with a password', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, 'admin', '/settings/keys')
    await ready(page, 'settings-keys')
    assert.equal(await page.getByRole('button', { name: /^Sign for/ }).count(), 0)
    await page.getByLabel('Name').fill('Segment production')
    await page.locator('#key-role').selectOption('ingest')
    await page.getByRole('button', { name: 'Create key' }).click()
    const secret = await page.getByLabel('New key secret').inputValue()
    assert.match(secret, /^acc_/)
    await shoot(page, 'settings-keys')

    await page.goto(`${e2e.base}/settings/users`)
    await ready(page, 'settings-users')
    // A display name that would be markup if it were ever rendered as HTML.
    const hostile = '<img src=x onerror="window.__pwned=1">Eve'
    await page.getByLabel('Username').fill('eve')
    await page.getByLabel('Display name').fill(hostile)
    await page.locator('#user-role').selectOption('sales')
    await page.getByLabel('Initial password').fill('a long passphrase')
    await page.getByRole('button', { name: 'Create user' }).click()
    await page.getByRole('cell', { name: hostile, exact: true }).waitFor()
    assert.equal(await page.locator('main img').count(), 0, 'user content is text, never markup')
    await shoot(page, 'settings-users')
    await context.close()

    const second = await newPage()
    await second.page.goto(`${e2e.base}/agreement`)
    await second.page.getByRole('tab', { name: 'Username & password' }).click()
    await second.page.getByLabel('Username', { exact: true }).fill('eve')
    await second.page.getByLabel('Password', { exact: true }).fill('a long passphrase')
    await second.page.getByRole('button', { name: 'Log in' }).click()
    await ready(second.page, 'agreement')
    assert.equal(await second.page.locator('.whoami-name').innerText(), hostile)
    assert.equal(await second.page.evaluate('window.__pwned'), undefined)
    await second.context.close()
  })

  test('an ingest key cannot log in', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, 'ingest')
    await page.getByRole('alert').waitFor()
    assert.match(await page.getByRole('alert').innerText(), /ingest key .* cannot log in/)
    await context.close()
  })

  test('no page logged an error or broke the content security policy', () => {
    assert.deepEqual(e2e.problems, [])
  })
})
