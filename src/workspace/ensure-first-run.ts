/**
 * First start of a fresh install: the `default` workspace, its first admin key (ACCORD_ADMIN_KEY when set, so
 * scripts can drive a fresh install), the Agreement from accord.example.yaml — proposed and signed for both
 * sides in the names of the owners it lists, marked as a first-run signature — and, unless ACCORD_DEMO=false, a
 * simulated quarter of demo data. Runs once: an existing workspace means the install is not fresh.
 */
import { existsSync, readFileSync } from 'node:fs'
import { proposeAgreement, signAgreement, validateAgreementText } from '../agreement/agreement-versions.ts'
import { createApiKey } from '../auth/create-api-key.ts'
import type { Ctx } from '../context.ts'
import { loadDemo } from '../demo/load-demo.ts'
import { createWorkspace } from './create-workspace.ts'

export type FirstRun = { workspaceId: number; adminKey: string; steps: string[] }

export async function ensureFirstRun(
  ctx: Ctx,
  opts: { onProgress?: (done: number, total: number) => void } = {},
): Promise<FirstRun | null> {
  const existing = await ctx.db.selectFrom('workspace').select('id').limit(1).executeTakeFirst()
  if (existing) return null
  const steps: string[] = []
  const ws = await createWorkspace(ctx, { slug: 'default', name: 'Default workspace' })
  const key = await createApiKey(ctx, {
    workspaceId: ws.id,
    name: 'first admin',
    role: 'admin',
    secret: ctx.config.adminKey ?? undefined,
  })

  let repIds: string[] = []
  const path = ctx.config.exampleAgreementPath
  if (existsSync(path)) {
    const source = readFileSync(path, 'utf8')
    const { agreement } = validateAgreementText(source)
    const { version } = await proposeAgreement(ctx, ws.id, { source, proposedBy: 'first run' })
    await signAgreement(ctx, ws.id, {
      ref: String(version.id),
      side: 'marketing',
      signer: `${agreement.owners.marketing.name} (first-run setup)`,
    })
    await signAgreement(ctx, ws.id, {
      ref: String(version.id),
      side: 'sales',
      signer: `${agreement.owners.sales.name} (first-run setup)`,
    })
    repIds = agreement.reps.filter((r) => r.active !== false).map((r) => r.id)
    steps.push(
      `Agreement:  "${agreement.agreement}" (${version.hash.slice(0, 12)}) from ${path}, signed for both sides`,
    )
  } else {
    steps.push(`Agreement:  none (${path} not found) — propose one with \`accord agreement propose\``)
  }

  if (ctx.config.demo) {
    const demo = await loadDemo(ctx, ws.id, { repIds, onProgress: opts.onProgress })
    steps.push(
      `demo data:  ${demo.accounts} accounts, ${demo.people} people, ${demo.events.toLocaleString('en-US')} events, ${demo.opportunities} opportunities (a simulated quarter; ACCORD_DEMO=false skips it)`,
    )
    const r = demo.repActions
    if (r) {
      steps.push(
        `handoffs:   ${r.handedOff} leads routed to reps, ${r.touched} touched (${r.touchedWithinSla} within SLA), ${r.accepted} accepted, ${r.rejected} rejected, ${r.recycled} recycled`,
      )
    }
  }
  return { workspaceId: ws.id, adminKey: key.secret, steps }
}
