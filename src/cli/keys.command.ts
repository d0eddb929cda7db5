import type { Command } from 'commander'
import { createApiKey } from '../auth/create-api-key.ts'
import { listApiKeys, revokeApiKey } from '../auth/manage-api-keys.ts'
import type { Role } from '../db/schema.ts'
import { getWorkspace } from '../workspace/create-workspace.ts'
import { type CliDeps, withCtx } from './program.ts'

export function registerKeysCommand(program: Command, deps: CliDeps): void {
  const keys = program.command('keys').description('create, list and revoke API keys')
  keys
    .command('create')
    .description('create a key; its secret is printed once and stored only hashed')
    .requiredOption('--name <name>', 'who or what uses the key, e.g. "Maya Lopez" or "Segment"')
    .requiredOption('--role <role>', 'admin | marketing | sales | rep | ingest')
    .option('--rep <id>', 'for a rep key: the rep id from the Agreement')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (o: { name: string; role: Role; rep?: string; workspace?: string }) => {
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        const key = await createApiKey(ctx, { workspaceId: ws.id, name: o.name, role: o.role, repId: o.rep ?? null })
        process.stdout.write(`created ${key.role} key ${key.id} "${key.name}" in workspace ${ws.slug}\n${key.secret}\n`)
      })
    })
  keys
    .command('list')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (o: { workspace?: string }) => {
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        for (const k of await listApiKeys(ctx, ws.id)) {
          const state = k.revoked_at ? `revoked ${k.revoked_at.toISOString()}` : 'active'
          process.stdout.write(
            `${k.id}\t${k.prefix}…\t${k.role}${k.rep_id ? `:${k.rep_id}` : ''}\t${state}\t${k.name}\n`,
          )
        }
      })
    })
  keys
    .command('revoke <idOrPrefix>')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (idOrPrefix: string, o: { workspace?: string }) => {
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        const k = await revokeApiKey(ctx, ws.id, idOrPrefix)
        process.stdout.write(`revoked key ${k.id} (${k.prefix}…, ${k.name})\n`)
      })
    })
}
