/**
 * Ingestion throughput through HTTP (batches of 500: JSON, validation, identity resolution, transactions) into the
 * embedded database, sent from a separate thread as a real sender would be, in one run:
 *   1. without an Agreement (store only),
 *   2. with accord.example.yaml in force (scoring, signals, stages, tiers and handoffs in every batch's transaction),
 *   3. the same with `?qualify=queued` (qualified in chunks off the request path), timed until the last event is
 *      decided — in batches of 500 and again of 1,000, the API's largest,
 *   4. a raw COPY of the same rows into the same table — the physical ceiling,
 * with the ratios between them, the CPU each event costs the server's Node process and PostgreSQL, the cores the
 * server kept busy, and how many of the batches in flight waited, on average, on locks another batch held (scored
 * batches sharing people serialize on them: src/ingest/README.md).
 *
 * The data is the demo's simulated quarter, ending today, with its accounts and people upserted first (so fit can be
 * scored) and the Agreement in force from the quarter's first day: scored ingestion qualifies and hands off the
 * share of leads a real quarter would.
 */
import { availableParallelism } from 'node:os'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { from as copyFrom } from 'pg-copy-streams'
import { proposeAgreement, signAgreement } from '../src/agreement/agreement-versions.ts'
import { createApiKey } from '../src/auth/create-api-key.ts'
import { MAX_BATCH } from '../src/ingest/ingest.schema.ts'
import { upsertAccounts, upsertPeople } from '../src/ingest/upsert-records.ts'
import { qualifierIdle } from '../src/leads/qualify-backlog.ts'
import { createWorkspace } from '../src/workspace/create-workspace.ts'
import { benchQuarter } from './bench-quarter.ts'
import { fmt, postAll, postgresCpuMs, startBenchServer, startSender } from './helpers.ts'

/** About this many events (bench/bench-quarter.ts). */
const TOTAL = Number(process.env.BENCH_EVENTS ?? 200_000)
const BATCH = 500
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4)
/** Events sent before the clock starts (whole batches of either size). */
const WARM_UP = 2_000

const quarter = benchQuarter(TOTAL)
const { accounts, people, agreementSource } = quarter
const batchesOf = (size: number) => {
  const out: string[] = []
  for (let i = 0; i < quarter.events.length; i += size)
    out.push(JSON.stringify({ events: quarter.events.slice(i, i + size) }))
  return { size, bodies: out }
}
const batches = batchesOf(BATCH)
/** The API's largest batch, as a bulk sender would send: the queued path's figure at that size too. */
const fullBatches = batchesOf(MAX_BATCH)
const eventCount = quarter.events.length
const measured = eventCount - WARM_UP
// The sender's event objects are not the server's: dropped, so the server's heap (and its collector) holds its own.
quarter.events.length = 0

