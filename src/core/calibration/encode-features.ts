import { foldLevel, MISSING_LEVEL, OTHER_LEVEL, parseNumber } from './cell-values.ts'

/** A table of string cells as read from a CSV: `rows[i][j]` is the cell of `columns[j]`. */
export type CellTable = { columns: string[]; rows: string[][] }

export type CategoricalLevel = {
  /** Case-folded key, or MISSING_LEVEL / OTHER_LEVEL. */
  key: string
  /** How to show it: the most frequent original spelling, '(missing)' or 'other'. */
  label: string
  /** Training rows at this level. */
  count: number
  /** Original spellings pooled here (only for 'other'; the one spelling otherwise). */
  members: string[]
  /** Feature index of this level, or null for the reference level (the most frequent). */
  feature: number | null
}

export type NumericEncoding = {
  kind: 'numeric'
  column: string
  index: number
  /** Training median of observed values, used to impute missing cells. */
  median: number
  mean: number
  sd: number
  /** Observed values are clipped to [low, high] (training 0.5th and 99.5th percentiles) before standardizing. */
  low: number
  high: number
  /** Training quartiles of observed values (for banding into fit points). */
  quartiles: [number, number, number]
  valueFeature: number
  /** Indicator feature for a missing cell; null when no training cell was missing. */
  missingFeature: number | null
  missingCount: number
}

export type CategoricalEncoding = {
  kind: 'categorical'
  column: string
  index: number
  levels: CategoricalLevel[]
  /** Folded cell → level key; a folded value absent here is unseen and falls to 'other' or the reference. */
  levelOf: Record<string, string>
}

export type ColumnEncoding = NumericEncoding | CategoricalEncoding

export type FeatureTerm =
  | { kind: 'value'; column: string }
  | { kind: 'missing'; column: string }
  | { kind: 'level'; column: string; level: CategoricalLevel }

export type FeatureEncoder = { encodings: ColumnEncoding[]; terms: FeatureTerm[] }

/** Compressed sparse rows; the intercept is not stored. */
export type SparseMatrix = {
  rowCount: number
  columnCount: number
  rowStart: Int32Array
  index: Int32Array
  value: Float64Array
}

export type EncoderColumn = { index: number; column: string; kind: 'numeric' | 'categorical' }

export type EncoderOptions = {
  isMissing: (cell: string | undefined) => boolean
  /** A level is rare, and pooled into 'other', below max(rareShare × training rows, rareMinRows). */
  rareShare: number
  rareMinRows: number
}

const CLIP_QUANTILE = 0.005

/**
 * Linear-interpolation quantile (R type 7) of an ascending array.
 *
 * @example quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(sorted.length - 1, lo + 1)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

function fitNumeric(
  table: CellTable,
  col: EncoderColumn,
  trainRows: readonly number[],
  options: EncoderOptions,
  nextFeature: () => number,
): NumericEncoding | null {
  const observed: number[] = []
  let missingCount = 0
  for (const r of trainRows) {
    const cell = table.rows[r]![col.index]
    const value = options.isMissing(cell) ? null : parseNumber(cell!)
    if (value === null) missingCount++
    else observed.push(value)
  }
  if (observed.length === 0) return null
  observed.sort((a, b) => a - b)
  // Clipping keeps one extreme row (TotalVisits = 251 against a median of 3) from flattening
  // the coefficient for everyone else; the bounds come from training rows only.
  const low = quantileSorted(observed, CLIP_QUANTILE)
  const high = quantileSorted(observed, 1 - CLIP_QUANTILE)
  let sum = 0
  let sumSquares = 0
  for (const v of observed) {
    const c = Math.min(high, Math.max(low, v))
    sum += c
    sumSquares += c * c
  }
  const mean = sum / observed.length
  const sd = Math.sqrt(Math.max(0, sumSquares / observed.length - mean * mean))
  if (!(sd > 0)) return null
  return {
    kind: 'numeric',
    column: col.column,
    index: col.index,
    median: quantileSorted(observed, 0.5),
    mean,
    sd,
    low,
    high,
    quartiles: [quantileSorted(observed, 0.25), quantileSorted(observed, 0.5), quantileSorted(observed, 0.75)],
    valueFeature: nextFeature(),
    missingFeature: missingCount > 0 ? nextFeature() : null,
    missingCount,
  }
}

function fitCategorical(
  table: CellTable,
  col: EncoderColumn,
  trainRows: readonly number[],
  options: EncoderOptions,
  nextFeature: () => number,
): CategoricalEncoding | null {
  const counts = new Map<string, { count: number; spellings: Map<string, number> }>()
  for (const r of trainRows) {
    const cell = table.rows[r]![col.index]
    const missing = options.isMissing(cell)
    const key = missing ? MISSING_LEVEL : foldLevel(cell!)
    const entry = counts.get(key) ?? { count: 0, spellings: new Map<string, number>() }
    entry.count++
    const spelling = missing ? '(missing)' : cell!.trim()
    entry.spellings.set(spelling, (entry.spellings.get(spelling) ?? 0) + 1)
    counts.set(key, entry)
  }
  const rareBelow = Math.max(options.rareShare * trainRows.length, options.rareMinRows)
  const levelOf: Record<string, string> = {}
  const kept: Omit<CategoricalLevel, 'feature'>[] = []
  const other: Omit<CategoricalLevel, 'feature'> = { key: OTHER_LEVEL, label: 'other', count: 0, members: [] }
  for (const [key, { count, spellings }] of counts) {
    const label = [...spellings].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0]
    if (count < rareBelow) {
      other.count += count
      other.members.push(label)
      levelOf[key] = OTHER_LEVEL
    } else {
      kept.push({ key, label, count, members: [label] })
      levelOf[key] = key
    }
  }
  if (other.count > 0) kept.push({ ...other, members: other.members.sort() })
  if (kept.length < 2) return null
  kept.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
  // Treatment coding against the most frequent level: each coefficient reads "odds versus the usual case".
  const levels = kept.map((level, i) => ({ ...level, feature: i === 0 ? null : nextFeature() }))
  return { kind: 'categorical', column: col.column, index: col.index, levels, levelOf }
}

/**
 * Learns the encoding of the given columns from the training rows only: numeric columns are clipped,
 * standardized and median-imputed with a missing indicator; categorical columns are case-folded and
 * one-hot encoded against their most frequent level, rare levels pooled into 'other', missing kept
 * as a level of its own. Columns that carry no variation in training are left out (returned in `dropped`).
 *
 * @example fitFeatureEncoder(table, [{ index: 2, column: 'Lead Origin', kind: 'categorical' }], trainRows, options)
 */
