import { existsSync, readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml'
import { readCsvTable } from '../analytics/read-csv-table.ts'
import {
  CalibrationError,
  type CalibrationResult,
  type CellTable,
  calibrateIcp,
  formatCalibrationReport,
} from '../core/calibration/index.ts'
import { AppError, type Issue } from '../core/errors.ts'
import { type CliDeps, reportError } from './program.ts'

/** What `accord icp calibrate --json` prints: the core's result, with the file and label it came from. */
export type IcpCalibrationReport = { file: string; label: string } & CalibrationResult

export type IcpCalibrateOptions = {
  label: string
  /** Comma-separated column names, as typed after `--exclude`. */
  exclude?: string
  seed?: string
  /** A YAML file `fields: { "CSV column": agreement.field }`. */
  map?: string
}

// A field reference the suggested CEL conditions can use as is (`lead.origin`, `account.industry`).
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/

/**
 * Read a field map `fields: { "Lead Origin": lead.origin }`, checking every entry against the CSV's columns.
 * Throws `AppError('invalid_input')` listing every problem with its path and line.
 */
export function readFieldMap(file: string, columns: readonly string[]): Record<string, string> {
  if (!existsSync(file)) throw new AppError('not_found', `--map: no such file ${file}`)
  const lineCounter = new LineCounter()
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter })
  if (doc.errors.length > 0) {
    throw new AppError(
      'invalid_input',
      `${file}: not valid YAML`,
      doc.errors.map((e) => ({ path: 'map', message: e.message.split('\n')[0]!, line: e.linePos?.[0]?.line })),
    )
  }
  const fields = doc.get('fields', true)
  if (!isMap(fields)) {
    throw new AppError('invalid_input', `${file}: expected \`fields:\` mapping CSV columns to Agreement fields`, [
      { path: 'fields', message: 'expected a mapping such as fields: { "Lead Origin": lead.origin }', line: 1 },
    ])
  }
  const issues: Issue[] = []
  const map: Record<string, string> = {}
  for (const pair of fields.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
    const value = isScalar(pair.value) ? pair.value.value : undefined
    const line = isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : undefined
    const path = `fields[${JSON.stringify(key)}]`
    if (!columns.includes(key)) {
      issues.push({ path, message: `no column "${key}" in the CSV`, line })
    } else if (typeof value !== 'string' || !FIELD_PATH.test(value)) {
      issues.push({
        path,
        message: `expected an Agreement field such as lead.origin or account.industry, got ${JSON.stringify(value ?? null)}`,
        line,
      })
    } else map[key] = value
  }
  if (issues.length > 0) {
    throw new AppError('invalid_input', `${file}: ${issues.length} problem(s) in the field map`, issues)
  }
  return map
}

function parseExclude(text: string | undefined): string[] {
  if (text === undefined) return []
  return text
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '')
}

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const seed = Number(text)
  if (text.trim() === '' || !Number.isSafeInteger(seed)) {
    throw new AppError('invalid_input', `--seed: expected an integer, got "${text}"`)
  }
  return seed
}

/** The column most like `name` (case-insensitive edit distance ≤ 3), to suggest for a misspelt one. */
function closestColumn(name: string, columns: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
    for (let i = 1; i <= a.length; i++) {
      const current = [i]
      for (let j = 1; j <= b.length; j++) {
        current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.length]!
  }
  let best: { column: string; d: number } | undefined
  for (const column of columns) {
    if (column === '') continue
    const d = distance(name.toLowerCase(), column.toLowerCase())
    if (d <= 3 && (best === undefined || d < best.d)) best = { column, d }
  }
  return best?.column
}

/** The core names the offending input by its own path; name the option it came from instead, and what would fit. */
function explainRefusal(e: CalibrationError, file: string, table: CellTable, exclude: readonly string[]): AppError {
  const message = e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message
  const excludeIndex = /^exclude\[(\d+)\]$/.exec(e.path)
  let issue: Issue = { path: e.path, message }
  if (excludeIndex) {
    const near = closestColumn(exclude[Number(excludeIndex[1])] ?? '', table.columns)
    const columns = table.columns.filter((c) => c !== '').map((c) => JSON.stringify(c))
    issue = {
      path: `--${e.path}`,
      message: `${message}; ${near === undefined ? `the columns are ${columns.join(', ')}` : `did you mean "${near}"?`}`,
    }
  } else if (e.path === 'label') {
    issue = { path: '--label', message }
  } else if (e.path.startsWith('columns.')) {
    issue = { path: e.path, message: `${message} with --exclude` }
  }
  return new AppError('invalid_input', `cannot calibrate on ${file}`, [issue])
}

/**
 * Calibrate the ICP from a CSV of outcomes: hold-out AUC, factors, suggested fit points, leakage warnings.
 *
 * Example: `(await calibrateIcpFile('Leads.csv', { label: 'Converted', exclude: 'Tags,Lead Number' })).auc` → 0.92
 */
export async function calibrateIcpFile(file: string, options: IcpCalibrateOptions): Promise<IcpCalibrationReport> {
  const seed = parseSeed(options.seed)
  if (!existsSync(file)) throw new AppError('not_found', `no such file ${file}`)
  const table = await readCsvTable(file)
  const fields = options.map === undefined ? {} : readFieldMap(options.map, table.columns)
  const exclude = parseExclude(options.exclude)
  try {
    const result = calibrateIcp(table, {
      label: options.label,
      exclude,
      ...(seed === undefined ? {} : { seed }),
      fields,
    })
    return { file, label: options.label, ...result }
  } catch (e) {
    if (e instanceof CalibrationError) throw explainRefusal(e, file, table, exclude)
    throw e
  }
}

/**
 * `accord icp calibrate FILE.csv --label COLUMN [--exclude A,B] [--seed N] [--map FIELDS.yaml] [--json]`.
 *
 * Example: `accord icp calibrate Leads.csv --label Converted --exclude "Tags,Lead Quality" --map fields.yaml`
 */
export function registerIcpCommand(program: Command, _deps: CliDeps): void {
  const icp = program.command('icp').description('the ideal customer profile, measured against outcomes')
  icp
    .command('calibrate <file>')
    .description(
      'fit a regularized logistic regression on a CSV of outcomes: hold-out ROC AUC, the factors that predict ' +
        'conversion, suggested icp.fit points, leakage warnings (reads files only)',
    )
    .requiredOption('--label <column>', 'the outcome column (1/0, true/false, yes/no, won/lost)')
    .option('--exclude <columns>', 'comma-separated columns to leave out (e.g. recorded after the outcome)')
    .option('--seed <n>', 'seed of the train/test split (default 1)')
    .option('--map <fields.yaml>', 'fields: { "CSV column": agreement.field } for the suggested conditions')
    .option('--json', 'print machine-readable JSON')
    .action(async (file: string, o: IcpCalibrateOptions & { json?: boolean }) => {
      try {
        const report = await calibrateIcpFile(file, o)
        if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
        else process.stdout.write(`${file} — outcome ${report.label}\n${formatCalibrationReport(report)}`)
      } catch (e) {
        reportError(e)
      }
    })
}
