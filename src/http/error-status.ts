import type { ErrorCode } from '../core/errors.ts'

/** Keyed by the closed code union: adding a code without a status is a compile error. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  invalid_input: 422,
  malformed: 400,
  too_large: 413,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
}
