/**
 * Runs the test suite with node:test through tsx. Node 20 cannot glob .ts test files itself, so this lists them.
 *
 * Database: tests use DATABASE_URL when it is set (any PostgreSQL >= 15, as a superuser that may create
 * databases); otherwise this starts one embedded PostgreSQL for the whole run in a temporary directory and
 * stops it afterwards. Each test file creates its own database (test/helpers/db.ts), so files run in parallel.
 *
 *   tsx scripts/run-tests.ts            unit and integration tests (self-contained)
 *   tsx scripts/run-tests.ts --data     the real-data suite, reading ../shared/data
 *   tsx scripts/run-tests.ts FILE...    only these files
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openEmbeddedDatabase } from '../src/db/embedded.ts'

const args = process.argv.slice(2)
const data = args.includes('--data')
const explicit = args.filter((a) => !a.startsWith('--'))

function walk(dir: string, out: string[] = []): string[] {
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return out
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p, out)
    else if (data ? name.endsWith('.data.test.ts') : name.endsWith('.test.ts') && !name.endsWith('.data.test.ts'))
      out.push(p)
  }
  return out
}

const files = explicit.length > 0 ? explicit : [...walk('src'), ...walk('test'), ...walk('test-data')].sort()
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}

const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' }
let stop = async () => {}
if (!env.DATABASE_URL) {
  const dir = mkdtempSync(join(tmpdir(), 'accord-test-'))
  const embedded = await openEmbeddedDatabase(dir)
  env.DATABASE_URL = embedded.url
  env.ACCORD_TEST_DB_KIND = 'embedded'
  stop = async () => {
    await embedded.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(`tests use an embedded PostgreSQL in ${dir}`)
} else {
  env.ACCORD_TEST_DB_KIND ??= 'server'
  console.log(`tests use the PostgreSQL server at ${env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}`)
}

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env,
})
const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))))
await stop()
process.exit(code)
