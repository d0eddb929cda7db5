/**
 * The background workers of one process: the outbox sender, the SLA timer poller, the clock re-planner after an
 * Agreement (calendar) change, and the scheduler of review packs (weekly, monthly, quarterly; idempotent per period). `accord serve` runs them when ACCORD_WORKERS is on; `accord worker` runs them alone.
 * Any number of processes may run them against one database: every claim is `FOR UPDATE SKIP LOCKED`.
 *
 * A loop that found work goes again at once; an idle one sleeps its interval. `stop()` lets the rounds in flight
 * finish (a send is never cut half-way by us) and resolves when both loops have ended.
 */
import { generateDueReviews } from '../analytics/generate-review.ts'
import type { Ctx } from '../context.ts'
import { type DeliverOptions, deliverOutbox } from './deliver-outbox.ts'
import { recomputeClocks } from './recompute-clocks.ts'
import { runTimers } from './run-timers.ts'

export type WorkerOptions = {
  outboxIdleMs?: number
  timersIdleMs?: number
  recomputeEveryMs?: number
  reviewsEveryMs?: number
  deliver?: DeliverOptions
}

export type Workers = { stop(): Promise<void>; readonly running: boolean }

/**
 * @example const workers = startWorkers(ctx); …; await workers.stop()
 */
export function startWorkers(ctx: Ctx, opts: WorkerOptions = {}): Workers {
  let running = true
  const sleepers = new Set<() => void>()
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        sleepers.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      sleepers.add(done)
    })
  const loop = async (name: string, idleMs: number, round: () => Promise<boolean>) => {
    while (running) {
      let busy = false
      try {
        busy = await round()
      } catch (e) {
        ctx.logger.error({ err: e, worker: name }, `${name} round failed; retrying`)
      }
      if (running && !busy) await sleep(idleMs)
    }
  }
  let lastRecompute = 0
  const loops = [
    loop('outbox', opts.outboxIdleMs ?? 50, async () => (await deliverOutbox(ctx, opts.deliver)).claimed > 0),
    loop('timers', opts.timersIdleMs ?? 500, async () => {
      const now = ctx.clock()
      if (now - lastRecompute >= (opts.recomputeEveryMs ?? 30_000)) {
        lastRecompute = now
        const workspaces = await ctx.db.selectFrom('workspace').select('id').execute()
        for (const w of workspaces) await recomputeClocks(ctx, w.id)
      }
      return (await runTimers(ctx)).claimed > 0
    }),
    loop('reviews', opts.reviewsEveryMs ?? 10 * 60_000, async () => {
      await generateDueReviews(ctx, ctx.clock())
      return false
    }),
  ]
  return {
    get running() {
      return running
    },
    async stop() {
      running = false
      for (const wake of [...sleepers]) wake()
      await Promise.all(loops)
    },
  }
}
