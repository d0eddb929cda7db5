/**
 * Ingestion throughput: events/s through HTTP (batches of 500, the full path: JSON, validation, identity
 * resolution, one transaction per batch) into the embedded database, and in the same run a raw COPY of the same
 * rows into the same table — the physical ceiling — with the ratio.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { from as copyFrom } from 'pg-copy-streams'
import { simulateEvents } from '../src/demo/simulate/index.ts'
import { fmt, postAll, startBenchServer } from './helpers.ts'

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

  // Warm-up: JIT, connection pool, first-touch of accounts/people.
  await postAll(`${server.base}/v1/events`, server.key, bodies.slice(0, 4), 2)
  const warm = 4 * BATCH
  const ms = await postAll(`${server.base}/v1/events`, server.key, bodies.slice(4), CONCURRENCY)
  const httpRate = ((events.length - warm) / ms) * 1000

  // The same rows through COPY into the same table (person/account ids already resolved: COPY does no identity work).
  const rows = await server.database.pool.query(
    'select id, type, occurred_at, person_id, anonymous_id, account_id, properties, source, medium, campaign, content, term from event where workspace_id = $1',
    [server.workspaceId],
  )
  const esc = (v: unknown) =>
    v === null || v === undefined ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n')
  const lines = rows.rows.map((r) =>
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
  const text = `${lines.join('\n')}\n`
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
  const copyMs = performance.now() - t0
  client.release()
  const copyRate = (lines.length / copyMs) * 1000

  console.log(
    `ingestion (embedded PostgreSQL ${server.database.kind === 'embedded' ? '18' : 'server'}, ${fmt(events.length)} events, batches of ${BATCH}, ${CONCURRENCY} in flight)`,
  )
  console.log(`  HTTP  /v1/events : ${fmt(httpRate)} events/s`)
  console.log(`  raw COPY         : ${fmt(copyRate)} events/s (same rows, same table and indexes)`)
  console.log(`  ratio HTTP/COPY  : ${(httpRate / copyRate).toFixed(2)}   target ≥ 30,000 events/s through HTTP`)
} finally {
  await server.close()
}
