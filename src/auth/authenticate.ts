import type { Ctx } from '../context.ts'
import { hashKey } from './create-api-key.ts'
import type { RequestPrincipal } from './principal.ts'

/** The principal a bearer secret stands for, or null for an unknown or revoked key. */
export async function authenticate(ctx: Pick<Ctx, 'db'>, secret: string): Promise<RequestPrincipal | null> {
  const row = await ctx.db
    .selectFrom('api_key')
    .select(['id', 'workspace_id', 'name', 'role', 'rep_id'])
    .where('hash', '=', hashKey(secret))
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return null
  return {
    keyId: row.id,
    userId: null,
    workspaceId: row.workspace_id,
    name: row.name,
    role: row.role,
    repId: row.rep_id,
  }
}
