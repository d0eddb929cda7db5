/**
 * Notification endpoints: Slack incoming webhooks, email (over the configured SMTP server) and generic webhooks
 * signed the Standard Webhooks way. A URL that is not absolute http(s) is refused before anything is written. A
 * webhook's secret is generated here unless given, shown once in the create response, and kept readable because
 * every attempt is signed with it; rotation replaces it and shows the new one once. Endpoints are edited in place
 * (never their kind) and disabled, never deleted: outbox rows keep pointing at them.
 */
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Ctx } from '../context.ts'
import { AppError, type Issue } from '../core/errors.ts'
import { checkWebhookSecret, generateWebhookSecret } from '../core/notify/index.ts'
import type { EndpointKind } from '../db/schema.ts'
import { type Tx, withTransaction } from '../db/transaction.ts'
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

function checkUrl(kind: EndpointKind, url: string | undefined, issues: Issue[]): void {
  if (kind === 'email') {
    if (url) issues.push({ path: 'url', message: 'an email endpoint has no URL (it sends through ACCORD_SMTP_URL)' })
    return
  }
  const check = validateEndpointUrl(url ?? '')
  if (check.kind === 'invalid') issues.push({ path: 'url', message: check.reason })
}

function checkTopics(topics: readonly string[] | undefined, issues: Issue[]): void {
  for (const [i, t] of (topics ?? []).entries())
    if (!(ENDPOINT_TOPICS as readonly string[]).includes(t))
      issues.push({ path: `topics[${i}]`, message: `unknown topic "${t}"; topics are ${ENDPOINT_TOPICS.join(', ')}` })
}

const ENDPOINT_COLUMNS = [
  'id',
  'kind',
  'name',
  'url',
  'email_to',
  'rep_id',
  'team',
  'topics',
  'created_at',
  'disabled_at',
] as const

/**
 * @example await createEndpoint(ctx, ws, { kind: 'webhook', name: 'CRM', url: 'https://crm.example.com/hooks/accord' })
 * // { id: 3, kind: 'webhook', secret: 'whsec_…', … }
 */
