/** The null tokens a CRM export uses; compared case-insensitively after trimming. */
export const DEFAULT_NULL_TOKENS: readonly string[] = ['', 'Select']

/** Key of the level that stands for a missing cell; cannot collide with a case-folded text value. */
export const MISSING_LEVEL = '\u0000missing'
/** Key of the level that pools rare levels. */
export const OTHER_LEVEL = '\u0000other'

const NUMBER_PATTERN = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/**
 * Builds a predicate telling whether a cell is missing under the given null tokens.
 *
 * @example createIsMissing(['', 'Select'])(' select ') // true
 */
export function createIsMissing(nullTokens: readonly string[]): (cell: string | undefined) => boolean {
  const tokens = new Set(nullTokens.map((t) => t.trim().toLowerCase()))
  return (cell) => cell === undefined || tokens.has(cell.trim().toLowerCase())
}

/**
 * Parses a cell as a finite number, or null when it is not one (no thousands separators, no units).
 *
 * @example parseNumber(' 2.5 ') // 2.5
 */
export function parseNumber(cell: string): number | null {
  const text = cell.trim()
  if (!NUMBER_PATTERN.test(text)) return null
  const value = Number(text)
  return Number.isFinite(value) ? value : null
}

/**
 * Folds a categorical cell so that "Google", " google" and "GOOGLE" are one level.
 *
 * @example foldLevel(' Google  Ads ') // 'google ads'
 */
export function foldLevel(cell: string): string {
  return cell.trim().replace(/\s+/g, ' ').toLowerCase()
}
