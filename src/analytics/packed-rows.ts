/**
 * Reading values the large reads send packed: many rows' columns concatenated into one bytea per group with the
 * types' binary send functions (`encode(string_agg(int8send(x), ''::bytea), 'base64')`, `timestamptz_send`,
 * `float8send`, `int4send`, `int2send`), all big-endian, sent as base64 (a third shorter than bytea's hex text).
 * The driver then parses a few long values instead of tens of thousands of rows of text (the touch ledger, the
 * scoreboard's opportunities).
 *
 * Example: `const { opened } = decodeColumns(row, ['opened']); const at = pgInstantMs(opened, 8 * i)` — the i-th
 * instant of an `encode(string_agg(timestamptz_send(…), ''::bytea), 'base64')`
 */

/** The named base64 columns of a packed row as bytes (a null column as no bytes). */
export function decodeColumns<K extends string>(
  row: { readonly [key in K]: string | null },
  keys: readonly K[],
): Record<K, Buffer> {
  const out = {} as Record<K, Buffer>
  for (const k of keys) out[k] = Buffer.from(row[k] ?? '', 'base64')
  return out
}

/** PostgreSQL's epoch (2000-01-01) in Unix microseconds: timestamptz_send counts microseconds from it. */
const PG_EPOCH_US = 946_684_800_000_000

/** A big-endian int64 at `offset` as a Number; exact below 2^53 (ids, and instants within ±285 years of 2000). */
export function readInt64(b: Buffer, offset: number): number {
  return b.readInt32BE(offset) * 4_294_967_296 + b.readUInt32BE(offset + 4)
}

/** A big-endian int64 at `offset` as its decimal text, as `x::text` gives it (any int8). */
export function readInt64Text(b: Buffer, offset: number): string {
  const hi = b.readInt32BE(offset)
  return hi >= -0x200000 && hi < 0x200000 ? String(readInt64(b, offset)) : b.readBigInt64BE(offset).toString()
}

/**
 * A `timestamptz_send` value at `offset` in Unix ms exactly as `(extract(epoch from at) * 1000)::bigint` gives it:
 * microseconds divided by 1000, halves rounded away from zero.
 */
export function pgInstantMs(b: Buffer, offset: number): number {
  const us = readInt64(b, offset) + PG_EPOCH_US
  return us < 0 ? -Math.round(-us / 1000) : Math.round(us / 1000)
}
