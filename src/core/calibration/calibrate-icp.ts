import { rocAuc } from '../stats/roc-auc.ts'
import { CalibrationError } from './calibration-error.ts'
import { createIsMissing, DEFAULT_NULL_TOKENS } from './cell-values.ts'
import { type CalibrationFactor, describeFactors } from './describe-factors.ts'
import {
  type CellTable,
  encodeRows,
  type FeatureTerm,
  fitFeatureEncoder,
  type SparseMatrix,
} from './encode-features.ts'
import { dropFeatures, fitLogisticRegression, type LogisticModel, predictLogOdds } from './fit-logistic-regression.ts'
import { type CalibrationWarning, type ExcludedColumn, screenColumns } from './screen-columns.ts'
import { splitStratified } from './split-stratified.ts'
import { type SuggestedFit, suggestFitPoints } from './suggest-fit-points.ts'

export type CalibrationOptions = {
  /** The outcome column (e.g. 'Converted'); cells 1/0, true/false, yes/no, won/lost unless `positiveValues` is given. */
  label: string
  /** Columns to leave out, e.g. those recorded after the outcome. Every name must exist. */
  exclude?: readonly string[]
  /** Seed of the train/test split. Default 1. */
  seed?: number
  /** Share of rows held out for the AUC. Default 0.3. */
  testFraction?: number
  /** Ridge penalty λ (see fitLogisticRegression). Default 1. */
  l2?: number
  /** Label cells counted as positive (case-insensitive); any other non-missing cell is negative. */
  positiveValues?: readonly string[]
  /** Cells read as missing (case-insensitive, trimmed). Default ['', 'Select']. */
  nullTokens?: readonly string[]
  /** Column → Agreement field used in the suggested `when:` conditions, e.g. { 'Lead Origin': 'lead.origin' }. */
  fields?: Readonly<Record<string, string>>
  /** Single-column AUC above which a column is flagged as possible leakage. Default 0.95. */
  leakageAuc?: number
  /** Rare-level pooling: below max(rareShare × training rows, rareMinRows). Defaults 0.01 and 10. */
  rareShare?: number
  rareMinRows?: number
  /**
   * The lift check refits without each of the `leakageLiftChecks` columns with the highest single-column
   * AUC (default 3) and warns when one adds more than `leakageLift` (default 0.03) to the hold-out AUC.
   */
  leakageLift?: number
  leakageLiftChecks?: number
}

export type CalibrationResult = {
  /** Hold-out ROC AUC. */
  auc: number
  trainAuc: number
  /** Labelled rows used (train + test). */
  n: number
  positives: number
  train: { n: number; positives: number }
  test: { n: number; positives: number }
  factors: CalibrationFactor[]
  suggestedFit: SuggestedFit
  warnings: CalibrationWarning[]
  excluded: ExcludedColumn[]
  model: {
    intercept: number
    coefficients: { column: string; term: string; coefficient: number }[]
    l2: number
    iterations: number
    converged: boolean
  }
}

type FitData = { trainX: SparseMatrix; trainLabels: boolean[]; testX: SparseMatrix; testLabels: boolean[]; l2: number }

// Refits without one column, warm-started from the full model so it takes a few Newton steps.
function measureAucWithout(column: string, terms: readonly FeatureTerm[], model: LogisticModel, data: FitData): number {
  const drop = new Set(terms.flatMap((t, j) => (t.column === column ? [j] : [])))
  const train = dropFeatures(data.trainX, drop)
  const initial = Float64Array.from([...train.kept.map((j) => model.coefficients[j]!), model.intercept])
  const reduced = fitLogisticRegression(train.matrix, data.trainLabels, { l2: data.l2, initial })
  return rocAuc(predictLogOdds(reduced, dropFeatures(data.testX, drop).matrix), data.testLabels)
}

