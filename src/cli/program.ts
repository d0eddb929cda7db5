/**
 * The `accord` command line. Commands are thin: parse options, call one use case, print the result.
 * Commands that need data open the database themselves: the server at DATABASE_URL, or the embedded one
 * (shared with a running `accord serve` on the same data directory).
 */
import { Command } from 'commander'
import type { Config } from '../config.ts'
import type { Logger } from '../context.ts'
import { isAppError } from '../core/errors.ts'
import type { OpenCtx } from '../main.ts'
import { registerAgreementCommand } from './agreement.command.ts'
import { registerAttributionCommand } from './attribution.command.ts'
import { registerCalendarCommand } from './calendar.command.ts'
import { registerHandoffCommand } from './handoff.command.ts'
import { registerIcpCommand } from './icp.command.ts'
import { registerImportCommand } from './import.command.ts'
import { registerKeysCommand } from './keys.command.ts'
import { registerReplayCommand } from './replay.command.ts'
import { registerReviewCommand } from './review.command.ts'
import { registerServeCommand } from './serve.command.ts'

export type CliDeps = { config: Config; openCtx: OpenCtx; logger: Logger }

/** Prints an error the way a person wants to read it, and sets the exit code. */
export function reportError(e: unknown): void {
  if (isAppError(e)) {
    process.stderr.write(`error: ${e.message}\n`)
    for (const i of e.issues) process.stderr.write(`  ${i.line ? `line ${i.line}: ` : ''}${i.path}: ${i.message}\n`)
  } else {
    process.stderr.write(`error: ${(e as Error).message}\n`)
  }
  process.exitCode = 1
}

/** Runs `fn` with an open context and always closes it (stopping an embedded database this command started). */
export async function withCtx<T>(
  deps: CliDeps,
  fn: (ctx: Awaited<ReturnType<OpenCtx>>['ctx']) => Promise<T>,
): Promise<T | undefined> {
  const { ctx, close } = await deps.openCtx()
  try {
    return await fn(ctx)
  } catch (e) {
    reportError(e)
    return undefined
  } finally {
    await close()
  }
}

export function buildProgram(deps: CliDeps): Command {
  const program = new Command()
    .name('accord')
    .description('Accord — the sales–marketing Agreement as code, enforced and measured.')
    .showHelpAfterError()
  registerServeCommand(program, deps)
  registerKeysCommand(program, deps)
  registerAgreementCommand(program, deps)
  registerReplayCommand(program, deps)
  registerImportCommand(program, deps)
  registerAttributionCommand(program, deps)
  registerIcpCommand(program, deps)
  registerCalendarCommand(program, deps)
  registerReviewCommand(program, deps)
  registerHandoffCommand(program, deps)
  return program
}
