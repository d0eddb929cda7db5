/**
 * The background workers of one process: the outbox sender, the SLA timer poller, the clock re-planner after an
 * Agreement (calendar) change, the re-evaluation of open leads when a new Agreement version becomes active
 * (src/leads/reevaluate-open-leads.ts) with the merge of the funnel's day counts (compactFunnelDays) and the
 * qualification of queued events no process is taking (src/leads/qualify-backlog.ts), and the scheduler of review
 * packs (weekly, monthly, quarterly; idempotent per period).
 * `accord serve` runs them when ACCORD_WORKERS is on; `accord worker` runs them alone. Any number of processes may
 * run them against one database: every claim is `FOR UPDATE SKIP LOCKED`.
 *
 * Waking: a loop that found work goes again at once. An idle loop sleeps until the earliest instant it knows of (the
 * next outbox retry, the next timer), at most `pollMs`, and wakes at once when PostgreSQL notifies it: triggers
 * (migration 0008) NOTIFY `accord_outbox` when outbox rows are written and `accord_timers` when timers are written or
 * moved, in the writing transaction, so delivery starts the moment the handoff commits — in whichever process runs
 * the workers. The poll stays as the fallback for notifications lost while the listening connection was down.
 *
 * `stop()` lets the rounds in flight finish (a send is never cut half-way by us) and resolves when every loop ended.
 */
import { sql } from 'kysely'
import { compactFunnelDays } from '../analytics/funnel.queries.ts'
import { generateDueReviews } from '../analytics/generate-review.ts'
import type { Ctx } from '../context.ts'
import { NotificationListener } from '../db/listen.ts'
import { qualifyAllQueued } from '../leads/qualify-backlog.ts'
import { reevaluateOpenLeads } from '../leads/reevaluate-open-leads.ts'
import { type DeliverOptions, deliverOutbox } from './deliver-outbox.ts'
import { recomputeClocks } from './recompute-clocks.ts'
import { runTimers } from './run-timers.ts'

export type WorkerOptions = {
  /** The database URL for a dedicated LISTEN connection; without it the workers only poll. */
  listenUrl?: string
  /** The longest an idle loop sleeps without a notification (default 2 s). */
  pollMs?: number
  recomputeEveryMs?: number
  reviewsEveryMs?: number
  deliver?: DeliverOptions
}

export type Workers = {
  stop(): Promise<void>
  readonly running: boolean
  /** Resolves once the LISTEN connection is up (true) or its first attempt failed (false; it keeps retrying). */
  readonly ready: Promise<boolean>
}

export const OUTBOX_CHANNEL = 'accord_outbox'
export const TIMERS_CHANNEL = 'accord_timers'

/** Work due "now" that a round did not take is held by another worker's claim: look again shortly, not in a spin. */
const RECHECK_MS = 50

type Signal = { pending: boolean; wake: (() => void) | null }

/**
 * @example const workers = startWorkers(ctx, { listenUrl: database.url }); await workers.ready; …; await workers.stop()
 */
export function startWorkers(ctx: Ctx, opts: WorkerOptions = {}): Workers {
  let running = true
  const pollMs = opts.pollMs ?? 2_000
  const signals: Record<string, Signal> = {
    [OUTBOX_CHANNEL]: { pending: false, wake: null },
    [TIMERS_CHANNEL]: { pending: false, wake: null },
    reviews: { pending: false, wake: null },
    leads: { pending: false, wake: null },
  }
  const notify = (channel: string) => {
    const s = signals[channel]
    if (!s) return
    s.pending = true
    s.wake?.()
  }
  const sleep = (signal: Signal, ms: number) =>
    new Promise<void>((resolve) => {
      if (signal.pending || !running) return resolve()
      const done = () => {
        clearTimeout(timer)
        signal.wake = null
        resolve()
      }
      const timer = setTimeout(done, ms)
      signal.wake = done
    })
  /** `round` returns true when it found work; `idleMs` says how long to sleep when it did not, `failMs` after an error. */
  const loop = async (
    name: string,
    signal: Signal,
    round: () => Promise<boolean>,
    idleMs: () => Promise<number>,
    failMs = pollMs,
  ) => {
    while (running) {
      // A notification that came before this round is covered by it: the round reads what was committed.
      signal.pending = false
      let wait: number
      try {
        if (await round()) continue
        wait = await idleMs()
      } catch (e) {
        ctx.logger.error({ err: e, worker: name }, `${name} round failed; retrying`)
        wait = failMs
      }
      if (running) await sleep(signal, wait)
    }
  }
  /** Sleep until `at` (at least RECHECK_MS when it has passed), never past `bound` nor `pollMs`. */
  const until = (at: Date | null, bound = Number.POSITIVE_INFINITY) => {
    const cap = Math.max(0, Math.min(pollMs, bound))
    return at === null ? cap : Math.min(cap, Math.max(RECHECK_MS, at.getTime() - ctx.clock()))
  }
  let lastRecompute = Number.NEGATIVE_INFINITY
  const recomputeEveryMs = opts.recomputeEveryMs ?? 30_000
  const loops = [
    loop(
      'outbox',
      signals[OUTBOX_CHANNEL]!,
      async () => (await deliverOutbox(ctx, opts.deliver)).claimed > 0,
      async () => {
        const next = await sql<{ at: Date | null }>`select min(next_attempt_at) as at from outbox
            where status = 'pending'`.execute(ctx.db)
        return until(next.rows[0]?.at ?? null)
      },
    ),
    loop(
      'timers',
      signals[TIMERS_CHANNEL]!,
      async () => {
        const now = ctx.clock()
        if (now - lastRecompute >= recomputeEveryMs) {
          lastRecompute = now
          const workspaces = await ctx.db.selectFrom('workspace').select('id').execute()
          for (const w of workspaces) await recomputeClocks(ctx, w.id)
        }
        return (await runTimers(ctx)).claimed > 0
      },
      async () => {
        const next = await sql<{ at: Date | null }>`select min(due_at) as at from sla_timer
            where fired_at is null`.execute(ctx.db)
        return until(next.rows[0]?.at ?? null, lastRecompute + recomputeEveryMs - ctx.clock())
      },
    ),
    loop(
      'leads',
      signals.leads!,
      async () => {
        let took = 0
        const workspaces = await ctx.db.selectFrom('workspace').select('id').execute()
        for (const w of workspaces) {
          // Events queued for qualification that no process is taking (it was killed, or its qualifier failed).
          took += await qualifyAllQueued(ctx, w.id)
          took += (await reevaluateOpenLeads(ctx, w.id)).leads
          // Not counted as work: ingestion writes new changes all day, and a merge every round is enough.
          await compactFunnelDays(ctx, w.id)
        }
        return took > 0
      },
      async () => pollMs,
    ),
    loop(
      'reviews',
      signals.reviews!,
      async () => {
        await generateDueReviews(ctx, ctx.clock())
        return false
      },
      async () => opts.reviewsEveryMs ?? 10 * 60_000,
      opts.reviewsEveryMs ?? 10 * 60_000,
    ),
  ]
  const listener = opts.listenUrl
    ? new NotificationListener(opts.listenUrl, [OUTBOX_CHANNEL, TIMERS_CHANNEL], notify, ctx.logger)
    : null
  const ready = listener ? listener.start() : Promise.resolve(false)
  return {
    ready,
    get running() {
      return running
    },
    async stop() {
      running = false
      for (const s of Object.values(signals)) s.wake?.()
      await Promise.all(loops)
      await listener?.close()
    },
  }
}
