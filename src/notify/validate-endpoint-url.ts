// Endpoints come from configuration (Slack webhook URLs, webhook subscriptions, the LLM base URL). Only http and
// https are ever requested: file:, data:, javascript: or ftp: URLs in a configuration are refused before any I/O.

export type EndpointUrlCheck =
  | { readonly kind: 'valid'; readonly url: URL }
  | { readonly kind: 'invalid'; readonly reason: string }

/**
 * Accepts absolute http(s) URLs with a host; refuses everything else with a reason naming the problem.
 * @example validateEndpointUrl('ftp://example.com/x') // { kind: 'invalid', reason: 'endpoint URL must use http or https, not ftp: (ftp://example.com/x)' }
 */
export function validateEndpointUrl(url: string): EndpointUrlCheck {
  const text = url.trim()
  if (text.length === 0) return { kind: 'invalid', reason: 'endpoint URL is empty' }
  let parsed: URL
  try {
    parsed = new URL(text)
  } catch {
    return { kind: 'invalid', reason: `endpoint URL is not an absolute URL: ${JSON.stringify(text)}` }
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return {
      kind: 'invalid',
      reason: `endpoint URL must use http or https, not ${parsed.protocol} (${redact(parsed)})`,
    }
  if (parsed.hostname.length === 0) return { kind: 'invalid', reason: `endpoint URL has no host: ${redact(parsed)}` }
  return { kind: 'valid', url: parsed }
}

/**
 * The URL without credentials, query or the secret path of a Slack webhook, for logs and delivery details:
 * a Slack incoming-webhook URL is itself the credential.
 */
export function redactEndpointUrl(url: string): string {
  try {
    return redact(new URL(url))
  } catch {
    return '(unparseable URL)'
  }
}

function redact(u: URL): string {
  const path = u.hostname === 'hooks.slack.com' ? '/services/…' : u.pathname
  return `${u.protocol}//${u.host}${path}${u.search ? '?…' : ''}`
}
