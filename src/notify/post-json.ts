// One HTTP POST with a hard timeout, mapped to a DeliveryResult. Redirects are not followed: a webhook receiver that
// redirects is misconfigured, and following would send a signed payload to wherever the redirect points.

import type { DeliveryErrorCode, DeliveryResult } from '../core/notify/index.ts'
import { parseRetryAfter } from '../core/notify/index.ts'
import { redactEndpointUrl, validateEndpointUrl } from './validate-endpoint-url.ts'

/** Bytes of a failed response's body kept in the delivery detail (receivers sometimes explain their refusal). */
const BODY_SNIPPET = 300

export type FetchLike = typeof globalThis.fetch

export type PostOptions = {
  readonly url: string
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
  readonly timeoutMs: number
  readonly fetch?: FetchLike
  /** Wall clock for resolving an HTTP-date Retry-After; Date.now by default. */
  readonly now?: () => number
}

const ERRNO_CODES: Record<string, DeliveryErrorCode> = {
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  CERT_HAS_EXPIRED: 'tls',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
}

/** Maps what fetch threw (undici wraps the socket error in `cause`) to a transport error code. */
export function describeFetchError(error: unknown): { code: DeliveryErrorCode; message: string } {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string; name?: string } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'TimeoutError')
    return { code: 'timeout', message: 'no response before the timeout' }
  const causeCode = e?.cause?.code
  if (causeCode && ERRNO_CODES[causeCode])
    return { code: ERRNO_CODES[causeCode], message: e.cause?.message ?? causeCode }
  return { code: 'network', message: e?.cause?.message ?? e?.message ?? String(error) }
}

/**
 * POSTs `body` and returns the uniform result: `ok` for 2xx, the status and Retry-After otherwise, a transport error
 * code when there was no answer. Never throws.
 * @example await postJson({ url, body: '{}', headers: { 'content-type': 'application/json' }, timeoutMs: 10_000 })
 */
export async function postJson(options: PostOptions): Promise<DeliveryResult> {
  const check = validateEndpointUrl(options.url)
  if (check.kind === 'invalid')
    return {
      ok: false,
      status: null,
      failure: { kind: 'error', code: 'invalid_endpoint', message: check.reason },
      detail: check.reason,
    }
  const fetchImpl = options.fetch ?? globalThis.fetch
  const target = redactEndpointUrl(options.url)
  let response: Response
  let text: string
  try {
    // The signal covers the body read too, so a receiver that trickles its answer cannot hold the worker.
    response = await fetchImpl(check.url, {
      method: 'POST',
      headers: options.headers,
      body: options.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    })
    text = await response.text()
  } catch (error) {
    const failure = describeFetchError(error)
    const message = failure.code === 'timeout' ? `no response within ${options.timeoutMs} ms` : failure.message
    return {
      ok: false,
      status: null,
      failure: { kind: 'error', code: failure.code, message },
      detail: `POST ${target}: ${failure.code} (${message})`,
    }
  }
  if (response.status >= 200 && response.status < 300)
    return { ok: true, status: response.status, detail: `POST ${target}: HTTP ${response.status}` }
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), (options.now ?? Date.now)())
  const snippet = text.slice(0, BODY_SNIPPET).replace(/\s+/g, ' ').trim()
  const after = retryAfterMs !== undefined ? { retryAfterMs } : {}
  return {
    ok: false,
    status: response.status,
    ...after,
    failure: { kind: 'http', status: response.status, ...after, ...(snippet ? { body: snippet } : {}) },
    detail: `POST ${target}: HTTP ${response.status}${snippet ? ` ${snippet}` : ''}`,
  }
}
