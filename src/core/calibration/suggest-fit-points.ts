import { stringify } from 'yaml'
import { type Contribution, columnContributions } from './column-contributions.ts'
import type { ColumnEncoding } from './encode-features.ts'
import type { LogisticModel } from './fit-logistic-regression.ts'

export type FitCriterion = {
  name: string
  column: string
  /** CEL condition over the Agreement's fields. */
  when: string
  points: number
  /** The fitted log-odds contribution the points were derived from. */
  logOdds: number
}

export type SuggestedFit = {
  criteria: FitCriterion[]
  /** The mapping rule, stated for the reader of the report. */
  rule: string
  /** Log-odds of conversion of a lead scoring 0 points, and the log-odds each point adds (before rounding). */
  logOddsAtZero: number
  logOddsPerPoint: number
  /** `icp: { fit: [...] }` as YAML the Agreement could adopt. */
  yaml: string
}

export const FIT_POINTS_RULE =
  'points = round(100 × (c − min) / Σ spread), where c is a value band’s fitted log-odds contribution, min the least ' +
  'favourable contribution of its column and Σ spread the sum over columns of (most − least favourable); so the least ' +
  'favourable value of every column scores 0 and a lead with the most favourable value of every column scores 100. ' +
  'Numeric columns are banded at their training quartiles, each band valued at its midpoint. Bands rounding to 0 are omitted.'

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/

/**
 * The CEL reference to a column: its mapped Agreement field, the raw column name when that is a
 * valid identifier, else `row["Column Name"]`.
 *
 * @example fieldReference('Lead Origin', { 'Lead Origin': 'lead.origin' }) // 'lead.origin'
 */
export function fieldReference(column: string, fields: Readonly<Record<string, string>>): string {
  return fields[column] ?? (IDENTIFIER.test(column) ? column : `row[${JSON.stringify(column)}]`)
}

const formatNumber = (x: number) => String(Number(x.toPrecision(6)))

function conditionToCel(condition: Contribution['condition'], field: string): string {
  switch (condition.kind) {
    case 'equals':
      return `${field} == ${JSON.stringify(condition.value)}`
    case 'in':
      return `${field} in [${condition.values.map((v) => JSON.stringify(v)).join(', ')}]`
    case 'missing':
      return `${field} == null`
    case 'range': {
      const parts = [
        condition.min === null ? null : `${field} >= ${formatNumber(condition.min)}`,
        condition.max === null ? null : `${field} < ${formatNumber(condition.max)}`,
      ].filter((p): p is string => p !== null)
      return parts.length === 0 ? `${field} != null` : parts.join(' && ')
    }
  }
}

/**
 * Maps the fitted model to integer fit points on a 0–100 scale (rule in FIT_POINTS_RULE) and emits
 * them as `icp.fit` criteria with CEL `when:` conditions.
 *
 * @example suggestFitPoints(encodings, model, { 'Lead Origin': 'lead.origin' }).yaml
 * // icp:\n  fit:\n    - name: Lead Origin = Lead Add Form\n      when: lead.origin == "Lead Add Form"\n      points: 23 …
 */
export function suggestFitPoints(
  encodings: readonly ColumnEncoding[],
  model: Pick<LogisticModel, 'coefficients' | 'intercept'>,
  fields: Readonly<Record<string, string>> = {},
): SuggestedFit {
  const perColumn = encodings.map((encoding) => {
    const contributions = columnContributions(encoding, model)
    const values = contributions.map((c) => c.logOdds)
    return { encoding, contributions, min: Math.min(...values), spread: Math.max(...values) - Math.min(...values) }
  })
  const totalSpread = perColumn.reduce((sum, c) => sum + c.spread, 0)
  const logOddsAtZero = model.intercept + perColumn.reduce((sum, c) => sum + c.min, 0)
  const criteria: FitCriterion[] = []
  if (totalSpread > 0) {
    for (const { encoding, contributions, min, spread } of [...perColumn].sort((a, b) => b.spread - a.spread)) {
      const field = fieldReference(encoding.column, fields)
      const ranked = contributions
        .map((c) => ({ c, points: Math.round((100 * (c.logOdds - min)) / totalSpread) }))
        .filter(({ points }) => points > 0 && spread > 0)
        .sort((a, b) => b.points - a.points)
      for (const { c, points } of ranked) {
        criteria.push({
          name: `${encoding.column} ${c.condition.kind === 'range' ? c.label : `= ${c.label}`}`,
          column: encoding.column,
          when: conditionToCel(c.condition, field),
          points,
          logOdds: c.logOdds,
        })
      }
    }
  }
  const yaml = stringify(
    { icp: { fit: criteria.map(({ name, when, points }) => ({ name, when, points })) } },
    { lineWidth: 0 },
  )
  return {
    criteria,
    rule: FIT_POINTS_RULE,
    logOddsAtZero,
    logOddsPerPoint: totalSpread / 100,
    yaml,
  }
}
