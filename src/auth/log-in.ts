import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import { authenticate } from './authenticate.ts'
import { verifyAgainstDummy, verifyPassword } from './hash-password.ts'
import type { RequestPrincipal } from './principal.ts'
import { newCsrfToken, newSessionToken, SESSION_IDLE_MS, sessionIdOf } from './session-token.ts'

export type LogInInput =
  | { kind: 'api_key'; secret: string }
  | { kind: 'password'; username: string; password: string; workspace?: string | null }

export type LoggedIn = {
  /** Goes into the HTTP-only cookie; never stored. */
  token: string
  csrfToken: string
  expiresAt: Date
  principal: RequestPrincipal
}

/** One message for an unknown username and a wrong password, so the answer does not reveal which users exist. */
export const BAD_CREDENTIALS = 'unknown username or wrong password'

async function principalForPassword(
  ctx: Pick<Ctx, 'db'>,
  input: Extract<LogInInput, { kind: 'password' }>,
): Promise<RequestPrincipal> {
  let query = ctx.db
    .selectFrom('app_user')
    .innerJoin('workspace', 'workspace.id', 'app_user.workspace_id')
    .select([
      'app_user.id',
      'app_user.workspace_id',
      'app_user.display_name',
      'app_user.role',
      'app_user.rep_id',
      'app_user.password_hash',
      'app_user.disabled_at',
    ])
    .where((eb) => eb(eb.fn('lower', ['app_user.username']), '=', input.username.trim().toLowerCase()))
  if (input.workspace) query = query.where('workspace.slug', '=', input.workspace)
  const candidates = await query.orderBy('app_user.id').execute()
  if (candidates.length === 0) {
    await verifyAgainstDummy(input.password)
    throw new AppError('unauthenticated', BAD_CREDENTIALS)
  }
  // The same username may exist in several workspaces; the password says which one is meant.
  for (const user of candidates) {
    if (!(await verifyPassword(input.password, user.password_hash))) continue
    if (user.disabled_at) throw new AppError('forbidden', 'this user is disabled: ask an admin to create a new one')
    return {
      keyId: null,
      userId: user.id,
      workspaceId: user.workspace_id,
      name: user.display_name,
      role: user.role,
      repId: user.rep_id,
    }
  }
  throw new AppError('unauthenticated', BAD_CREDENTIALS)
}

async function principalForKey(ctx: Pick<Ctx, 'db'>, secret: string): Promise<RequestPrincipal> {
  // Keys are looked up by their SHA-256: comparing hashes leaks nothing useful about the secret.
  const key = await authenticate(ctx, secret.trim())
  if (!key) throw new AppError('unauthenticated', 'unknown or revoked API key')
  if (key.role === 'ingest')
    throw new AppError('forbidden', 'an ingest key sends events and records; it cannot log in to the dashboard')
  return { ...key, userId: null }
}

/**
 * Opens a dashboard session for an API key or a username and password. Refuses ingest keys, revoked keys and
 * disabled users.
 *
 * Example: `const { token, csrfToken } = await logIn(ctx, { kind: 'password', username: 'priya', password })`
 */
export async function logIn(ctx: Pick<Ctx, 'db' | 'clock'>, input: LogInInput): Promise<LoggedIn> {
  const principal =
    input.kind === 'api_key' ? await principalForKey(ctx, input.secret) : await principalForPassword(ctx, input)
  if (principal.role === 'ingest') throw new AppError('forbidden', 'an ingest principal cannot log in')
  const token = newSessionToken()
  const csrfToken = newCsrfToken()
  const now = ctx.clock()
  const expiresAt = new Date(now + SESSION_IDLE_MS)
  const db = ctx.db
  // Expired sessions are swept at log-in, the one moment that adds rows; no scheduler needed.
  await db.deleteFrom('session').where('expires_at', '<', new Date(now)).execute()
  await db
    .insertInto('session')
    .values({
      id: sessionIdOf(token),
      workspace_id: principal.workspaceId,
      api_key_id: principal.keyId,
      user_id: principal.userId,
      role: principal.role,
      rep_id: principal.repId,
      csrf_token: csrfToken,
      created_at: new Date(now),
      expires_at: expiresAt,
      last_seen_at: new Date(now),
    })
    .execute()
  return { token, csrfToken, expiresAt, principal }
}
