import type { Command } from 'commander'
import { startWorkers } from '../handoff/workers.ts'
import { buildApp } from '../http/app.ts'
import { ensureWebBuilt } from '../web-build/ensure-web-built.ts'
import { ensureFirstRun } from '../workspace/ensure-first-run.ts'
import type { CliDeps } from './program.ts'
import { createProgress } from './progress.ts'

export function registerServeCommand(program: Command, deps: CliDeps): void {
  program
    .command('serve')
    .description('run the API (and the dashboard) — what `npm start` runs')
    .action(async () => {
      const { config, logger } = deps
      logger.info(
        config.databaseUrl
          ? 'connecting to the PostgreSQL server at DATABASE_URL'
          : `starting the embedded PostgreSQL in ${config.dataDir}`,
      )
      const { ctx, close, databaseUrl } = await deps.openCtx()
      const progress = createProgress('first run: loading demo data')
      const first = await ensureFirstRun(ctx, {
        onProgress: (done, total) => progress.update(done, total, `${done}/${total} records`),
      })
      if (first && config.demo) progress.done('demo data loaded')
      await ensureWebBuilt({ log: (m) => logger.info(m) })
      const app = await buildApp(ctx)
      await app.listen({ host: config.host, port: config.port })
      const workers = config.workers ? startWorkers(ctx, databaseUrl ? { listenUrl: databaseUrl } : {}) : null
      const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`
      const lines = [
        `Accord is running at ${base} (database: ${ctx.dbKind})`,
        `  API docs:  ${base}/docs`,
        `  health:    ${base}/health`,
      ]
      if (first) {
        lines.push(...first.steps.map((s) => `  ${s}`))
        lines.push(
          config.adminKey
            ? '  admin key: the value of ACCORD_ADMIN_KEY'
            : `  admin key: ${first.adminKey}\n             (shown once; it is stored only hashed — create more with \`npm run accord -- keys create\`)`,
        )
      }
      process.stdout.write(`${lines.join('\n')}\n`)

      let stopping = false
      const stop = async (signal: string) => {
        if (stopping) return
        stopping = true
        logger.info(`${signal}: shutting down`)
        await app.close()
        await workers?.stop()
        await close()
        process.exit(0)
      }
      process.on('SIGINT', () => void stop('SIGINT'))
      process.on('SIGTERM', () => void stop('SIGTERM'))
    })
}
