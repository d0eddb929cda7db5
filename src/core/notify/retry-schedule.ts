// When to try a notification again, and when to give up. Pure: `now` and `random` are parameters.
//
// Backoff is "full jitter" exponential (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015):
//   ceiling(n) = min(maxMs, baseMs · 2^(n−1))      for the n-th failed attempt (n ≥ 1)
//   delay      = random() · ceiling(n)              uniformly in [0, ceiling)
// Full jitter spreads the retries of many rows that failed together (a receiver outage) across the whole window,
// so they do not return as a synchronized thundering herd. With the defaults the ceilings are 5 s, 10 s, 20 s, …,
// 42 min 40 s, then capped at 1 h; ten attempts span at most ≈ 1 h 25 min of waiting (≈ 43 min on average).
// A Retry-After from the receiver is a floor on the delay (capped at maxMs, so a hostile or broken receiver cannot
// park a row for a year); jitter still applies above it.

import type { DeliveryFailure, DeliveryResult } from './delivery-result.ts'

export type RetryPolicy = {
  /** Ceiling of the first retry's delay. */
  readonly baseMs: number
  /** No delay exceeds this, Retry-After included. */
  readonly maxMs: number
  /** Attempts in total, the first included; the row is dead after this many failures. */
  readonly maxAttempts: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 5_000, maxMs: 3_600_000, maxAttempts: 10 }

export type RetryDecision =
  | { readonly kind: 'retry'; readonly at: number; readonly delayMs: number; readonly reason: string }
  | { readonly kind: 'dead'; readonly reason: string }

export type FailureClass =
  | { readonly kind: 'retryable'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'permanent'; readonly reason: string }

function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60}s`
}

/**
 * Schedules the next attempt after the `attempt`-th failure (1 = the first attempt failed), or gives up once
 * `maxAttempts` attempts have failed.
 * @example nextAttemptAt({ attempt: 1, now: 0, random: () => 0.5 }) // { kind: 'retry', at: 2500, delayMs: 2500, reason: 'attempt 1 of 10 failed; retry in 3s' }
 */
export function nextAttemptAt(input: {
  attempt: number
  now: number
  random: () => number
  baseMs?: number
  maxMs?: number
  maxAttempts?: number
  retryAfterMs?: number
  lastError?: string
}): RetryDecision {
  const baseMs = input.baseMs ?? DEFAULT_RETRY_POLICY.baseMs
  const maxMs = input.maxMs ?? DEFAULT_RETRY_POLICY.maxMs
  const maxAttempts = input.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts
  const cause = input.lastError ? `: ${input.lastError}` : ''
  if (input.attempt >= maxAttempts) return { kind: 'dead', reason: `gave up after ${input.attempt} attempts${cause}` }
  const n = Math.max(1, Math.floor(input.attempt))
  // 2^(n−1) overflows to Infinity long after it passes maxMs; min() keeps the ceiling finite.
  const ceiling = Math.min(maxMs, baseMs * 2 ** (n - 1))
  const r = Math.min(Math.max(input.random(), 0), 1)
  let delayMs = Math.floor(r * ceiling)
  let floorNote = ''
  if (input.retryAfterMs !== undefined && input.retryAfterMs > 0) {
    const floor = Math.min(input.retryAfterMs, maxMs)
    if (delayMs < floor) {
      delayMs = floor + Math.floor(r * Math.min(baseMs, maxMs - floor))
      floorNote = ` (receiver asked to wait ${formatDelay(input.retryAfterMs)})`
    }
  }
  return {
    kind: 'retry',
    at: input.now + delayMs,
    delayMs,
    reason: `attempt ${n} of ${maxAttempts} failed${cause}; retry in ${formatDelay(delayMs)}${floorNote}`,
  }
}

const RETRYABLE_ERRORS = new Set(['timeout', 'connection_refused', 'connection_reset', 'dns', 'network'])

/**
 * Retryable: HTTP 5xx, 408, 429 (Retry-After honoured), SMTP 4xx, timeouts, refused or reset connections, DNS
 * failures. Permanent (dead at once): other 4xx (a bad URL, a revoked Slack webhook, a receiver refusing the
 * payload), 3xx (we do not follow redirects: configure the final URL), SMTP 5xx, TLS and auth failures, unusable
 * endpoints. Retrying those would only repeat the same answer for an hour.
 * @example classifyDeliveryFailure({ kind: 'http', status: 429, retryAfterMs: 30_000 }) // { kind: 'retryable', reason: 'HTTP 429 Too Many Requests', retryAfterMs: 30000 }
 */
export function classifyDeliveryFailure(failure: DeliveryFailure | number): FailureClass {
  const f: DeliveryFailure = typeof failure === 'number' ? { kind: 'http', status: failure } : failure
  switch (f.kind) {
    case 'http': {
      const reason = `HTTP ${f.status}${STATUS_TEXT[f.status] ? ` ${STATUS_TEXT[f.status]}` : ''}`
      const after = f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}
      if (f.status >= 500 || f.status === 408 || f.status === 429) return { kind: 'retryable', reason, ...after }
      if (f.status >= 300 && f.status < 400)
        return { kind: 'permanent', reason: `${reason}: redirects are not followed; configure the final URL` }
      return { kind: 'permanent', reason }
    }
    case 'smtp': {
      const reason = `SMTP ${f.responseCode}: ${f.message}`
      return f.responseCode >= 400 && f.responseCode < 500
        ? { kind: 'retryable', reason }
        : { kind: 'permanent', reason }
    }
    case 'error':
      return RETRYABLE_ERRORS.has(f.code)
        ? { kind: 'retryable', reason: `${f.code}: ${f.message}` }
        : { kind: 'permanent', reason: `${f.code}: ${f.message}` }
    default: {
      const never: never = f
      return never
    }
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  410: 'Gone',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

export type OutboxDecision = { readonly kind: 'delivered'; readonly reason: string } | RetryDecision

/**
 * The outbox worker's whole decision after one attempt: delivered, retry at an instant, or dead (permanent failure,
 * or attempts exhausted). `attempt` counts this attempt (1 for the first).
 * @example decideAfterDelivery({ result, attempt: 3, now, random: Math.random }) // { kind: 'retry', at, delayMs, reason }
 */
export function decideAfterDelivery(input: {
  result: DeliveryResult
  attempt: number
  now: number
  random: () => number
  policy?: RetryPolicy
}): OutboxDecision {
  const { result } = input
  if (result.ok) return { kind: 'delivered', reason: `delivered on attempt ${input.attempt}: ${result.detail}` }
  const cls = classifyDeliveryFailure(result.failure)
  if (cls.kind === 'permanent')
    return { kind: 'dead', reason: `permanent failure on attempt ${input.attempt}: ${cls.reason}` }
  const policy = input.policy ?? DEFAULT_RETRY_POLICY
  return nextAttemptAt({
    attempt: input.attempt,
    now: input.now,
    random: input.random,
    ...policy,
    lastError: cls.reason,
    ...(cls.retryAfterMs !== undefined ? { retryAfterMs: cls.retryAfterMs } : {}),
  })
}

/**
 * Milliseconds to wait from a Retry-After header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3), relative to
 * `now`. Undefined when absent or unreadable; never negative.
 * @example parseRetryAfter('120', 0) // 120000
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - now)
}
