/**
 * Notification endpoints: Slack incoming webhooks, email (over the configured SMTP server) and generic webhooks
 * signed the Standard Webhooks way. A URL that is not absolute http(s) is refused before anything is written. A
 * webhook's secret is generated here unless given, shown once in the create response, and kept readable because
 * every attempt is signed with it. Endpoints are disabled, never deleted: outbox rows keep pointing at them.
 */
import { randomBytes } from 'node:crypto'
import type { Ctx } from '../context.ts'
import { AppError, type Issue } from '../core/errors.ts'
import { checkWebhookSecret, generateWebhookSecret } from '../core/notify/index.ts'
import type { EndpointKind } from '../db/schema.ts'
import { validateEndpointUrl } from '../notify/index.ts'

export type EndpointInput = {
  kind: EndpointKind
  name: string
  url?: string
  secret?: string
  emailTo?: string
  repId?: string
  team?: string
  topics?: string[]
}

export const ENDPOINT_TOPICS = [
  'lead.handed_off',
  'lead.reassigned',
  'sla.warning',
  'sla.breached',
  'sla.escalated',
  'lead.disposition',
] as const

/**
 * @example await createEndpoint(ctx, ws, { kind: 'webhook', name: 'CRM', url: 'https://crm.example.com/hooks/accord' })
 * // { id: 3, kind: 'webhook', secret: 'whsec_…', … }
 */
export async function createEndpoint(ctx: Pick<Ctx, 'db'>, workspaceId: number, input: EndpointInput) {
  const issues: Issue[] = []
  let secret: string | null = null
  if (input.kind === 'email') {
    if (input.url)
      issues.push({ path: 'url', message: 'an email endpoint has no URL (it sends through ACCORD_SMTP_URL)' })
  } else {
    const check = validateEndpointUrl(input.url ?? '')
    if (check.kind === 'invalid') issues.push({ path: 'url', message: check.reason })
  }
  if (input.kind === 'webhook') {
    secret = input.secret ?? generateWebhookSecret((n) => randomBytes(n))
    const problem = checkWebhookSecret(secret)
    if (problem) issues.push({ path: 'secret', message: problem })
  } else if (input.secret) issues.push({ path: 'secret', message: `a ${input.kind} endpoint takes no secret` })
  for (const [i, t] of (input.topics ?? []).entries())
    if (!(ENDPOINT_TOPICS as readonly string[]).includes(t))
      issues.push({ path: `topics[${i}]`, message: `unknown topic "${t}"; topics are ${ENDPOINT_TOPICS.join(', ')}` })
  if (issues.length > 0)
    throw new AppError('invalid_input', `${issues.length} problem(s) in the endpoint; nothing was written`, issues)
  const row = await ctx.db
    .insertInto('notification_endpoint')
    .values({
      workspace_id: workspaceId,
      kind: input.kind,
      name: input.name,
      url: input.kind === 'email' ? null : input.url!.trim(),
      secret,
      email_to: input.emailTo ?? null,
      rep_id: input.repId ?? null,
      team: input.team ?? null,
      topics: input.topics ?? [],
    })
    .returning(['id', 'kind', 'name', 'url', 'email_to', 'rep_id', 'team', 'topics', 'created_at'])
    .executeTakeFirstOrThrow()
  return { ...row, secret }
}

/** Active endpoints; secrets are never listed (only shown on create). */
export async function listEndpoints(ctx: Pick<Ctx, 'db'>, workspaceId: number) {
  return ctx.db
    .selectFrom('notification_endpoint')
    .select(['id', 'kind', 'name', 'url', 'email_to', 'rep_id', 'team', 'topics', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .execute()
}

export async function disableEndpoint(ctx: Pick<Ctx, 'db' | 'clock'>, workspaceId: number, id: number) {
  const r = await ctx.db
    .updateTable('notification_endpoint')
    .set({ disabled_at: new Date(ctx.clock()).toISOString() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .returning(['id', 'name'])
    .executeTakeFirst()
  if (!r) throw new AppError('not_found', `no endpoint ${id}`)
  return r
}
