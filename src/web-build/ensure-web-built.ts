import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { buildWeb, DEFAULT_WEB_OUT, WEB_SOURCE, type WebBuild } from './build-web.ts'

function newestMtime(dir: string): number {
  let newest = 0
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue
    const p = join(dir, name)
    const s = statSync(p)
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs)
  }
  return newest
}

/** True when `outDir/index.html` is missing or older than the newest file under web/. */
export function isWebBuildStale(outDir = DEFAULT_WEB_OUT, sourceDir = WEB_SOURCE): boolean {
  const index = join(outDir, 'index.html')
  if (!existsSync(index)) return true
  if (!existsSync(sourceDir)) return false
  return statSync(index).mtimeMs < newestMtime(sourceDir)
}

/**
 * Builds the dashboard when its build is missing or stale; a no-op otherwise (an installed package whose web/
 * sources are absent serves the build it shipped with).
 *
 * Example: `await ensureWebBuilt({ log: (m) => logger.info(m) })`
 */
export async function ensureWebBuilt(
  opts: { outDir?: string; log?: (message: string) => void } = {},
): Promise<WebBuild | null> {
  if (!isWebBuildStale(opts.outDir)) return null
  opts.log?.('building the dashboard (web/ changed or dist/web is missing)')
  const built = await buildWeb({ outDir: opts.outDir })
  opts.log?.(
    `dashboard built in ${Math.round(built.ms)} ms: ${(built.jsGzipBytes / 1024).toFixed(0)} KB of JavaScript gzipped`,
  )
  return built
}
