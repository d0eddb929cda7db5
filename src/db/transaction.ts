import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

export type Tx = Transaction<DB>

/** Runs `fn` in one transaction; everything it writes commits together or not at all. */
export function withTransaction<T>(db: Kysely<DB>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn)
}

/** The SQLSTATE of a PostgreSQL error (`40P01` for a deadlock), or null for any other error. */
export function sqlStateOf(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.length === 5 ? code : null
}

/**
 * Like withTransaction, but a transaction that fails with an error `isTransient` accepts (a deadlock, a race another
 * transaction won) is rolled back and run again from the start, at most `attempts` times in all. `fn` must do nothing
 * outside the transaction, since it may run more than once.
 *
 * Example: `await withRetriedTransaction(db, (tx) => write(tx), (e) => sqlStateOf(e) === '40P01')`
 */
export function withRetriedTransaction<T>(
  db: Kysely<DB>,
  fn: (tx: Tx) => Promise<T>,
  isTransient: (e: unknown) => boolean,
  attempts = 5,
): Promise<T> {
  return withRetries(() => withTransaction(db, fn), isTransient, attempts)
}

/**
 * Runs `fn` again when it fails with an error `isTransient` accepts, at most `attempts` times in all: for idempotent
 * work done statement by statement, each its own transaction.
 */
export async function withRetries<T>(
  fn: () => Promise<T>,
  isTransient: (e: unknown) => boolean,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (e) {
      if (attempt >= attempts || !isTransient(e)) throw e
    }
  }
}
