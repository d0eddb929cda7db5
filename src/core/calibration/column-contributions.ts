import { MISSING_LEVEL, OTHER_LEVEL } from './cell-values.ts'
import type { ColumnEncoding } from './encode-features.ts'
import type { LogisticModel } from './fit-logistic-regression.ts'

/** One value band of a column and the log-odds it adds to a lead's score under the fitted model. */
export type Contribution = {
  column: string
  /** Readable: 'Lead Add Form', '(missing)', 'other', '≥ 936', '248 – 936'. */
  label: string
  logOdds: number
  condition:
    | { kind: 'equals'; value: string }
    | { kind: 'in'; values: string[] }
    | { kind: 'missing' }
    | { kind: 'range'; min: number | null; max: number | null }
}

const format = (x: number) => String(Number(x.toPrecision(6)))

/**
 * The log-odds contribution of each value band of a column: every level of a categorical column
 * (the reference level contributes 0), and for a numeric column the bands cut at its distinct
 * training quartiles, each valued at the midpoint of its clipped range, plus '(missing)' when
 * training had missing cells. Used for both the importance of a factor and its fit points.
 *
 * @example columnContributions(leadOriginEncoding, model) // [{ label: 'Lead Add Form', logOdds: 2.2, … }, …]
 */
export function columnContributions(
  encoding: ColumnEncoding,
  model: Pick<LogisticModel, 'coefficients'>,
): Contribution[] {
  const beta = (feature: number | null) => (feature === null ? 0 : model.coefficients[feature]!)
  if (encoding.kind === 'categorical') {
    return encoding.levels.map((level) => ({
      column: encoding.column,
      label: level.label,
      logOdds: beta(level.feature),
      condition:
        level.key === MISSING_LEVEL
          ? { kind: 'missing' }
          : level.key === OTHER_LEVEL
            ? { kind: 'in', values: level.members }
            : { kind: 'equals', value: level.label },
    }))
  }
  const slope = beta(encoding.valueFeature)
  const valueAt = (x: number) =>
    (slope * (Math.min(encoding.high, Math.max(encoding.low, x)) - encoding.mean)) / encoding.sd
  const cuts = [...new Set(encoding.quartiles)]
    .filter((c) => c > encoding.low && c < encoding.high)
    .sort((a, b) => a - b)
  const bounds = [encoding.low, ...cuts, encoding.high]
  const out: Contribution[] = []
  for (let i = 0; i + 1 < bounds.length; i++) {
    const min = i === 0 ? null : bounds[i]!
    const max = i + 2 === bounds.length ? null : bounds[i + 1]!
    const label =
      min === null && max === null
        ? 'any value'
        : min === null
          ? `< ${format(max!)}`
          : max === null
            ? `≥ ${format(min)}`
            : `${format(min)} – ${format(max)}`
    out.push({
      column: encoding.column,
      label,
      logOdds: valueAt((bounds[i]! + bounds[i + 1]!) / 2),
      condition: { kind: 'range', min, max },
    })
  }
  if (encoding.missingFeature !== null) {
    out.push({
      column: encoding.column,
      label: '(missing)',
      logOdds: valueAt(encoding.median) + beta(encoding.missingFeature),
      condition: { kind: 'missing' },
    })
  }
  return out
}
