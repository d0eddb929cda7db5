/**
 * A fresh, migrated database per test file on the server the test run uses (embedded or DATABASE_URL), so test
 * files run in parallel without seeing each other's rows. Never a mock: real PostgreSQL.
 */
import { randomBytes } from 'node:crypto'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from '../../src/db/database.ts'
import { migrate } from '../../src/db/migrate.ts'
import { createPool } from '../../src/db/pool.ts'
import type { DB } from '../../src/db/schema.ts'

function serverUrl(): string {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is not set: run tests with `npm test`, which provides a database')
  return url
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

/** Example: `const database = await createTestDatabase(); after(() => database.close())` */
export async function createTestDatabase(opts: { poolSize?: number } = {}): Promise<Database & { name: string }> {
  const url = serverUrl()
  const name = `accord_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const dbUrl = withDatabase(url, name)
  const pool = createPool(dbUrl, opts.poolSize)
  await migrate(pool)
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return {
    name,
    db,
    pool,
    kind: process.env.ACCORD_TEST_DB_KIND === 'embedded' ? 'embedded' : 'server',
    url: dbUrl,
    async close() {
      await db.destroy()
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}
