/**
 * Batch upserts of CRM records: accounts by domain, people by email, opportunities by external id.
 * A field present in the input (even as null) overwrites; a field absent leaves the stored value alone, so a
 * CSV with only some columns never blanks the others. One transaction per batch; the batch is validated whole
 * before it starts. Account signals are appended by account, type and instant.
 *
 * A record change can change a lead's fit (an account enriched with its industry, a corrected title, a funding
 * round): given a `RecordPolicy` (src/leads/event-policy.ts), the open leads of the people and accounts written are
 * re-scored — and qualified, handed off — in the same transaction as the write.
 */
import { sql } from 'kysely'
import type { Ctx } from '../context.ts'
import { AppError, type Issue } from '../core/errors.ts'
import { FUTURE_TOLERANCE_MS } from '../core/events/event-types.ts'
import { accountDomainOfEmail, normalizeDomain, normalizeEmail } from '../core/identity/identity.ts'
import { type Tx, withTransaction } from '../db/transaction.ts'
import { normalizeAccountName, resolveAccountNames } from './account-names.ts'
import type { AccountInput, AccountSignalInput, OpportunityInput, PersonInput } from './ingest.schema.ts'
import { ensureAccounts, ensurePeople } from './ingest-events.ts'

export type UpsertResult = { received: number; created: number; updated: number }

/** What record writes take from the Agreement in force (built by `recordPolicy` in src/leads/event-policy.ts). */
export type RecordPolicy = {
  accountSignalTypes: ReadonlySet<string>
  /** Runs in the write's transaction with the ids written. */
  afterWrite?: (tx: Tx, written: { personIds?: readonly number[]; accountIds?: readonly number[] }) => Promise<void>
}

function fail(issues: Issue[]): never {
  throw new AppError(
    'invalid_input',
    `${issues.length} problem${issues.length === 1 ? '' : 's'} in the batch; nothing was written`,
    issues,
  )
}

/** Merges records with the same key (last one wins field by field), keeping the present-field semantics. */
function mergeByKey<T extends object>(items: { key: string; doc: T }[]): { key: string; doc: T }[] {
  const merged = new Map<string, T>()
  for (const { key, doc } of items) merged.set(key, { ...(merged.get(key) ?? {}), ...doc } as T)
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, doc]) => ({ key, doc }))
}

/** Sets each column from the input document only where the document has that key. */
function patchColumns(columns: Record<string, string>): ReturnType<typeof sql.raw> {
  return sql.raw(
    Object.entries(columns)
      .map(([col, expr]) => `${col} = case when d.doc ? '${col}' then ${expr} else t.${col} end`)
      .join(',\n'),
  )
}

