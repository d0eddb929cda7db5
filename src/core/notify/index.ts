// Notification decisions (pure): Standard Webhooks signatures, retry/backoff and dead-letter decisions, and the
// uniform DeliveryResult every channel client returns. The clients themselves (HTTP, SMTP) live in src/notify/.
// Anyone may import this folder.

export type { DeliveryErrorCode, DeliveryFailure, DeliveryResult } from './delivery-result.ts'
export {
  classifyDeliveryFailure,
  DEFAULT_RETRY_POLICY,
  decideAfterDelivery,
  type FailureClass,
  nextAttemptAt,
  type OutboxDecision,
  parseRetryAfter,
  type RetryDecision,
  type RetryPolicy,
} from './retry-schedule.ts'
export {
  checkWebhookSecret,
  DEFAULT_TOLERANCE_SECONDS,
  decodeWebhookSecret,
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  type WebhookHeaders,
  type WebhookVerification,
} from './standard-webhooks.ts'
