/**
 * Ingests a batch of events in one transaction: resolves identity (person by email, account by the email's
 * domain, anonymous ids stitched to the person who identifies with them), then appends the events.
 *
 * What must stay true:
 * - The whole batch is validated before the transaction starts; a batch with one bad event writes nothing.
 * - Event ids are idempotency keys: a repeated id is a duplicate and changes nothing.
 * - Keys are written in sorted order, so concurrent batches touching the same people cannot deadlock.
 */
import { sql } from 'kysely'
import type { Ctx } from '../context.ts'
import { AppError, type Issue } from '../core/errors.ts'
import { FUTURE_TOLERANCE_MS } from '../core/events/event-types.ts'
import { accountDomainOfEmail, normalizeDomain, normalizeEmail } from '../core/identity/identity.ts'
import { type Tx, withTransaction } from '../db/transaction.ts'
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
  tx: Tx,
  workspaceId: number,
  domains: Iterable<string>,
): Promise<Map<string, number>> {
  const list = [...new Set(domains)].sort()
  const ids = new Map<string, number>()
  if (list.length === 0) return ids
  // One round trip in the common case: rows inserted now come from the CTE; rows that existed come from the
  // select, which (same statement, same snapshot) cannot see the new ones. A row a concurrent batch committed
  // while this statement waited on it is in neither, so missing keys are read again in a fresh statement.
  const rows = await sql<{ id: number; domain: string }>`with created as (
              insert into account (workspace_id, domain)
              select ${workspaceId}, d from unnest(${list}::text[]) as d
              on conflict (workspace_id, domain) do nothing
              returning id, domain)
            select id, domain from created
            union all
            select id, domain from account where workspace_id = ${workspaceId} and domain = any(${list}::text[])`.execute(
    tx,
  )
  for (const r of rows.rows) ids.set(r.domain, r.id)
  const missing = list.filter((d) => !ids.has(d))
  if (missing.length > 0) {
    const late = await sql<{ id: number; domain: string }>`select id, domain from account
            where workspace_id = ${workspaceId} and domain = any(${missing}::text[])`.execute(tx)
    for (const r of late.rows) ids.set(r.domain, r.id)
  }
  return ids
}

