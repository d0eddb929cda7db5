/**
 * Opens the database: the PostgreSQL server at DATABASE_URL, or the embedded one under the data directory.
 * Same SQL on both (PostgreSQL 15 and 18). Migrations are applied here, so every process that opens the
 * database sees the current schema.
 */
import { Kysely, PostgresDialect } from 'kysely'
import type pg from 'pg'
import { openEmbeddedDatabase } from './embedded.ts'
import { migrate } from './migrate.ts'
import { createPool } from './pool.ts'
import type { DB } from './schema.ts'

export type Database = {
  db: Kysely<DB>
  pool: pg.Pool
  kind: 'embedded' | 'server'
  url: string
  close(): Promise<void>
}

export type DatabaseOptions = {
  databaseUrl: string | null
  dataDir: string
  poolSize?: number
  log?: (line: string) => void
}

/** Example: `const { db, close } = await openDatabase({ databaseUrl: null, dataDir: '.accord' })` */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const embedded = opts.databaseUrl ? null : await openEmbeddedDatabase(opts.dataDir, { log: opts.log })
  const url = opts.databaseUrl ?? embedded!.url
  const pool = createPool(url, opts.poolSize)
  try {
    await migrate(pool)
  } catch (e) {
    await pool.end()
    await embedded?.stop()
    throw e
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    pool,
    kind: embedded ? 'embedded' : 'server',
    url,
    async close() {
      await db.destroy()
      await embedded?.stop()
    },
  }
}
