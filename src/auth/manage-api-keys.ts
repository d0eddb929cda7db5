import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'

export type KeyListing = {
  id: number
  name: string
  role: string
  prefix: string
  rep_id: string | null
  created_at: Date
  revoked_at: Date | null
}

export async function listApiKeys(ctx: Pick<Ctx, 'db'>, workspaceId: number): Promise<KeyListing[]> {
  return ctx.db
    .selectFrom('api_key')
    .select(['id', 'name', 'role', 'prefix', 'rep_id', 'created_at', 'revoked_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute()
}

/** Revokes a key by id or by its visible prefix. Revoking twice is a no-op. */
export async function revokeApiKey(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  idOrPrefix: string,
): Promise<KeyListing> {
  const byId = /^\d+$/.test(idOrPrefix)
  const row = await ctx.db
    .updateTable('api_key')
    .set({ revoked_at: new Date(ctx.clock()) })
    .where('workspace_id', '=', workspaceId)
    .where(byId ? 'id' : 'prefix', '=', byId ? Number(idOrPrefix) : idOrPrefix)
    .where('revoked_at', 'is', null)
    .returning(['id', 'name', 'role', 'prefix', 'rep_id', 'created_at', 'revoked_at'])
    .executeTakeFirst()
  if (row) return row
  const existing = await ctx.db
    .selectFrom('api_key')
    .select(['id', 'name', 'role', 'prefix', 'rep_id', 'created_at', 'revoked_at'])
    .where('workspace_id', '=', workspaceId)
    .where(byId ? 'id' : 'prefix', '=', byId ? Number(idOrPrefix) : idOrPrefix)
    .executeTakeFirst()
  if (!existing) throw new AppError('not_found', `no key ${idOrPrefix} in this workspace`)
  return existing
}
