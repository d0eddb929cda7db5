import type { CalibrationResult } from './calibrate-icp.ts'

const TOP_FACTORS = 10

/**
 * Renders a calibration result as plain text for a terminal: fit quality, warnings, exclusions,
 * the strongest factors and the suggested `icp.fit` YAML.
 *
 * @example formatCalibrationReport(calibrateIcp(table, { label: 'Converted' })) // 'Hold-out ROC AUC 0.909 …'
 */
export function formatCalibrationReport(result: CalibrationResult): string {
  const lines: string[] = []
  const share = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`
  lines.push(`Hold-out ROC AUC ${result.auc.toFixed(3)} (training ${result.trainAuc.toFixed(3)})`)
  lines.push(
    `${result.n} labelled rows, ${result.positives} positive (${share(result.positives, result.n)}); ` +
      `trained on ${result.train.n}, tested on ${result.test.n}; L2 ${result.model.l2}, ` +
      `${result.model.iterations} Newton iterations${result.model.converged ? '' : ' (NOT converged)'}`,
  )
  if (result.warnings.length > 0) {
    lines.push('', 'Warnings:')
    for (const warning of result.warnings) lines.push(`  ! ${warning.message}`)
  }
  if (result.excluded.length > 0) {
    lines.push('', 'Excluded columns:')
    for (const { column, reason } of result.excluded) lines.push(`  - ${column} (${reason.replaceAll('_', ' ')})`)
  }
  lines.push(
    '',
    `Factors that predict conversion (strongest first, top ${Math.min(TOP_FACTORS, result.factors.length)}):`,
  )
  for (const factor of result.factors.slice(0, TOP_FACTORS)) {
    lines.push(`  ${factor.column} — log-odds spread ${factor.importance.toFixed(2)}`)
    for (const term of factor.terms.slice(0, 3)) lines.push(`      ${term.sentence} (n=${term.rows})`)
  }
  lines.push('', 'Suggested fit points', `  Rule: ${result.suggestedFit.rule}`, '')
  lines.push(...result.suggestedFit.yaml.trimEnd().split('\n'))
  return `${lines.join('\n')}\n`
}
