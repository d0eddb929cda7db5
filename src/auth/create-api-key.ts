import { createHash, randomBytes } from 'node:crypto'
import type { Ctx } from '../context.ts'
import { ROLES } from '../core/auth/roles.ts'
import { AppError } from '../core/errors.ts'
import type { Role } from '../db/schema.ts'

export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** The part of a key shown in listings: enough to recognise it, useless to an attacker. */
export function keyPrefix(secret: string): string {
  return secret.slice(0, 12)
}

export type CreatedKey = { id: number; name: string; role: Role; prefix: string; secret: string }

/**
 * Creates a key for a workspace. The secret is returned once and stored only as its SHA-256 hash (keys are
 * 192-bit random, so a fast hash is as safe as a slow one and keeps authentication cheap).
 *
 * Example: `const { secret } = await createApiKey(ctx, { workspaceId, name: 'Segment', role: 'ingest' })`
 */
export async function createApiKey(
  ctx: Pick<Ctx, 'db'>,
  input: { workspaceId: number; name: string; role: Role; repId?: string | null; secret?: string },
): Promise<CreatedKey> {
  if (!ROLES.includes(input.role)) {
    throw new AppError('invalid_input', `role must be one of ${ROLES.join(', ')}`, [
      { path: 'role', message: `unknown role "${input.role}"` },
    ])
  }
  if (input.role === 'rep' && !input.repId) {
    throw new AppError('invalid_input', 'a rep key needs the rep it acts for', [
      { path: 'rep_id', message: 'required for role rep' },
    ])
  }
  const name = input.name.trim()
  if (!name) throw new AppError('invalid_input', 'a key needs a name', [{ path: 'name', message: 'must not be empty' }])
  const secret = input.secret ?? `acc_${randomBytes(24).toString('base64url')}`
  if (secret.length < 16) {
    throw new AppError('invalid_input', 'a key must be at least 16 characters', [
      { path: 'secret', message: 'too short' },
    ])
  }
  const row = await ctx.db
    .insertInto('api_key')
    .values({
      workspace_id: input.workspaceId,
      name,
      role: input.role,
      prefix: keyPrefix(secret),
      hash: hashKey(secret),
      rep_id: input.repId ?? null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow()
  return { id: row.id, name, role: input.role, prefix: keyPrefix(secret), secret }
}
