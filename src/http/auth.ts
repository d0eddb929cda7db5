/**
 * Authentication for every route except /health, the docs and log-in: a bearer API key, or the dashboard's
 * `accord_session` cookie. Cookie-authenticated requests that change state must echo the session's CSRF token in
 * `x-csrf-token` (a cross-site page can make the browser send the cookie, never read the token). Bearer requests
 * need no token: a browser never adds an Authorization header on its own. The principal is attached to the
 * request; `requirePermission` guards a route by what the principal's role may do.
 */
import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { authenticate } from '../auth/authenticate.ts'
import { findSession } from '../auth/find-session.ts'
import type { RequestPrincipal } from '../auth/principal.ts'
import type { Ctx } from '../context.ts'
import { can, type Permission } from '../core/auth/roles.ts'
import { AppError } from '../core/errors.ts'

export type Principal = RequestPrincipal

declare module 'fastify' {
  interface FastifyRequest {
    principal: RequestPrincipal | null
    /** Set when the request was authenticated by the session cookie. */
    accordSession: { id: string; csrfToken: string; expiresAt: Date } | null
  }
}

export const SESSION_COOKIE = 'accord_session'
export const CSRF_HEADER = 'x-csrf-token'

const PUBLIC = [/^\/health$/, /^\/docs(\/|$)/]
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function isPublicPath(url: string): boolean {
  const path = url.split('?')[0] ?? url
  return PUBLIC.some((re) => re.test(path))
}

/** Log-in authenticates itself (and is throttled in its route). */
function isLogIn(request: FastifyRequest): boolean {
  return request.method === 'POST' && (request.url.split('?')[0] ?? '') === '/v1/session'
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const HOW = 'send your API key as `Authorization: Bearer <key>`, or log in (POST /v1/session)'

export function makeAuthHook(ctx: Ctx) {
  return async (request: FastifyRequest) => {
    request.principal = null
    request.accordSession = null
    if (isPublicPath(request.url) || !request.url.startsWith('/v1/') || isLogIn(request)) return
    const header = request.headers.authorization
    if (header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
      if (!match) throw new AppError('unauthenticated', HOW)
      const key = await authenticate(ctx, match[1]!)
      if (!key) throw new AppError('unauthenticated', 'unknown or revoked API key')
      request.principal = { ...key, userId: null }
      return
    }
    const token = request.cookies?.[SESSION_COOKIE]
    if (!token) throw new AppError('unauthenticated', HOW)
    const session = await findSession(ctx, token)
    if (!session) throw new AppError('unauthenticated', 'your session has ended: log in again')
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER]
      if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) {
        throw new AppError(
          'forbidden',
          `a request made with the session cookie must carry the session's CSRF token in the ${CSRF_HEADER} header (GET /v1/session returns it)`,
        )
      }
    }
    request.principal = session.principal
    request.accordSession = { id: session.id, csrfToken: session.csrfToken, expiresAt: session.expiresAt }
  }
}

export function principalOf(request: FastifyRequest): RequestPrincipal {
  if (!request.principal) throw new AppError('unauthenticated', HOW)
  return request.principal
}

/** A preHandler that refuses principals whose role lacks the permission. */
export function requirePermission(...anyOf: Permission[]) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const p = principalOf(request)
    if (!anyOf.some((perm) => can(p.role, perm))) {
      throw new AppError('forbidden', `a ${p.role} may not do this (needs ${anyOf.join(' or ')})`)
    }
  }
}
