/**
 * Ingests a batch of events: resolves identity (person by email, account by the email's domain, anonymous ids
 * stitched to the person who identifies with them), then appends the events in one transaction.
 *
 * What must stay true:
 * - The whole batch is validated before anything is written; a batch with one bad event writes nothing.
 * - Event ids are idempotency keys: a repeated id is a duplicate and changes nothing.
 * - Keys are written in sorted order, so concurrent batches touching the same people cannot deadlock.
 */
import { type Kysely, sql } from 'kysely'
import type { Ctx } from '../context.ts'
import { AppError, type Issue } from '../core/errors.ts'
import { FUTURE_TOLERANCE_MS } from '../core/events/event-types.ts'
import { accountDomainOfEmail, normalizeDomain, normalizeEmail } from '../core/identity/identity.ts'
import type { DB } from '../db/schema.ts'
import { sqlStateOf, type Tx, withRetriedTransaction, withRetries } from '../db/transaction.ts'
import type { EventInput } from './ingest.schema.ts'

export type IngestResult = { received: number; accepted: number; duplicates: number }

type PreparedEvent = {
  id: string
  type: string
  occurredAt: string
  email: string | null
  anonymousId: string | null
  domain: string | null
  properties: string
  props: Record<string, unknown>
  source: string | null
  medium: string | null
  campaign: string | null
  content: string | null
  term: string | null
  personFields: { first_name?: string | null; last_name?: string | null; title?: string | null } | null
}

/** Checks what the schema cannot: known types, usable emails and domains, no events from the future. */
export function prepareEvents(
  events: EventInput[],
  opts: { knownTypes: ReadonlySet<string>; now: number },
): PreparedEvent[] {
  const issues: Issue[] = []
  const prepared: PreparedEvent[] = []
  const latest = opts.now + FUTURE_TOLERANCE_MS
  events.forEach((e, i) => {
    const at = `events[${i}]`
    if (!opts.knownTypes.has(e.type)) {
      issues.push({
        path: `${at}.type`,
        message: `unknown event type "${e.type}"; known types: ${[...opts.knownTypes].join(', ')}`,
      })
    }
    const occurred = Date.parse(e.occurred_at)
    if (occurred > latest) {
      issues.push({
        path: `${at}.occurred_at`,
        message: `${e.occurred_at} is in the future (more than 5 minutes ahead of the server clock)`,
      })
    }
    let email: string | null = null
    if (e.person.email) {
      email = normalizeEmail(e.person.email)
      if (!email) issues.push({ path: `${at}.person.email`, message: `"${e.person.email}" is not an email address` })
    }
    let domain: string | null = null
    if (e.account?.domain) {
      domain = normalizeDomain(e.account.domain)
      if (!domain) issues.push({ path: `${at}.account.domain`, message: `"${e.account.domain}" is not a domain` })
    } else if (email) {
      domain = accountDomainOfEmail(email)
    }
    const { first_name, last_name, title } = e.person
    prepared.push({
      id: e.id,
      type: e.type,
      occurredAt: new Date(occurred).toISOString(),
      email,
      anonymousId: e.person.anonymous_id ?? null,
      domain,
      properties: JSON.stringify(e.properties),
      props: e.properties,
      source: e.context.source ?? null,
      medium: e.context.medium ?? null,
      campaign: e.context.campaign ?? null,
      content: e.context.content ?? null,
      term: e.context.term ?? null,
      personFields: first_name || last_name || title ? { first_name, last_name, title } : null,
    })
  })
  if (issues.length > 0) {
    throw new AppError(
      'invalid_input',
      `${issues.length} problem${issues.length === 1 ? '' : 's'} in the batch; nothing was written`,
      issues,
    )
  }
  return prepared
}

/** Account ids for domains, creating the accounts that do not exist yet. */
export async function ensureAccounts(
  db: Kysely<DB>,
  workspaceId: number,
  domains: Iterable<string>,
): Promise<Map<string, number>> {
  const list = [...new Set(domains)].sort()
  const ids = new Map<string, number>()
  if (list.length === 0) return ids
  const readAccounts = async (keys: string[]) => {
    const rows = await sql<{ id: number; domain: string }>`select id, domain from account
          where workspace_id = ${workspaceId} and domain = any(${keys}::text[])`.execute(db)
    for (const r of rows.rows) ids.set(r.domain, r.id)
  }
  // Read first: almost every domain of a batch is known, and a read waits on nobody.
  await readAccounts(list)
  const missing = list.filter((d) => !ids.has(d))
  if (missing.length === 0) return ids
  const created = await sql<{ id: number; domain: string }>`insert into account (workspace_id, domain)
        select ${workspaceId}, d from unnest(${missing}::text[]) as d
        on conflict (workspace_id, domain) do nothing
        returning id, domain`.execute(db)
  for (const r of created.rows) ids.set(r.domain, r.id)
  // A row a concurrent batch committed while this insert waited on it was not returned: read it again.
  const raced = missing.filter((d) => !ids.has(d))
  if (raced.length > 0) await readAccounts(raced)
  return ids
}

