import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

export type Tx = Transaction<DB>

/** Runs `fn` in one transaction; everything it writes commits together or not at all. */
export function withTransaction<T>(db: Kysely<DB>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn)
}
