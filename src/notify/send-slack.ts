// Slack incoming webhooks (https://api.slack.com/messaging/webhooks): POST the Block Kit message as JSON. Slack
// answers 200 "ok", or 400/403/404/410 with a reason (invalid_payload, action_prohibited, channel_not_found,
// channel_is_archived) — all permanent — or 429 with Retry-After, or 5xx.

import type { DeliveryResult } from '../core/notify/index.ts'
import { type FetchLike, postJson } from './post-json.ts'

export type SlackPayload = { readonly text: string; readonly blocks?: readonly Record<string, unknown>[] }

/**
 * Posts one message. Slack has no idempotency key for incoming webhooks: `idempotencyId` travels as the
 * `X-Accord-Idempotency-Id` header (useful behind a proxy) but Slack itself may show a duplicate when an attempt
 * times out after Slack accepted it. The outbox keeps that window to one timeout.
 * @example await sendSlack(webhookUrl, renderBriefSlackBlocks(brief, links), { timeoutMs: 10_000, idempotencyId: 'ntf_81' })
 */
export async function sendSlack(
  url: string,
  payload: SlackPayload,
  options: { timeoutMs: number; idempotencyId: string; fetch?: FetchLike; now?: () => number },
): Promise<DeliveryResult> {
  return postJson({
    url,
    body: JSON.stringify(payload),
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Accord-Notifications/1',
      'x-accord-idempotency-id': options.idempotencyId,
    },
    timeoutMs: options.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
  })
}
