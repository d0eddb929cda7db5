// Notification channel clients (I/O): Slack incoming webhooks, Standard-Webhooks-signed HTTP webhooks, SMTP email,
// and the optional LLM rewrite of the handoff brief. Each send returns a DeliveryResult and never throws; the outbox
// worker decides retry or dead letter with decideAfterDelivery from src/core/notify. Used by the outbox worker and
// the API (endpoint validation, test sends); imports only src/core.

export { checkRewrite, type LlmRewriteConfig, type RewriteResult, rewriteBrief } from './llm-rewrite.ts'
export { type FetchLike, postJson } from './post-json.ts'
export { type EmailMessage, type SmtpConfig, sendEmail } from './send-email.ts'
export { type SlackPayload, sendSlack } from './send-slack.ts'
export { sendWebhook } from './send-webhook.ts'
export { type EndpointUrlCheck, redactEndpointUrl, validateEndpointUrl } from './validate-endpoint-url.ts'
