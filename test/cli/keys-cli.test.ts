import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, test } from 'node:test'
import { authenticate } from '../../src/auth/authenticate.ts'
import { createWorkspace } from '../../src/workspace/create-workspace.ts'
import { createTestDatabase } from '../helpers/db.ts'

let database: Awaited<ReturnType<typeof createTestDatabase>>
before(async () => {
  database = await createTestDatabase()
  await createWorkspace({ db: database.db }, { slug: 'acme', name: 'Acme' })
})
after(() => database.close())

function accord(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', ...args],
      { env: { ...process.env, DATABASE_URL: database.url, ACCORD_LOG_LEVEL: 'silent' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    )
  })
}

test('`keys create` prints a secret that authenticates with its role; `keys revoke` ends it', async () => {
  const created = await accord(['keys', 'create', '--name', 'Segment', '--role', 'ingest'])
  assert.equal(created.code, 0, created.stderr)
  const secret = created.stdout.trim().split('\n').at(-1)!
  assert.match(secret, /^acc_/)
  const principal = await authenticate({ db: database.db }, secret)
  assert.equal(principal?.role, 'ingest')
  assert.equal(principal?.name, 'Segment')

  const listed = await accord(['keys', 'list'])
  assert.match(listed.stdout, /ingest\tactive\tSegment/)
  assert.ok(!listed.stdout.includes(secret), 'a listing never shows a secret')

  const revoked = await accord(['keys', 'revoke', String(principal!.keyId)])
  assert.equal(revoked.code, 0, revoked.stderr)
  assert.equal(await authenticate({ db: database.db }, secret), null)
})

test('`keys create` refuses an unknown role with a clear error', async () => {
  const r = await accord(['keys', 'create', '--name', 'x', '--role', 'superuser'])
  assert.equal(r.code, 1)
  assert.match(r.stderr, /role must be one of admin, marketing, sales, rep, ingest/)
})