type PersonUpsert = { accountId: number | null; fields: PreparedEvent['personFields'] }
type StoredPerson = {
  id: number
  email: string
  account_id: number | null
  first_name: string | null
  last_name: string | null
  title: string | null
}

/**
 * Person ids for emails, creating people that do not exist yet, linking people without an account and filling in
 * the names and titles the batch brings.
 *
 * Existing people are read without a lock, and only those the batch changes are updated, their rows locked in id
 * order — the order qualification locks people in — so concurrent batches cannot deadlock on them.
 */
export async function ensurePeople(
  db: Kysely<DB>,
  workspaceId: number,
  people: Map<string, PersonUpsert>,
): Promise<Map<string, number>> {
  const emails = [...people.keys()].sort()
  const ids = new Map<string, number>()
  if (emails.length === 0) return ids
  const stale: StoredPerson[] = []
  const readPeople = async (keys: string[]) => {
    const rows = await sql<StoredPerson>`select id, email, account_id, first_name, last_name, title from person
          where workspace_id = ${workspaceId} and email = any(${keys}::text[])`.execute(db)
    for (const r of rows.rows) {
      ids.set(r.email, r.id)
      if (changesPerson(r, people.get(r.email)!)) stale.push(r)
    }
  }
  await readPeople(emails)
  const missing = emails.filter((e) => !ids.has(e))
  if (missing.length > 0) {
    const created = await sql<{ id: number; email: string }>`insert into person
            (workspace_id, email, account_id, first_name, last_name, title)
          select ${workspaceId}, e, a, f, l, t
          from unnest(${missing}::text[], ${missing.map((e) => people.get(e)!.accountId)}::bigint[],
            ${missing.map((e) => people.get(e)!.fields?.first_name ?? null)}::text[],
            ${missing.map((e) => people.get(e)!.fields?.last_name ?? null)}::text[],
            ${missing.map((e) => people.get(e)!.fields?.title ?? null)}::text[]) as u(e, a, f, l, t)
          on conflict (workspace_id, email) do nothing
          returning id, email`.execute(db)
    for (const r of created.rows) ids.set(r.email, r.id)
    // People a concurrent batch committed while this insert waited on them: read them, and update them if need be.
    const raced = missing.filter((e) => !ids.has(e))
    if (raced.length > 0) await readPeople(raced)
  }
  if (stale.length > 0) {
    stale.sort((a, b) => a.id - b.id)
    const wanted = stale.map((r) => people.get(r.email)!)
    await sql`with locked as (
            select id from person where id = any(${stale.map((r) => r.id)}::bigint[]) order by id for no key update)
          update person p set
            account_id = coalesce(p.account_id, u.a),
            first_name = coalesce(u.f, p.first_name),
            last_name = coalesce(u.l, p.last_name),
            title = coalesce(u.t, p.title),
            updated_at = now()
          from locked, unnest(${stale.map((r) => r.id)}::bigint[], ${wanted.map((w) => w.accountId)}::bigint[],
            ${wanted.map((w) => w.fields?.first_name ?? null)}::text[], ${wanted.map((w) => w.fields?.last_name ?? null)}::text[],
            ${wanted.map((w) => w.fields?.title ?? null)}::text[]) as u(id, a, f, l, t)
          where p.id = locked.id and p.id = u.id`.execute(db)
  }
  return ids
}

/** Whether an upsert changes a stored person: an account for one without, or a name or title it does not have. */
function changesPerson(p: StoredPerson, u: PersonUpsert): boolean {
  const differs = (next: string | null | undefined, stored: string | null) =>
    next !== null && next !== undefined && next !== stored
  return (
    (p.account_id === null && u.accountId !== null) ||
    differs(u.fields?.first_name, p.first_name) ||
    differs(u.fields?.last_name, p.last_name) ||
    differs(u.fields?.title, p.title)
  )
}

