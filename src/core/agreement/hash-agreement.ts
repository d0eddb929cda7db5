import { createHash } from 'node:crypto'
import { parse as parseCel, serialize } from '@marcbachmann/cel-js'
import type { Agreement } from './agreement-schema.ts'

function normalizeCondition(source: string): string {
  try {
    return serialize(parseCel(source).ast)
  } catch {
    return source.trim()
  }
}

/**
 * The canonical form a version is identified by: keys sorted, absent values dropped, CEL conditions reprinted from
 * their syntax tree (so `fit>=60` and `fit >= 60` are one version). List order is kept: tiers, routing and personas
 * are first-match-wins, so their order is meaning.
 */
export function canonicalizeAgreement(value: unknown, key?: string): unknown {
  if (typeof value === 'string' && key === 'when') return normalizeCondition(value)
  if (Array.isArray(value)) return value.map((v) => canonicalizeAgreement(v))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k]
      if (v !== undefined) out[k] = canonicalizeAgreement(v, k)
    }
    return out
  }
  return value
}

/**
 * The content hash of an Agreement version (sha256, hex) over its canonical form: stable under comments, key order,
 * quoting and whitespace; different for any change of meaning.
 *
 * Example: `hashAgreement(agreement)` → `'3f1c…'` (64 hex characters)
 */
export function hashAgreement(agreement: Agreement): string {
  return createHash('sha256')
    .update(JSON.stringify(canonicalizeAgreement(agreement)))
    .digest('hex')
}
