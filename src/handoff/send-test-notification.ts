/**
 * "Send a test": one notification to one endpoint, now, through the same channel client and the same signing as a
 * real delivery, so an admin learns at once whether the URL, the secret or the SMTP server works. The attempt is
 * recorded in the outbox (topic `endpoint.test`, already delivered or dead, never retried) so it appears in the
 * endpoint's delivery history; nothing else is sent.
 */
import { randomBytes } from 'node:crypto'
import type { Ctx } from '../context.ts'
import { escapeHtml, escapeSlack } from '../core/brief/index.ts'
import { AppError } from '../core/errors.ts'
import { sendRow } from './deliver-outbox.ts'
import { getEndpointRow } from './manage-endpoints.ts'

export const TEST_TOPIC = 'endpoint.test'

/**
 * @example await sendTestNotification(ctx, ws, 3, { actor: 'admin:Ops' })
 * // { ok: true, status: 200, detail: 'HTTP 200', outbox_id: 41, idempotency_id: 'test_…', duration_ms: 18 }
 */
export async function sendTestNotification(
  ctx: Pick<Ctx, 'db' | 'clock' | 'config'>,
  workspaceId: number,
  endpointId: number,
  opts: { actor: string; to?: string; timeoutMs?: number },
) {
  const endpoint = await getEndpointRow(ctx, workspaceId, endpointId)
  if (endpoint.disabled_at) throw new AppError('conflict', `endpoint ${endpointId} is disabled: enable it to test it`)
  const to = opts.to ?? endpoint.email_to ?? undefined
  if (endpoint.kind === 'email' && !to)
    throw new AppError('invalid_input', 'to: this email endpoint writes to the person concerned; name a test address', [
      { path: 'to', message: 'required for an email endpoint without a fixed address' },
    ])
  const now = ctx.clock()
  const id = `test_${randomBytes(12).toString('hex')}`
  const title = 'Accord test notification'
  const line = `Sent by ${opts.actor} to check the endpoint “${endpoint.name}”. No lead is involved.`
  const payload =
    endpoint.kind === 'webhook'
      ? {
          type: TEST_TOPIC,
          id,
          created_at: new Date(now).toISOString(),
          data: { endpoint_id: endpoint.id, endpoint_name: endpoint.name, title, lines: [line] },
        }
      : endpoint.kind === 'slack'
        ? { text: `${title}: ${escapeSlack(line)}` }
        : {
            to: to!,
            subject: title,
            text: `${title}\n\n${line}`,
            html: `<p><strong>${escapeHtml(title)}</strong></p><p>${escapeHtml(line)}</p>`,
          }
  const started = Date.now()
  const result = await sendRow(
    ctx,
    { kind: endpoint.kind, idempotency_id: id, payload, url: endpoint.url, secret: endpoint.secret },
    opts.timeoutMs ?? 10_000,
  )
  const durationMs = Date.now() - started
  const at = new Date(ctx.clock()).toISOString()
  const row = await ctx.db
    .insertInto('outbox')
    .values({
      workspace_id: workspaceId,
      endpoint_id: endpoint.id,
      kind: endpoint.kind,
      idempotency_id: id,
      topic: TEST_TOPIC,
      lead_id: null,
      payload: JSON.stringify(payload),
      status: result.ok ? 'delivered' : 'dead',
      attempts: 1,
      next_attempt_at: at,
      last_error: result.ok ? null : result.detail,
      created_at: new Date(now).toISOString(),
      delivered_at: result.ok ? at : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return {
    ok: result.ok,
    status: result.status,
    detail: result.detail,
    outbox_id: row.id,
    idempotency_id: id,
    duration_ms: durationMs,
  }
}
