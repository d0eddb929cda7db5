// Escaping for every channel a brief is rendered into. Every string in a brief may carry user-supplied text (names,
// titles, page titles, form names from tracking scripts), so each renderer escapes every value it interpolates.

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** For HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML[c]!)
}

/**
 * Slack mrkdwn: `&`, `<` and `>` are the only characters Slack requires escaped; unescaped, `<!channel>` or
 * `<https://evil|click>` in a page title would ping a channel or forge a link.
 */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * CommonMark: `&`, `<` and `>` become entities (a dashboard rendering Markdown must not receive raw
 * tags), inline-syntax characters are backslash-escaped so a name cannot turn into a link or emphasis, and a
 * leading list or heading marker is escaped so a value cannot restructure the document.
 */
export function escapeMarkdown(s: string): string {
  return escapeSlack(toSingleLine(s))
    .replace(/[\\`*_[\]~]/g, (c) => `\\${c}`)
    .replace(/^([#+=-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2')
}

/** Header values (email subject): line breaks would start a new header. */
export function toSingleLine(s: string): string {
  return s.replace(/[\r\n\u2028\u2029]+/g, ' ').trim()
}
