/**
 * Qualification off the request path, in chunks (`POST /v1/events?qualify=queued`, migration 0014). The request
 * stores its events with backlog rows naming those qualification must apply, and returns; the workspace's
 * qualifiers (two, each over its share of the accounts) take their oldest rows, up to ~10,000 events, and qualify
 * them in one transaction. A chunk loads and
 * writes each of its leads once however many of its events it holds, and pays its statements and its commit once:
 * per event it costs about half of what a 500-event request's qualification costs (`npm run bench -- qualify-chunks`).
 * The price is latency: a queued event is decided when its chunk commits, not when its request returns.
 *
 * What must stay true:
 * - A backlog row is written in the transaction that stores its events and deleted in the one that qualifies them:
 *   every queued event is applied once, and a killed process only delays it (the workers' sweep takes what is left).
 * - One qualifier per workspace and share at a time: a transaction-level advisory lock; a second attempt returns at
 *   once. Qualifiers of different shares lock different people (and, but for people whose account changed, accounts).
 * - Only events with a person are queued (as only they are qualified); a visitor's anonymous events are queued by the
 *   batch that re-points them to the person they identified as, exactly once, as the synchronous path does.
 * - The process that queued events also holds them in memory, so its own qualifier need not read them back; memory
 *   is only a shortcut: any qualifier, in any process, can take any row from the database alone.
 */
import { type Kysely, sql } from 'kysely'
import { findActiveEngine } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import type { DB } from '../db/schema.ts'
import { sqlStateOf, type Tx, withRetriedTransaction } from '../db/transaction.ts'
import { handOffLeads } from '../handoff/hand-off-leads.ts'
import type { StoredEvent } from '../ingest/ingest-events.ts'
import { putCachedStates, type WrittenLeadState } from './lead-state-cache.ts'
import { qualifyEvents } from './qualify-events.ts'

/** About the most events one qualifying transaction takes (whole backlog rows; a larger single row is taken alone). */
export const CHUNK_EVENTS = 10_000

/** The advisory lock a share's qualifier holds: (QUALIFIER_LOCK + share, workspace id). */
const QUALIFIER_LOCK = 0x41_43_51_55 // "ACQU"

/**
 * Qualifiers per workspace, each over the events of its share of the accounts (by the event's account, else its
 * person), so that they lock different people and run side by side: on 2 cores two made the bench's quarter 1.1×
 * faster than one (12,991 → 14,811 and 15,370 → 16,770 events/s end to end, pairs run one after the other).
 */
const PARTS = 2

function partOf(e: StoredEvent): number {
  return (e.accountId ?? e.personId ?? 0) % PARTS
}

/**
 * Queued events this process stored, by backlog row id, per database handle: its qualifier takes them from here
 * instead of reading them back (~9 µs an event of PostgreSQL and row parsing). A row whose transaction rolled back is
 * never taken; the oldest go first past `HELD_EVENTS_MAX`, and a row not held is read from the database — as the rows
 * another process queued always are.
 */
const held = new WeakMap<object, { rows: Map<number, StoredEvent[]>; count: number }>()
const HELD_EVENTS_MAX = 3 * PARTS * CHUNK_EVENTS

function heldOf(db: object): { rows: Map<number, StoredEvent[]>; count: number } {
  let h = held.get(db)
  if (!h) {
    h = { rows: new Map(), count: 0 }
    held.set(db, h)
  }
  return h
}

function hold(db: object, rowId: number, events: StoredEvent[]): void {
  const h = heldOf(db)
  h.rows.set(rowId, events)
  h.count += events.length
  for (const [id, oldest] of h.rows) {
    if (h.count <= HELD_EVENTS_MAX) break
    h.rows.delete(id)
    h.count -= oldest.length
  }
}

/** The held events of a backlog row, taken out of the process's memory; undefined when not held. */
function takeHeld(db: object, rowId: number): StoredEvent[] | undefined {
  const h = heldOf(db)
  const events = h.rows.get(rowId)
  if (events) {
    h.rows.delete(rowId)
    h.count -= events.length
  }
  return events
}

/**
 * Queues the events qualification must apply, in the transaction that stored them, and holds them in memory for
 * the qualifier of `db` (the process's database handle). Returns how many.
 */