export type StoredEvent = {
  id: string
  type: string
  occurredAt: string
  personId: number | null
  accountId: number | null
  properties: Record<string, unknown>
  source: string | null
  medium: string | null
  campaign: string | null
}

/** An event written earlier for an anonymous visitor, now re-pointed to the person who identified. */
export type RepointedEvent = StoredEvent

/**
 * Example: `await ingestEvents(ctx, workspaceId, body.events, { knownTypes })` → `{ received: 2, accepted: 2, duplicates: 0 }`
 *
 * `afterInsert` runs inside the events' transaction with the events this batch added and the earlier anonymous
 * events it re-pointed to a person, so whatever must follow from them (qualification) commits with them.
 */
export async function ingestEvents(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  events: EventInput[],
  opts: {
    knownTypes: ReadonlySet<string>
    afterInsert?: (tx: Tx, inserted: StoredEvent[], repointed: RepointedEvent[]) => Promise<void>
  },
): Promise<IngestResult> {
  const prepared = prepareEvents(events, { knownTypes: opts.knownTypes, now: ctx.clock() })
  prepared.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

  // People and accounts first, outside the batch's transaction, each statement its own: concurrent batches naming the
  // same new person or account wait on each other's uncommitted rows, so holding those rows until the events are
  // written would serialize the batches — and most batches only read here, which needs no transaction of its own (two
  // round trips fewer). These are idempotent upserts of validated input; a crash before the events' transaction
  // leaves people and accounts without this batch's events, and re-sending the batch completes it.
  const { accountIds, personIds, stitched } = await withRetries(async () => {
    const accountIds = await ensureAccounts(
      ctx.db,
      workspaceId,
      prepared.flatMap((e) => (e.domain ? [e.domain] : [])),
    )
    const people = new Map<string, PersonUpsert>()
    for (const e of prepared) {
      if (!e.email) continue
      const accountId = e.domain ? (accountIds.get(e.domain) ?? null) : null
      const seen = people.get(e.email)
      if (!seen) people.set(e.email, { accountId, fields: e.personFields })
      else if (e.personFields) seen.fields = { ...seen.fields, ...e.personFields }
    }
    const personIds = await ensurePeople(ctx.db, workspaceId, people)
    return { accountIds, personIds, stitched: await recordStitches(ctx.db, workspaceId, prepared, personIds) }
  }, isDeadlock)

  // Re-pointing, the events and what follows from them commit together: re-pointed anonymous events are handed to
  // `afterInsert` in the same transaction, so a crash cannot leave them re-pointed but never scored. Re-pointing
  // repairs every still-anonymous event of a stitched visitor of this batch, so a crash after the stitch was
  // recorded is healed when the batch is sent again.
  return withRetriedTransaction(
    ctx.db,
    async (tx) => {
      const repointed = await repointVisitorEvents(tx, workspaceId, [...stitched.keys()])
      const personOf = (e: PreparedEvent) =>
        e.email ? personIds.get(e.email)! : e.anonymousId ? (stitched.get(e.anonymousId) ?? null) : null
      const personAccounts = await accountsOfPeople(tx, prepared, personOf)
      const rows = prepared.map((e) => {
        const personId = personOf(e)
        const accountId = e.domain
          ? accountIds.get(e.domain)!
          : personId
            ? (personAccounts.get(personId) ?? null)
            : null
        return { e, personId, accountId }
      })
      const fresh = await appendEvents(tx, workspaceId, rows)

      if (opts.afterInsert && (fresh.length > 0 || repointed.length > 0)) {
        const stored: StoredEvent[] = []
        for (const r of fresh) {
          stored.push({
            id: r.e.id,
            type: r.e.type,
            occurredAt: r.e.occurredAt,
            personId: r.personId,
            accountId: r.accountId,
            properties: r.e.props,
            source: r.e.source,
            medium: r.e.medium,
            campaign: r.e.campaign,
          })
        }
        await opts.afterInsert(tx, stored, repointed)
      }
      return {
        received: events.length,
        accepted: fresh.length,
        duplicates: events.length - fresh.length,
      }
    },
    isDeadlock,
  )
}

type EventRow = { e: PreparedEvent; personId: number | null; accountId: number | null }

