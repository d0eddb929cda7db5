/**
 * The outbox worker: claims due rows, sends them through src/notify, and records delivered / retry / dead with the
 * pure `decideAfterDelivery`.
 *
 * Claiming is a lease: one short transaction picks due rows `FOR UPDATE SKIP LOCKED` (several workers never take
 * the same row) and pushes their `next_attempt_at` one lease ahead. The send happens outside any transaction. A
 * worker that dies mid-send leaves the row pending; when the lease runs out another worker claims it and sends it
 * again with the same idempotency id — at least once, deduplicated by the receiver. The outcome is written only if
 * the row is still the one this worker claimed (same attempt count), so a slow worker cannot overwrite a newer one.
 */
import { sql } from 'kysely'
import type { Ctx } from '../context.ts'
import { type DeliveryResult, decideAfterDelivery, type RetryPolicy } from '../core/notify/index.ts'
import type { EndpointKind } from '../db/schema.ts'
import { type SmtpConfig, sendEmail, sendSlack, sendWebhook } from '../notify/index.ts'

export type DeliverOptions = {
  /** Rows claimed per round. */
  batch?: number
  /** How long a claim lasts before another worker may take the row. */
  leaseMs?: number
  timeoutMs?: number
  policy?: RetryPolicy
  random?: () => number
  /** Test seam: claim the rows but do not send them (a worker killed between claim and send). */
  dieAfterClaim?: boolean
}

export type ClaimedRow = {
  id: number
  workspace_id: number
  kind: EndpointKind
  idempotency_id: string
  topic: string
  payload: Record<string, unknown>
  attempts: number
  url: string | null
  secret: string | null
}

export type DeliveryRound = { claimed: number; delivered: number; retried: number; dead: number }

/**
 * One round: claim, send, record. Returns counts; call again until `claimed` is 0 to drain.
 * @example await deliverOutbox(ctx) // { claimed: 3, delivered: 3, retried: 0, dead: 0 }
 */
export async function deliverOutbox(
  ctx: Pick<Ctx, 'db' | 'clock' | 'config' | 'logger'>,
  opts: DeliverOptions = {},
): Promise<DeliveryRound> {
  const now = ctx.clock()
  const leaseMs = opts.leaseMs ?? 60_000
  const claimed = await sql<ClaimedRow>`with due as (
        select id from outbox where status = 'pending' and next_attempt_at <= ${new Date(now).toISOString()}
        order by next_attempt_at, id limit ${opts.batch ?? 20} for update skip locked)
      update outbox o set attempts = o.attempts + 1, next_attempt_at = ${new Date(now + leaseMs).toISOString()}
      from due, notification_endpoint e
      where o.id = due.id and e.id = o.endpoint_id
      returning o.id, o.workspace_id, o.kind, o.idempotency_id, o.topic, o.payload, o.attempts, e.url, e.secret`.execute(
    ctx.db,
  )
  const round: DeliveryRound = { claimed: claimed.rows.length, delivered: 0, retried: 0, dead: 0 }
  if (opts.dieAfterClaim || claimed.rows.length === 0) return round
  await Promise.all(
    claimed.rows.map(async (row) => {
      const result = await sendRow(ctx, row, opts.timeoutMs ?? 10_000)
      const at = ctx.clock()
      const decision = decideAfterDelivery({
        result,
        attempt: row.attempts,
        now: at,
        random: opts.random ?? Math.random,
        ...(opts.policy ? { policy: opts.policy } : {}),
      })
      const q = ctx.db
        .updateTable('outbox')
        .where('id', '=', row.id)
        .where('attempts', '=', row.attempts)
        .where('status', '=', 'pending')
      if (decision.kind === 'delivered') {
        round.delivered++
        await q.set({ status: 'delivered', delivered_at: new Date(at).toISOString(), last_error: null }).execute()
      } else if (decision.kind === 'retry') {
        round.retried++
        await q.set({ next_attempt_at: new Date(decision.at).toISOString(), last_error: decision.reason }).execute()
      } else {
        round.dead++
        ctx.logger.warn({ outbox: row.id, topic: row.topic }, `notification dead-lettered: ${decision.reason}`)
        await q.set({ status: 'dead', last_error: decision.reason }).execute()
      }
    }),
  )
  return round
}

/** `smtp://user:pass@host:port?from=Accord%20<accord@example.com>`; `smtps:` for implicit TLS. */
export function parseSmtpUrl(url: string): { config: SmtpConfig; from: string } {
  const u = new URL(url)
  const secure = u.protocol === 'smtps:'
  const config: SmtpConfig = {
    host: u.hostname,
    port: Number(u.port) || (secure ? 465 : 587),
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
  }
  return { config, from: u.searchParams.get('from') ?? `Accord <accord@${u.hostname || 'localhost'}>` }
}

function failed(message: string): DeliveryResult {
  return { ok: false, status: null, failure: { kind: 'error', code: 'invalid_endpoint', message }, detail: message }
}

/** Sends one row through its channel client; also used by the endpoint test send. Never throws. */
export async function sendRow(
  ctx: Pick<Ctx, 'config' | 'clock'>,
  row: Pick<ClaimedRow, 'kind' | 'idempotency_id' | 'payload' | 'url' | 'secret'>,
  timeoutMs: number,
): Promise<DeliveryResult> {
  switch (row.kind) {
    case 'webhook':
      if (!row.url || !row.secret) return failed('the webhook endpoint has no URL or secret')
      return sendWebhook({
        url: row.url,
        secret: row.secret,
        id: row.idempotency_id,
        payload: JSON.stringify(row.payload),
        // The signature timestamp is wall-clock time of this attempt: receivers compare it with their own clock.
        timestamp: Math.floor(Date.now() / 1000),
        timeoutMs,
      })
    case 'slack':
      if (!row.url) return failed('the Slack endpoint has no URL')
      return sendSlack(row.url, row.payload as { text: string }, { timeoutMs, idempotencyId: row.idempotency_id })
    case 'email': {
      if (!ctx.config.smtpUrl) return failed('no SMTP server configured (set ACCORD_SMTP_URL)')
      const { config, from } = parseSmtpUrl(ctx.config.smtpUrl)
      const p = row.payload as { to: string; subject: string; text: string; html?: string }
      return sendEmail(
        { ...config, timeoutMs },
        {
          from,
          to: p.to,
          subject: p.subject,
          text: p.text,
          ...(p.html ? { html: p.html } : {}),
          idempotencyId: row.idempotency_id,
        },
      )
    }
  }
}
