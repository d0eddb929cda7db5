/**
 * Composition root: reads the configuration once, opens the database, builds the context every use case
 * receives, and hands it to the CLI (`accord serve` is what `npm start` runs).
 */
import { buildProgram } from './cli/program.ts'
import { loadConfig } from './config.ts'
import type { Ctx } from './context.ts'
import { openDatabase } from './db/database.ts'
import { createLogger } from './logger.ts'

/** `databaseUrl`: where ctx.db connects, for the few things that need a session of their own (LISTEN). */
export type OpenCtx = () => Promise<{ ctx: Ctx; close(): Promise<void>; databaseUrl?: string }>

const config = loadConfig()
const logger = createLogger(config.logLevel)

const openCtx: OpenCtx = async () => {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    log: (line) => logger.info(line),
  })
  const ctx: Ctx = { db: database.db, clock: () => Date.now(), logger, config, dbKind: database.kind }
  return { ctx, close: () => database.close(), databaseUrl: database.url }
}

const program = buildProgram({ config, openCtx, logger })
await program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`accord: ${e.message}\n`)
  process.exit(1)
})