const DEFAULT_POSITIVE = new Set(['1', 'true', 't', 'yes', 'y', 'won', 'converted'])
const DEFAULT_NEGATIVE = new Set(['0', 'false', 'f', 'no', 'n', 'lost'])
const MIN_ROWS_PER_CLASS = 5

function readLabels(
  table: CellTable,
  labelIndex: number,
  labelName: string,
  isMissing: (c: string | undefined) => boolean,
  positiveValues: readonly string[] | undefined,
): (boolean | null)[] {
  const positive = positiveValues ? new Set(positiveValues.map((v) => v.trim().toLowerCase())) : null
  return table.rows.map((row, r) => {
    const cell = row[labelIndex]
    if (isMissing(cell)) return null
    const value = cell!.trim().toLowerCase()
    if (positive) return positive.has(value)
    if (DEFAULT_POSITIVE.has(value)) return true
    if (DEFAULT_NEGATIVE.has(value)) return false
    throw new CalibrationError(
      'label_not_binary',
      `rows[${r}].${labelName}`,
      `label value "${cell}" is not one of 1/0, true/false, yes/no, won/lost; name the positive values to use it`,
    )
  })
}

/**
 * Calibrates the ICP from outcomes: screens the columns (refusing the label in disguise, warning on
 * leakage and identifiers), fits an L2-regularized logistic regression on a stratified seeded split,
 * and reports the hold-out ROC AUC, the factors with their odds ratios and suggested `icp.fit` points.
 * Coefficients, factors and points come from the training rows only, so the AUC is an honest estimate
 * for exactly the model reported. Throws CalibrationError (with a path) when it must refuse.
 *
 * @example
 * calibrateIcp(readTable, { label: 'Converted', exclude: ['Prospect ID', 'Tags'], seed: 100 })
 * // { auc: 0.89, factors: [{ column: 'Lead Origin', sentence: 'Lead Origin = Lead Add Form: odds ×9.1 vs …' }, …], … }
 */
