import type { Kysely } from 'kysely'
import type { AnalyticsTables, DB } from '../db/schema.ts'

/**
 * The database handle with the analytics tables (migration 0006) typed in: review packs and action items.
 *
 * @example await analyticsDb(ctx.db).selectFrom('review_pack').selectAll().execute()
 */
export function analyticsDb(db: Kysely<DB>): Kysely<DB & AnalyticsTables> {
  return db.withTables<AnalyticsTables>()
}