export async function queueForQualification(
  tx: Tx,
  db: Kysely<DB>,
  workspaceId: number,
  events: StoredEvent[],
): Promise<number> {
  const parts = Array.from({ length: PARTS }, () => [] as StoredEvent[])
  for (const e of events) if (e.personId !== null) parts[partOf(e)]!.push(e)
  const rows = parts.flatMap((list, part) => (list.length > 0 ? [{ part, ids: list.map((e) => e.id) }] : []))
  if (rows.length === 0) return 0
  const inserted = await sql<{
    id: number
    part: number
  }>`insert into qualification_backlog (workspace_id, part, event_ids)
      select ${workspaceId}, r.part, array(select jsonb_array_elements_text(r.ids))
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(part smallint, ids jsonb)
      returning id, part`.execute(tx)
  for (const r of inserted.rows) hold(db, r.id, parts[r.part]!)
  return rows.reduce((n, r) => n + r.ids.length, 0)
}

/**
 * Qualifies the oldest queued events of one share (`part`) of the workspace, whole backlog rows up to about
 * `maxEvents`, in one transaction (hand-offs included), and deletes those rows in it. Returns the number of events
 * taken, or null when another qualifier holds that share.
 *
 * Example: `await qualifyQueued(ctx, workspaceId, 0)` → 9,500
 */
export async function qualifyQueued(
  ctx: Pick<Ctx, 'db' | 'clock'> & Partial<Pick<Ctx, 'config'>>,
  workspaceId: number,
  part: number,
  maxEvents = CHUNK_EVENTS,
): Promise<number | null> {
  const chunk = await withRetriedTransaction(
    ctx.db,
    async (tx): Promise<{ taken: number; version: string; hotWritten: WrittenLeadState[] } | null> => {
      // With the lock, the transaction's id: the `xmin` of the lead rows it writes (src/leads/lead-state-cache.ts).
      const lock = await sql<{ version: string | null }>`select case
          when pg_try_advisory_xact_lock(${QUALIFIER_LOCK + part}::int, ${workspaceId}::int)
          then (txid_current() % 4294967296)::text end as version`.execute(tx)
      const version = lock.rows[0]!.version
      if (version === null) return null
      const rows = await sql<{ id: number; event_ids: string[] }>`select id, event_ids from qualification_backlog
          where workspace_id = ${workspaceId} and part = ${part} order by id limit 1000`.execute(tx)
      const rowIds: number[] = []
      let taken = 0
      for (const r of rows.rows) {
        if (rowIds.length > 0 && taken + r.event_ids.length > maxEvents) break
        rowIds.push(r.id)
        taken += r.event_ids.length
      }
      if (rowIds.length === 0) return { taken: 0, version, hotWritten: [] }
      const events: StoredEvent[] = []
      const unheld: string[] = []
      for (const r of rows.rows.slice(0, rowIds.length)) {
        const inMemory = takeHeld(ctx.db, r.id)
        if (inMemory) events.push(...inMemory)
        else unheld.push(...r.event_ids)
      }
      const now = ctx.clock()
      // The Agreement in force when the chunk is decided, as a synchronous batch would use at its arrival. Without
      // one (withdrawn meanwhile) the events stay stored and unscored, as they are when sent without an Agreement.
      const active = await findActiveEngine(ctx, workspaceId, now)
      let hotWritten: WrittenLeadState[] = []
      if (active) {
        if (unheld.length > 0) events.push(...(await readStoredEvents(tx, workspaceId, unheld)))
        const result = await qualifyEvents(tx, workspaceId, active, events, now, { cache: ctx.db })
        if (result.handoffs.length > 0) await handOffLeads(tx, ctx, workspaceId, active, result.handoffs, now)
        hotWritten = result.hotWritten
      }
      await sql`delete from qualification_backlog where id = any(${rowIds}::bigint[])`.execute(tx)
      return { taken, version, hotWritten }
    },
    (e) => sqlStateOf(e) === '40P01',
  )
  // Committed: the leads it wrote are kept for the next chunk.
  if (chunk) putCachedStates(ctx.db, chunk.version, chunk.hotWritten)
  return chunk?.taken ?? null
}

/** Qualifies queued chunks until the backlog is empty or another qualifier holds it; returns the events taken. */
export async function qualifyAllQueued(
  ctx: Pick<Ctx, 'db' | 'clock'> & Partial<Pick<Ctx, 'config'>>,
  workspaceId: number,
): Promise<number> {
  let total = 0
  for (let part = 0; part < PARTS; part++) {
    for (;;) {
      const n = await qualifyQueued(ctx, workspaceId, part)
      if (!n) break
      total += n
    }
  }
  return total
}