async function countExisting(
  tx: Tx,
  table: 'account' | 'person' | 'opportunity',
  keyCol: string,
  workspaceId: number,
  keys: string[],
) {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
      where workspace_id = ${workspaceId} and ${sql.ref(keyCol)} = any(${keys}::text[])`.execute(tx)
  return r.rows[0]!.n
}

export async function upsertAccounts(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  accounts: AccountInput[],
  policy?: RecordPolicy,
): Promise<UpsertResult> {
  const issues: Issue[] = []
  const items = accounts.map((a, i) => {
    if (!a.domain) return { key: '', byName: a.name ?? '', doc: { ...a } }
    const domain = normalizeDomain(a.domain)
    if (!domain) issues.push({ path: `accounts[${i}].domain`, message: `"${a.domain}" is not a domain` })
    return { key: domain ?? '', byName: null, doc: { ...a, domain: domain ?? '' } }
  })
  if (issues.length) fail(issues)
  return withTransaction(ctx.db, async (tx) => {
    // Accounts without a domain are keyed by name: the account of that name, else a derived name key.
    const named = await resolveAccountNames(
      tx,
      workspaceId,
      items.flatMap((i) => (i.byName === null ? [] : [i.byName])),
    )
    const keyed = items.map((i) => {
      if (i.byName === null) return { key: i.key, doc: i.doc }
      const domain = named.get(normalizeAccountName(i.byName))!.domain
      return { key: domain, doc: { ...i.doc, domain } }
    })
    const merged = mergeByKey(keyed)
    const keys = merged.map((m) => m.key)
    const before = await countExisting(tx, 'account', 'domain', workspaceId, keys)
    const ids = await ensureAccounts(tx, workspaceId, keys)
    await sql`update account t set ${patchColumns({
      name: "d.doc->>'name'",
      industry: "d.doc->>'industry'",
      employees: "(d.doc->>'employees')::integer",
      revenue: "(d.doc->>'revenue')::numeric",
      country: "d.doc->>'country'",
      region: "d.doc->>'region'",
      state: "d.doc->>'state'",
      segment: "d.doc->>'segment'",
      technologies:
        "coalesce(array(select jsonb_array_elements_text(nullif(d.doc->'technologies', 'null'::jsonb))), '{}')",
      owner: "d.doc->>'owner'",
      external_id: "d.doc->>'external_id'",
      attributes: "coalesce(nullif(d.doc->'attributes', 'null'::jsonb), '{}'::jsonb)",
    })}, updated_at = now()
      from (select value as doc from jsonb_array_elements(${JSON.stringify(merged.map((m) => m.doc))}::jsonb)) d
      where t.workspace_id = ${workspaceId} and t.domain = d.doc->>'domain'`.execute(tx)
    await policy?.afterWrite?.(tx, { accountIds: [...ids.values()] })
    return { received: accounts.length, created: keys.length - before, updated: before }
  })
}

export async function upsertPeople(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  people: PersonInput[],
  policy?: RecordPolicy,
): Promise<UpsertResult> {
  const issues: Issue[] = []
  const items = people.map((p, i) => {
    const email = normalizeEmail(p.email)
    if (!email) issues.push({ path: `people[${i}].email`, message: `"${p.email}" is not an email address` })
    let domain: string | null = null
    if (p.account_domain) {
      domain = normalizeDomain(p.account_domain)
      if (!domain)
        issues.push({ path: `people[${i}].account_domain`, message: `"${p.account_domain}" is not a domain` })
    } else if (email) domain = accountDomainOfEmail(email)
    const { account_domain: _, ...rest } = p
    return { key: email ?? '', doc: { ...rest, email: email ?? '', ...(domain ? { account_domain: domain } : {}) } }
  })
  if (issues.length) fail(issues)
  const merged = mergeByKey(items)
  const keys = merged.map((m) => m.key)
  return withTransaction(ctx.db, async (tx) => {
    const before = await countExisting(tx, 'person', 'email', workspaceId, keys)
    const accountIds = await ensureAccounts(
      tx,
      workspaceId,
      merged.flatMap((m) => ('account_domain' in m.doc ? [m.doc.account_domain as string] : [])),
    )
    const docs = merged.map((m) => ({
      ...m.doc,
      ...('account_domain' in m.doc ? { account_id: accountIds.get(m.doc.account_domain as string) ?? null } : {}),
    }))
    const ids = await ensurePeople(tx, workspaceId, new Map(keys.map((k) => [k, { accountId: null, fields: null }])))
    await sql`update person t set ${patchColumns({
      first_name: "d.doc->>'first_name'",
      last_name: "d.doc->>'last_name'",
      title: "d.doc->>'title'",
      phone: "d.doc->>'phone'",
      country: "d.doc->>'country'",
      external_id: "d.doc->>'external_id'",
      account_id: "(d.doc->>'account_id')::bigint",
      attributes: "coalesce(nullif(d.doc->'attributes', 'null'::jsonb), '{}'::jsonb)",
    })}, updated_at = now()
      from (select value as doc from jsonb_array_elements(${JSON.stringify(docs)}::jsonb)) d
      where t.workspace_id = ${workspaceId} and t.email = d.doc->>'email'`.execute(tx)
    await policy?.afterWrite?.(tx, { personIds: [...ids.values()] })
    return { received: people.length, created: keys.length - before, updated: before }
  })
}

/**
 * Appends account signals (accounts are created by domain when new). A signal already stored — same account, type
 * and instant — is counted as a duplicate and left as it was.
 *
 * Example: `await recordAccountSignals(ctx, ws, [{ domain: 'acme.com', type: 'funding_round', at: '2026-11-20T00:00:00Z' }], policy)`
 * → `{ received: 1, created: 1, duplicates: 0 }`
 */
export async function recordAccountSignals(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  signals: AccountSignalInput[],
  policy: RecordPolicy,
): Promise<{ received: number; created: number; duplicates: number }> {
  const issues: Issue[] = []
  const latest = ctx.clock() + FUTURE_TOLERANCE_MS
  const rows = signals.map((s, i) => {
    const domain = normalizeDomain(s.domain)
    if (!domain) issues.push({ path: `signals[${i}].domain`, message: `"${s.domain}" is not a domain` })
    if (!policy.accountSignalTypes.has(s.type))
      issues.push({
        path: `signals[${i}].type`,
        message: `unknown account signal type "${s.type}"; known types: ${[...policy.accountSignalTypes].join(', ')}`,
      })
    if (Date.parse(s.at) > latest)
      issues.push({
        path: `signals[${i}].at`,
        message: `${s.at} is in the future (more than 5 minutes ahead of the server clock)`,
      })
    return {
      domain: domain ?? '',
      type: s.type,
      at: new Date(s.at).toISOString(),
      source: s.source ?? null,
      details: s.details ?? {},
    }
  })
  if (issues.length) fail(issues)
  return withTransaction(ctx.db, async (tx) => {
    const ids = await ensureAccounts(
      tx,
      workspaceId,
      rows.map((r) => r.domain),
    )
    const inserted = await sql<{
      account_id: number
    }>`insert into account_signal (workspace_id, account_id, type, at, source, details)
        select ${workspaceId}, (r.account_id)::bigint, r.type, r.at, r.source, coalesce(r.details, '{}'::jsonb)
        from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ ...r, account_id: ids.get(r.domain) })))}::jsonb)
          as r(account_id bigint, type text, at timestamptz, source text, details jsonb)
        on conflict (workspace_id, account_id, type, at) do nothing
        returning account_id`.execute(tx)
    const touched = [...new Set(inserted.rows.map((r) => r.account_id))]
    if (touched.length > 0) await policy.afterWrite?.(tx, { accountIds: touched })
    return {
      received: signals.length,
      created: inserted.rows.length,
      duplicates: signals.length - inserted.rows.length,
    }
  })
}

/** Closed/won from the stage name when the sender does not say: HubSpot `closedwon`, Salesforce `Closed Won`, … */
export function stageOutcome(stage: string): { isClosed: boolean; isWon: boolean } {
  const s = stage.toLowerCase().replace(/[^a-z]/g, '')
  if (s === 'won' || s === 'closedwon') return { isClosed: true, isWon: true }
  if (s === 'lost' || s === 'closedlost') return { isClosed: true, isWon: false }
  return { isClosed: false, isWon: false }
}

function toIso(v: string | null | undefined): string | null | undefined {
  if (v === undefined || v === null) return v
  return v.length === 10 ? `${v}T00:00:00Z` : v
}

export async function upsertOpportunities(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  opportunities: OpportunityInput[],
): Promise<UpsertResult> {
  const issues: Issue[] = []
  const items = opportunities.map((o, i) => {
    let domain: string | null | undefined = o.account_domain
    if (o.account_domain) {
      domain = normalizeDomain(o.account_domain)
      if (!domain)
        issues.push({ path: `opportunities[${i}].account_domain`, message: `"${o.account_domain}" is not a domain` })
    }
    const contacts = (o.contacts ?? []).map((c, j) => {
      const email = normalizeEmail(c.email)
      if (!email)
        issues.push({
          path: `opportunities[${i}].contacts[${j}].email`,
          message: `"${c.email}" is not an email address`,
        })
      return { email: email ?? '', role: c.role ?? null }
    })
    const outcome = stageOutcome(o.stage)
    const { account_domain: _a, account_name, contacts: _c, created_at, closed_at, ...rest } = o
    const doc: Record<string, unknown> = {
      ...rest,
      is_closed: o.is_closed ?? o.is_won ?? outcome.isClosed,
      is_won: o.is_won ?? outcome.isWon,
    }
    if (o.is_won === true) doc.is_closed = true
    if (created_at !== undefined) doc.opened_at = toIso(created_at)
    if (closed_at !== undefined) doc.closed_at = toIso(closed_at)
    if (domain !== undefined) doc.account_domain = domain
    // A domain names the account more precisely than a name; the name is used only without one.
    else if (account_name) doc.account_name = account_name
    return { key: o.external_id, doc, contacts }
  })
  if (issues.length) fail(issues)
  const contactsByKey = new Map(items.map((i) => [i.key, i.contacts]))
  const merged = mergeByKey(items.map(({ key, doc }) => ({ key, doc })))
  const keys = merged.map((m) => m.key)
  return withTransaction(ctx.db, async (tx) => {
    const before = await countExisting(tx, 'opportunity', 'external_id', workspaceId, keys)
    const accountIds = await ensureAccounts(
      tx,
      workspaceId,
      merged.flatMap((m) => (typeof m.doc.account_domain === 'string' ? [m.doc.account_domain] : [])),
    )
    const named = await resolveAccountNames(
      tx,
      workspaceId,
      merged.flatMap((m) => (typeof m.doc.account_name === 'string' ? [m.doc.account_name] : [])),
    )
    const docs: Record<string, unknown>[] = merged.map((m) => {
      const { account_name, ...doc } = m.doc
      return {
        ...doc,
        external_id: m.key,
        ...('account_domain' in m.doc
          ? { account_id: m.doc.account_domain ? (accountIds.get(m.doc.account_domain as string) ?? null) : null }
          : typeof account_name === 'string'
            ? { account_id: named.get(normalizeAccountName(account_name))?.id ?? null }
            : {}),
      }
    })
    await sql`insert into opportunity (workspace_id, external_id, stage)
      select ${workspaceId}, k, s from unnest(${keys}::text[], ${docs.map((d) => String(d.stage))}::text[]) as u(k, s)
      on conflict (workspace_id, external_id) do nothing`.execute(tx)
    await sql`update opportunity t set ${patchColumns({
      account_id: "(d.doc->>'account_id')::bigint",
      name: "d.doc->>'name'",
      amount: "(d.doc->>'amount')::numeric",
      stage: "d.doc->>'stage'",
      is_closed: "(d.doc->>'is_closed')::boolean",
      is_won: "(d.doc->>'is_won')::boolean",
      opened_at: "(d.doc->>'opened_at')::timestamptz",
      closed_at: "(d.doc->>'closed_at')::timestamptz",
      owner: "d.doc->>'owner'",
      source: "d.doc->>'source'",
      lost_reason: "d.doc->>'lost_reason'",
      attributes: "coalesce(nullif(d.doc->'attributes', 'null'::jsonb), '{}'::jsonb)",
    })}, updated_at = now()
      from (select value as doc from jsonb_array_elements(${JSON.stringify(docs)}::jsonb)) d
      where t.workspace_id = ${workspaceId} and t.external_id = d.doc->>'external_id'`.execute(tx)

    const links = [...contactsByKey.entries()].flatMap(([key, cs]) => cs.map((c) => ({ key, ...c })))
    if (links.length > 0) {
      const emails = [...new Set(links.map((l) => l.email))]
      const domains = await ensureAccounts(
        tx,
        workspaceId,
        emails.flatMap((e) => accountDomainOfEmail(e) ?? []),
      )
      const personIds = await ensurePeople(
        tx,
        workspaceId,
        new Map(
          emails.map((e) => {
            const d = accountDomainOfEmail(e)
            return [e, { accountId: d ? (domains.get(d) ?? null) : null, fields: null }]
          }),
        ),
      )
      const unique = new Map(links.map((l) => [`${l.key}\u0000${l.email}`, l]))
      const list = [...unique.values()].sort((a, b) => (a.key + a.email < b.key + b.email ? -1 : 1))
      await sql`insert into opportunity_contact (opportunity_id, person_id, role)
        select o.id, u.p, u.r from unnest(${list.map((l) => l.key)}::text[], ${list.map((l) => personIds.get(l.email)!)}::bigint[], ${list.map((l) => l.role)}::text[]) as u(k, p, r)
        join opportunity o on o.workspace_id = ${workspaceId} and o.external_id = u.k
        on conflict (opportunity_id, person_id) do update set role = coalesce(excluded.role, opportunity_contact.role)`.execute(
        tx,
      )
    }
    return { received: opportunities.length, created: keys.length - before, updated: before }
  })
}
