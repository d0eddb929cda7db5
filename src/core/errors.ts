/**
 * One error type with a closed set of codes. The HTTP layer maps codes to statuses in one table
 * (src/http/error-status.ts), keyed by this union so the compiler demands every mapping.
 *
 * Example: `throw new AppError('not_found', 'lead 42 not found')`
 */
export type ErrorCode =
  | 'invalid_input' // well-formed request whose content fails validation (422)
  | 'malformed' // unparseable body (400)
  | 'too_large' // batch or body over its limit (413)
  | 'unauthenticated' // missing or unknown key (401)
  | 'forbidden' // key lacks the role (403)
  | 'not_found'
  | 'conflict' // state does not allow the action (409)
  | 'rate_limited' // too many attempts; try again later (429)
  | 'unavailable' // a dependency is down (503)
  | 'internal'

export type Issue = { path: string; message: string; line?: number }

export class AppError extends Error {
  readonly code: ErrorCode
  readonly issues: Issue[]

  constructor(code: ErrorCode, message: string, issues: Issue[] = []) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.issues = issues
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}