/**
 * Appends the batch's events (sorted by id) and returns those it added: each id once, ids already stored left out.
 *
 * `COPY` first, under a savepoint (left open: the rest of the batch's transaction runs in it): it costs PostgreSQL
 * about a third less an event than the insert below, and a batch rarely repeats an id. It fails on the first id that
 * is stored (or that a concurrent batch stores first: the copy waits for that batch's outcome), and then the insert —
 * which skips stored ids — writes the batch instead.
 */
async function appendEvents(tx: Tx, workspaceId: number, rows: EventRow[]): Promise<EventRow[]> {
  let unique = true
  for (let i = 1; i < rows.length; i++) if (rows[i]!.e.id === rows[i - 1]!.e.id) unique = false
  if (unique) {
    await sql`savepoint append_events`.execute(tx)
    try {
      await sql`copy event (workspace_id, id, type, occurred_at, person_id, anonymous_id, account_id, properties,
          source, medium, campaign, content, term) from stdin ${copyText(workspaceId, rows)}`.execute(tx)
      // Not released: the commit releases it, and a release is one more round trip for every batch (alternated,
      // store-only 24,068–27,245 → 28,648–30,689 events/s).
      return rows
    } catch (e) {
      if (!isDuplicateEvent(e)) throw e
      await sql`rollback to savepoint append_events`.execute(tx)
    }
  }
  return insertEvents(tx, workspaceId, rows)
}

/** The plain append: an insert that skips ids already stored (and the second copy of an id within the batch). */
async function insertEvents(tx: Tx, workspaceId: number, rows: EventRow[]): Promise<EventRow[]> {
  const inserted = await sql<{ id: string }>`insert into event
      (workspace_id, id, type, occurred_at, person_id, anonymous_id, account_id, properties, source, medium, campaign, content, term)
      select ${workspaceId}, * from unnest(
        ${rows.map((r) => r.e.id)}::text[], ${rows.map((r) => r.e.type)}::text[], ${rows.map((r) => r.e.occurredAt)}::timestamptz[],
        ${rows.map((r) => r.personId)}::bigint[], ${rows.map((r) => r.e.anonymousId)}::text[], ${rows.map((r) => r.accountId)}::bigint[],
        ${rows.map((r) => r.e.properties)}::jsonb[], ${rows.map((r) => r.e.source)}::text[], ${rows.map((r) => r.e.medium)}::text[],
        ${rows.map((r) => r.e.campaign)}::text[], ${rows.map((r) => r.e.content)}::text[], ${rows.map((r) => r.e.term)}::text[])
      on conflict (workspace_id, id) do nothing
      returning id`.execute(tx)
  const fresh = new Set(inserted.rows.map((r) => r.id))
  return rows.filter((r) => fresh.delete(r.e.id))
}

/** The rows in COPY's text format: tab-separated, `\N` for null, backslash, tab and line breaks escaped. */
function copyText(workspaceId: number, rows: EventRow[]): string {
  const ws = String(workspaceId)
  let out = ''
  for (const { e, personId, accountId } of rows) {
    out += `${ws}\t${copyField(e.id)}\t${copyField(e.type)}\t${e.occurredAt}\t${personId ?? '\\N'}\t${copyField(e.anonymousId)}\t${accountId ?? '\\N'}\t${copyField(e.properties)}\t${copyField(e.source)}\t${copyField(e.medium)}\t${copyField(e.campaign)}\t${copyField(e.content)}\t${copyField(e.term)}\n`
  }
  return out
}

const COPY_SPECIAL = /[\\\t\n\r]/
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

function copyField(v: string | null): string {
  if (v === null) return '\\N'
  return COPY_SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : v
}

/** The copy met an event id that is stored already. */
function isDuplicateEvent(e: unknown): boolean {
  return sqlStateOf(e) === '23505' && (e as { constraint?: unknown }).constraint === 'event_pkey'
}

/**
 * A deadlock: the transaction runs again. Locks are taken in key order so concurrent batches should not deadlock;
 * the retry keeps a lock order missed somewhere (now or by a later change) from failing a sender's batch.
 */
function isDeadlock(e: unknown): boolean {
  return sqlStateOf(e) === '40P01'
}

/**
 * Records new visitor → person stitches (first identification wins) and returns the person of every anonymous id of
 * the batch that is stitched.
 */
