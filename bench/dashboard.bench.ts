/**
 * The dashboard's two budgets: JavaScript shipped (gzipped, target ≤ 400 KB) and time to first meaningful render
 * (target ≤ 1.5 s), measured in Debian's Chromium from navigation start to the moment the page marks its data as
 * rendered (`data-ready`). Measured on the Agreement page (the scoreboard joins when it exists), cold cache, with
 * a session already open, median of several fresh browser contexts; a warm (cached) load is shown beside it.
 */
import { existsSync, readFileSync } from 'node:fs'

import { proposeAgreement, signAgreement } from '../src/agreement/agreement-versions.ts'
import { createApiKey } from '../src/auth/create-api-key.ts'
import { buildWeb } from '../src/web-build/build-web.ts'
import { CHROMIUM, launchChromium } from '../test/helpers/chromium.ts'
import { fmt, startBenchServer } from './helpers.ts'

const RUNS = 7
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const built = await buildWeb()
const kb = (n: number) => `${fmt(n / 1024, 1)} KB`
console.log(
  `JavaScript shipped (gzip): ${kb(built.jsGzipBytes)} of 400 KB target (${fmt((built.jsGzipBytes / (400 * 1024)) * 100, 0)}%); first load (entry JS + CSS): ${kb(built.entryGzipBytes)}; build ${fmt(built.ms)} ms`,
)

if (!existsSync(CHROMIUM)) {
  console.log(`time to first meaningful render: skipped (${CHROMIUM} is absent)`)
  process.exit(0)
}

const server = await startBenchServer()
const source = readFileSync('accord.example.yaml', 'utf8')
const { version } = await proposeAgreement(server.ctx, server.workspaceId, { source, proposedBy: 'bench' })
for (const side of ['marketing', 'sales'] as const)
  await signAgreement(server.ctx, server.workspaceId, { ref: String(version.id), side, signer: side })
const { secret } = await createApiKey(server.ctx, { workspaceId: server.workspaceId, name: 'bench', role: 'marketing' })

const browser = await launchChromium()

// Records, in the page's own clock (0 = navigation start), when a page first marks its data as rendered.
const MARK_READY = `
  new MutationObserver((_, obs) => {
    if (document.querySelector('[data-ready]:not([data-ready="login"])')) {
      window.__readyAt = performance.now(); obs.disconnect()
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] })
`

async function measure(page: import('playwright-core').Page): Promise<number> {
  await page.goto(`${server.base}/agreement`)
  await page.waitForFunction('window.__readyAt !== undefined', null, { timeout: 30_000 })
  return page.evaluate<number>('window.__readyAt')
}

const cold: number[] = []
const warm: number[] = []
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    await context.request.post(`${server.base}/v1/session`, { data: { api_key: secret } })
    await context.addInitScript(MARK_READY)
    const page = await context.newPage()
    cold.push(await measure(page))
    warm.push(await measure(page))
    await context.close()
  }
} finally {
  await browser.close()
  await server.close()
}
const c = median(cold)
console.log(
  `time to first meaningful render, Agreement page: cold ${fmt(c)} ms (target ≤ 1,500 ms, ${fmt((c / 1500) * 100)}% of budget), warm ${fmt(median(warm))} ms — median of ${RUNS}`,
)
