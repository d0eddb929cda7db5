/**
 * Ingestion throughput through HTTP (batches of 500: JSON, validation, identity resolution, transactions) into the
 * embedded database, sent from a separate thread as a real sender would be, in one run:
 *   1. without an Agreement (store only),
 *   2. with accord.example.yaml in force (scoring, signals, stages, tiers in every batch's transaction),
 *   3. a raw COPY of the same rows into the same table — the physical ceiling,
 * with the ratios between them.
 */
import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { from as copyFrom } from 'pg-copy-streams'
import { proposeAgreement, signAgreement } from '../src/agreement/agreement-versions.ts'
import { createApiKey } from '../src/auth/create-api-key.ts'
import { simulateEvents } from '../src/demo/simulate/index.ts'
import { createWorkspace } from '../src/workspace/create-workspace.ts'
import { fmt, postAll, postAllFromWorker, startBenchServer } from './helpers.ts'

const TOTAL = Number(process.env.BENCH_EVENTS ?? 200_000)
const BATCH = 500
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4)

const server = await startBenchServer({ poolSize: CONCURRENCY + 2 })
try {
  const events: unknown[] = []
  const gen = simulateEvents({
    seed: 7,
    start: '2026-08-01',
    days: 91,
    persons: Math.ceil(TOTAL / 25),
    batchSize: BATCH,
  })
  for (let r = gen.next(); !r.done && events.length < TOTAL; r = gen.next()) events.push(...r.value)
  events.length = Math.min(events.length, TOTAL)
  const bodies: string[] = []
  for (let i = 0; i < events.length; i += BATCH) bodies.push(JSON.stringify({ events: events.slice(i, i + BATCH) }))

  /** Events/s for the whole set into a workspace, after a warm-up on its first batches. */
  const run = async (key: string): Promise<number> => {
    await postAll(`${server.base}/v1/events`, key, bodies.slice(0, 4), 2)
    const ms = await postAllFromWorker(`${server.base}/v1/events`, key, bodies.slice(4), CONCURRENCY)
    return ((events.length - 4 * BATCH) / ms) * 1000
  }

  const plainRate = await run(server.key)

  const scored = await createWorkspace(server.ctx, { slug: `bench-scored-${Date.now()}`, name: 'Bench (scored)' })
  const { secret } = await createApiKey(server.ctx, { workspaceId: scored.id, name: 'bench', role: 'admin' })
  const { version } = await proposeAgreement(server.ctx, scored.id, {
    source: readFileSync('accord.example.yaml', 'utf8'),
    proposedBy: 'bench',
  })
  await signAgreement(server.ctx, scored.id, { ref: String(version.id), side: 'marketing', signer: 'bench' })
  await signAgreement(server.ctx, scored.id, { ref: String(version.id), side: 'sales', signer: 'bench' })
  const scoredRate = await run(secret)
  const leads = await server.database.pool.query<{ n: number; mql: number }>(
    "select count(*)::int as n, count(*) filter (where stage in ('MQL','AQL'))::int as mql from lead where workspace_id = $1",
    [scored.id],
  )

  // The same rows through COPY into the same table (person/account ids already resolved: COPY does no identity work).
  const rows = await server.database.pool.query(
    'select id, type, occurred_at, person_id, anonymous_id, account_id, properties, source, medium, campaign, content, term from event where workspace_id = $1',
    [server.workspaceId],
  )
  const esc = (v: unknown) =>
    v === null || v === undefined ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n')
  const text = `${rows.rows
    .map((r) =>
      [
        server.workspaceId,
        `copy_${r.id}`,
        r.type,
        r.occurred_at.toISOString(),
        r.person_id,
        r.anonymous_id,
        r.account_id,
        JSON.stringify(r.properties),
        r.source,
        r.medium,
        r.campaign,
        r.content,
        r.term,
      ]
        .map(esc)
        .join('\t'),
    )
    .join('\n')}\n`
  const client = await server.database.pool.connect()
  const t0 = performance.now()
  await pipeline(
    Readable.from([text]),
    client.query(
      copyFrom(
        'copy event (workspace_id, id, type, occurred_at, person_id, anonymous_id, account_id, properties, source, medium, campaign, content, term) from stdin',
      ),
    ),
  )
  const copyRate = (rows.rows.length / (performance.now() - t0)) * 1000
  client.release()

  console.log(
    `ingestion (PostgreSQL ${server.database.kind}, ${fmt(events.length)} events, batches of ${BATCH}, ${CONCURRENCY} in flight)`,
  )
  console.log(`  HTTP, store only            : ${fmt(plainRate)} events/s   target ≥ 30,000`)
  console.log(
    `  HTTP, scoring + stages on   : ${fmt(scoredRate)} events/s   target ≥ 20,000  (${fmt(leads.rows[0]!.n)} leads, ${fmt(leads.rows[0]!.mql)} qualified)`,
  )
  console.log(`  raw COPY, same rows         : ${fmt(copyRate)} events/s`)
  console.log(`  ratio store-only / COPY     : ${(plainRate / copyRate).toFixed(2)}`)
  console.log(`  ratio scored / store-only   : ${(scoredRate / plainRate).toFixed(2)}`)
} finally {
  await server.close()
}