async function recordStitches(
  db: Kysely<DB>,
  workspaceId: number,
  prepared: PreparedEvent[],
  personIds: Map<string, number>,
): Promise<Map<string, number>> {
  const pairs = new Map<string, number>()
  for (const e of prepared) if (e.anonymousId && e.email) pairs.set(e.anonymousId, personIds.get(e.email)!)
  const anonymousIds = [...new Set(prepared.flatMap((e) => (e.anonymousId ? [e.anonymousId] : [])))].sort()
  const stitched = new Map<string, number>()
  if (anonymousIds.length === 0) return stitched
  // Read the stitches that exist first: a visitor identifies once, so most pairs in a batch are already stitched,
  // and inserting them again would make concurrent batches wait on each other's uncommitted rows.
  const known = await sql<{
    anonymous_id: string
    person_id: number
  }>`select anonymous_id, person_id from anonymous_identity
        where workspace_id = ${workspaceId} and anonymous_id = any(${anonymousIds}::text[])`.execute(db)
  for (const r of known.rows) stitched.set(r.anonymous_id, r.person_id)
  const fresh = [...pairs.keys()].filter((a) => !stitched.has(a)).sort()
  if (fresh.length === 0) return stitched
  const created = await sql<{
    anonymous_id: string
    person_id: number
  }>`insert into anonymous_identity (workspace_id, anonymous_id, person_id)
        select ${workspaceId}, a, p from unnest(${fresh}::text[], ${fresh.map((a) => pairs.get(a)!)}::bigint[]) as u(a, p)
        on conflict (workspace_id, anonymous_id) do nothing
        returning anonymous_id, person_id`.execute(db)
  for (const r of created.rows) stitched.set(r.anonymous_id, r.person_id)
  // A stitch another batch committed between the read and the insert wins.
  const raced = fresh.filter((a) => !stitched.has(a))
  if (raced.length > 0) {
    const late = await sql<{
      anonymous_id: string
      person_id: number
    }>`select anonymous_id, person_id from anonymous_identity
          where workspace_id = ${workspaceId} and anonymous_id = any(${raced}::text[])`.execute(db)
    for (const r of late.rows) stitched.set(r.anonymous_id, r.person_id)
  }
  return stitched
}

/** Points the still-anonymous events of stitched visitors at their person; returns them for qualification. */
async function repointVisitorEvents(tx: Tx, workspaceId: number, anonymousIds: string[]): Promise<RepointedEvent[]> {
  if (anonymousIds.length === 0) return []
  const moved = await sql<{
    id: string
    type: string
    occurred_at: Date
    person_id: number
    account_id: number | null
    properties: Record<string, unknown>
    source: string | null
    medium: string | null
    campaign: string | null
  }>`with locked as (
          -- Rows locked in id order first: two batches re-pointing the same visitors' events cannot deadlock. A row
          -- another batch re-pointed meanwhile no longer has person_id null once its lock is granted, and is skipped.
          -- The literal array lets the planner use event_anonymous (a partial index on person_id is null).
          select id from event
          where workspace_id = ${workspaceId} and anonymous_id = any(${anonymousIds}::text[]) and person_id is null
          order by id
          for update)
        update event e set person_id = ai.person_id, account_id = coalesce(e.account_id, p.account_id)
        from locked, anonymous_identity ai join person p on p.id = ai.person_id
        where e.workspace_id = ${workspaceId} and e.id = locked.id
          and ai.workspace_id = ${workspaceId} and ai.anonymous_id = e.anonymous_id
        returning e.id, e.type, e.occurred_at, e.person_id, e.account_id, e.properties, e.source, e.medium, e.campaign`.execute(
    tx,
  )
  return moved.rows.map((r) => ({
    id: r.id,
    type: r.type,
    occurredAt: r.occurred_at.toISOString(),
    personId: r.person_id,
    accountId: r.account_id,
    properties: r.properties,
    source: r.source,
    medium: r.medium,
    campaign: r.campaign,
  }))
}

async function accountsOfPeople(
  tx: Tx,
  prepared: PreparedEvent[],
  personOf: (e: PreparedEvent) => number | null,
): Promise<Map<number, number>> {
  const ids = [...new Set(prepared.filter((e) => !e.domain).flatMap((e) => personOf(e) ?? []))]
  const out = new Map<number, number>()
  if (ids.length === 0) return out
  const rows = await sql<{ id: number; account_id: number }>`select id, account_id from person
        where id = any(${ids}::bigint[]) and account_id is not null`.execute(tx)
  for (const r of rows.rows) out.set(r.id, r.account_id)
  return out
}
