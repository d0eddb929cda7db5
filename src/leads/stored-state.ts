/**
 * How a lead's engine state is stored (migration 0013): `state` holds the whole state as of its last full write, and
 * `state_hot` the keys every event moves (aggregates, event count, latest event) when they are newer. Qualification
 * writes only `state_hot` when nothing else changed — most batches — and the whole state otherwise.
 *
 * What must stay true:
 * - Every read of a lead's state goes through `storedLeadState` (SQL) or `storedState` (the two columns read apart);
 *   `state` alone has stale aggregates.
 * - Every write of the whole state sets `state_hot` to null.
 */
import { type RawBuilder, sql } from 'kysely'
import type { LeadState } from '../core/engine/index.ts'

/** The keys of a state that an event moves without any decision: written on their own. */
export type HotState = Pick<LeadState, 'aggregates' | 'events' | 'lastEventAt'>

/** A lead's state as SQL, for a `lead` row under `alias`. Example: `select ${storedLeadState('l')} as state from lead l` */
export function storedLeadState(alias = 'lead'): RawBuilder<LeadState> {
  return sql<LeadState>`(${sql.ref(`${alias}.state`)} || coalesce(${sql.ref(`${alias}.state_hot`)}, '{}'::jsonb))`
}

/** The state from its two stored columns, `state` as text and `state_hot` as read: what `storedLeadState` gives in SQL. */
export function storedState(stateJson: string, hot: HotState | null): LeadState {
  return Object.assign(JSON.parse(stateJson) as LeadState, hot)
}

export function hotState(s: LeadState): HotState {
  return { aggregates: s.aggregates, events: s.events, lastEventAt: s.lastEventAt }
}

/**
 * The state without its hot keys, as JSON. Equal strings mean equal cold keys; a lead cached by a queued qualifier is
 * compared this way with what it last wrote (src/leads/lead-state-cache.ts), ~3× cheaper than `onlyHotChanged`.
 * Unequal strings may still be equal values (keys in another order): that only costs a whole-state write.
 */
export function coldJsonOf(s: LeadState): string {
  const { aggregates: _aggregates, events: _events, lastEventAt: _lastEventAt, ...cold } = s
  return JSON.stringify(cold)
}

/**
 * Whether `next` differs from the state stored as `storedJson` (the stored `state` column as text) only in its hot
 * keys, so that writing `state_hot` alone stores it. `storedJson`'s own hot keys may be stale and are not compared.
 */
export function onlyHotChanged(storedJson: string, next: LeadState): boolean {
  const stored = JSON.parse(storedJson) as LeadState
  return sameJson({ ...stored, ...hotState(next) }, next)
}

/** Deep equality of JSON values (objects in any key order); a key holding `undefined` counts as a difference. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  for (const k of keys)
    if (!sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
  return true
}