/** Stored events by id, as qualification takes them (ids not stored are left out). */
export async function readStoredEvents(db: Kysely<DB>, workspaceId: number, ids: string[]): Promise<StoredEvent[]> {
  // One primary-key lookup per id, forced: the `limit 1` keeps the lateral subquery a parameterized index scan. As a
  // plain join (or `id = any(…)`) the planner, whose statistics lag a fast-growing table, hashed the workspace's
  // whole event table for every chunk: 135 ms for 4,000 ids among 194,000 events, 30 µs of PostgreSQL an event.
  const rows = await sql<{
    id: string
    type: string
    occurred_at: Date
    person_id: number | null
    account_id: number | null
    properties: Record<string, unknown>
    source: string | null
    medium: string | null
    campaign: string | null
  }>`select e.id, e.type, e.occurred_at, e.person_id, e.account_id, e.properties, e.source, e.medium, e.campaign
      from unnest(${ids}::text[]) as u(id)
      cross join lateral (select * from event where workspace_id = ${workspaceId} and id = u.id limit 1) e`.execute(db)
  return rows.rows.map((r) => ({
    id: r.id,
    type: r.type,
    occurredAt: r.occurred_at.toISOString(),
    personId: r.person_id === null ? null : Number(r.person_id),
    accountId: r.account_id === null ? null : Number(r.account_id),
    properties: r.properties,
    source: r.source,
    medium: r.medium,
    campaign: r.campaign,
  }))
}

type Runner = { running: Promise<void> | null; again: boolean; workspaceId: number }
const runners = new WeakMap<object, Map<string, Runner>>()
const stopped = new WeakSet<object>()

/**
 * Starts this process's qualifier for the workspace, or tells the running one there is more: it takes chunks until
 * the backlog is empty. Never throws: a failed chunk stays queued for the next wake or the workers' sweep.
 *
 * Example: after `ingestEvents(…, await eventPolicy(ctx, ws, { queued: true }))` commits, `wakeQualifier(ctx, ws)`.
 */
export function wakeQualifier(
  ctx: Pick<Ctx, 'db' | 'clock' | 'logger'> & Partial<Pick<Ctx, 'config'>>,
  workspaceId: number,
): void {
  if (stopped.has(ctx.db)) return
  for (let part = 0; part < PARTS; part++) wakePart(ctx, workspaceId, part)
}

function wakePart(
  ctx: Pick<Ctx, 'db' | 'clock' | 'logger'> & Partial<Pick<Ctx, 'config'>>,
  workspaceId: number,
  part: number,
): void {
  const byWorkspace = runners.get(ctx.db) ?? new Map<string, Runner>()
  runners.set(ctx.db, byWorkspace)
  const key = `${workspaceId}/${part}`
  const r = byWorkspace.get(key) ?? { running: null, again: false, workspaceId }
  byWorkspace.set(key, r)
  r.again = true
  if (r.running) return
  r.running = (async () => {
    try {
      while (!stopped.has(ctx.db)) {
        r.again = false
        const taken = await qualifyQueued(ctx, workspaceId, part)
        // null: another qualifier holds the workspace and takes what is queued.
        if (taken === null || (taken === 0 && !r.again)) break
      }
    } catch (e) {
      ctx.logger.error({ err: e, workspaceId }, 'queued qualification failed; the events stay queued')
    } finally {
      r.running = null
    }
  })()
}

/** Resolves when this process's qualifier for the workspace is idle (tests, benchmarks). */
export async function qualifierIdle(ctx: Pick<Ctx, 'db'>, workspaceId: number): Promise<void> {
  for (;;) {
    const running = [...(runners.get(ctx.db)?.values() ?? [])].flatMap((r) =>
      r.running && r.workspaceId === workspaceId ? [r.running] : [],
    )
    if (running.length === 0) return
    await Promise.all(running)
  }
}

/**
 * At shutdown: the qualifiers of this database handle finish the chunk in hand and take no more (what is still
 * queued waits in the backlog for the next start, or another process).
 */
export async function stopQualifiers(ctx: Pick<Ctx, 'db'>): Promise<void> {
  stopped.add(ctx.db)
  const all = [...(runners.get(ctx.db)?.values() ?? [])]
  await Promise.all(all.map((r) => r.running))
}
