/**
 * The dashboard build: esbuild bundles web/src/main.tsx (React, TanStack Query) into content-hashed ES modules and
 * CSS under `<outDir>/assets/`, writes `index.html` pointing at them, and a gzip sibling of every text file so the
 * server sends precompressed bytes. Pages are split into chunks loaded on first visit.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join, relative, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..')
export const WEB_SOURCE = join(PROJECT_ROOT, 'web')
export const DEFAULT_WEB_OUT = join(PROJECT_ROOT, 'dist/web')

export type BuiltFile = { path: string; bytes: number; gzipBytes: number }
export type WebBuild = {
  outDir: string
  files: BuiltFile[]
  /** All JavaScript a first visit may load (entry and every chunk), gzipped. */
  jsGzipBytes: number
  /** What the first page load needs before any page chunk: the entry script and the stylesheet, gzipped. */
  entryGzipBytes: number
  ms: number
}

const COMPRESSIBLE = /\.(js|css|html|svg|json|map)$/

function htmlPage(script: string, styles: string[], icon: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Accord</title>
<link rel="icon" href="/assets/${icon}" type="image/svg+xml">
${styles.map((s) => `<link rel="stylesheet" href="/assets/${s}">`).join('\n')}
<script type="module" src="/assets/${script}"></script>
</head>
<body>
<div id="root"></div>
<noscript>Accord's dashboard needs JavaScript. The API is at <a href="/docs">/docs</a>.</noscript>
</body>
</html>
`
}

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#3b5bdb"/><path d="M9 22l7-13 7 13M12 17h8" stroke="#fff" stroke-width="2.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`

function listFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) listFiles(p, out)
    else out.push(p)
  }
  return out
}

/**
 * Builds the dashboard into `outDir` (default dist/web). The new build is written beside the old one and swapped
 * in with a rename, so a server reading the folder never sees a half-written build.
 *
 * Example: `const { jsGzipBytes } = await buildWeb()`
 */
export async function buildWeb(opts: { outDir?: string; minify?: boolean } = {}): Promise<WebBuild> {
  const started = performance.now()
  const outDir = resolve(opts.outDir ?? DEFAULT_WEB_OUT)
  const staging = `${outDir}.staging-${process.pid}`
  rmSync(staging, { recursive: true, force: true })
  const assets = join(staging, 'assets')
  mkdirSync(assets, { recursive: true })
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: { app: join(WEB_SOURCE, 'src/main.tsx') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox115', 'safari16.4'],
    outdir: assets,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    minify: opts.minify ?? true,
    sourcemap: 'external',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
  })
  const outputs = Object.entries(result.metafile.outputs)
  // Lazily loaded pages are entry points too (of their own chunks); the app script is the one built from main.tsx.
  const entryJs = outputs.find(([p, o]) => o.entryPoint?.endsWith('web/src/main.tsx') && p.endsWith('.js'))
  if (!entryJs) throw new Error('esbuild produced no entry script')
  const css = entryJs[1].cssBundle
  const iconName = 'icon-accord.svg'
  writeFileSync(join(assets, iconName), ICON)
  writeFileSync(join(staging, 'index.html'), htmlPage(basename(entryJs[0]), css ? [basename(css)] : [], iconName))

  const files: BuiltFile[] = []
  for (const file of listFiles(staging)) {
    const bytes = statSync(file).size
    let gzipBytes = bytes
    if (COMPRESSIBLE.test(file)) {
      const gz = gzipSync(readFileSync(file), { level: 9 })
      writeFileSync(`${file}.gz`, gz)
      gzipBytes = gz.length
    }
    files.push({ path: relative(staging, file), bytes, gzipBytes })
  }
  rmSync(`${outDir}.old-${process.pid}`, { recursive: true, force: true })
  try {
    renameSync(outDir, `${outDir}.old-${process.pid}`)
  } catch {
    // No previous build.
  }
  renameSync(staging, outDir)
  rmSync(`${outDir}.old-${process.pid}`, { recursive: true, force: true })

  const js = files.filter((f) => f.path.endsWith('.js'))
  const entryName = basename(entryJs[0])
  return {
    outDir,
    files,
    jsGzipBytes: js.reduce((a, f) => a + f.gzipBytes, 0),
    entryGzipBytes: files
      .filter((f) => f.path === `assets/${entryName}` || (css && f.path === `assets/${basename(css)}`))
      .reduce((a, f) => a + f.gzipBytes, 0),
    ms: performance.now() - started,
  }
}
