/**
 * First start of a fresh install: the `default` workspace, its first admin key (ACCORD_ADMIN_KEY when set, so
 * scripts can drive a fresh install), the Agreement from accord.example.yaml, and — unless ACCORD_DEMO=false —
 * a simulated quarter of demo data. Runs once: a workspace existing means the install is not fresh.
 */
import { createApiKey } from '../auth/create-api-key.ts'
import type { Ctx } from '../context.ts'
import { createWorkspace } from './create-workspace.ts'

export type FirstRun = { workspaceId: number; adminKey: string; steps: string[] } | null

export async function ensureFirstRun(
  ctx: Ctx,
  hooks: { afterWorkspace?: (workspaceId: number) => Promise<string[]> } = {},
): Promise<FirstRun> {
  const existing = await ctx.db.selectFrom('workspace').select('id').limit(1).executeTakeFirst()
  if (existing) return null
  const ws = await createWorkspace(ctx, { slug: 'default', name: 'Default workspace' })
  const key = await createApiKey(ctx, {
    workspaceId: ws.id,
    name: 'first admin',
    role: 'admin',
    secret: ctx.config.adminKey ?? undefined,
  })
  const steps = hooks.afterWorkspace ? await hooks.afterWorkspace(ws.id) : []
  return { workspaceId: ws.id, adminKey: key.secret, steps }
}
