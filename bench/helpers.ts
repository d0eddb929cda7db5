/** Shared by benchmarks: a throw-away embedded PostgreSQL and an Accord server on loopback. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { createApiKey } from '../src/auth/create-api-key.ts'
import { loadConfig } from '../src/config.ts'
import type { Ctx } from '../src/context.ts'
import { type Database, openDatabase } from '../src/db/database.ts'
import { buildApp } from '../src/http/app.ts'
import { createLogger } from '../src/logger.ts'
import { createWorkspace } from '../src/workspace/create-workspace.ts'

export type BenchServer = {
  base: string
  key: string
  ctx: Ctx
  database: Database
  workspaceId: number
  close(): Promise<void>
}

/**
 * `dataDir`: an embedded data directory to start from (a copy restored from the bench cache, see
 * bench/large-workspace.ts); it is thrown away on close like a fresh one.
 *
 * Example: `const s = await startBenchServer(); … await s.close()`
 */
export async function startBenchServer(opts: { poolSize?: number; dataDir?: string } = {}): Promise<BenchServer> {
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'accord-bench-'))
  const database = await openDatabase({
    databaseUrl: process.env.DATABASE_URL || null,
    dataDir: dir,
    poolSize: opts.poolSize ?? 10,
  })
  const ctx: Ctx = {
    db: database.db,
    clock: () => Date.now(),
    logger: createLogger('error'),
    config: { ...loadConfig({}), demo: false, workers: false },
    dbKind: database.kind,
  }
  const ws = await createWorkspace(ctx, { slug: `bench-${Date.now()}`, name: 'Bench' })
  const { secret } = await createApiKey(ctx, { workspaceId: ws.id, name: 'bench', role: 'admin' })
  const app = await buildApp(ctx)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    base: `http://127.0.0.1:${port}`,
    key: secret,
    ctx,
    database,
    workspaceId: ws.id,
    async close() {
      await app.close()
      await database.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

/** Sends pre-serialized bodies with `concurrency` requests in flight; returns elapsed ms. */
export async function postAll(url: string, key: string, bodies: string[], concurrency: number): Promise<number> {
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body,
        })
        if (!res.ok) throw new Error(`${res.status} ${await res.text()}`)
        await res.arrayBuffer()
      }
    }),
  )
  return performance.now() - t0
}

/** Like postAll, from a separate thread (bench/post-batches.worker.mjs), so the server's event loop only serves. */
export function postAllFromWorker(url: string, key: string, bodies: string[], concurrency: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./post-batches.worker.mjs', import.meta.url), {
      workerData: { url, key, bodies, concurrency },
    })
    worker.once('message', resolve)
    worker.once('error', reject)
  })
}
