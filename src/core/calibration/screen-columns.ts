import { rocAuc } from '../stats/roc-auc.ts'
import { CalibrationError } from './calibration-error.ts'
import { foldLevel, MISSING_LEVEL, OTHER_LEVEL, parseNumber } from './cell-values.ts'
import type { CellTable, EncoderColumn } from './encode-features.ts'

export type ExcludedColumn = {
  column: string
  reason: 'requested' | 'id_like' | 'empty' | 'constant' | 'no_variation_in_training'
}

export type CalibrationWarning =
  | {
      kind: 'leakage'
      column: string
      /** The column's single-column AUC. */
      auc: number
      /** Hold-out AUC the column adds on top of all the others; null when the check did not run. */
      lift: number | null
      message: string
    }
  | { kind: 'id_like'; column: string; message: string }
  | { kind: 'missing_label'; rows: number; message: string }
  | { kind: 'not_converged'; iterations: number; message: string }

export type ScreenOptions = {
  isMissing: (cell: string | undefined) => boolean
  rareShare: number
  rareMinRows: number
  /** Warn when one column alone ranks the outcome with an AUC above this. */
  leakageAuc: number
}

export type ColumnScreen = {
  columns: EncoderColumn[]
  excluded: ExcludedColumn[]
  warnings: CalibrationWarning[]
  /** Single-column AUC of every kept column, max(AUC, 1 − AUC). */
  singleColumnAuc: Record<string, number>
}

const ID_MIN_ROWS = 20

/**
 * AUC of one column used alone: a numeric column ranks by its (median-imputed) value; a categorical
 * column ranks by its levels' positive rate, rare levels pooled so that many tiny levels cannot fake
 * separation. Direction-free: max(AUC, 1 − AUC).
 *
 * @example singleColumnAuc(['a', 'a', 'b', 'b'], [true, true, false, false], 'categorical', options) // 1
 */
export function singleColumnAuc(
  cells: readonly (string | undefined)[],
  labels: readonly boolean[],
  kind: 'numeric' | 'categorical',
  options: Pick<ScreenOptions, 'isMissing' | 'rareShare' | 'rareMinRows'>,
): number {
  let scores: number[]
  if (kind === 'numeric') {
    const values = cells.map((c) => (options.isMissing(c) ? null : parseNumber(c!)))
    const observed = values.filter((v): v is number => v !== null).sort((a, b) => a - b)
    const median = observed[Math.floor(observed.length / 2)] ?? 0
    scores = values.map((v) => v ?? median)
  } else {
    const keys = cells.map((c) => (options.isMissing(c) ? MISSING_LEVEL : foldLevel(c!)))
    const counts = new Map<string, { n: number; hits: number }>()
    keys.forEach((key, i) => {
      const entry = counts.get(key) ?? { n: 0, hits: 0 }
      entry.n++
      if (labels[i]) entry.hits++
      counts.set(key, entry)
    })
    const rareBelow = Math.max(options.rareShare * keys.length, options.rareMinRows)
    const pooled = new Map<string, { n: number; hits: number }>()
    const pooledKey = (key: string) => (counts.get(key)!.n < rareBelow ? OTHER_LEVEL : key)
    for (const [key, entry] of counts) {
      const target = pooled.get(pooledKey(key)) ?? { n: 0, hits: 0 }
      target.n += entry.n
      target.hits += entry.hits
      pooled.set(pooledKey(key), target)
    }
    scores = keys.map((key) => {
      const entry = pooled.get(pooledKey(key))!
      return entry.hits / entry.n
    })
  }
  const auc = rocAuc(scores, labels)
  return Number.isNaN(auc) ? 0.5 : Math.max(auc, 1 - auc)
}

/**
 * Decides which candidate columns enter the model and how, over the labelled rows: empty and constant
 * columns are dropped (listed in `excluded`), identifier-like columns (a distinct value on every row — text, or integers)
 * are dropped with a warning, a column that is an exact function of the label is refused, and a column
 * that alone predicts the label too well (AUC above `leakageAuc`, or perfect separation) is kept with
 * a leakage warning, since only the user knows whether it is known before the outcome.
 *
 * @example screenColumns(table, [2, 3, 7], labels, rows, 'Converted', options).warnings // [{ kind: 'leakage', column: 'Tags', … }]
 */
export function screenColumns(
  table: CellTable,
  candidates: readonly number[],
  /** Aligned with `rows`: labels[i] is the outcome of table.rows[rows[i]]. */
  labels: readonly boolean[],
  rows: readonly number[],
  labelName: string,
  options: ScreenOptions,
): ColumnScreen {
  const columns: EncoderColumn[] = []
  const excluded: ExcludedColumn[] = []
  const warnings: CalibrationWarning[] = []
  const aucs: Record<string, number> = {}
  for (const index of candidates) {
    const column = table.columns[index]!
    const name = column === '' ? `(unnamed column ${index + 1})` : column
    const cells = rows.map((r) => table.rows[r]![index])
    const missing = cells.map((c) => options.isMissing(c))
    const present = cells.filter((_, i) => !missing[i]) as string[]
    if (present.length === 0) {
      excluded.push({ column: name, reason: 'empty' })
      continue
    }
    const numbers = present.map(parseNumber)
    const isNumeric = numbers.every((v) => v !== null)
    const keys = cells.map((c, i) => (missing[i] ? MISSING_LEVEL : isNumeric ? String(parseNumber(c!)) : foldLevel(c!)))
    const distinct = new Set(keys)
    if (distinct.size === 1) {
      excluded.push({ column: name, reason: 'constant' })
      continue
    }
    const keysByClass = [true, false].map((cls) => new Set(keys.filter((_, i) => labels[i] === cls)))
    if (keysByClass.every((set) => set.size === 1)) {
      throw new CalibrationError(
        'label_leak',
        `columns.${name}`,
        `column "${name}" is the label "${labelName}" in another form (each outcome has exactly one value); exclude it`,
      )
    }
    const allInteger = isNumeric && numbers.every((v) => Number.isInteger(v))
    if (
      present.length === rows.length &&
      distinct.size === rows.length &&
      rows.length >= ID_MIN_ROWS &&
      (!isNumeric || allInteger)
    ) {
      excluded.push({ column: name, reason: 'id_like' })
      warnings.push({
        kind: 'id_like',
        column: name,
        message: `${name}: a distinct value on every row, so it identifies rows rather than describing them; dropped`,
      })
      continue
    }
    // One distinct number plus blanks says only "present or not": a category, not a quantity.
    const kind =
      isNumeric && distinct.size > 2 ? 'numeric' : isNumeric && !distinct.has(MISSING_LEVEL) ? 'numeric' : 'categorical'
    const auc = singleColumnAuc(cells, labels, kind, options)
    aucs[name] = auc
    if (auc >= 1 - 1e-12) {
      warnings.push({
        kind: 'leakage',
        column: name,
        auc,
        lift: null,
        message: `${name}: alone it separates ${labelName} perfectly — it is probably recorded after the outcome; exclude it unless it is known before`,
      })
    } else if (auc > options.leakageAuc) {
      warnings.push({
        kind: 'leakage',
        column: name,
        auc,
        lift: null,
        message: `${name}: alone it predicts ${labelName} with AUC ${auc.toFixed(3)} > ${options.leakageAuc} — possible leakage of the outcome; exclude it unless it is known before`,
      })
    }
    columns.push({ index, column: name, kind })
  }
  return { columns, excluded, warnings, singleColumnAuc: aucs }
}
