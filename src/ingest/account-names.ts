/**
 * Accounts known only by name. Many CRM exports (the Maven sample, spreadsheets, Salesforce reports without the
 * website column) name the company but give no domain, while Accord keys accounts by domain. Such an account gets
 * a derived key under the reserved `.invalid` top-level domain (RFC 2606): `acme-corporation.name.invalid`. It can
 * never collide with a real domain, so no email ever resolves to it by accident, and re-importing the same name
 * finds the same account.
 *
 * Lookup order for a name (case-insensitive, surrounding spaces ignored): an account with a real domain and that
 * name (the lowest id when several), else the name-keyed account, created when missing.
 */
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Tx } from '../db/transaction.ts'
import { ensureAccounts } from './ingest-events.ts'

const NAME_KEY_SUFFIX = '.name.invalid'

/** The comparison form of an account name: trimmed, inner spaces collapsed, lower-case. */
export function normalizeAccountName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase()
}

/**
 * The derived domain key of an account known only by name.
 *
 * @example accountKeyOfName('Acme Corporation') // 'acme-corporation.name.invalid'
 */
export function accountKeyOfName(name: string): string {
  const normalized = normalizeAccountName(name)
  const slug = normalized
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  // A DNS label holds at most 63 characters; long or symbol-only names are keyed by a hash of the name.
  const hash = createHash('sha256').update(normalized).digest('hex').slice(0, 12)
  const label = slug === '' ? `n-${hash}` : slug.length > 63 ? `${slug.slice(0, 50)}-${hash}` : slug
  return `${label}${NAME_KEY_SUFFIX}`
}

/** True for a derived name key rather than a real domain. */
export function isAccountNameKey(domain: string): boolean {
  return domain.endsWith(NAME_KEY_SUFFIX)
}

/**
 * Resolves account names to account ids and domain keys in one transaction, creating name-keyed accounts (with
 * their name set) for names no account has. Keys of the result are normalized names.
 */
export async function resolveAccountNames(
  tx: Tx,
  workspaceId: number,
  names: Iterable<string>,
): Promise<Map<string, { id: number; domain: string }>> {
  const byNorm = new Map<string, string>()
  for (const n of names) {
    const norm = normalizeAccountName(n)
    if (norm !== '' && !byNorm.has(norm)) byNorm.set(norm, n.trim())
  }
  const out = new Map<string, { id: number; domain: string }>()
  if (byNorm.size === 0) return out
  const norms = [...byNorm.keys()].sort()
  const found = await sql<{ norm: string; id: number; domain: string }>`
    select distinct on (lower(name)) lower(name) as norm, id, domain from account
    where workspace_id = ${workspaceId} and name is not null and lower(name) = any(${norms}::text[])
    order by lower(name), (domain like ${`%${NAME_KEY_SUFFIX}`}), id`.execute(tx)
  for (const r of found.rows) out.set(r.norm, { id: Number(r.id), domain: r.domain })
  const missing = norms.filter((n) => !out.has(n))
  if (missing.length > 0) {
    const keys = new Map(missing.map((n) => [n, accountKeyOfName(n)]))
    const ids = await ensureAccounts(tx, workspaceId, keys.values())
    const list = missing.map((n) => ({ domain: keys.get(n)!, name: byNorm.get(n)! }))
    await sql`update account a set name = u.name, updated_at = now()
      from unnest(${list.map((l) => l.domain)}::text[], ${list.map((l) => l.name)}::text[]) as u(domain, name)
      where a.workspace_id = ${workspaceId} and a.domain = u.domain and a.name is null`.execute(tx)
    for (const n of missing) out.set(n, { id: ids.get(keys.get(n)!)!, domain: keys.get(n)! })
  }
  return out
}
