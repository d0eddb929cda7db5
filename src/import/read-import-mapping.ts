/**
 * The import mapping file: which CSV column feeds which field, the delimiter, and lookups into other files that
 * check a column's values (and may copy columns of the matching row into the record). A lookup miss is reported
 * by line as a warning (the row is imported) or, with `on_miss: reject`, rejects the row — never silently dropped.
 *
 * ```yaml
 * columns:
 *   opportunity_id: external_id
 *   account: account_name          # accounts by name when the export has no domain
 *   product: attributes.product
 * delimiter: ","
 * lookups:
 *   - column: product              # a column of the imported file
 *     file: products.csv           # relative to this mapping file
 *     key: product                 # the lookup file's column to match (default: the same name)
 *   - column: sales_agent
 *     file: sales_teams.csv
 *     fields: { regional_office: attributes.team, manager: attributes.manager }
 *     on_miss: warn                # warn (default) | reject
 * ```
 */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { AppError, type Issue } from '../core/errors.ts'
import { zodIssues } from '../ingest/ingest.schema.ts'

/** A lookup with its file read: values of `column` must be keys of `rows`. */
export type ImportLookup = {
  column: string
  /** How messages name the lookup file ('products.csv'). */
  source: string
  keyColumn: string
  rows: ReadonlyMap<string, Readonly<Record<string, string>>>
  /** Lookup file column → record field (`attributes.<name>` or a field of the import kind). */
  fields: Readonly<Record<string, string>>
  onMiss: 'warn' | 'reject'
}

export type ImportMapping = { columns: Record<string, string>; delimiter?: string; lookups: ImportLookup[] }

const mappingSchema = z
  .object({
    columns: z.record(z.string(), z.string()).default({}),
    delimiter: z.string().min(1).max(1).optional(),
    lookups: z
      .array(
        z
          .object({
            column: z.string().min(1),
            file: z.string().min(1),
            key: z.string().min(1).optional(),
            fields: z.record(z.string(), z.string()).default({}),
            on_miss: z.enum(['warn', 'reject']).default('warn'),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()

/**
 * Reads and checks a mapping file and the lookup files it names (each must have its key column and the columns
 * `fields` copies). Every problem names its path in the mapping file.
 *
 * @example const mapping = readImportMapping('test-data/fixtures/maven-opportunities.mapping.yaml')
 */
export function readImportMapping(path: string): ImportMapping {
  let doc: unknown
  try {
    doc = parseYaml(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new AppError('invalid_input', `${path}: not a readable YAML file (${(e as Error).message})`)
  }
  const parsed = mappingSchema.safeParse(doc ?? {})
  if (!parsed.success) {
    throw new AppError('invalid_input', `${path}: not a mapping file`, zodIssues(parsed.error))
  }
  const issues: Issue[] = []
  const lookups = parsed.data.lookups.flatMap((l, i): ImportLookup[] => {
    const file = resolve(dirname(path), l.file)
    let records: Record<string, string>[]
    try {
      records = parseCsv(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true, trim: true })
    } catch (e) {
      issues.push({ path: `lookups[${i}].file`, message: `cannot read ${file}: ${(e as Error).message}` })
      return []
    }
    const keyColumn = l.key ?? l.column
    const header = records[0] ? Object.keys(records[0]) : []
    for (const [column, where] of [
      [keyColumn, 'key'] as const,
      ...Object.keys(l.fields).map((c) => [c, 'fields'] as const),
    ]) {
      if (!header.includes(column))
        issues.push({
          path: `lookups[${i}].${where === 'key' ? 'key' : `fields.${column}`}`,
          message: `${l.file} has no column "${column}"; columns: ${header.join(', ')}`,
        })
    }
    const rows = new Map<string, Record<string, string>>()
    for (const r of records) if (!rows.has(r[keyColumn] ?? '')) rows.set(r[keyColumn] ?? '', r)
    return [{ column: l.column, source: l.file, keyColumn, rows, fields: l.fields, onMiss: l.on_miss }]
  })
  if (issues.length) throw new AppError('invalid_input', `${path}: the lookups cannot be used`, issues)
  return { columns: parsed.data.columns, delimiter: parsed.data.delimiter, lookups }
}
