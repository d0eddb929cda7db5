/**
 * The only module that reads the environment. Everything else receives a `Config`.
 *
 * Example: `ACCORD_PORT=4700 DATABASE_URL=postgres://localhost/accord npm start`
 */
import { resolve } from 'node:path'

export type Config = {
  /** PostgreSQL server URL; when absent Accord runs its own embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | null
  dataDir: string
  host: string
  port: number
  /** First admin key for a fresh install, so scripts can drive it. Only used when the workspace is created. */
  adminKey: string | null
  /** Load the simulated demo quarter on first run. */
  demo: boolean
  /** Path of the Agreement the first workspace is created from. */
  exampleAgreementPath: string
  logLevel: string
  /** Run the background workers (timers, outbox) in this process. */
  workers: boolean
  /** SMTP server for email notifications (`smtp://user:pass@host:587`, `smtps://…`; `?from=` sets the sender). */
  smtpUrl: string | null
  /** Where people reach this Accord (links in briefs); defaults to the listening address. */
  publicUrl: string
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false
  throw new Error(`${name}: expected true or false, got "${value}"`)
}

function parsePort(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}: expected a port number, got "${value}"`)
  return n
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || null,
    dataDir: resolve(env.ACCORD_DATA_DIR || '.accord'),
    host: env.ACCORD_HOST || '127.0.0.1',
    port: parsePort('ACCORD_PORT', env.ACCORD_PORT ?? env.PORT, 4600),
    adminKey: env.ACCORD_ADMIN_KEY || null,
    demo: parseBoolean('ACCORD_DEMO', env.ACCORD_DEMO, true),
    exampleAgreementPath: resolve(env.ACCORD_AGREEMENT || 'accord.example.yaml'),
    logLevel: env.ACCORD_LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    workers: parseBoolean('ACCORD_WORKERS', env.ACCORD_WORKERS, true),
    smtpUrl: env.ACCORD_SMTP_URL || null,
    publicUrl: (
      env.ACCORD_PUBLIC_URL ||
      `http://${env.ACCORD_HOST || '127.0.0.1'}:${parsePort('ACCORD_PORT', env.ACCORD_PORT ?? env.PORT, 4600)}`
    ).replace(/\/+$/, ''),
  }
}
