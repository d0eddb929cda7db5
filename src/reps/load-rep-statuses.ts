/**
 * The stored rep statuses of a workspace, as the routing core takes them. Read inside the routing transaction, so
 * a status committed before a lead is routed is the one routing sees.
 */
import type { Kysely } from 'kysely'
import type { RepStatus } from '../core/routing/index.ts'
import type { DB, RepStatusOutOfOffice } from '../db/schema.ts'

/** A stored status row in API shape (snake_case, as `GET /v1/reps` returns it). */
export type StoredRepStatus = {
  rep_id: string
  active: boolean | null
  out_of_office: RepStatusOutOfOffice[]
  note: string | null
  updated_by: string
  updated_at: Date
}

/** Every stored status of the workspace (one row per rep that has one). */
export async function listStoredRepStatuses(db: Kysely<DB>, workspaceId: number): Promise<StoredRepStatus[]> {
  return db
    .selectFrom('rep_status')
    .select(['rep_id', 'active', 'out_of_office', 'note', 'updated_by', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('rep_id')
    .execute()
}

/**
 * @example applyRepStatuses(plan.reps, await loadRepStatuses(tx, workspaceId))
 */
export async function loadRepStatuses(db: Kysely<DB>, workspaceId: number): Promise<RepStatus[]> {
  return (await listStoredRepStatuses(db, workspaceId)).map(toRepStatus)
}

export function toRepStatus(row: Pick<StoredRepStatus, 'rep_id' | 'active' | 'out_of_office'>): RepStatus {
  return {
    repId: row.rep_id,
    active: row.active,
    outOfOffice: row.out_of_office.map((o) => ({ from: o.from, to: o.to, ...(o.note ? { note: o.note } : {}) })),
  }
}
