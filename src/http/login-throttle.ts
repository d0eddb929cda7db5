/**
 * Failed log-ins per (IP, username) in a sliding window, in memory. Per process: several Accord processes each
 * allow the limit, which still turns password guessing from millions of tries an hour into hundreds.
 */
import { AppError } from '../core/errors.ts'

export type LoginThrottle = {
  /** Throws `rate_limited` when `key` has failed `limit` times within the window. */
  check(key: string): void
  fail(key: string): void
  succeed(key: string): void
}

// Bounds memory under a spray of distinct usernames; the oldest keys are forgotten first.
const MAX_KEYS = 10_000

/** Example: `const throttle = createLoginThrottle({ limit: 10, windowMs: 60_000, clock: Date.now })` */
export function createLoginThrottle(opts: { limit: number; windowMs: number; clock: () => number }): LoginThrottle {
  const failures = new Map<string, number[]>()
  const recent = (key: string) => {
    const since = opts.clock() - opts.windowMs
    const kept = (failures.get(key) ?? []).filter((t) => t > since)
    if (kept.length === 0) failures.delete(key)
    else failures.set(key, kept)
    return kept
  }
  return {
    check(key) {
      const times = recent(key)
      if (times.length >= opts.limit) {
        const retryS = Math.max(1, Math.ceil((times[0]! + opts.windowMs - opts.clock()) / 1000))
        throw new AppError('rate_limited', `too many failed log-ins; try again in ${retryS} s`)
      }
    },
    fail(key) {
      const times = recent(key)
      times.push(opts.clock())
      failures.delete(key)
      failures.set(key, times)
      if (failures.size > MAX_KEYS) failures.delete(failures.keys().next().value!)
    },
    succeed(key) {
      failures.delete(key)
    },
  }
}
