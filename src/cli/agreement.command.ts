import { existsSync, readFileSync } from 'node:fs'
import type { Command } from 'commander'
import {
  type AgreementVersion,
  getAgreementVersion,
  listAgreementVersions,
  proposeAgreement,
  type Side,
  signAgreement,
} from '../agreement/agreement-versions.ts'
import {
  type Agreement,
  diffAgreements,
  formatAgreementErrors,
  formatDiff,
  parseAgreement,
} from '../core/agreement/index.ts'
import { getWorkspace } from '../workspace/create-workspace.ts'
import { type CliDeps, withCtx } from './program.ts'

function readAgreementFile(file: string): { agreement: Agreement; hash: string } | null {
  const parsed = parseAgreement(readFileSync(file, 'utf8'), { fileName: file })
  if (parsed.ok) return parsed
  process.stderr.write(`${formatAgreementErrors(parsed.errors, file)}\n`)
  process.stderr.write(`${file}: ${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'}\n`)
  process.exitCode = 1
  return null
}

function describeVersion(v: AgreementVersion): string {
  const sigs =
    v.signatures.map((s) => `${s.side}: ${s.signer} (${s.signedAt.toISOString().slice(0, 16)}Z)`).join('; ') ||
    'no signatures'
  return `${String(v.id).padStart(3)}  ${v.hash.slice(0, 12)}  ${v.state.padEnd(10)}  effective ${v.effectiveFrom}  ${v.title}\n     proposed by ${v.proposedBy}; ${sigs}`
}

export function registerAgreementCommand(program: Command, deps: CliDeps): void {
  const cmd = program.command('agreement').description('validate, diff, propose, sign and read the Agreement')
  cmd
    .command('validate <file>')
    .description('check an Agreement file; exit 0 when valid, 1 with every problem and its line when not')
    .action((file: string) => {
      const parsed = readAgreementFile(file)
      if (parsed) process.stdout.write(`${file}: valid (version ${parsed.hash.slice(0, 12)})\n`)
    })
  cmd
    .command('diff <a> <b>')
    .description('semantic diff between two Agreement files, or stored versions (id, hash prefix, `active`)')
    .option('--workspace <slug>', 'workspace for stored versions (default: the only one)')
    .action(async (a: string, b: string, o: { workspace?: string }) => {
      const load = async (ref: string, fetch: (r: string) => Promise<Agreement>) =>
        existsSync(ref) ? readAgreementFile(ref)?.agreement : await fetch(ref)
      const run = async (fetch: (r: string) => Promise<Agreement>) => {
        const left = await load(a, fetch)
        const right = await load(b, fetch)
        if (!left || !right) return
        process.stdout.write(`${formatDiff(diffAgreements(left, right)) || 'no differences'}\n`)
      }
      if (existsSync(a) && existsSync(b)) return run(async () => Promise.reject(new Error('unreachable')))
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        await run(async (ref) => (await getAgreementVersion(ctx, ws.id, ref)).document)
      })
    })
  cmd
    .command('propose <file>')
    .description('store a new version as proposed (both owners must then sign it)')
    .requiredOption('--by <name>', 'who proposes it')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (file: string, o: { by: string; workspace?: string }) => {
      if (!readAgreementFile(file)) return
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        const { version, created } = await proposeAgreement(ctx, ws.id, {
          source: readFileSync(file, 'utf8'),
          proposedBy: o.by,
        })
        process.stdout.write(`${created ? 'proposed' : 'already stored'}:\n${describeVersion(version)}\n`)
      })
    })
  cmd
    .command('sign <ref>')
    .description('sign a version for one side; it becomes active when both sides have signed')
    .requiredOption('--side <side>', 'marketing | sales')
    .requiredOption('--by <name>', 'the signer')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (ref: string, o: { side: string; by: string; workspace?: string }) => {
      if (o.side !== 'marketing' && o.side !== 'sales') {
        process.stderr.write(`error: --side must be marketing or sales, not "${o.side}"\n`)
        process.exitCode = 1
        return
      }
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        const v = await signAgreement(ctx, ws.id, { ref, side: o.side as Side, signer: o.by })
        process.stdout.write(`${describeVersion(v)}\n`)
      })
    })
  cmd
    .command('show [ref]')
    .description('print a version (default: the active one) as YAML')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (ref: string | undefined, o: { workspace?: string }) => {
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        const v = await getAgreementVersion(ctx, ws.id, ref ?? 'active')
        const { source, document: _d, ...meta } = v
        process.stdout.write(`# ${describeVersion(meta).replace(/\n/g, '\n# ')}\n${source}`)
      })
    })
  cmd
    .command('history')
    .description('every version, newest first, with its state and signatures')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (o: { workspace?: string }) => {
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        for (const v of await listAgreementVersions(ctx, ws.id)) process.stdout.write(`${describeVersion(v)}\n`)
      })
    })
}