export async function createEndpoint(ctx: Pick<Ctx, 'db'>, workspaceId: number, input: EndpointInput) {
  const issues: Issue[] = []
  let secret: string | null = null
  checkUrl(input.kind, input.url, issues)
  if (input.kind === 'webhook') {
    secret = input.secret ?? generateWebhookSecret((n) => randomBytes(n))
    const problem = checkWebhookSecret(secret)
    if (problem) issues.push({ path: 'secret', message: problem })
  } else if (input.secret) issues.push({ path: 'secret', message: `a ${input.kind} endpoint takes no secret` })
  checkTopics(input.topics, issues)
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

/** What the delivery history says about an endpoint over the last `days` days. */
export type EndpointDeliveries = {
  delivered: number
  pending: number
  dead: number
  last_delivered_at: Date | null
  last_error: string | null
}

/**
 * Endpoints, oldest first, with their recent deliveries (last 7 days); disabled ones only when asked. Secrets are
 * never listed (only shown on create and on rotation).
 * @example await listEndpoints(ctx, ws, { includeDisabled: true }) // [{ id, kind, name, …, disabled_at, deliveries: { delivered: 12, … } }]
 */
export async function listEndpoints(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  opts: { includeDisabled?: boolean } = {},
) {
  let q = ctx.db.selectFrom('notification_endpoint').select(ENDPOINT_COLUMNS).where('workspace_id', '=', workspaceId)
  if (!opts.includeDisabled) q = q.where('disabled_at', 'is', null)
  const endpoints = await q.orderBy('id').execute()
  if (endpoints.length === 0) return []
  const since = new Date(ctx.clock() - 7 * 86_400_000)
  const stats = await sql<{
    endpoint_id: number
    delivered: string
    pending: string
    dead: string
    last_delivered_at: Date | null
  }>`select endpoint_id,
        count(*) filter (where status = 'delivered') as delivered,
        count(*) filter (where status = 'pending') as pending,
        count(*) filter (where status = 'dead') as dead,
        max(delivered_at) as last_delivered_at
      from outbox where workspace_id = ${workspaceId} and created_at >= ${since}
      group by endpoint_id`.execute(ctx.db)
  const errors = await sql<{ endpoint_id: number; last_error: string }>`select distinct on (endpoint_id)
        endpoint_id, last_error from outbox
      where workspace_id = ${workspaceId} and created_at >= ${since} and last_error is not null
      order by endpoint_id, id desc`.execute(ctx.db)
  const byEndpoint = new Map(stats.rows.map((r) => [Number(r.endpoint_id), r]))
  const lastError = new Map(errors.rows.map((r) => [Number(r.endpoint_id), r.last_error]))
  return endpoints.map((e) => {
    const s = byEndpoint.get(e.id)
    const deliveries: EndpointDeliveries = {
      delivered: Number(s?.delivered ?? 0),
      pending: Number(s?.pending ?? 0),
      dead: Number(s?.dead ?? 0),
      last_delivered_at: s?.last_delivered_at ?? null,
      last_error: lastError.get(e.id) ?? null,
    }
    return { ...e, deliveries }
  })
}

export type EndpointChange = {
  name?: string
  url?: string
  emailTo?: string | null
  repId?: string | null
  team?: string | null
  topics?: string[]
  /** false disables the endpoint (like DELETE); true enables a disabled one again. */
  enabled?: boolean
}

/**
 * Edits an endpoint: fields present overwrite, absent ones stay. The kind never changes (create another endpoint),
 * and the secret changes only by rotation. Bad input writes nothing.
 * @example await updateEndpoint(ctx, ws, 3, { topics: ['lead.handed_off'], enabled: true })
 */
export async function updateEndpoint(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  id: number,
  change: EndpointChange,
) {
  const current = await getEndpointRow(ctx, workspaceId, id)
  const issues: Issue[] = []
  if (change.url !== undefined) checkUrl(current.kind, change.url, issues)
  if (change.emailTo !== undefined && change.emailTo !== null && current.kind !== 'email')
    issues.push({ path: 'email_to', message: `a ${current.kind} endpoint sends to its URL, not to an address` })
  checkTopics(change.topics, issues)
  if (issues.length > 0)
    throw new AppError('invalid_input', `${issues.length} problem(s) in the endpoint; nothing was written`, issues)
  const disabledAt =
    change.enabled === undefined
      ? current.disabled_at
      : change.enabled
        ? null
        : (current.disabled_at ?? new Date(ctx.clock()).toISOString())
  return withTransaction(ctx.db, async (tx) => {
    const row = await tx
      .updateTable('notification_endpoint')
      .set({
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.url !== undefined ? { url: change.url.trim() } : {}),
        ...(change.emailTo !== undefined ? { email_to: change.emailTo } : {}),
        ...(change.repId !== undefined ? { rep_id: change.repId } : {}),
        ...(change.team !== undefined ? { team: change.team } : {}),
        ...(change.topics !== undefined ? { topics: change.topics } : {}),
        disabled_at: disabledAt,
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .returning(ENDPOINT_COLUMNS)
      .executeTakeFirstOrThrow()
    if (disabledAt !== null && current.disabled_at === null) await deadLetterPending(tx, id)
    return row
  })
}

/**
 * A new signing secret for a webhook endpoint, shown once. Deliveries still pending are signed with it from their
 * next attempt (every attempt is signed afresh), so the receiver must switch to it at once.
 * @example await rotateEndpointSecret(ctx, ws, 3) // { id: 3, name: 'CRM', secret: 'whsec_…' }
 */
export async function rotateEndpointSecret(ctx: Pick<Ctx, 'db'>, workspaceId: number, id: number) {
  const current = await getEndpointRow(ctx, workspaceId, id)
  if (current.kind !== 'webhook')
    throw new AppError('conflict', `endpoint ${id} is a ${current.kind} endpoint: only webhooks are signed`)
  const secret = generateWebhookSecret((n) => randomBytes(n))
  await ctx.db
    .updateTable('notification_endpoint')
    .set({ secret })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
  return { id, name: current.name, secret }
}

/** The endpoint row with its secret (for sending), or not_found. */
export async function getEndpointRow(ctx: Pick<Ctx, 'db'>, workspaceId: number, id: number) {
  const row = await ctx.db
    .selectFrom('notification_endpoint')
    .select([...ENDPOINT_COLUMNS, 'secret'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', `no endpoint ${id}`)
  return row
}

/**
 * Disables an endpoint. Its pending notifications are dead-lettered in the same transaction ("endpoint disabled"),
 * so nothing more is sent to a URL an admin switched off; they can be sent again once it is enabled.
 * @example await disableEndpoint(ctx, ws, 3) // { id: 3, name: 'CRM', dead_lettered: 2 }
 */
export async function disableEndpoint(ctx: Pick<Ctx, 'db' | 'clock'>, workspaceId: number, id: number) {
  return withTransaction(ctx.db, async (tx) => {
    const r = await tx
      .updateTable('notification_endpoint')
      .set({ disabled_at: new Date(ctx.clock()).toISOString() })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .where('disabled_at', 'is', null)
      .returning(['id', 'name'])
      .executeTakeFirst()
    if (!r) throw new AppError('not_found', `no enabled endpoint ${id}`)
    return { ...r, dead_lettered: await deadLetterPending(tx, id) }
  })
}

async function deadLetterPending(tx: Tx, endpointId: number): Promise<number> {
  const r = await tx
    .updateTable('outbox')
    .set({ status: 'dead', last_error: 'endpoint disabled before delivery' })
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}
