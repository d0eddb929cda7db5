import type { Ctx } from '../context.ts'
import { AppError, type Issue } from '../core/errors.ts'
import type { LoginRole } from '../db/schema.ts'
import { hashPassword } from './hash-password.ts'

export const LOGIN_ROLES: readonly LoginRole[] = ['admin', 'marketing', 'sales', 'rep']
export const MIN_PASSWORD_LENGTH = 10

export type UserListing = {
  id: number
  username: string
  display_name: string
  role: LoginRole
  rep_id: string | null
  created_at: Date
  disabled_at: Date | null
}

export type CreateUserInput = {
  workspaceId: number
  username: string
  displayName: string
  role: string
  repId?: string | null
  password: string
}

function validate(input: CreateUserInput): Issue[] {
  const issues: Issue[] = []
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/.test(input.username.trim()))
    issues.push({ path: 'username', message: '2–64 letters, digits, dots, dashes, underscores or @' })
  if (!input.displayName.trim()) issues.push({ path: 'display_name', message: 'must not be empty' })
  if (!LOGIN_ROLES.includes(input.role as LoginRole))
    issues.push({
      path: 'role',
      message:
        input.role === 'ingest'
          ? 'an ingest principal sends data and never logs in: create an ingest API key instead'
          : `expected one of ${LOGIN_ROLES.join(', ')}`,
    })
  if (input.role === 'rep' && !input.repId?.trim())
    issues.push({ path: 'rep_id', message: 'a rep user needs the rep (Agreement rep id) they act for' })
  if (input.password.length < MIN_PASSWORD_LENGTH)
    issues.push({ path: 'password', message: `at least ${MIN_PASSWORD_LENGTH} characters` })
  if (input.password.length > 256) issues.push({ path: 'password', message: 'at most 256 characters' })
  return issues
}

/**
 * Creates a user who logs in to the dashboard with a username and password. Usernames are unique per workspace,
 * case-insensitively; the password is stored only as a scrypt hash.
 *
 * Example: `await createUser(ctx, { workspaceId, username: 'priya', displayName: 'Priya Natarajan', role: 'marketing', password })`
 */
export async function createUser(ctx: Pick<Ctx, 'db'>, input: CreateUserInput): Promise<UserListing> {
  const issues = validate(input)
  if (issues.length > 0)
    throw new AppError(
      'invalid_input',
      `${issues.length} problem${issues.length === 1 ? '' : 's'} with the user`,
      issues,
    )
  const db = ctx.db
  const username = input.username.trim()
  const taken = await db
    .selectFrom('app_user')
    .select('id')
    .where('workspace_id', '=', input.workspaceId)
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst()
  if (taken) throw new AppError('conflict', `the username "${username}" is taken in this workspace`)
  return db
    .insertInto('app_user')
    .values({
      workspace_id: input.workspaceId,
      username,
      display_name: input.displayName.trim(),
      role: input.role as LoginRole,
      rep_id: input.role === 'rep' ? input.repId!.trim() : null,
      password_hash: await hashPassword(input.password),
    })
    .returning(['id', 'username', 'display_name', 'role', 'rep_id', 'created_at', 'disabled_at'])
    .executeTakeFirstOrThrow()
}
