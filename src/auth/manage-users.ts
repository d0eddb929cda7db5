import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import type { UserListing } from './create-user.ts'

const COLUMNS = ['id', 'username', 'display_name', 'role', 'rep_id', 'created_at', 'disabled_at'] as const

export async function listUsers(ctx: Pick<Ctx, 'db'>, workspaceId: number): Promise<UserListing[]> {
  return ctx.db.selectFrom('app_user').select(COLUMNS).where('workspace_id', '=', workspaceId).orderBy('id').execute()
}

/** Disables a user and ends their sessions at once. Disabling twice is a no-op. */
export async function disableUser(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  userId: number,
): Promise<UserListing> {
  const db = ctx.db
  const row = await db
    .updateTable('app_user')
    .set((eb) => ({ disabled_at: eb.fn.coalesce('disabled_at', eb.val(new Date(ctx.clock()))) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .returning(COLUMNS)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', `no user ${userId} in this workspace`)
  await db.deleteFrom('session').where('user_id', '=', userId).execute()
  return row
}
