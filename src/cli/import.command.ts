import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { parse as parseYaml } from 'yaml'
import { AppError } from '../core/errors.ts'
import type { ImportKind } from '../import/csv-columns.ts'
import { importCsv } from '../import/import-csv.ts'
import { getWorkspace } from '../workspace/create-workspace.ts'
import { type CliDeps, withCtx } from './program.ts'
import { createProgress } from './progress.ts'

/** A mapping file: `columns: { "Deal Stage": stage, "Internal notes": ignore }` and an optional `delimiter`. */
function readMapping(path: string): { columns: Record<string, string>; delimiter?: string } {
  const doc = parseYaml(readFileSync(path, 'utf8')) as { columns?: Record<string, string>; delimiter?: string } | null
  if (!doc || typeof doc !== 'object' || typeof doc.columns !== 'object') {
    throw new AppError(
      'invalid_input',
      `${path}: expected a YAML mapping file with a \`columns:\` map of "CSV column": field`,
    )
  }
  return { columns: doc.columns, delimiter: doc.delimiter }
}

export function registerImportCommand(program: Command, deps: CliDeps): void {
  program
    .command('import <kind> <file>')
    .description('import accounts | people | events | opportunities from a CSV file (streaming, idempotent)')
    .option('--map <mapping.yaml>', 'column mapping file (columns: { "CSV column": field })')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .option('--batch <n>', 'rows per transaction', '500')
    .option('--json', 'print the report as JSON')
    .action(
      async (kind: string, file: string, o: { map?: string; workspace?: string; batch: string; json?: boolean }) => {
        if (!['accounts', 'people', 'events', 'opportunities'].includes(kind)) {
          process.stderr.write(`error: unknown import kind "${kind}": use accounts, people, events or opportunities\n`)
          process.exitCode = 1
          return
        }
        await withCtx(deps, async (ctx) => {
          const ws = await getWorkspace(ctx, o.workspace)
          const mapping = o.map ? readMapping(o.map) : undefined
          const progress = createProgress(`import ${kind}`)
          const report = await importCsv(ctx, {
            workspaceId: ws.id,
            kind: kind as ImportKind,
            path: file,
            mapping: mapping?.columns,
            delimiter: mapping?.delimiter,
            batchSize: Number(o.batch),
            onProgress: (p) => progress.update(p.bytes, p.totalBytes, `${p.rows} rows`),
          })
          progress.done(
            `${report.rows} rows, ${report.imported} imported, ${report.duplicates} duplicates, ${report.rejected.length} rejected`,
          )
          if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
          else {
            if (report.unmappedColumns.length)
              process.stdout.write(`columns not imported: ${report.unmappedColumns.join(', ')}\n`)
            for (const r of report.rejected.slice(0, 50)) {
              process.stdout.write(`line ${r.line}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}\n`)
            }
            if (report.rejected.length > 50)
              process.stdout.write(`… and ${report.rejected.length - 50} more rejected rows (--json lists all)\n`)
          }
          // Rejected rows are not an error of the import itself, but a script must notice them.
          if (report.rejected.length > 0) process.exitCode = 2
        })
      },
    )
}
