import type { Ctx } from '../context.ts'
import type { RequestPrincipal } from './principal.ts'
import { sessionExpiry, sessionIdOf } from './session-token.ts'

export type FoundSession = { id: string; csrfToken: string; expiresAt: Date; principal: RequestPrincipal }

// Refreshing the idle deadline on every request would write on every read; once a minute is precise enough.
const TOUCH_EVERY_MS = 60_000

/**
 * The session a cookie token stands for, or null when it is unknown, expired, or its key was revoked or its user
 * disabled since log-in. Extends the idle deadline as a side effect.
 *
 * Example: `const s = await findSession(ctx, request.cookies.accord_session)`
 */
export async function findSession(ctx: Pick<Ctx, 'db' | 'clock'>, token: string): Promise<FoundSession | null> {
  const db = ctx.db
  const now = ctx.clock()
  const row = await db
    .selectFrom('session')
    .leftJoin('api_key', 'api_key.id', 'session.api_key_id')
    .leftJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id',
      'session.workspace_id',
      'session.api_key_id',
      'session.user_id',
      'session.role',
      'session.rep_id',
      'session.csrf_token',
      'session.created_at',
      'session.expires_at',
      'session.last_seen_at',
      'api_key.name as key_name',
      'api_key.revoked_at as key_revoked_at',
      'app_user.display_name as user_name',
      'app_user.disabled_at as user_disabled_at',
    ])
    .where('session.id', '=', sessionIdOf(token))
    .executeTakeFirst()
  if (!row || row.expires_at.getTime() <= now) return null
  if (row.api_key_id !== null && (row.key_revoked_at || row.key_name === null)) return null
  if (row.user_id !== null && (row.user_disabled_at || row.user_name === null)) return null
  let expiresAt = row.expires_at
  if (now - row.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
    expiresAt = sessionExpiry(row.created_at.getTime(), now)
    await db
      .updateTable('session')
      .set({ last_seen_at: new Date(now), expires_at: expiresAt })
      .where('id', '=', row.id)
      .execute()
  }
  return {
    id: row.id,
    csrfToken: row.csrf_token,
    expiresAt,
    principal: {
      keyId: row.api_key_id,
      userId: row.user_id,
      workspaceId: row.workspace_id,
      name: (row.user_name ?? row.key_name)!,
      role: row.role,
      repId: row.rep_id,
    },
  }
}
