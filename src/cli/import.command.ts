import type { Command } from 'commander'
import { IMPORT_KINDS, type ImportKind } from '../import/csv-columns.ts'
import { importCsv } from '../import/import-csv.ts'
import { readImportMapping } from '../import/read-import-mapping.ts'
import { getWorkspace } from '../workspace/create-workspace.ts'
import { type CliDeps, withCtx } from './program.ts'
import { createProgress } from './progress.ts'

export function registerImportCommand(program: Command, deps: CliDeps): void {
  program
    .command('import <kind> <file>')
    .description(`import ${IMPORT_KINDS.join(' | ')} from a CSV file (streaming, idempotent)`)
    .option('--map <mapping.yaml>', 'mapping file (columns: { "CSV column": field }, delimiter, lookups)')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .option('--batch <n>', 'rows per transaction', '500')
    .option('--json', 'print the report as JSON')
    .action(
      async (kind: string, file: string, o: { map?: string; workspace?: string; batch: string; json?: boolean }) => {
        if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
          process.stderr.write(`error: unknown import kind "${kind}": use ${IMPORT_KINDS.join(', ')}\n`)
          process.exitCode = 1
          return
        }
        await withCtx(deps, async (ctx) => {
          const ws = await getWorkspace(ctx, o.workspace)
          const mapping = o.map ? readImportMapping(o.map) : undefined
          const progress = createProgress(`import ${kind}`)
          const report = await importCsv(ctx, {
            workspaceId: ws.id,
            kind: kind as ImportKind,
            path: file,
            mapping: mapping?.columns,
            lookups: mapping?.lookups,
            delimiter: mapping?.delimiter,
            batchSize: Number(o.batch),
            onProgress: (p) => progress.update(p.bytes, p.totalBytes, `${p.rows} rows`),
          })
          progress.done(
            `${report.rows} rows, ${report.imported} imported, ${report.duplicates} duplicates, ${report.rejected.length} rejected, ${report.warnings.length} warnings`,
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
            const byCode = new Map<string, number>()
            for (const w of report.warnings) byCode.set(w.code, (byCode.get(w.code) ?? 0) + 1)
            for (const [code, n] of byCode) process.stdout.write(`warning ${code}: ${n} rows (imported)\n`)
            for (const w of report.warnings.slice(0, 20))
              process.stdout.write(`line ${w.line}: warning ${w.code}: ${w.path}: ${w.message}\n`)
            if (report.warnings.length > 20)
              process.stdout.write(`… and ${report.warnings.length - 20} more warnings (--json lists all)\n`)
          }
          // Rejected rows are not an error of the import itself, but a script must notice them.
          if (report.rejected.length > 0) process.exitCode = 2
        })
      },
    )
}
