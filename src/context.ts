/**
 * The context every use case receives: built once in main.ts (or in a test), never read from globals.
 * `clock()` returns epoch milliseconds; tests pass a fixed or stepping clock.
 */
import type { Kysely } from 'kysely'
import type { Config } from './config.ts'
import type { DB } from './db/schema.ts'

export type Logger = {
  info(obj: unknown, msg?: string): void
  warn(obj: unknown, msg?: string): void
  error(obj: unknown, msg?: string): void
  debug(obj: unknown, msg?: string): void
}

export type Ctx = {
  db: Kysely<DB>
  clock: () => number
  logger: Logger
  config: Config
  dbKind: 'embedded' | 'server'
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} }
