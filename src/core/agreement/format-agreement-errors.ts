/** One problem in an Agreement file. `path` is like `icp.fit[2].points`; `line`/`column` are 1-based. */
export type AgreementError = { path: string; line?: number; column?: number; message: string }

/**
 * One line per error, sorted by position, in the `file:line path: message` form editors and CI logs link to.
 *
 * Example: `formatAgreementErrors(errors, 'accord.yaml')` →
 * `accord.yaml:14 icp.fit[2].points: expected a number, got "ten"`
 */
export function formatAgreementErrors(errors: readonly AgreementError[], fileName = 'accord.yaml'): string {
  return sortAgreementErrors(errors)
    .map((e) => {
      const where = e.line === undefined ? fileName : `${fileName}:${e.line}`
      return e.path ? `${where} ${e.path}: ${e.message}` : `${where} ${e.message}`
    })
    .join('\n')
}

/** By line (unplaced errors last), then column, then path. */
export function sortAgreementErrors(errors: readonly AgreementError[]): AgreementError[] {
  return [...errors].sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.path.localeCompare(b.path),
  )
}
