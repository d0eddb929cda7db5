/**
 * Debian's Chromium for browser tests and the dashboard bench, driven by playwright-core. Never a downloaded
 * browser: CI installs the `chromium` package (.ci/run). The flags keep Chromium off the network it cannot reach.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const SCREENSHOTS = join(process.cwd(), 'test-results/screenshots')

/** `describe(…, { skip: chromiumSkipReason() })`: false when Chromium is installed, else the reason. */
export function chromiumSkipReason(): false | string {
  return existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent: install Debian's chromium package to run browser tests`
}

/** A headless Chromium with a fresh temporary profile; screenshots go to SCREENSHOTS. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
