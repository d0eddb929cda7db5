/**
 * The Agreement in force for a workspace, as the hot paths (ingestion, the engine) ask for it on every batch.
 * Signed versions are re-listed at most every `REFRESH_MS` per workspace; documents are cached by version id
 * forever (a version's content never changes — it is identified by its hash). A signature made in this process
 * invalidates at once; one made by another process is seen within REFRESH_MS.
 */
import type { Kysely } from 'kysely'
import type { Ctx } from '../context.ts'
import { type Agreement, compileAgreement } from '../core/agreement/index.ts'
import { createEngine, type Engine } from '../core/engine/index.ts'
import type { DB } from '../db/schema.ts'

const REFRESH_MS = 2_000

type Signed = { id: number; hash: string; effectiveFrom: number; activatedAt: number }
type Cache = {
  signed: Map<number, { loadedAt: number; versions: Signed[] }>
  documents: Map<number, Agreement>
  engines: Map<number, Engine>
}

// Keyed by the database handle, so two databases in one process (tests) never share entries.
const caches = new WeakMap<Kysely<DB>, Cache>()

function cacheOf(db: Kysely<DB>): Cache {
  let c = caches.get(db)
  if (!c) {
    c = { signed: new Map(), documents: new Map(), engines: new Map() }
    caches.set(db, c)
  }
  return c
}

export function invalidateActiveAgreement(db: Kysely<DB>, workspaceId: number): void {
  cacheOf(db).signed.delete(workspaceId)
}

/** Latest effective date not after `at`; ties go to the later signing. */
export function pickActiveVersion<T extends Signed>(versions: T[], at: number): T | null {
  let best: T | null = null
  for (const v of versions) {
    if (v.effectiveFrom > at) continue
    if (
      !best ||
      v.effectiveFrom > best.effectiveFrom ||
      (v.effectiveFrom === best.effectiveFrom && v.activatedAt > best.activatedAt)
    )
      best = v
  }
  return best
}

/** The Agreement in force at `at` (decisions are stamped with it), or null before any version is signed. */
export async function findActiveAgreement(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  at: number,
): Promise<{ id: number; hash: string; document: Agreement } | null> {
  const cache = cacheOf(ctx.db)
  const now = ctx.clock()
  let entry = cache.signed.get(workspaceId)
  if (!entry || now - entry.loadedAt > REFRESH_MS) {
    const rows = await ctx.db
      .selectFrom('agreement_version')
      .select(['id', 'hash', 'effective_from', 'activated_at'])
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'signed')
      .execute()
    entry = {
      loadedAt: now,
      versions: rows.map((r) => ({
        id: r.id,
        hash: r.hash,
        effectiveFrom: r.effective_from.getTime(),
        activatedAt: r.activated_at?.getTime() ?? 0,
      })),
    }
    cache.signed.set(workspaceId, entry)
  }
  const active = pickActiveVersion(entry.versions, at)
  if (!active) return null
  let document = cache.documents.get(active.id)
  if (!document) {
    const row = await ctx.db
      .selectFrom('agreement_version')
      .select('document')
      .where('id', '=', active.id)
      .executeTakeFirstOrThrow()
    document = row.document as Agreement
    cache.documents.set(active.id, document)
  }
  return { id: active.id, hash: active.hash, document }
}

export type ActiveEngine = { versionId: number; hash: string; document: Agreement; engine: Engine }

/**
 * The qualification engine for the Agreement in force at `at`, compiled once per version (CEL programs, matchers)
 * and reused for every batch.
 */
export async function findActiveEngine(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  at: number,
): Promise<ActiveEngine | null> {
  const active = await findActiveAgreement(ctx, workspaceId, at)
  if (!active) return null
  const cache = cacheOf(ctx.db)
  let engine = cache.engines.get(active.id)
  if (!engine) {
    engine = createEngine(compileAgreement(active.document), { id: active.id, hash: active.hash })
    cache.engines.set(active.id, engine)
  }
  return { versionId: active.id, hash: active.hash, document: active.document, engine }
}

/** The engine of a given version (a lead is read under the version its state was last decided with). */
export async function getEngineForVersion(ctx: Pick<Ctx, 'db'>, versionId: number): Promise<Engine> {
  const cache = cacheOf(ctx.db)
  let engine = cache.engines.get(versionId)
  if (!engine) {
    const row = await ctx.db
      .selectFrom('agreement_version')
      .select(['hash', 'document'])
      .where('id', '=', versionId)
      .executeTakeFirstOrThrow()
    const document = row.document as Agreement
    cache.documents.set(versionId, document)
    engine = createEngine(compileAgreement(document), { id: versionId, hash: row.hash })
    cache.engines.set(versionId, engine)
  }
  return engine
}