// One connection more than the requests can take, for sampling lock waits.
const server = await startBenchServer({ poolSize: CONCURRENCY + 3 })
try {
  /** A workspace with the quarter's accounts and people, and the Agreement signed when `scored`; returns its key. */
  const setUpWorkspace = async (slug: string, scored: boolean) => {
    const ws = await createWorkspace(server.ctx, { slug: `${slug}-${Date.now()}`, name: slug })
    const { secret } = await createApiKey(server.ctx, { workspaceId: ws.id, name: 'bench', role: 'admin' })
    if (scored) {
      const { version } = await proposeAgreement(server.ctx, ws.id, { source: agreementSource, proposedBy: 'bench' })
      for (const side of ['marketing', 'sales'] as const)
        await signAgreement(server.ctx, ws.id, { ref: String(version.id), side, signer: 'bench' })
    }
    for (let i = 0; i < accounts.length; i += 1000) await upsertAccounts(server.ctx, ws.id, accounts.slice(i, i + 1000))
    for (let i = 0; i < people.length; i += 1000) await upsertPeople(server.ctx, ws.id, people.slice(i, i + 1000))
    return { id: ws.id, key: secret }
  }

  /**
   * Events/s for the whole quarter into a workspace after a warm-up on its first batches, and CPU µs per event.
   * `queued`: sent with `?qualify=queued`, and timed until the workspace's qualifier has decided the last event.
   */
  const run = async (ws: { id: number; key: string }, queued = false, { size, bodies } = batches) => {
    const url = `${server.base}/v1/events${queued ? '?qualify=queued' : ''}`
    await postAll(url, ws.key, bodies.slice(0, WARM_UP / size), 2)
    await drained(ws.id)
    await server.database.pool.query('checkpoint')
    const sender = await startSender(url, ws.key, bodies.slice(WARM_UP / size), CONCURRENCY)
    const waits = await sampleLockWaits()
    const node0 = process.cpuUsage()
    const pg0 = postgresCpuMs()
    const t0 = performance.now()
    const sent = await sender.go()
    if (queued) {
      await drained(ws.id)
      sent.ms = performance.now() - t0
    }
    const node = process.cpuUsage(node0)
    const pg1 = postgresCpuMs()
    return {
      rate: (measured / sent.ms) * 1000,
      nodeUs: ((node.user + node.system) / 1000 - sent.cpuMs) * (1000 / measured),
      pgUs: pg0 === null || pg1 === null ? null : (pg1 - pg0) * (1000 / measured),
      waiting: await waits.stop(),
    }
  }

  /** Resolves when the workspace has no queued events left (its qualifier took them all). */
  const drained = async (workspaceId: number) => {
    for (;;) {
      await qualifierIdle(server.ctx, workspaceId)
      const left = await server.database.pool.query<{ n: number }>(
        'select count(*)::int as n from qualification_backlog where workspace_id = $1',
        [workspaceId],
      )
      if (left.rows[0]!.n === 0) return
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  /**
   * Samples, every 20 ms until stopped, how many of the server's connections wait on a lock another transaction
   * holds (`pg_stat_activity.wait_event_type = 'Lock'`); returns their mean.
   */
  const sampleLockWaits = async () => {
    const client = await server.database.pool.connect()
    let sum = 0
    let samples = 0
    let running = true
    const loop = (async () => {
      while (running) {
        const r = await client.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
        )
        sum += r.rows[0]!.n
        samples++
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })()
    return {
      async stop() {
        running = false
        await loop
        client.release()
        return samples === 0 ? 0 : sum / samples
      },
    }
  }

  const plainWs = await setUpWorkspace('bench-store-only', false)
  const plain = await run(plainWs)
  const scoredWs = await setUpWorkspace('bench-scored', true)
  const scored = await run(scoredWs)
  const queuedWs = await setUpWorkspace('bench-queued', true)
  const queued = await run(queuedWs, true)
  const queuedFullWs = await setUpWorkspace('bench-queued-full', true)
  const queuedFull = await run(queuedFullWs, true, fullBatches)
  const outcomeOf = async (workspaceId: number) =>
    (
      await server.database.pool.query<{ leads: number; mqls: number; handoffs: number }>(
        `select (select count(*) from lead where workspace_id = $1)::int as leads,
           (select count(distinct lead_id) from stage_transition where workspace_id = $1 and to_stage in ('MQL', 'AQL'))::int as mqls,
           (select count(*) from assignment where workspace_id = $1)::int as handoffs`,
        [workspaceId],
      )
    ).rows[0]!
  const outcome = (o: { leads: number; mqls: number; handoffs: number }) =>
    `      ${fmt(o.leads)} leads, ${fmt(o.mqls)} reached MQL/AQL, ${fmt(o.handoffs)} handed off`

  // The same rows through COPY into the same table (person/account ids already resolved: COPY does no identity work).
  const rows = await server.database.pool.query(
    'select id, type, occurred_at, person_id, anonymous_id, account_id, properties, source, medium, campaign, content, term from event where workspace_id = $1',
    [plainWs.id],
  )
  const esc = (v: unknown) =>
    v === null || v === undefined ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n')
  const text = `${rows.rows
    .map((r) =>
      [
        plainWs.id,
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
  await client.query('checkpoint')
  const pg0 = postgresCpuMs()
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
  const pg1 = postgresCpuMs()
  const copyPgUs = pg0 === null || pg1 === null ? null : ((pg1 - pg0) * 1000) / rows.rows.length
  client.release()

  const cores = availableParallelism()
  const cpu = (r: { rate: number; nodeUs: number; pgUs: number | null; waiting: number }) =>
    `CPU per event: Node ${fmt(r.nodeUs, 1)} µs, PostgreSQL ${r.pgUs === null ? 'n/a' : `${fmt(r.pgUs, 1)} µs`}` +
    `\n      ${fmt((r.rate * (r.nodeUs + (r.pgUs ?? 0))) / 1e6, 2)} of ${cores} cores busy (server); ` +
    `${fmt(r.waiting, 1)} of ${CONCURRENCY} batches in flight waiting on another's locks (mean)`
  console.log(
    `ingestion (PostgreSQL ${server.database.kind}, ${fmt(eventCount)} events of a simulated quarter ending today, ` +
      `${fmt(accounts.length)} accounts, ${fmt(people.length)} people; batches of ${BATCH}, ${CONCURRENCY} in flight)`,
  )
  console.log(`  HTTP, store only            : ${fmt(plain.rate)} events/s   target ≥ 30,000   ${cpu(plain)}`)
  console.log(`  HTTP, scoring + handoffs on : ${fmt(scored.rate)} events/s   target ≥ 20,000   ${cpu(scored)}`)
  console.log(outcome(await outcomeOf(scoredWs.id)))
  console.log(`  HTTP, scoring queued        : ${fmt(queued.rate)} events/s   target ≥ 20,000   ${cpu(queued)}`)
  console.log(`${outcome(await outcomeOf(queuedWs.id))} (until the last queued event was decided)`)
  console.log(
    `  HTTP, queued, ${fmt(MAX_BATCH)} a batch : ${fmt(queuedFull.rate)} events/s   (the API's largest batch)   ${cpu(queuedFull)}`,
  )
  console.log(outcome(await outcomeOf(queuedFullWs.id)))
  console.log(
    `  raw COPY, same rows         : ${fmt(copyRate)} events/s   PostgreSQL ${copyPgUs === null ? 'n/a' : `${fmt(copyPgUs, 1)} µs`} per event`,
  )
  console.log(`  ratio store-only / COPY     : ${(plain.rate / copyRate).toFixed(2)}`)
  console.log(`  ratio scored / store-only   : ${(scored.rate / plain.rate).toFixed(2)}`)
  console.log(`  ratio queued / store-only   : ${(queued.rate / plain.rate).toFixed(2)}`)
  console.log(`  ratio queued ${fmt(MAX_BATCH)} / 500     : ${(queuedFull.rate / queued.rate).toFixed(2)}`)
} finally {
  await server.close()
}
