import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import { normalizeDomain, normalizeEmail } from '../core/identity/identity.ts'

export async function findAccount(ctx: Pick<Ctx, 'db'>, workspaceId: number, rawDomain: string) {
  const domain = normalizeDomain(rawDomain)
  const account = domain
    ? await ctx.db
        .selectFrom('account')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('domain', '=', domain)
        .executeTakeFirst()
    : undefined
  if (!account) throw new AppError('not_found', `no account with domain ${rawDomain}`)
  const people = await ctx.db
    .selectFrom('person')
    .select(['id', 'email', 'first_name', 'last_name', 'title'])
    .where('account_id', '=', account.id)
    .orderBy('email')
    .limit(200)
    .execute()
  return { ...account, people }
}

export async function findPerson(ctx: Pick<Ctx, 'db'>, workspaceId: number, rawEmail: string) {
  const email = normalizeEmail(rawEmail)
  const person = email
    ? await ctx.db
        .selectFrom('person')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('email', '=', email)
        .executeTakeFirst()
    : undefined
  if (!person) throw new AppError('not_found', `no person with email ${rawEmail}`)
  const account = person.account_id
    ? await ctx.db
        .selectFrom('account')
        .select(['id', 'domain', 'name', 'industry', 'employees'])
        .where('id', '=', person.account_id)
        .executeTakeFirst()
    : null
  const events = await ctx.db
    .selectFrom('event')
    .select(['id', 'type', 'occurred_at', 'properties', 'source', 'medium', 'campaign', 'anonymous_id'])
    .where('person_id', '=', person.id)
    .orderBy('occurred_at', 'desc')
    .limit(100)
    .execute()
  return { ...person, account: account ?? null, events }
}
