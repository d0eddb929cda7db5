import { readFile } from 'node:fs/promises'
import { parse } from 'csv-parse/sync'
import type { CellTable } from '../core/calibration/encode-features.ts'

/**
 * Reads a CSV file into a table of string cells for the pure calibration core: the first record is
 * the header, a byte-order mark is dropped, and short rows are padded with '' so every row has one
 * cell per column (exports often end lines with a trailing comma or drop trailing empties).
 *
 * @example const table = await readCsvTable('Leads.csv'); calibrateIcp(table, { label: 'Converted' })
 */
export async function readCsvTable(filePath: string, options: { delimiter?: string } = {}): Promise<CellTable> {
  const text = await readFile(filePath)
  const records: string[][] = parse(text, {
    bom: true,
    delimiter: options.delimiter ?? ',',
    relax_column_count: true,
    skip_empty_lines: true,
  })
  const [header, ...body] = records
  if (header === undefined) return { columns: [], rows: [] }
  const width = Math.max(header.length, ...body.map((r) => r.length))
  const columns = header.concat(Array<string>(width - header.length).fill(''))
  const rows = body.map((r) => (r.length === width ? r : r.concat(Array<string>(width - r.length).fill(''))))
  return { columns, rows }
}
