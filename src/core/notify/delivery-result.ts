// The one shape every channel client (src/notify/) returns, so the outbox worker treats Slack, email and webhooks
// alike: classify the failure, then schedule the retry or dead-letter the row.

/** Failures below HTTP/SMTP: the request never got an answer. */
export type DeliveryErrorCode =
  | 'timeout' // no answer within the client's timeout
  | 'connection_refused' // nothing listening (ECONNREFUSED)
  | 'connection_reset' // the peer hung up mid-request (ECONNRESET, EPIPE, socket closed)
  | 'dns' // the host name did not resolve (ENOTFOUND, EAI_AGAIN)
  | 'tls' // certificate or handshake failure: a configuration problem, not a blip
  | 'auth' // SMTP credentials refused
  | 'invalid_endpoint' // the configured URL or address is unusable (not http(s), malformed)
  | 'network' // any other transport error

export type DeliveryFailure =
  /** The receiver answered with a non-2xx status. `retryAfterMs` comes from a Retry-After header, when sent. */
  | { readonly kind: 'http'; readonly status: number; readonly retryAfterMs?: number; readonly body?: string }
  /** The SMTP server refused the message (`responseCode` 4xx is transient, 5xx permanent, as RFC 5321 defines). */
  | { readonly kind: 'smtp'; readonly responseCode: number; readonly message: string }
  | { readonly kind: 'error'; readonly code: DeliveryErrorCode; readonly message: string }

/**
 * Outcome of one delivery attempt. `status` is the HTTP status (null for email and for transport errors);
 * `detail` is a one-line human summary for the outbox row and the dead-letter view.
 * @example { ok: false, status: 503, retryAfterMs: 30_000, failure: { kind: 'http', status: 503, retryAfterMs: 30_000 }, detail: 'HTTP 503' }
 */
export type DeliveryResult =
  | { readonly ok: true; readonly status: number | null; readonly detail: string; readonly messageId?: string }
  | {
      readonly ok: false
      readonly status: number | null
      readonly retryAfterMs?: number
      readonly failure: DeliveryFailure
      readonly detail: string
    }
