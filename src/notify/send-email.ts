// Email over SMTP with nodemailer. The idempotency id becomes both the `X-Accord-Idempotency-Id` header and the
// Message-ID, so a retry after an ambiguous failure (timeout after DATA) carries the same Message-ID and mail
// clients thread or drop the duplicate.

import nodemailer from 'nodemailer'
import type { DeliveryErrorCode, DeliveryResult } from '../core/notify/index.ts'

export type SmtpConfig = {
  readonly host: string
  readonly port: number
  /** true = implicit TLS (port 465); false = plain, upgraded with STARTTLS when the server offers it. */
  readonly secure: boolean
  readonly auth?: { readonly user: string; readonly pass: string }
  /** Connection, greeting and socket timeout; 15 s by default. */
  readonly timeoutMs?: number
  /** Refuse to send without STARTTLS on a non-secure connection (recommended off loopback). */
  readonly requireTls?: boolean
}

export type EmailMessage = {
  readonly from: string
  readonly to: string | readonly string[]
  readonly subject: string
  readonly text: string
  readonly html?: string
  readonly idempotencyId: string
  readonly headers?: Readonly<Record<string, string>>
}

function messageIdFor(idempotencyId: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'accord.invalid'
  const local = idempotencyId.replace(/[^A-Za-z0-9._-]/g, '-')
  return `<${local}@${domain}>`
}

const NODEMAILER_CODES: Record<string, DeliveryErrorCode> = {
  ETIMEDOUT: 'timeout',
  EAUTH: 'auth',
  ENOAUTH: 'auth',
  ETLS: 'tls',
  EDNS: 'dns',
  ECONNECTION: 'network',
  ESOCKET: 'network',
  EPROTOCOL: 'network',
}

/** Maps a nodemailer error: an SMTP reply code wins; else the socket errno; else nodemailer's own code. */
function describeSmtpError(error: unknown): DeliveryResult & { ok: false } {
  const e = error as { code?: string; errno?: number | string; responseCode?: number; message?: string }
  const message = (e?.message ?? String(error)).replace(/\s+/g, ' ').trim()
  if (typeof e?.responseCode === 'number')
    return {
      ok: false,
      status: null,
      failure: { kind: 'smtp', responseCode: e.responseCode, message },
      detail: `SMTP ${e.responseCode}: ${message}`,
    }
  let code: DeliveryErrorCode = NODEMAILER_CODES[e?.code ?? ''] ?? 'network'
  if (/ECONNREFUSED/.test(message)) code = 'connection_refused'
  else if (/ECONNRESET|EPIPE/.test(message)) code = 'connection_reset'
  else if (/ENOTFOUND|EAI_AGAIN/.test(message)) code = 'dns'
  else if (/timeout|timed out/i.test(message)) code = 'timeout'
  return { ok: false, status: null, failure: { kind: 'error', code, message }, detail: `SMTP ${code}: ${message}` }
}

/**
 * Sends one email. Never throws; every failure is a DeliveryResult for `classifyDeliveryFailure`
 * (SMTP 4xx retryable, 5xx permanent, auth and TLS permanent, connection problems retryable).
 * @example await sendEmail({ host: 'smtp.example.com', port: 587, secure: false, auth: { user, pass } },
 *   { from: 'Accord <accord@example.com>', to: 'sam@example.com', ...renderBriefEmail(brief, links), idempotencyId: 'ntf_81' })
 */
export async function sendEmail(config: SmtpConfig, message: EmailMessage): Promise<DeliveryResult> {
  const timeout = config.timeoutMs ?? 15_000
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
    ...(config.requireTls ? { requireTLS: true } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  })
  try {
    const info = await transport.sendMail({
      from: message.from,
      to: typeof message.to === 'string' ? message.to : [...message.to],
      subject: message.subject,
      text: message.text,
      ...(message.html !== undefined ? { html: message.html } : {}),
      messageId: messageIdFor(message.idempotencyId, message.from),
      headers: { ...message.headers, 'X-Accord-Idempotency-Id': message.idempotencyId },
    })
    const rejected = ((info.rejected ?? []) as (string | { address: string })[]).map((r) =>
      typeof r === 'string' ? r : r.address,
    )
    return {
      ok: true,
      status: null,
      messageId: info.messageId,
      detail: `SMTP accepted ${info.messageId}${rejected.length > 0 ? `; rejected ${rejected.join(', ')}` : ''}`,
    }
  } catch (error) {
    return describeSmtpError(error)
  } finally {
    transport.close()
  }
}