/** Person ids for emails, creating people that do not exist yet and linking people without an account. */
export async function ensurePeople(
  tx: Tx,
  workspaceId: number,
  people: Map<string, { accountId: number | null; fields: PreparedEvent['personFields'] }>,
): Promise<Map<string, number>> {
  const emails = [...people.keys()].sort()
  const ids = new Map<string, number>()
  if (emails.length === 0) return ids
  const accountIds = emails.map((e) => people.get(e)!.accountId)
  const first = emails.map((e) => people.get(e)!.fields?.first_name ?? null)
  const last = emails.map((e) => people.get(e)!.fields?.last_name ?? null)
  const title = emails.map((e) => people.get(e)!.fields?.title ?? null)
  // Updates only when something changes, so a batch of page views by known people writes no person rows.
  // One round trip in the common case, as in ensureAccounts (and, as there, keys a concurrent batch committed
  // meanwhile are read again).
  const rows = await sql<{ id: number; email: string }>`with changed as (
            insert into person as p (workspace_id, email, account_id, first_name, last_name, title)
            select ${workspaceId}, e, a, f, l, t
            from unnest(${emails}::text[], ${accountIds}::bigint[], ${first}::text[], ${last}::text[], ${title}::text[]) as u(e, a, f, l, t)
            on conflict (workspace_id, email) do update set
              account_id = coalesce(p.account_id, excluded.account_id),
              first_name = coalesce(excluded.first_name, p.first_name),
              last_name = coalesce(excluded.last_name, p.last_name),
              title = coalesce(excluded.title, p.title),
              updated_at = now()
            where (p.account_id is null and excluded.account_id is not null)
               or (excluded.first_name is not null and excluded.first_name is distinct from p.first_name)
               or (excluded.last_name is not null and excluded.last_name is distinct from p.last_name)
               or (excluded.title is not null and excluded.title is distinct from p.title)
            returning id, email)
          select id, email from changed
          union all
          select id, email from person where workspace_id = ${workspaceId} and email = any(${emails}::text[])`.execute(
    tx,
  )
  for (const r of rows.rows) ids.set(r.email, r.id)
  const missing = emails.filter((e) => !ids.has(e))
  if (missing.length > 0) {
    const late = await sql<{ id: number; email: string }>`select id, email from person
            where workspace_id = ${workspaceId} and email = any(${missing}::text[])`.execute(tx)
    for (const r of late.rows) ids.set(r.email, r.id)
  }
  return ids
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

  // People and accounts first, in their own short transaction: concurrent batches naming the same new person or
  // account wait on each other's uncommitted rows, so holding those rows until the events are written would
  // serialize the batches. These are idempotent upserts of validated input; a crash between the two transactions
  // leaves people and accounts without this batch's events, and re-sending the batch completes it.
  const { accountIds, personIds, stitched } = await withTransaction(ctx.db, async (tx) => {
    const accountIds = await ensureAccounts(
      tx,
      workspaceId,
      prepared.flatMap((e) => (e.domain ? [e.domain] : [])),
    )
    const people = new Map<string, { accountId: number | null; fields: PreparedEvent['personFields'] }>()
    for (const e of prepared) {
      if (!e.email) continue
      const accountId = e.domain ? (accountIds.get(e.domain) ?? null) : null
      const seen = people.get(e.email)
      if (!seen) people.set(e.email, { accountId, fields: e.personFields })
      else if (e.personFields) seen.fields = { ...seen.fields, ...e.personFields }
    }
    const personIds = await ensurePeople(tx, workspaceId, people)
    return { accountIds, personIds, stitched: await recordStitches(tx, workspaceId, prepared, personIds) }
  })

  // Re-pointing, the events and what follows from them commit together: re-pointed anonymous events are handed to
  // `afterInsert` in the same transaction, so a crash cannot leave them re-pointed but never scored. Re-pointing
  // repairs every still-anonymous event of a stitched visitor of this batch, so a crash after the stitch was
  // recorded is healed when the batch is sent again.
  return withTransaction(ctx.db, async (tx) => {
    const repointed = await repointVisitorEvents(tx, workspaceId, [...stitched.keys()])
    const personOf = (e: PreparedEvent) =>
      e.email ? personIds.get(e.email)! : e.anonymousId ? (stitched.get(e.anonymousId) ?? null) : null
    const personAccounts = await accountsOfPeople(tx, prepared, personOf)
    const rows = prepared.map((e) => {
      const personId = personOf(e)
      const accountId = e.domain ? accountIds.get(e.domain)! : personId ? (personAccounts.get(personId) ?? null) : null
      return { e, personId, accountId }
    })
    const inserted = await sql<{ id: string }>`insert into event
          (workspace_id, id, type, occurred_at, person_id, anonymous_id, account_id, properties, source, medium, campaign, content, term)
          select ${workspaceId}, * from unnest(
            ${rows.map((r) => r.e.id)}::text[], ${rows.map((r) => r.e.type)}::text[], ${rows.map((r) => r.e.occurredAt)}::timestamptz[],
            ${rows.map((r) => r.personId)}::bigint[], ${rows.map((r) => r.e.anonymousId)}::text[], ${rows.map((r) => r.accountId)}::bigint[],
            ${rows.map((r) => r.e.properties)}::jsonb[], ${rows.map((r) => r.e.source)}::text[], ${rows.map((r) => r.e.medium)}::text[],
            ${rows.map((r) => r.e.campaign)}::text[], ${rows.map((r) => r.e.content)}::text[], ${rows.map((r) => r.e.term)}::text[])
          on conflict (workspace_id, id) do nothing
          returning id`.execute(tx)

    if (opts.afterInsert && (inserted.rows.length > 0 || repointed.length > 0)) {
      const fresh = new Set(inserted.rows.map((r) => r.id))
      const stored: StoredEvent[] = []
      for (const r of rows) {
        if (!fresh.delete(r.e.id)) continue // a duplicate, or the second copy of an id within the batch
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
    return { received: events.length, accepted: inserted.rows.length, duplicates: events.length - inserted.rows.length }
  })
}

/**
 * Records new visitor → person stitches (first identification wins) and returns the person of every anonymous id of
 * the batch that is stitched.
 */
async function recordStitches(
  tx: Tx,
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
        where workspace_id = ${workspaceId} and anonymous_id = any(${anonymousIds}::text[])`.execute(tx)
  for (const r of known.rows) stitched.set(r.anonymous_id, r.person_id)
  const fresh = [...pairs.keys()].filter((a) => !stitched.has(a)).sort()
  if (fresh.length === 0) return stitched
  const created = await sql<{
    anonymous_id: string
    person_id: number
  }>`insert into anonymous_identity (workspace_id, anonymous_id, person_id)
        select ${workspaceId}, a, p from unnest(${fresh}::text[], ${fresh.map((a) => pairs.get(a)!)}::bigint[]) as u(a, p)
        on conflict (workspace_id, anonymous_id) do nothing
        returning anonymous_id, person_id`.execute(tx)
  for (const r of created.rows) stitched.set(r.anonymous_id, r.person_id)
  // A stitch another batch committed between the read and the insert wins.
  const raced = fresh.filter((a) => !stitched.has(a))
  if (raced.length > 0) {
    const late = await sql<{
      anonymous_id: string
      person_id: number
    }>`select anonymous_id, person_id from anonymous_identity
          where workspace_id = ${workspaceId} and anonymous_id = any(${raced}::text[])`.execute(tx)
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
  }>`update event e set person_id = ai.person_id, account_id = coalesce(e.account_id, p.account_id)
        from anonymous_identity ai join person p on p.id = ai.person_id
        where e.workspace_id = ${workspaceId} and ai.workspace_id = ${workspaceId}
          and e.anonymous_id = ai.anonymous_id and e.person_id is null
          -- the literal arrays let the planner use event_anonymous (a partial index on person_id is null)
          and e.anonymous_id = any(${anonymousIds}::text[]) and ai.anonymous_id = any(${anonymousIds}::text[])
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
