/**
 * The real server and a real browser for the dashboard's browser tests: a fresh test database with one workspace,
 * its API keys and (optionally) a signed Agreement, the web bundle built for this run and served by buildApp on a
 * loopback port, and Debian's Chromium driven by playwright-core. Pages report uncaught errors and console errors to
 * `problems`, which each suite asserts is empty at the end.
 *
 * @example
 *   const e2e = await startE2e({ slug: 'e2e-queue', clock: () => now, keys: { ana: { name: 'Ana Ruiz', role: 'rep', repId: 'ana_ruiz' } }, agreement })
 *   const { context, page } = await e2e.newPage({ now })
 *   await e2e.logIn(page, 'ana', '/queue')
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
import { launchChromium, SCREENSHOTS } from './chromium.ts'
import { createTestDatabase } from './db.ts'

export type E2eKey = { name: string; role: Role; repId?: string }

/** One key of each role, named as the people of the example Agreement. */
export const ROLE_KEYS = {
  admin: { name: 'Ops admin', role: 'admin' },
  marketing: { name: 'Priya Natarajan', role: 'marketing' },
  sales: { name: 'Marcus Feld', role: 'sales' },
  rep: { name: 'Ana Ruiz', role: 'rep', repId: 'ana_ruiz' },
  ingest: { name: 'Segment', role: 'ingest' },
} satisfies Record<Role, E2eKey>

export type E2e<K extends string> = {
  ctx: Ctx
  workspaceId: number
  /** The signed Agreement's version id, when one was asked for. */
  agreementVersionId: number | null
  app: FastifyInstance
  base: string
  browser: Browser
  /** The secrets of the keys asked for, by alias. */
  keys: Record<K, string>
  problems: string[]
  /** An API call with one of the keys; fails the test unless it answers 2xx. */
  // biome-ignore lint/suspicious/noExplicitAny: the tests read whatever JSON the route answers
  inject: (key: K, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) => Promise<any>
  /**
   * A fresh browser context: 1280 px wide by default, its clock installed at `now` when given, and already logged in
   * with `key` when given (a session opened by `POST /v1/session`, as the log-in page does).
   */
  newPage: (opts?: {
    width?: number
    now?: number
    timezoneId?: string
    locale?: string
    acceptDownloads?: boolean
    key?: K
  }) => Promise<{ context: BrowserContext; page: Page }>
  /** Opens `path`, logs in with the key and, when `ready` is given, waits for `[data-ready=ready]`. */
  logIn: (page: Page, key: K, path: string, ready?: string) => Promise<void>
  ready: (page: Page, name: string) => Promise<unknown>
  /**
   * Full-page screenshots at 1280 px and 390 px; with `ready`, the page is reloaded at each width first; with
   * `settled`, each waits for that selector too (a chart's canvas, a panel loaded after the page's data).
   */
  shoot: (page: Page, name: string, ready?: string, settled?: string) => Promise<void>
  close: () => Promise<void>
}

export async function startE2e<K extends string>(opts: {
  slug: string
  clock: () => number
  keys: Record<K, E2eKey>
  /** Agreement source proposed and signed by both sides before the server starts. */
  agreement?: string
}): Promise<E2e<K>> {
  const webDir = mkdtempSync(join(tmpdir(), 'accord-web-'))
  await buildWeb({ outDir: join(webDir, 'web') })
  const database = await createTestDatabase()
  const ctx: Ctx = {
    db: database.db,
    clock: opts.clock,
    logger: silentLogger,
    config: { ...loadConfig({}), logLevel: 'silent', demo: false, workers: false },
    dbKind: database.kind,
  }
  const ws = await createWorkspace(ctx, { slug: opts.slug, name: opts.slug })
  let agreementVersionId: number | null = null
  const keys = {} as Record<K, string>
  for (const [alias, k] of Object.entries(opts.keys) as [K, E2eKey][])
    keys[alias] = (
      await createApiKey(ctx, { workspaceId: ws.id, name: k.name, role: k.role, repId: k.repId ?? null })
    ).secret
  if (opts.agreement) {
    const { version } = await proposeAgreement(ctx, ws.id, { source: opts.agreement, proposedBy: 'e2e' })
    agreementVersionId = version.id
    await signAgreement(ctx, ws.id, { ref: String(version.id), side: 'marketing', signer: 'Priya Natarajan' })
    await signAgreement(ctx, ws.id, { ref: String(version.id), side: 'sales', signer: 'Marcus Feld' })
  }
  const app = await buildApp(ctx, { webRoot: join(webDir, 'web') })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address()
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  // launch() gives every run a fresh temporary profile; nothing is downloaded.
  const browser = await launchChromium()
  const problems: string[] = []

  const ready = (page: Page, name: string) => page.waitForSelector(`[data-ready="${name}"]`, { timeout: 30_000 })
  return {
    ctx,
    workspaceId: ws.id,
    agreementVersionId,
    app,
    base,
    browser,
    keys,
    problems,
    async inject(key, method, url, payload) {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${keys[key]}` }, payload })
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`)
      return res.json()
    },
    async newPage(o = {}) {
      const context = await browser.newContext({
        viewport: { width: o.width ?? 1280, height: 860 },
        ...(o.timezoneId ? { timezoneId: o.timezoneId } : {}),
        ...(o.locale ? { locale: o.locale } : {}),
        ...(o.acceptDownloads ? { acceptDownloads: true } : {}),
      })
      if (o.now !== undefined) await context.clock.install({ time: o.now })
      if (o.key !== undefined) {
        const res = await context.request.post(`${base}/v1/session`, { data: { api_key: keys[o.key] } })
        assert.ok(res.ok(), `log-in with ${o.key}: ${res.status()}`)
      }
      const page = await context.newPage()
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
      page.on('console', (m) => {
        // HTTP refusals the tests provoke (401 before log-in, 403, 422) are logged as failed resources, and "frame is
        // sandboxed" is a review pack's sandbox refusing the test driver's own probe of the frame; anything else — an
        // exception, a refused script or style (CSP) — is a bug.
        if (m.type() === 'error' && !/Failed to load resource|document's frame is sandboxed/.test(m.text()))
          problems.push(`console: ${m.text()}`)
      })
      return { context, page }
    },
    async logIn(page, key, path, readyName) {
      await page.goto(`${base}${path}`)
      await page.getByRole('textbox', { name: 'API key' }).fill(keys[key])
      await page.getByRole('button', { name: 'Log in' }).click()
      if (readyName) await ready(page, readyName)
    },
    ready,
    async shoot(page, name, readyName, settled) {
      for (const [width, height] of [
        [1280, 860],
        [390, 844],
      ] as const) {
        await page.setViewportSize({ width, height })
        if (readyName) {
          await page.reload()
          await ready(page, readyName)
        }
        if (settled) await page.locator(settled).first().waitFor()
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true })
      }
      await page.setViewportSize({ width: 1280, height: 860 })
    },
    async close() {
      await browser.close()
      await app.close()
      await database.close()
      rmSync(webDir, { recursive: true, force: true })
    },
  }
}
