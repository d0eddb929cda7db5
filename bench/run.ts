/**
 * `npm run bench`: runs every benchmark in its own process, one after another (they would distort each other in
 * parallel on a 2-core machine), and prints their figures. `npm run bench -- ingest attribution` runs a subset.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const only = process.argv.slice(2)
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort()
let failed = 0
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`)
  // With the V8 flag `npm start` gives the server (package.json, docs/decisions.md): benches host the server.
  const r = spawnSync(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', `bench/${file}`], {
    stdio: 'inherit',
  })
  if (r.status !== 0) failed++
}
if (failed) {
  process.stderr.write(`${failed} benchmark(s) failed\n`)
  process.exit(1)
}
