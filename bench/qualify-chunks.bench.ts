/**
 * Qualification alone, by chunk size: what one writer that qualifies a workspace's stored events one chunk after
 * another could reach, without HTTP, identity resolution or the append. For each chunk size the quarter's events are
 * stored first (identity resolved, no Agreement), then the Agreement is signed and the events are qualified in chunks
 * of that many, one transaction each (leads, transitions, engagement, handoffs), serially. The peer is the chunk of
 * 500, the size of one ingestion batch (what `POST /v1/events` qualifies per transaction today).
 *
 * What it measures is the case for qualifying off the request path in larger chunks (src/ingest/README.md): the
 * per-event cost falls with the chunk, because a chunk loads and writes each of its leads once and pays its statements
 * and commit once. Note: events stored before the Agreement was signed are all attributed to their person already
 * (visitors stitched at storage), so anonymous history is qualified in time order instead of at the stitch.
 *
 * Run: npm run bench -- qualify-chunks   (BENCH_CHUNKS=500,2000,10000 BENCH_EVENTS=200000)
 */
import { findActiveEngine } from '../src/agreement/active-agreement.ts'
import { proposeAgreement, signAgreement } from '../src/agreement/agreement-versions.ts'
import { withTransaction } from '../src/db/transaction.ts'
import { handOffLeads } from '../src/handoff/hand-off-leads.ts'
import { ingestEvents } from '../src/ingest/ingest-events.ts'
import { upsertAccounts, upsertPeople } from '../src/ingest/upsert-records.ts'
import { readStoredEvents } from '../src/leads/qualify-backlog.ts'
import { qualifyEvents } from '../src/leads/qualify-events.ts'
import { createWorkspace } from '../src/workspace/create-workspace.ts'
import { benchQuarter } from './bench-quarter.ts'
import { fmt, postgresCpuMs, startBenchServer } from './helpers.ts'

const TOTAL = Number(process.env.BENCH_EVENTS ?? 200_000)
const CHUNKS = (process.env.BENCH_CHUNKS ?? '500,2000,10000').split(',').map(Number)
const TARGET = 20_000

const now = Date.now()
const { accounts, people, events, agreementSource } = benchQuarter(TOTAL, now)
const knownTypes = new Set(events.map((e) => e.type))

const server = await startBenchServer({ poolSize: 4 })
try {
  const { ctx } = server
  const results: { chunk: number; rate: number; nodeUs: number; pgUs: number | null }[] = []
  for (const chunk of CHUNKS) {
    const ws = await createWorkspace(ctx, { slug: `chunks-${chunk}-${Date.now()}`, name: `chunks of ${chunk}` })
    for (let i = 0; i < accounts.length; i += 1000) await upsertAccounts(ctx, ws.id, accounts.slice(i, i + 1000))
    for (let i = 0; i < people.length; i += 1000) await upsertPeople(ctx, ws.id, people.slice(i, i + 1000))
    for (let i = 0; i < events.length; i += 1000)
      await ingestEvents(ctx, ws.id, events.slice(i, i + 1000), { knownTypes })
    const { version } = await proposeAgreement(ctx, ws.id, { source: agreementSource, proposedBy: 'bench' })
    for (const side of ['marketing', 'sales'] as const)
      await signAgreement(ctx, ws.id, { ref: String(version.id), side, signer: 'bench' })
    const active = await findActiveEngine(ctx, ws.id, now)
    if (!active) throw new Error('the Agreement is not in force')

    // The stored events in the order they were sent, as qualification takes them.
    const stored = await readStoredEvents(
      ctx.db,
      ws.id,
      events.map((e) => e.id),
    )

    await server.database.pool.query('checkpoint')
    const node0 = process.cpuUsage()
    const pg0 = postgresCpuMs()
    const t0 = performance.now()
    for (let i = 0; i < stored.length; i += chunk) {
      await withTransaction(ctx.db, async (tx) => {
        const r = await qualifyEvents(tx, ws.id, active, stored.slice(i, i + chunk), now)
        if (r.handoffs.length > 0) await handOffLeads(tx, ctx, ws.id, active, r.handoffs, now)
      })
    }
    const ms = performance.now() - t0
    const node = process.cpuUsage(node0)
    const pg1 = postgresCpuMs()
    results.push({
      chunk,
      rate: (stored.length / ms) * 1000,
      nodeUs: (node.user + node.system) / stored.length,
      pgUs: pg0 === null || pg1 === null ? null : ((pg1 - pg0) * 1000) / stored.length,
    })
  }

  console.log(
    `qualification alone, one chunk after another (PostgreSQL ${server.database.kind}, ${fmt(events.length)} events, ` +
      `${fmt(people.length)} people; the example Agreement)`,
  )
  const base = results.find((r) => r.chunk === 500) ?? results[0]!
  for (const r of results) {
    const pg = r.pgUs === null ? 'n/a' : `${fmt(r.pgUs, 1)} µs`
    console.log(
      `  chunks of ${String(r.chunk).padStart(6)}: ${fmt(r.rate).padStart(7)} events/s (${(r.rate / base.rate).toFixed(2)}× chunks of ${base.chunk}; ` +
        `${(r.rate / TARGET).toFixed(2)}× ${fmt(TARGET)})   CPU per event: Node ${fmt(r.nodeUs, 1)} µs, PostgreSQL ${pg}`,
    )
  }
} finally {
  await server.close()
}
