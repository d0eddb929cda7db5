// Generic webhooks signed the Standard Webhooks way. `id` is the idempotency key receivers dedupe on: it must stay
// the same across every retry of one notification, while `timestamp` must be the time of this attempt (receivers
// refuse signatures older than five minutes), so each attempt is signed afresh.

import type { DeliveryResult } from '../core/notify/index.ts'
import { signWebhook } from '../core/notify/index.ts'
import { type FetchLike, postJson } from './post-json.ts'

/**
 * Signs and POSTs one webhook with `webhook-id`, `webhook-timestamp`, `webhook-signature` and a JSON content type.
 * `timestamp` is seconds since the epoch. An unusable secret is a permanent `invalid_endpoint` failure.
 * @example await sendWebhook({ url, secret: 'whsec_…', id: 'ntf_81', payload: JSON.stringify(body), timestamp: Math.floor(Date.now() / 1000), timeoutMs: 10_000 })
 */
export async function sendWebhook(input: {
  url: string
  secret: string | readonly string[]
  id: string
  payload: string
  timestamp: number
  timeoutMs: number
  fetch?: FetchLike
  now?: () => number
}): Promise<DeliveryResult> {
  let signed: ReturnType<typeof signWebhook>
  try {
    signed = signWebhook({ id: input.id, timestamp: input.timestamp, payload: input.payload, secret: input.secret })
  } catch (error) {
    const message = `cannot sign the webhook: ${(error as Error).message}`
    return { ok: false, status: null, failure: { kind: 'error', code: 'invalid_endpoint', message }, detail: message }
  }
  return postJson({
    url: input.url,
    body: input.payload,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Accord-Webhooks/1',
      ...signed,
    },
    timeoutMs: input.timeoutMs,
    ...(input.fetch ? { fetch: input.fetch } : {}),
    ...(input.now ? { now: input.now } : {}),
  })
}
