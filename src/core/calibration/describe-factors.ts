import { columnContributions } from './column-contributions.ts'
import type { ColumnEncoding } from './encode-features.ts'
import type { LogisticModel } from './fit-logistic-regression.ts'

export type FactorTerm = {
  /** 'Lead Add Form', 'other', '(missing)' for a level; 'per SD' or '(missing)' for a numeric column. */
  term: string
  coefficient: number
  oddsRatio: number
  /** Training rows the term applies to (for a numeric 'per SD' term: rows with a value). */
  rows: number
  sentence: string
}

export type CalibrationFactor = {
  column: string
  kind: 'numeric' | 'categorical'
  /** Spread of the column's log-odds contributions (most minus least favourable band); factors sort by it. */
  importance: number
  /** For a categorical column, the level the others are compared with. */
  reference: string | null
  terms: FactorTerm[]
  sentence: string
}

/**
 * Formats an odds ratio for people: two significant digits, e.g. ×9.1, ×0.42, ×12.
 *
 * @example formatOdds(9.087) // '×9.1'
 */
export function formatOdds(ratio: number): string {
  if (!Number.isFinite(ratio)) return ratio > 0 ? '×∞' : '×0'
  return `×${ratio >= 10 ? Math.round(ratio) : Number(ratio.toPrecision(2))}`
}

const formatNumber = (x: number) => String(Number(x.toPrecision(3)))

/**
 * Describes what the fitted model says about each original column: its coefficients, odds ratios
 * and one plain sentence ('Lead Origin = Lead Add Form: odds ×9.1 vs Landing Page Submission'),
 * the most important columns first. Numeric coefficients are per standard deviation of the
 * (clipped) training values.
 *
 * @example describeFactors(encoder.encodings, model, trainRowCount)[0].sentence
 */
export function describeFactors(
  encodings: readonly ColumnEncoding[],
  model: Pick<LogisticModel, 'coefficients'>,
  trainRowCount: number,
): CalibrationFactor[] {
  const factors = encodings.map((encoding): CalibrationFactor => {
    const contributions = columnContributions(encoding, model).map((c) => c.logOdds)
    const importance = Math.max(...contributions) - Math.min(...contributions)
    if (encoding.kind === 'numeric') {
      const slope = model.coefficients[encoding.valueFeature]!
      const terms: FactorTerm[] = [
        {
          term: 'per SD',
          coefficient: slope,
          oddsRatio: Math.exp(slope),
          rows: trainRowCount - encoding.missingCount,
          sentence: `${encoding.column}: odds ${formatOdds(Math.exp(slope))} per +1 SD (+${formatNumber(encoding.sd)})`,
        },
      ]
      if (encoding.missingFeature !== null) {
        const missing = model.coefficients[encoding.missingFeature]!
        terms.push({
          term: '(missing)',
          coefficient: missing,
          oddsRatio: Math.exp(missing),
          rows: encoding.missingCount,
          sentence: `${encoding.column} missing: odds ${formatOdds(Math.exp(missing))} vs the median ${formatNumber(encoding.median)}`,
        })
      }
      return {
        column: encoding.column,
        kind: 'numeric',
        importance,
        reference: null,
        terms,
        sentence: terms[0]!.sentence,
      }
    }
    const reference = encoding.levels[0]!.label
    const terms = encoding.levels
      .filter((level) => level.feature !== null)
      .map((level): FactorTerm => {
        const coefficient = model.coefficients[level.feature!]!
        return {
          term: level.label,
          coefficient,
          oddsRatio: Math.exp(coefficient),
          rows: level.count,
          sentence: `${encoding.column} = ${level.label}: odds ${formatOdds(Math.exp(coefficient))} vs ${reference}`,
        }
      })
      .sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient))
    const sentence = terms
      .slice(0, 2)
      .map((t) => t.sentence)
      .join('; ')
    return { column: encoding.column, kind: 'categorical', importance, reference, terms, sentence }
  })
  return factors.sort((a, b) => b.importance - a.importance || (a.column < b.column ? -1 : 1))
}
