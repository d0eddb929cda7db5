/**
 * `npm run build:web`: builds the dashboard into dist/web (what `npm start` serves) and prints what it shipped.
 *   tsx scripts/build-web.ts [--out DIR]
 */
import { buildWeb } from '../src/web-build/build-web.ts'

const outIndex = process.argv.indexOf('--out')
const built = await buildWeb({ outDir: outIndex > 0 ? process.argv[outIndex + 1] : undefined })
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
for (const f of built.files.filter((f) => !f.path.endsWith('.map')))
  process.stdout.write(`  ${f.path.padEnd(40)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzipBytes).padStart(9)}\n`)
process.stdout.write(
  `dashboard built into ${built.outDir} in ${Math.round(built.ms)} ms; JavaScript ${kb(built.jsGzipBytes)} gzipped (target ≤ 400 KB)\n`,
)
