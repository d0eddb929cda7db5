import { createHash, randomBytes } from 'node:crypto'

/** A session lives 12 hours past its last use, and never more than 7 days after log-in. */
export const SESSION_IDLE_MS = 12 * 3_600_000
export const SESSION_MAX_MS = 7 * 24 * 3_600_000

/** The random value in the cookie; only its SHA-256 is stored, so a database read yields no usable cookie. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url')
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url')
}

export function sessionExpiry(createdAt: number, now: number): Date {
  return new Date(Math.min(now + SESSION_IDLE_MS, createdAt + SESSION_MAX_MS))
}
