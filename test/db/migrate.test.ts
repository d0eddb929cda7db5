import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { listMigrations, migrate } from '../../src/db/migrate.ts'
import { createTestDatabase } from '../helpers/db.ts'

let database: Awaited<ReturnType<typeof createTestDatabase>>
before(async () => {
  database = await createTestDatabase()
})
after(() => database.close())

test('migrations applied once are not applied again', async () => {
  assert.deepEqual(await migrate(database.pool), [])
  const rows = await database.pool.query('select id from accord_migration order by id')
  assert.deepEqual(
    rows.rows.map((r) => r.id),
    listMigrations().map((m) => m.id),
  )
})

test('an applied migration that was edited afterwards is refused, naming it', async () => {
  const edited = listMigrations().map((m, i) =>
    i === 0 ? { ...m, sql: `${m.sql}\n-- edited`, checksum: 'f'.repeat(64) } : m,
  )
  await assert.rejects(
    migrate(database.pool, edited),
    /migration 0001_foundation\.sql was edited after it was applied .*forward-only/,
  )
})

test('several processes migrating at once apply each migration exactly once', async () => {
  const fresh = await createTestDatabase()
  try {
    await fresh.pool.query('drop table accord_migration')
    await fresh.pool.query('drop schema public cascade')
    await fresh.pool.query('create schema public')
    const results = await Promise.all([migrate(fresh.pool), migrate(fresh.pool), migrate(fresh.pool)])
    const applied = results.flat()
    assert.deepEqual(
      applied.sort(),
      listMigrations()
        .map((m) => m.id)
        .sort(),
    )
  } finally {
    await fresh.close()
  }
})
