/**
 * Every dashboard page's loading and error states, and its fit at phone width, in a real browser (the shared set-up,
 * test/helpers/e2e.ts). The page's main API request is held while the loading state is read, then answered 500 (also
 * on the client's retries) until the error state offers "Try again"; the route is then released and "Try again"
 * renders the page. At 390 px no page is wider than the screen, and every form control has an accessible name, so
 * the keyboard and a screen reader reach each one. Screenshots of each error state go to test-results/screenshots/.
 * Skips, saying why, where /usr/bin/chromium is absent.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import type { Role } from '../../src/db/schema.ts'
import { chromiumSkipReason, SCREENSHOTS } from '../helpers/chromium.ts'
import { type E2e, ROLE_KEYS, startE2e } from '../helpers/e2e.ts'

const skip = chromiumSkipReason()

type Case = { path: string; ready: string; api: RegExp; role?: Role }

/** Each page with the request its content waits for (matched on the URL's path and query). */
const PAGES: Case[] = [
  { path: '/scoreboard', ready: 'scoreboard', api: /^\/v1\/metrics\/scoreboard\?/ },
  { path: '/leads?stage=Lead', ready: 'leads', api: /^\/v1\/leads\?/ },
  { path: '/leads/1', ready: 'lead', api: /^\/v1\/leads\/1$/ },
  { path: '/queue', ready: 'queue', api: /^\/v1\/queue\?/, role: 'rep' },
  { path: '/feedback', ready: 'feedback', api: /^\/v1\/feedback\/reasons\?/ },
  { path: '/attribution', ready: 'attribution', api: /^\/v1\/attribution\?/ },
  { path: '/reviews', ready: 'reviews', api: /^\/v1\/reviews(\?|$)/ },
  { path: '/agreement', ready: 'agreement', api: /^\/v1\/agreement$/ },
  { path: '/agreement/history', ready: 'agreement-history', api: /^\/v1\/agreements(\?|$)/ },
  { path: '/settings?tab=reps', ready: 'settings-reps', api: /^\/v1\/reps(\?|$)/ },
  { path: '/settings?tab=calendars', ready: 'settings-calendars', api: /^\/v1\/calendars(\?|$)/ },
  { path: '/settings?tab=pools', ready: 'settings-pools', api: /^\/v1\/pools(\?|$)/ },
  { path: '/settings?tab=notifications', ready: 'settings-notifications', api: /^\/v1\/endpoints(\?|$)/ },
  { path: '/settings?tab=keys', ready: 'settings-keys', api: /^\/v1\/keys(\?|$)/ },
  { path: '/settings?tab=users', ready: 'settings-users', api: /^\/v1\/users(\?|$)/ },
]

describe('every page’s loading and error states, and its fit on a phone, in Chromium', { skip }, () => {
  let e2e: E2e<Role>
  before(async () => {
    e2e = await startE2e({
      slug: 'e2e-states',
      clock: () => Date.now(),
      keys: ROLE_KEYS,
      agreement: readFileSync('accord.example.yaml', 'utf8'),
    })
    await e2e.inject('ingest', 'POST', '/v1/events', {
      events: [
        {
          id: 'states-1',
          type: 'page_view',
          occurred_at: new Date(Date.now() - 60_000).toISOString(),
          person: { email: 'lena@acme-health.com', first_name: 'Lena', last_name: 'Ortiz' },
          properties: { path: '/pricing' },
        },
      ],
    })
  })
  after(() => e2e?.close())

  const matches = (api: RegExp) => (url: URL) => api.test(url.pathname + url.search)

  for (const c of PAGES)
    test(`${c.path}: loading, then an error with Try again, then the page`, async () => {
      const { context, page } = await e2e.newPage({ key: c.role ?? 'admin' })
      let release = () => {}
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      const handler = async (route: { fulfill: (r: object) => Promise<void> }) => {
        await held
        await route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'internal', message: 'the database is down' } }),
        })
      }
      const url = matches(c.api)
      await page.route(url, handler)
      await page.goto(`${e2e.base}${c.path}`)
      await page.locator(`[data-page] [role="status"]`).first().waitFor()
      assert.equal(await page.locator(`[data-ready="${c.ready}"]`).count(), 0, 'not ready while loading')
      release()
      const alert = page.locator('main [role="alert"]').filter({ hasText: 'the database is down' }).first()
      await alert.waitFor({ timeout: 30_000 })
      assert.equal(await page.locator(`[data-ready="${c.ready}"]`).count(), 0, 'not ready on an error')
      await page.screenshot({ path: join(SCREENSHOTS, `error-${c.ready}-1280.png`), fullPage: true })
      await page.unroute(url, handler)
      // A page whose parts load apart (Feedback's two reason cards) shows an error with its own retry in each.
      for (const retry of await page.getByRole('button', { name: 'Try again' }).elementHandles()) await retry.click()
      await e2e.ready(page, c.ready)
      await context.close()
    })

  for (const c of PAGES)
    test(`${c.path}: at 390 px nothing is wider than the screen and every control is named`, async () => {
      const { context, page } = await e2e.newPage({ key: c.role ?? 'admin', width: 390 })
      await page.goto(`${e2e.base}${c.path}`)
      await e2e.ready(page, c.ready)
      await assertFitsAndNamed(page)
      await context.close()
    })

  test('no page logged an error or broke the content security policy', () => {
    assert.deepEqual(
      e2e.problems.filter((p) => !/status of 500/.test(p)),
      [],
    )
  })
})

/**
 * In the page, as text: the root typecheck has no DOM library, and a function passed from tsx would carry its
 * helper names into the page.
 */
const MEASURE = `(() => {
  const named = (el) =>
    el.type === 'hidden' ||
    (el.labels && el.labels.length > 0) ||
    !!(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title')) ||
    (el.tagName === 'BUTTON' && (el.textContent || '').trim() !== '')
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    unnamed: [...document.querySelectorAll('main input, main select, main textarea, main button')]
      .filter((el) => !named(el))
      .map((el) => el.outerHTML.slice(0, 160)),
  }
})()`

async function assertFitsAndNamed(page: Page) {
  const { scrollWidth, innerWidth, unnamed } = (await page.evaluate(MEASURE)) as {
    scrollWidth: number
    innerWidth: number
    unnamed: string[]
  }
  assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide on a ${innerWidth} px screen`)
  assert.deepEqual(unnamed, [], 'form controls without an accessible name')
}
