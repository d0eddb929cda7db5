/**
 * Identity resolution rules: a person is their email (trimmed, case-insensitive); their account is their email's
 * domain unless that domain is a free-mail provider (gmail.com is not a company).
 */
import freeMailDomains from 'email-providers/all.json' with { type: 'json' }

// Domains on the maintained provider list that are also employers whose staff write from them.
const EMPLOYER_DOMAINS = new Set([
  'facebook.com',
  'alibaba.com',
  'about.com',
  'go.com',
  'netscape.com',
  'geocities.com',
])
const FREE_MAIL = new Set((freeMailDomains as string[]).filter((d) => !EMPLOYER_DOMAINS.has(d)))

/** Example: `normalizeEmail('  Ana@ACME.com ')` → `'ana@acme.com'`; `null` when it is not an email. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase()
  const at = email.lastIndexOf('@')
  if (at <= 0 || at === email.length - 1 || /\s/.test(email)) return null
  const domain = email.slice(at + 1)
  if (!domain.includes('.') || domain.startsWith('.') || domain.endsWith('.')) return null
  return email
}

/** Example: `normalizeDomain('https://www.Acme.com/about')` → `'acme.com'`. */
export function normalizeDomain(raw: string): string | null {
  let d = raw.trim().toLowerCase()
  d = d.replace(/^[a-z]+:\/\//, '')
  d = d.split(/[/?#]/)[0] ?? ''
  d = d
    .replace(/:\d+$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '')
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(d)) return null
  return d
}

export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL.has(domain)
}

/** The account domain an email implies, or null for free-mail addresses. Expects a normalized email. */
export function accountDomainOfEmail(email: string): string | null {
  const domain = email.slice(email.lastIndexOf('@') + 1)
  return isFreeMailDomain(domain) ? null : domain
}
