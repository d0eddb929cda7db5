/**
 * Lead states a queued qualifier wrote, kept in this process for its next chunk: a lead active in one chunk is usually
 * active in the next, and reading its state back (detoasting ~2 KB of jsonb, printing it as text, parsing it twice)
 * is the largest part of loading it. Whether the next chunk moved more than its hot keys is then told by comparing
 * JSON text (`coldJsonOf`) rather than by parsing the stored state again.
 *
 * What must stay true:
 * - An entry is only trusted while the row is exactly as the chunk that cached it committed it: it records the row's
 *   `xmin` (the writing transaction's id), and any later write of the row — by anyone — changes `xmin`.
 * - An entry is put only after its chunk committed, and taken out when a chunk uses it: the engine works on the
 *   cached object in place, and if that chunk rolls back the row is read from the database next time.
 * - Only leads whose last write was of their hot keys alone are cached (their cold keys are then still what the row's
 *   `state` holds), and none that the chunk handed off (the hand-off writes the row again in the same transaction).
 */
import type { LeadState } from '../core/engine/index.ts'
import { coldJsonOf } from './stored-state.ts'

/** A lead a chunk wrote with its hot keys alone and did not hand off: what may be cached once the chunk commits. */
export type WrittenLeadState = {
  personId: number
  leadId: number
  /** The whole state as the engine left it (the row's `state || state_hot`). */
  state: LeadState
  /** `coldJsonOf(state)` when the chunk computed it already. */
  coldJson?: string
}

export type CachedLeadState = Omit<WrittenLeadState, 'personId' | 'coldJson'> & {
  /** The row's `xmin` when cached: the id of the transaction that wrote it. */
  version: string
  /** The state's cold keys as written (`coldJsonOf`): what the row's `state` column holds but for key order. */
  coldJson: string
}

/** At most this many leads per database handle; the least recently cached go first. */
const MAX_LEADS = 10_000

const caches = new WeakMap<object, Map<number, CachedLeadState>>()

function cacheOf(db: object): Map<number, CachedLeadState> {
  let cache = caches.get(db)
  if (!cache) {
    cache = new Map()
    caches.set(db, cache)
  }
  return cache
}

/** The cached entries of these people's leads, to be checked against the rows' `xmin` (`takeCachedState`). */
export function cachedVersions(db: object, personIds: readonly number[]): { leadIds: number[]; versions: string[] } {
  const cache = cacheOf(db)
  const leadIds: number[] = []
  const versions: string[] = []
  for (const id of personIds) {
    const entry = cache.get(id)
    if (entry) {
      leadIds.push(entry.leadId)
      versions.push(entry.version)
    }
  }
  return { leadIds, versions }
}

/** Takes a person's cached lead state out of the cache if it is still the row's (`version` = the row's `xmin`). */
export function takeCachedState(db: object, personId: number, leadId: number, version: string): CachedLeadState | null {
  const cache = cacheOf(db)
  const entry = cache.get(personId)
  if (!entry) return null
  cache.delete(personId)
  return entry.leadId === leadId && entry.version === version ? entry : null
}

/** Caches the states a committed chunk wrote (`version`: its transaction id, as `xmin` shows it). */
export function putCachedStates(db: object, version: string, written: readonly WrittenLeadState[]): void {
  const cache = cacheOf(db)
  for (const w of written) {
    cache.delete(w.personId)
    cache.set(w.personId, { leadId: w.leadId, version, state: w.state, coldJson: w.coldJson ?? coldJsonOf(w.state) })
  }
  for (const personId of cache.keys()) {
    if (cache.size <= MAX_LEADS) break
    cache.delete(personId)
  }
}
