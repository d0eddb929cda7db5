import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { generateReview, type ReviewCadence } from '../analytics/generate-review.ts'
import { getWorkspace } from '../workspace/create-workspace.ts'
import { type CliDeps, withCtx } from './program.ts'

/**
 * `accord review weekly|monthly|quarterly [--period P] --out DIR`: generates (or regenerates) a review pack from
 * the stored data, stores it, and writes `<kind>-<period>.md` and `.html` (self-contained) into DIR.
 *
 * Example: `accord review weekly --period 2026-W47 --out reviews/` → reviews/weekly_pipeline-2026-W47.md, .html
 */
export function registerReviewCommand(program: Command, deps: CliDeps): void {
  program
    .command('review <cadence>')
    .description('generate the weekly pipeline review, monthly SLA health check or quarterly ICP review')
    .option(
      '--period <period>',
      'the week (2026-W47), month (2026-11) or quarter (2026-Q4); default: the last completed one',
    )
    .requiredOption('--out <dir>', 'directory for the .md and .html files')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (cadence: string, o: { period?: string; out: string; workspace?: string }) => {
      if (!['weekly', 'monthly', 'quarterly'].includes(cadence)) {
        process.stderr.write(`error: unknown review "${cadence}": use weekly, monthly or quarterly\n`)
        process.exitCode = 1
        return
      }
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        const review = await generateReview(ctx, ws.id, { cadence: cadence as ReviewCadence, period: o.period })
        mkdirSync(o.out, { recursive: true })
        const base = join(o.out, `${review.kind}-${review.period}`)
        writeFileSync(`${base}.md`, review.markdown)
        writeFileSync(`${base}.html`, review.html)
        process.stdout.write(
          `${review.pack.title}: ${base}.md, ${base}.html (${review.pack.actionItems.length} open action items, ${review.pack.driftAlerts.length} alerts)\n`,
        )
      })
    })
}
