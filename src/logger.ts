import type { Logger } from './context.ts'

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const

/** A plain line logger to stderr: `2026-11-22T05:00:00.000Z info message {"k":"v"}`. */
export function createLogger(level: string, now: () => number = Date.now): Logger {
  const min = LEVELS[level as keyof typeof LEVELS] ?? LEVELS.info
  const write = (lvl: keyof typeof LEVELS, obj: unknown, msg?: string) => {
    if (LEVELS[lvl] < min) return
    const text = typeof obj === 'string' ? obj : `${msg ?? ''} ${JSON.stringify(obj)}`
    process.stderr.write(`${new Date(now()).toISOString()} ${lvl} ${text}\n`)
  }
  return {
    debug: (o, m) => write('debug', o, m),
    info: (o, m) => write('info', o, m),
    warn: (o, m) => write('warn', o, m),
    error: (o, m) => write('error', o, m),
  }
}