export function fitFeatureEncoder(
  table: CellTable,
  columns: readonly EncoderColumn[],
  trainRows: readonly number[],
  options: EncoderOptions,
): FeatureEncoder & { dropped: string[] } {
  const terms: FeatureTerm[] = []
  const encodings: ColumnEncoding[] = []
  const dropped: string[] = []
  for (const col of columns) {
    const pending: FeatureTerm[] = []
    let count = terms.length
    const nextFeature = () => count++
    const encoding =
      col.kind === 'numeric'
        ? fitNumeric(table, col, trainRows, options, nextFeature)
        : fitCategorical(table, col, trainRows, options, nextFeature)
    if (encoding === null) {
      dropped.push(col.column)
      continue
    }
    if (encoding.kind === 'numeric') {
      pending.push({ kind: 'value', column: col.column })
      if (encoding.missingFeature !== null) pending.push({ kind: 'missing', column: col.column })
    } else {
      for (const level of encoding.levels)
        if (level.feature !== null) pending.push({ kind: 'level', column: col.column, level })
    }
    terms.push(...pending)
    encodings.push(encoding)
  }
  return { encodings, terms, dropped }
}

/**
 * The standardized value a numeric cell contributes (imputed and clipped as in training).
 *
 * @example standardizeCell(encoding, '12', isMissing) // (clip(12) − mean) / sd
 */
export function standardizeCell(
  encoding: NumericEncoding,
  cell: string | undefined,
  isMissing: (c: string | undefined) => boolean,
): {
  value: number
  missing: boolean
} {
  const parsed = isMissing(cell) ? null : parseNumber(cell!)
  const raw = parsed ?? encoding.median
  const clipped = Math.min(encoding.high, Math.max(encoding.low, raw))
  return { value: (clipped - encoding.mean) / encoding.sd, missing: parsed === null }
}

/**
 * The level a categorical cell falls in: its own, 'other' when it was pooled or unseen, else the reference.
 *
 * @example findLevel(encoding, 'google', isMissing) // the 'Google' level
 */
export function findLevel(
  encoding: CategoricalEncoding,
  cell: string | undefined,
  isMissing: (c: string | undefined) => boolean,
): CategoricalLevel {
  const key = isMissing(cell) ? MISSING_LEVEL : foldLevel(cell!)
  const levelKey = encoding.levelOf[key] ?? OTHER_LEVEL
  return encoding.levels.find((l) => l.key === levelKey) ?? encoding.levels[0]!
}

/**
 * Encodes the given rows with a fitted encoder into a sparse matrix.
 *
 * @example encodeRows(encoder, table, testRows, isMissing).rowCount // testRows.length
 */
export function encodeRows(
  encoder: FeatureEncoder,
  table: CellTable,
  rowIndices: readonly number[],
  isMissing: (c: string | undefined) => boolean,
): SparseMatrix {
  const rowStart = new Int32Array(rowIndices.length + 1)
  const index: number[] = []
  const value: number[] = []
  rowIndices.forEach((r, i) => {
    const row = table.rows[r]!
    for (const encoding of encoder.encodings) {
      const cell = row[encoding.index]
      if (encoding.kind === 'numeric') {
        const { value: z, missing } = standardizeCell(encoding, cell, isMissing)
        index.push(encoding.valueFeature)
        value.push(z)
        if (missing && encoding.missingFeature !== null) {
          index.push(encoding.missingFeature)
          value.push(1)
        }
      } else {
        const level = findLevel(encoding, cell, isMissing)
        if (level.feature !== null) {
          index.push(level.feature)
          value.push(1)
        }
      }
    }
    rowStart[i + 1] = index.length
  })
  return {
    rowCount: rowIndices.length,
    columnCount: encoder.terms.length,
    rowStart,
    index: Int32Array.from(index),
    value: Float64Array.from(value),
  }
}