export function calibrateIcp(table: CellTable, options: CalibrationOptions): CalibrationResult {
  const exclude = options.exclude ?? []
  const testFraction = options.testFraction ?? 0.3
  const seed = options.seed ?? 1
  const l2 = options.l2 ?? 1
  const leakageAuc = options.leakageAuc ?? 0.95
  const rareShare = options.rareShare ?? 0.01
  const rareMinRows = options.rareMinRows ?? 10
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new CalibrationError(
      'invalid_option',
      'testFraction',
      `must be strictly between 0 and 1, got ${testFraction}`,
    )
  }
  if (!(l2 >= 0)) throw new CalibrationError('invalid_option', 'l2', `must be ≥ 0, got ${l2}`)
  const labelIndex = table.columns.indexOf(options.label)
  if (labelIndex < 0) {
    throw new CalibrationError(
      'unknown_column',
      'label',
      `no column "${options.label}" (columns: ${table.columns.join(', ')})`,
    )
  }
  exclude.forEach((name, i) => {
    // A misspelt exclusion would silently let a leaking column back in, so it is an error, not a warning.
    if (!table.columns.includes(name))
      throw new CalibrationError('unknown_column', `exclude[${i}]`, `no column "${name}"`)
  })
  const isMissing = createIsMissing(options.nullTokens ?? DEFAULT_NULL_TOKENS)
  const allLabels = readLabels(table, labelIndex, options.label, isMissing, options.positiveValues)
  const rows = allLabels.flatMap((y, r) => (y === null ? [] : [r]))
  const labels = rows.map((r) => allLabels[r]!)
  const positives = labels.filter(Boolean).length
  const warnings: CalibrationWarning[] = []
  const unlabelled = table.rows.length - rows.length
  if (unlabelled > 0) {
    warnings.push({
      kind: 'missing_label',
      rows: unlabelled,
      message: `${unlabelled} rows have no ${options.label}; left out`,
    })
  }
  if (positives === 0 || positives === labels.length) {
    throw new CalibrationError(
      'single_class',
      options.label,
      `every labelled row has the same outcome; nothing to learn`,
    )
  }
  if (Math.min(positives, labels.length - positives) < MIN_ROWS_PER_CLASS / Math.min(testFraction, 1 - testFraction)) {
    throw new CalibrationError(
      'too_few_rows',
      options.label,
      `${positives} positive and ${labels.length - positives} negative rows: too few to hold out ${testFraction} and still measure`,
    )
  }
  const excludedSet = new Set(exclude)
  const candidates = table.columns.flatMap((name, i) => (i === labelIndex || excludedSet.has(name) ? [] : [i]))
  const screen = screenColumns(table, candidates, labels, rows, options.label, {
    isMissing,
    rareShare,
    rareMinRows,
    leakageAuc,
  })
  warnings.push(...screen.warnings)
  const excluded: ExcludedColumn[] = [
    ...exclude.map((column) => ({ column, reason: 'requested' as const })),
    ...screen.excluded,
  ]

  const split = splitStratified(labels, testFraction, seed)
  const trainRows = split.train.map((i) => rows[i]!)
  const testRows = split.test.map((i) => rows[i]!)
  const trainLabels = split.train.map((i) => labels[i]!)
  const testLabels = split.test.map((i) => labels[i]!)
  const encoder = fitFeatureEncoder(table, screen.columns, trainRows, { isMissing, rareShare, rareMinRows })
  for (const column of encoder.dropped) excluded.push({ column, reason: 'no_variation_in_training' })
  const trainX = encodeRows(encoder, table, trainRows, isMissing)
  const model = fitLogisticRegression(trainX, trainLabels, { l2 })
  if (!model.converged) {
    warnings.push({
      kind: 'not_converged',
      iterations: model.iterations,
      message: `the fit did not converge in ${model.iterations} iterations; raise l2`,
    })
  }
  const trainAuc = rocAuc(predictLogOdds(model, trainX), trainLabels)
  const testX = encodeRows(encoder, table, testRows, isMissing)
  const auc = rocAuc(predictLogOdds(model, testX), testLabels)
  const flagged = new Set(warnings.flatMap((w) => (w.kind === 'leakage' ? [w.column] : [])))
  const liftSuspects = Object.entries(screen.singleColumnAuc)
    .filter(([column]) => !flagged.has(column) && encoder.encodings.some((e) => e.column === column))
    .sort((a, b) => b[1] - a[1])
    .slice(0, options.leakageLiftChecks ?? 3)
  for (const [column, single] of liftSuspects) {
    const lift = auc - measureAucWithout(column, encoder.terms, model, { trainX, trainLabels, testX, testLabels, l2 })
    const threshold = options.leakageLift ?? 0.03
    if (lift > threshold) {
      warnings.push({
        kind: 'leakage',
        column,
        auc: single,
        lift,
        message: `${column}: it lifts the hold-out AUC by ${lift.toFixed(3)} (> ${threshold}) over all other columns together — a column that adds this much is usually recorded after the outcome; exclude it unless it is known before`,
      })
    }
  }
  return {
    auc,
    trainAuc,
    n: rows.length,
    positives,
    train: { n: trainRows.length, positives: trainLabels.filter(Boolean).length },
    test: { n: testRows.length, positives: testLabels.filter(Boolean).length },
    factors: describeFactors(encoder.encodings, model, trainRows.length),
    suggestedFit: suggestFitPoints(encoder.encodings, model, options.fields ?? {}),
    warnings,
    excluded,
    model: {
      intercept: model.intercept,
      coefficients: encoder.terms.map((term, j) => ({
        column: term.column,
        term: term.kind === 'level' ? term.level.label : term.kind === 'missing' ? '(missing)' : 'per SD',
        coefficient: model.coefficients[j]!,
      })),
      l2,
      iterations: model.iterations,
      converged: model.converged,
    },
  }
}
