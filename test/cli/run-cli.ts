/**
 * Runs the real `accord` CLI as a child process (`node --import tsx src/main.ts …`). By default the database settings
 * point at nothing usable, so a command that tried to open the database would fail or leave a data directory behind;
 * `createdDataDir` tells a test whether it did. Commands that need the database get its URL in `env`.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..')

export type CliRun = { code: number; stdout: string; stderr: string; createdDataDir: boolean }

/** `env` overrides the defaults, e.g. `{ DATABASE_URL: database.url }` for a command that needs the database. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'accord-cli-'))
  const dataDir = path.join(scratch, 'data')
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', ...args],
      {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          // Port 1 refuses connections: opening the database would fail loudly instead of passing unnoticed.
          DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none',
          ACCORD_DATA_DIR: dataDir,
          ACCORD_LOG_LEVEL: 'silent',
          ...env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const createdDataDir = existsSync(dataDir)
        rmSync(scratch, { recursive: true, force: true })
        if (error && typeof error.code !== 'number') reject(error)
        else resolve({ code: error ? (error.code as number) : 0, stdout, stderr, createdDataDir })
      },
    )
  })
}
