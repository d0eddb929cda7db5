/** Shared by benchmarks: a throw-away embedded PostgreSQL and an Accord server on loopback. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
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

/**
 * Like postAll, from a separate thread (bench/post-batches.worker.mjs), so the server's event loop only serves.
 * Resolves once the thread holds its copy of the bodies (copying them is not sending: it stays off the clock);
 * `go()` then sends them and resolves with the elapsed ms and the sending thread's own CPU ms.
 *
 * Example: `const sender = await startSender(url, key, bodies, 4); const t0 = performance.now(); await sender.go()`
 */
export async function startSender(
  url: string,
  key: string,
  bodies: string[],
  concurrency: number,
): Promise<{ go(): Promise<{ ms: number; cpuMs: number }> }> {
  // As bytes, moved to the thread: off its heap, whose collector would otherwise trace ~60 MB of request bodies on
  // the helper threads it shares with the server.
  const bytes = bodies.map((b) => new TextEncoder().encode(b))
  const worker = new Worker(new URL('./post-batches.worker.mjs', import.meta.url), {
    workerData: { url, key, bodies: bytes, concurrency },
    transferList: bytes.map((b) => b.buffer),
  })
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
  await next() // ready
  return {
    async go() {
      const done = next()
      worker.postMessage('go')
      return (await done) as { ms: number; cpuMs: number }
    },
  }
}

/** Fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function readStat(pid: string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null // the process ended while we looked
  }
}

/**
 * CPU ms used so far by this process's embedded PostgreSQL: the postmaster (with the children it reaped) and its live
 * children; null with DATABASE_URL, whose server is not ours to measure. Ticks are 10 ms (CLK_TCK = 100 on Linux).
 *
 * Example: `const before = postgresCpuMs(); …; const pgMs = postgresCpuMs()! - before!`
 */
export function postgresCpuMs(): number | null {
  const stats = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      const f = readStat(pid)
      return f ? [{ pid: Number(pid), f }] : []
    })
  const postmaster = stats.find((s) => Number(s.f[1]) === process.pid && readComm(s.pid) === 'postgres')
  if (!postmaster) return null
  let ticks = stats.filter((s) => Number(s.f[1]) === postmaster.pid).reduce((t, s) => t + ticksOf(s.f), 0)
  ticks += ticksOf(postmaster.f) + Number(postmaster.f[13]) + Number(postmaster.f[14])
  return ticks * 10
}

function ticksOf(f: string[]): number {
  return Number(f[11]) + Number(f[12])
}

function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return ''
  }
}
