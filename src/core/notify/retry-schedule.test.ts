import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { DeliveryResult } from './delivery-result.ts'
import { classifyDeliveryFailure, decideAfterDelivery, nextAttemptAt, parseRetryAfter } from './retry-schedule.ts'

const NOW = Date.parse('2026-11-23T14:30:00Z')

describe('nextAttemptAt', () => {
  test('the first failure with random 0.5 retries after half of the 5 s base', () => {
    const r = nextAttemptAt({ attempt: 1, now: NOW, random: () => 0.5 })
    assert.equal(r.kind, 'retry')
    assert.equal(r.kind === 'retry' && r.at, NOW + 2_500)
  })

  test('the ceiling doubles with each failure and stops at one hour', () => {
    const delays = [1, 2, 3, 4, 10, 11, 12].map((attempt) => {
      const r = nextAttemptAt({ attempt, now: 0, random: () => 0.999_999_999, maxAttempts: 100 })
      return r.kind === 'retry' ? Math.round(r.delayMs / 1000) : -1
    })
    assert.deepEqual(delays, [5, 10, 20, 40, 2560, 3600, 3600])
  })

  test('the tenth failure is dead, naming the last error', () => {
    const r = nextAttemptAt({ attempt: 10, now: NOW, random: () => 0.5, lastError: 'HTTP 503' })
    assert.deepEqual(r, { kind: 'dead', reason: 'gave up after 10 attempts: HTTP 503' })
  })

  test('a Retry-After of 30 s is a floor on the delay even when jitter draws near zero', () => {
    const r = nextAttemptAt({ attempt: 1, now: NOW, random: () => 0, retryAfterMs: 30_000 })
    assert.equal(r.kind === 'retry' && r.delayMs, 30_000)
    assert.match(r.kind === 'retry' ? r.reason : '', /receiver asked to wait 30s/)
  })

  test('a Retry-After of a day is capped at the one-hour maximum', () => {
    const r = nextAttemptAt({ attempt: 1, now: NOW, random: () => 0.3, retryAfterMs: 86_400_000 })
    assert.equal(r.kind === 'retry' && r.delayMs, 3_600_000)
  })

  test('every delay lies within [0, min(max, base·2^(n−1))] and in the future of now (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (n, x) => {
          const r = nextAttemptAt({ attempt: n, now: NOW, random: () => x })
          if (r.kind !== 'retry') return false
          return r.delayMs >= 0 && r.delayMs <= Math.min(3_600_000, 5_000 * 2 ** (n - 1)) && r.at === NOW + r.delayMs
        },
      ),
    )
  })
})

describe('classifyDeliveryFailure', () => {
  test('5xx, 408 and 429 are retryable; 429 carries its Retry-After', () => {
    for (const status of [500, 502, 503, 504, 408]) assert.equal(classifyDeliveryFailure(status).kind, 'retryable')
    assert.deepEqual(classifyDeliveryFailure({ kind: 'http', status: 429, retryAfterMs: 30_000 }), {
      kind: 'retryable',
      reason: 'HTTP 429 Too Many Requests',
      retryAfterMs: 30_000,
    })
  })

  test('400, 401, 403, 404 and 410 are permanent', () => {
    for (const status of [400, 401, 403, 404, 410]) assert.equal(classifyDeliveryFailure(status).kind, 'permanent')
  })

  test('a redirect is permanent and says to configure the final URL', () => {
    const r = classifyDeliveryFailure(301)
    assert.equal(r.kind, 'permanent')
    assert.match(r.reason, /final URL/)
  })

  test('timeouts, refused and reset connections are retryable; TLS, auth and bad endpoints are permanent', () => {
    const kind = (code: Parameters<typeof classifyDeliveryFailure>[0]) => classifyDeliveryFailure(code).kind
    for (const code of ['timeout', 'connection_refused', 'connection_reset', 'dns', 'network'] as const)
      assert.equal(kind({ kind: 'error', code, message: 'x' }), 'retryable', code)
    for (const code of ['tls', 'auth', 'invalid_endpoint'] as const)
      assert.equal(kind({ kind: 'error', code, message: 'x' }), 'permanent', code)
  })

  test('SMTP 451 is retryable and SMTP 550 is permanent', () => {
    assert.equal(classifyDeliveryFailure({ kind: 'smtp', responseCode: 451, message: 'try later' }).kind, 'retryable')
    assert.equal(
      classifyDeliveryFailure({ kind: 'smtp', responseCode: 550, message: 'no such user' }).kind,
      'permanent',
    )
  })
})

describe('decideAfterDelivery', () => {
  const failed = (status: number, retryAfterMs?: number): DeliveryResult => ({
    ok: false,
    status,
    failure: { kind: 'http', status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
    detail: `HTTP ${status}`,
  })

  test('a delivered result is delivered', () => {
    const r = decideAfterDelivery({
      result: { ok: true, status: 200, detail: 'HTTP 200' },
      attempt: 1,
      now: NOW,
      random: () => 0,
    })
    assert.equal(r.kind, 'delivered')
  })

  test('a 400 is dead on the first attempt', () => {
    const r = decideAfterDelivery({ result: failed(400), attempt: 1, now: NOW, random: () => 0 })
    assert.deepEqual(r, { kind: 'dead', reason: 'permanent failure on attempt 1: HTTP 400 Bad Request' })
  })

  test('a 503 on attempt 2 retries, and on attempt 10 is dead', () => {
    const retry = decideAfterDelivery({ result: failed(503), attempt: 2, now: NOW, random: () => 1 - 1e-12 })
    assert.equal(retry.kind === 'retry' && retry.delayMs, 9_999)
    const dead = decideAfterDelivery({ result: failed(503), attempt: 10, now: NOW, random: () => 0.5 })
    assert.deepEqual(dead, { kind: 'dead', reason: 'gave up after 10 attempts: HTTP 503 Service Unavailable' })
  })

  test('a 429 with Retry-After 120 s waits at least two minutes', () => {
    const r = decideAfterDelivery({ result: failed(429, 120_000), attempt: 1, now: NOW, random: () => 0.1 })
    assert.ok(r.kind === 'retry' && r.delayMs >= 120_000)
  })
})

describe('parseRetryAfter', () => {
  test('delta-seconds and an HTTP-date both become milliseconds from now; junk is ignored', () => {
    assert.equal(parseRetryAfter('120', NOW), 120_000)
    assert.equal(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW), 90_000)
    assert.equal(parseRetryAfter(new Date(NOW - 90_000).toUTCString(), NOW), 0)
    assert.equal(parseRetryAfter('soon', NOW), undefined)
    assert.equal(parseRetryAfter(null, NOW), undefined)
  })
})
