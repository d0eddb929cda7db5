import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { formatAgreementErrors, parseAgreement } from '../core/agreement/index.ts'
import { type ReplayReport, replayAgreement } from '../leads/replay-agreement.ts'
import { getWorkspace } from '../workspace/create-workspace.ts'
import { type CliDeps, withCtx } from './program.ts'
import { createProgress } from './progress.ts'

function parseDay(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(t)) throw new Error(`${name}: expected a date such as 2026-08-01, got "${value}"`)
  return t
}

function pct(n: number, d: number): string {
  return d === 0 ? '—' : `${((100 * n) / d).toFixed(0)}%`
}

export function formatReplay(r: ReplayReport): string {
  const lines = [
    `What-if: "${r.candidate.title}" (${r.candidate.hash.slice(0, 12)}) against the active version ${r.active.versionId} (${r.active.hash.slice(0, 12)})`,
    `history ${r.window.from.slice(0, 10)} → ${r.window.to.slice(0, 10)}: ${r.events.toLocaleString('en-US')} events from ${r.people.toLocaleString('en-US')} people`,
    '',
    `qualified leads: ${r.qualified.active} active → ${r.qualified.candidate} candidate (${r.gained.count} gained, ${r.lost.count} lost)`,
    '',
    'MQLs per week    active  candidate',
    ...r.mqlsPerWeek.map((w) => `  ${w.week}     ${String(w.active).padStart(6)}  ${String(w.candidate).padStart(9)}`),
    '',
    'tier mix         active  candidate',
    ...r.tierMix.map(
      (t) => `  ${t.tier.padEnd(14)} ${String(t.active).padStart(6)}  ${String(t.candidate).padStart(9)}`,
    ),
    '',
    'how they actually converted (where known)     SAL  opportunity  won',
  ]
  for (const [label, c] of [
    ['gained', r.conversion.gained],
    ['lost', r.conversion.lost],
    ['qualified by both', r.conversion.both],
  ] as const) {
    lines.push(
      `  ${label.padEnd(18)} ${String(c.leads).padStart(5)} leads, ${String(c.known).padStart(5)} known  ${pct(c.sal, c.known).padStart(5)}  ${pct(c.opportunity, c.known).padStart(11)}  ${pct(c.won, c.known).padStart(4)}`,
    )
  }
  for (const [label, side] of [
    ['gained', r.gained],
    ['lost', r.lost],
  ] as const) {
    if (side.examples.length === 0) continue
    lines.push('', `examples ${label}:`)
    for (const ex of side.examples)
      lines.push(`  ${r.people_by_key[ex.personKey] ?? ex.personKey}: ${ex.reasons.join('; ')}`)
  }
  return lines.join('\n')
}

export function registerReplayCommand(program: Command, deps: CliDeps): void {
  program
    .command('replay')
    .description('what-if: replay stored history through a candidate Agreement and compare with the active one')
    .requiredOption('--agreement <file>', 'the candidate Agreement (YAML)')
    .option('--from <date>', 'start of the history window (default: 91 days before --to)')
    .option('--to <date>', 'end of the window (default: now)')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .option('--json', 'print the comparison as JSON')
    .action(async (o: { agreement: string; from?: string; to?: string; workspace?: string; json?: boolean }) => {
      const parsed = parseAgreement(readFileSync(o.agreement, 'utf8'), { fileName: o.agreement })
      if (!parsed.ok) {
        process.stderr.write(`${formatAgreementErrors(parsed.errors, o.agreement)}\n`)
        process.exitCode = 1
        return
      }
      const window = { from: parseDay('--from', o.from), to: parseDay('--to', o.to) }
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        const progress = createProgress('replay')
        const report = await replayAgreement(ctx, ws.id, {
          candidate: parsed.agreement,
          ...window,
          onProgress: (done, total) => progress.update(done, total),
        })
        progress.done(`${report.events.toLocaleString('en-US')} events replayed twice`)
        process.stdout.write(`${o.json ? JSON.stringify(report, null, 2) : formatReplay(report)}\n`)
      })
    })
}
