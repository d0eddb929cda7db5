// Standard Webhooks (https://www.standardwebhooks.com) symmetric signatures: what a receiver of an Accord webhook
// verifies. Pure computation: node:crypto's HMAC is deterministic; time and randomness come in as parameters.
// What must stay true: the signed content is exactly `${id}.${timestamp}.${payload}` over the raw body bytes the
// receiver sees, the key is the base64-decoded part after `whsec_`, and the header is `v1,<base64>` (space-separated
// when several secrets are active during a rotation). Receivers using the reference libraries must accept our headers.

import { createHmac, timingSafeEqual } from 'node:crypto'

const SECRET_PREFIX = 'whsec_'
/** The spec's default tolerance: a signature older or newer than five minutes is refused (replay protection). */
export const DEFAULT_TOLERANCE_SECONDS = 300
/** The spec recommends keys between 24 and 64 bytes. */
const MIN_KEY_BYTES = 24
const MAX_KEY_BYTES = 64

export type WebhookHeaders = {
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

export type WebhookVerification =
  | { readonly kind: 'valid' }
  | {
      readonly kind: 'invalid'
      readonly code: 'missing_header' | 'bad_timestamp' | 'too_old' | 'too_new' | 'no_matching_signature' | 'bad_secret'
      readonly reason: string
    }

/** Key bytes of a `whsec_<base64>` secret (the bare base64 form is accepted too, as the reference libraries do). */
export function decodeWebhookSecret(secret: string): Uint8Array | null {
  const body = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret
  if (body.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null
  const key = Buffer.from(body, 'base64')
  return key.length === 0 ? null : new Uint8Array(key)
}

/** Why a secret cannot sign, or null when it can (for validating an endpoint's configuration, with its path). */
export function checkWebhookSecret(secret: string): string | null {
  if (!secret.startsWith(SECRET_PREFIX)) return `expected a secret of the form ${SECRET_PREFIX}<base64>`
  const key = decodeWebhookSecret(secret)
  if (key === null) return `the part after ${SECRET_PREFIX} is not base64`
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES)
    return `the key is ${key.length} bytes; use ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes`
  return null
}

function computeSignature(key: Uint8Array, id: string, timestamp: number, payload: string): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${payload}`, 'utf8').digest('base64')
}

/**
 * The three Standard Webhooks headers for one message. `timestamp` is whole seconds since the epoch. Pass several
 * secrets during a rotation; the receiver accepts the message when any one signature matches.
 * Throws only on a malformed secret (a configuration error, refused earlier by `checkWebhookSecret`).
 * @example signWebhook({ id: 'msg_1', timestamp: 1614265330, payload: '{"a":1}', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
 *   // { 'webhook-id': 'msg_1', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,…' }
 */
export function signWebhook(input: {
  id: string
  timestamp: number
  payload: string
  secret: string | readonly string[]
}): WebhookHeaders {
  if (!Number.isInteger(input.timestamp))
    throw new RangeError(`timestamp must be whole seconds, got ${input.timestamp}`)
  if (input.id.length === 0) throw new RangeError('webhook id must not be empty')
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret
  if (secrets.length === 0) throw new RangeError('at least one secret is needed to sign')
  const signatures = secrets.map((secret, i) => {
    const key = decodeWebhookSecret(secret)
    if (key === null) throw new RangeError(`secret[${i}] is not of the form ${SECRET_PREFIX}<base64>`)
    return `v1,${computeSignature(key, input.id, input.timestamp, input.payload)}`
  })
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signatures.join(' '),
  }
}

function readHeader(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue
    return Array.isArray(value) ? value.join(' ') : value
  }
  return undefined
}

/**
 * Verifies a received message: headers present, timestamp within `toleranceSeconds` of `now` (ms) either way, and
 * one `v1` signature equal (constant time) to ours. Never throws.
 * @example verifyWebhook(req.headers, rawBody, 'whsec_…', { now: ctx.clock() }) // { kind: 'valid' }
 */
export function verifyWebhook(
  headers: Record<string, string | string[] | undefined>,
  payload: string,
  secret: string,
  options: { now: number; toleranceSeconds?: number },
): WebhookVerification {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS
  const id = readHeader(headers, 'webhook-id')
  const timestampText = readHeader(headers, 'webhook-timestamp')
  const signatureList = readHeader(headers, 'webhook-signature')
  if (!id || !timestampText || !signatureList) {
    const missing = [
      ['webhook-id', id],
      ['webhook-timestamp', timestampText],
      ['webhook-signature', signatureList],
    ]
      .filter(([, v]) => !v)
      .map(([k]) => k)
    return { kind: 'invalid', code: 'missing_header', reason: `missing header ${missing.join(', ')}` }
  }
  if (!/^\d+$/.test(timestampText))
    return { kind: 'invalid', code: 'bad_timestamp', reason: `webhook-timestamp "${timestampText}" is not seconds` }
  const timestamp = Number(timestampText)
  const nowSeconds = Math.floor(options.now / 1000)
  if (nowSeconds - timestamp > tolerance)
    return { kind: 'invalid', code: 'too_old', reason: `timestamp is ${nowSeconds - timestamp}s old (> ${tolerance}s)` }
  if (timestamp - nowSeconds > tolerance)
    return {
      kind: 'invalid',
      code: 'too_new',
      reason: `timestamp is ${timestamp - nowSeconds}s in the future (> ${tolerance}s)`,
    }
  const key = decodeWebhookSecret(secret)
  if (key === null) return { kind: 'invalid', code: 'bad_secret', reason: 'the verifying secret is not base64' }
  const expected = Buffer.from(computeSignature(key, id, timestamp, payload), 'utf8')
  for (const entry of signatureList.split(' ')) {
    const comma = entry.indexOf(',')
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue
    const given = Buffer.from(entry.slice(comma + 1), 'utf8')
    // timingSafeEqual needs equal lengths; the length of a base64 HMAC-SHA256 is public, so checking it leaks nothing.
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { kind: 'valid' }
  }
  return { kind: 'invalid', code: 'no_matching_signature', reason: 'no v1 signature matches' }
}

/**
 * A new endpoint secret from `byteCount` (default 32) random bytes supplied by the caller
 * (`crypto.randomBytes` at the edge, a fixed buffer in tests).
 * @example generateWebhookSecret((n) => randomBytes(n)) // 'whsec_…' (44 base64 characters)
 */
export function generateWebhookSecret(randomBytes: (n: number) => Uint8Array, byteCount = 32): string {
  if (byteCount < MIN_KEY_BYTES || byteCount > MAX_KEY_BYTES)
    throw new RangeError(`a webhook secret needs ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes, asked for ${byteCount}`)
  const bytes = randomBytes(byteCount)
  if (bytes.length !== byteCount) throw new RangeError(`randomBytes returned ${bytes.length} bytes, not ${byteCount}`)
  return SECRET_PREFIX + Buffer.from(bytes).toString('base64')
}
