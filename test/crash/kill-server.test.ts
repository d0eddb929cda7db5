import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import pg from 'pg'
import { createTestDatabase } from '../helpers/db.ts'
import { freePort, killHard, startServer, stopGracefully } from '../helpers/server-process.ts'

const ADMIN = 'acc_test_admin_key_for_crash_test'
const TOTAL = 20_000
const BATCH = 500

function batch(n: number) {
  return {
    events: Array.from({ length: BATCH }, (_, i) => {
      const k = n * BATCH + i
      return {
        id: `crash_${k}`,
        type: 'page_view',
        occurred_at: new Date(Date.UTC(2026, 10, 1) + k * 1000).toISOString(),
        person: { email: `p${k % 2000}@company${k % 300}.com` },
        properties: { path: k % 7 === 0 ? '/pricing' : '/blog' },
        context: { source: 'google', medium: 'cpc', campaign: 'q4' },
      }
    }),
  }
}

async function send(base: string, n: number): Promise<number> {
  const res = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
    body: JSON.stringify(batch(n)),
  })
  if (!res.ok) throw new Error(`batch ${n}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { accepted: number }).accepted
}

// The embedded run exercises the harder path: the killed server leaves its PostgreSQL orphaned and the
// restarted one must take over the data directory. Against a server, the child uses a fresh database.
const embedded = process.env.ACCORD_TEST_DB_KIND === 'embedded'
const dataDir = mkdtempSync(join(tmpdir(), 'accord-crash-'))
const database = embedded ? null : await createTestDatabase()
after(async () => {
  await database?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

test('a server killed with SIGKILL mid-import loses no event and duplicates none once the import is re-run', async () => {
  const env = {
    ACCORD_DATA_DIR: dataDir,
    ACCORD_ADMIN_KEY: ADMIN,
    ACCORD_DEMO: 'false',
    DATABASE_URL: database?.url ?? '',
  }
  const port = await freePort()
  const first = await startServer(env, port)
  const batches = TOTAL / BATCH
  let sent = 0
  let killed = false
  // Two batches in flight; kill the server while some are still being written.
  await Promise.all(
    [0, 1].map(async (lane) => {
      for (let n = lane; n < batches; n += 2) {
        if (killed) return
        if (n >= 12 && !killed) {
          killed = true
          await killHard(first)
          return
        }
        try {
          sent += await send(first.base, n)
        } catch {
          return
        }
      }
    }),
  )
  assert.ok(killed, 'the server was killed during the import')
  assert.ok(sent < TOTAL)

  const second = await startServer(env, port)
  let accepted = 0
  for (let n = 0; n < batches; n++) accepted += await send(second.base, n)

  const url = database?.url ?? null
  const count = async (): Promise<{ n: number; distinct: number }> => {
    const res = await fetch(`${second.base}/health`)
    assert.equal(res.status, 200)
    if (url) {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      const r = await c.query(
        "select count(*)::int as n, count(distinct id)::int as distinct from event where id like 'crash_%'",
      )
      await c.end()
      return r.rows[0]
    }
    // Embedded: ask through the CLI, which shares the running server's database (the data-directory lock).
    const out = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/sql.ts',
        "select count(*)::int as n, count(distinct id)::int as distinct from event where id like 'crash_%'",
      ],
      {
        env: { ...process.env, ...env, DATABASE_URL: '' },
        encoding: 'utf8',
      },
    )
    assert.equal(out.status, 0, out.stderr)
    return JSON.parse(out.stdout)[0]
  }
  const { n, distinct } = await count()
  assert.equal(n, TOTAL, 'every event stored')
  assert.equal(distinct, TOTAL, 'none stored twice')
  // A batch can commit after its client lost the connection, so the re-run may find more already stored than
  // was acknowledged; it must never accept an event twice.
  assert.ok(accepted <= TOTAL - sent, `re-run accepted ${accepted}, more than the ${TOTAL - sent} never acknowledged`)
  await stopGracefully(second)
})
