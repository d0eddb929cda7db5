/**
 * Forward-only SQL migrations in src/db/migrations, applied at start in file-name order, each in its own
 * transaction. Each applied file's SHA-256 is recorded; an edited migration is refused, because the databases
 * that already ran it would silently differ from new ones. Change the schema with a new file instead.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type pg from 'pg'

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations')
// Any constant works; it only has to be the same for every Accord process sharing a database.
const MIGRATION_LOCK = 4_600_001

export type Migration = { id: string; sql: string; checksum: string }

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((id) => {
      const sql = readFileSync(join(dir, id), 'utf8')
      return { id, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    })
}

/** Applies pending migrations; returns the ids applied. Safe to call from several processes at once. */
export async function migrate(pool: pg.Pool, migrations = listMigrations()): Promise<string[]> {
  const client = await pool.connect()
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK])
    await client.query(
      'create table if not exists accord_migration (id text primary key, checksum text not null, applied_at timestamptz not null default now())',
    )
    const applied = new Map(
      (await client.query<{ id: string; checksum: string }>('select id, checksum from accord_migration')).rows.map(
        (r) => [r.id, r.checksum],
      ),
    )
    const done: string[] = []
    for (const m of migrations) {
      const previous = applied.get(m.id)
      if (previous !== undefined) {
        if (previous !== m.checksum) {
          throw new Error(
            `migration ${m.id} was edited after it was applied (checksum ${previous.slice(0, 12)} → ${m.checksum.slice(0, 12)}); migrations are forward-only: restore it and add a new migration`,
          )
        }
        continue
      }
      await client.query('begin')
      try {
        await client.query(m.sql)
        await client.query('insert into accord_migration (id, checksum) values ($1, $2)', [m.id, m.checksum])
        await client.query('commit')
      } catch (e) {
        await client.query('rollback')
        throw new Error(`migration ${m.id} failed: ${(e as Error).message}`)
      }
      done.push(m.id)
    }
    return done
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    client.release()
  }
}
