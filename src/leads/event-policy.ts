/**
 * What every ingestion path (HTTP, CSV import, demo data) takes from the Agreement in force: the event types it
 * accepts, and the qualification that runs in each batch's transaction. Before any Agreement is signed, the
 * default event types are accepted and events are stored without qualification.
 *
 * Record writes (accounts, people, account signals) get the same treatment through `recordPolicy`: the open leads of
 * what was written are re-scored in the write's transaction, so enrichment that completes a fit qualifies (and hands
 * off) the lead at once instead of at its next event.
 */

import { sql } from 'kysely'
import { findActiveEngine } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { DEFAULT_ACCOUNT_SIGNAL_TYPES } from '../core/agreement/index.ts'
import { DEFAULT_EVENT_TYPES } from '../core/events/event-types.ts'
import type { Tx } from '../db/transaction.ts'
import { handOffLeads } from '../handoff/hand-off-leads.ts'
import type { StoredEvent } from '../ingest/ingest-events.ts'
import type { RecordPolicy } from '../ingest/upsert-records.ts'
import { queueForQualification } from './qualify-backlog.ts'
import { type QualifyResult, qualifyEvents, refreshLeads } from './qualify-events.ts'

const DEFAULT_TYPES = new Set<string>(DEFAULT_EVENT_TYPES)

export type EventPolicy = {
  knownTypes: ReadonlySet<string>
  afterInsert?: (tx: Tx, inserted: StoredEvent[], repointed: StoredEvent[]) => Promise<void>
}

/** Example: `await ingestEvents(ctx, ws, events, await eventPolicy(ctx, ws))` */
export async function eventPolicy(
  ctx: Pick<Ctx, 'db' | 'clock'> & Partial<Pick<Ctx, 'config'>>,
  workspaceId: number,
  opts: {
    onQualified?: (result: QualifyResult, tx: Tx) => Promise<void>
    /** Queue the events for the workspace's qualifier instead (src/leads/qualify-backlog.ts); wake it after commit. */
    queued?: boolean
  } = {},
): Promise<EventPolicy> {
  const active = await findActiveEngine(ctx, workspaceId, ctx.clock())
  if (!active) return { knownTypes: DEFAULT_TYPES }
  if (opts.queued) {
    return {
      knownTypes: new Set(active.document.event_types),
      afterInsert: async (tx, inserted, repointed) => {
        await queueForQualification(tx, ctx.db, workspaceId, [...repointed, ...inserted])
      },
    }
  }
  return {
    knownTypes: new Set(active.document.event_types),
    afterInsert: async (tx, inserted, repointed) => {
      const now = ctx.clock()
      const result = await qualifyEvents(tx, workspaceId, active, [...repointed, ...inserted], now)
      // Ready leads are routed, clocked and notified in this same transaction (src/handoff/hand-off-leads.ts).
      if (result.handoffs.length > 0) await handOffLeads(tx, ctx, workspaceId, active, result.handoffs, now)
      await opts.onQualified?.(result, tx)
    },
  }
}

/** Example: `await upsertAccounts(ctx, ws, accounts, await recordPolicy(ctx, ws))` */
export async function recordPolicy(
  ctx: Pick<Ctx, 'db' | 'clock'> & Partial<Pick<Ctx, 'config'>>,
  workspaceId: number,
): Promise<RecordPolicy> {
  const active = await findActiveEngine(ctx, workspaceId, ctx.clock())
  if (!active) return { accountSignalTypes: new Set(DEFAULT_ACCOUNT_SIGNAL_TYPES) }
  return {
    accountSignalTypes: new Set(active.document.account_signal_types),
    afterWrite: async (tx, written) => {
      const now = ctx.clock()
      const people = await sql<{ person_id: number }>`select person_id from lead
          where workspace_id = ${workspaceId} and closed_at is null and (person_id = any(${written.personIds ?? []}::bigint[])
            or account_id = any(${written.accountIds ?? []}::bigint[]))`.execute(tx)
      if (people.rows.length === 0) return
      const result = await refreshLeads(
        tx,
        workspaceId,
        active,
        people.rows.map((r) => r.person_id),
        now,
      )
      if (result.handoffs.length > 0) await handOffLeads(tx, ctx, workspaceId, active, result.handoffs, now)
    },
  }
}
