/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core against the real server (buildApp
 * listening on a port, a fresh test database, the web bundle built for this run). Screenshots of every page at
 * 1280 px and 390 px go to test-results/screenshots/. Skips, saying why, where /usr/bin/chromium is absent.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { proposeAgreement, signAgreement } from '../../src/agreement/agreement-versions.ts'
import { createApiKey } from '../../src/auth/create-api-key.ts'
import { loadConfig } from '../../src/config.ts'
import { type Ctx, silentLogger } from '../../src/context.ts'
import type { Role } from '../../src/db/schema.ts'
import { buildApp } from '../../src/http/app.ts'
import { buildWeb } from '../../src/web-build/build-web.ts'
import { createWorkspace } from '../../src/workspace/create-workspace.ts'
import { chromiumSkipReason, launchChromium, SCREENSHOTS } from '../helpers/chromium.ts'
import { createTestDatabase } from '../helpers/db.ts'

const example = readFileSync('accord.example.yaml', 'utf8')

const skip = chromiumSkipReason()

describe('the dashboard in Chromium', { skip }, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>
  let app: FastifyInstance
  let browser: Browser
  let base: string
  let webDir: string
  const keys = {} as Record<Role, string>
  const problems: string[] = []

  before(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'accord-web-'))
    await buildWeb({ outDir: join(webDir, 'web') })
    database = await createTestDatabase()
    const ctx: Ctx = {
      db: database.db,
      clock: () => Date.now(),
      logger: silentLogger,
      config: { ...loadConfig({}), logLevel: 'silent', demo: false, workers: false },
      dbKind: database.kind,
    }
    const ws = await createWorkspace(ctx, { slug: 'e2e', name: 'E2E' })
    for (const role of ['admin', 'marketing', 'sales', 'rep', 'ingest'] as Role[]) {
      const name = {
        admin: 'Ops admin',
        marketing: 'Priya Natarajan',
        sales: 'Marcus Feld',
        rep: 'Ana Ruiz',
        ingest: 'Segment',
      }[role]
      keys[role] = (
        await createApiKey(ctx, { workspaceId: ws.id, name, role, repId: role === 'rep' ? 'ana_ruiz' : null })
      ).secret
    }
    const { version } = await proposeAgreement(ctx, ws.id, { source: example, proposedBy: 'first run' })
    await signAgreement(ctx, ws.id, { ref: String(version.id), side: 'marketing', signer: 'Priya Natarajan' })
    await signAgreement(ctx, ws.id, { ref: String(version.id), side: 'sales', signer: 'Marcus Feld' })
    app = await buildApp(ctx, { webRoot: join(webDir, 'web') })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const addr = app.server.address()
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
    // launch() gives every run a fresh temporary profile (user-data dir); nothing is downloaded.
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
    rmSync(webDir, { recursive: true, force: true })
  })

  async function newPage(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 860 } })
    const page = await context.newPage()
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('console', (m) => {
      // HTTP errors the tests provoke (401 before log-in, 403, 422) are logged as failed resources; anything else
      // — an exception, a refused script or style (CSP) — is a bug.
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`)
    })
    return { context, page }
  }

  /** Full-page screenshots at 1280 px and at a 390 px phone width. */
  async function shoot(page: Page, name: string) {
    await page.setViewportSize({ width: 1280, height: 860 })
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-1280.png`), fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-390.png`), fullPage: true })
    await page.setViewportSize({ width: 1280, height: 860 })
  }

  async function logInWithKey(page: Page, key: string, path = '/agreement') {
    await page.goto(`${base}${path}`)
    await page.getByRole('textbox', { name: 'API key' }).fill(key)
    await page.getByRole('button', { name: 'Log in' }).click()
  }

  const ready = (page: Page, name: string) => page.waitForSelector(`[data-ready="${name}"]`, { timeout: 15_000 })

  let proposedId = ''

  test('logging in with an API key opens the active Agreement, rendered readably', async () => {
    const { context, page } = await newPage()
    await page.goto(`${base}/agreement`)
    await ready(page, 'login')
    await shoot(page, 'login')
    await logInWithKey(page, keys.marketing)
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
    await logInWithKey(page, keys.marketing)
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
    await logInWithKey(page, keys.marketing, '/agreement/propose')
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
    await logInWithKey(page, keys.marketing, '/agreement/propose')
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
    await page.goto(`${base}/agreement/history?state=proposed`)
    await ready(page, 'agreement-history')
    assert.equal(await page.locator('#state-filter').inputValue(), 'proposed', 'the filter comes from the URL')
    assert.equal(await page.locator('tbody tr').count(), 1)
    await shoot(page, 'history')
    await context.close()
  })

  test('a rep sees no sign button, no API keys and no Propose in the nav', async () => {
    assert.ok(proposedId, 'needs the proposed version')
    const { context, page } = await newPage()
    await logInWithKey(page, keys.rep, `/agreement/versions/${proposedId}`)
    await ready(page, 'agreement-version')
    assert.equal(await page.locator('[data-testid="sign-panel"]').count(), 0)
    assert.equal(await page.getByRole('button', { name: /^Sign for/ }).count(), 0)
    const nav = await page.locator('nav[aria-label="Main"]').innerText()
    assert.ok(!nav.includes('API keys') && !nav.includes('Propose'), nav)
    await page.goto(`${base}/settings/keys`)
    assert.match(await page.locator('main').innerText(), /Not available to your role/)
    await context.close()
  })

  test('marketing signs, then sales signs, and the version becomes active', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, keys.marketing, `/agreement/versions/${proposedId}`)
    await ready(page, 'agreement-version')
    await page.getByRole('button', { name: 'Sign for marketing' }).click()
    await shoot(page, 'version-confirm-sign')
    await page.getByRole('button', { name: 'Confirm: sign for marketing' }).click()
    await page.waitForSelector('[data-testid="sign-panel"]', { state: 'detached' })
    assert.match(await page.locator('.signatures').innerText(), /Marketing\s+Priya Natarajan/)
    await page.getByRole('button', { name: 'Log out' }).click()
    await ready(page, 'login')

    await page.getByRole('textbox', { name: 'API key' }).fill(keys.sales)
    await page.getByRole('button', { name: 'Log in' }).click()
    await ready(page, 'agreement-version')
    await page.getByRole('button', { name: 'Sign for sales' }).click()
    await page.getByRole('button', { name: 'Confirm: sign for sales' }).click()
    await page.waitForSelector('.page-header .badge-good')
    assert.equal(await page.locator('.page-header .badge').innerText(), 'active')
    await shoot(page, 'version-active')
    await page.goto(`${base}/agreement`)
    await ready(page, 'agreement')
    assert.match(await page.locator('#section-stages').innerText(), /fit >= 65/)
    await context.close()
  })

  test('an admin creates a key (secret shown once) and a user, who then logs in with a password', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, keys.admin, '/settings/keys')
    await ready(page, 'settings-keys')
    assert.equal(await page.getByRole('button', { name: /^Sign for/ }).count(), 0)
    await page.getByLabel('Name').fill('Segment production')
    await page.locator('#key-role').selectOption('ingest')
    await page.getByRole('button', { name: 'Create key' }).click()
    const secret = await page.getByLabel('New key secret').inputValue()
    assert.match(secret, /^acc_/)
    await shoot(page, 'settings-keys')

    await page.goto(`${base}/settings/users`)
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
    await second.page.goto(`${base}/agreement`)
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
    await logInWithKey(page, keys.ingest)
    await page.getByRole('alert').waitFor()
    assert.match(await page.getByRole('alert').innerText(), /ingest key .* cannot log in/)
    await context.close()
  })

  test('no page logged an error or broke the content security policy', () => {
    assert.deepEqual(problems, [])
  })
})
