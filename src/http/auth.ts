/**
 * Bearer-key authentication for every route except /health and the docs. The principal is attached to the
 * request; `requirePermission` guards a route by what the key's role may do.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { authenticate, type Principal } from '../auth/authenticate.ts'
import type { Ctx } from '../context.ts'
import { can, type Permission } from '../core/auth/roles.ts'
import { AppError } from '../core/errors.ts'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
}

const PUBLIC = [/^\/health$/, /^\/docs(\/|$)/]

export function isPublicPath(url: string): boolean {
  const path = url.split('?')[0] ?? url
  return PUBLIC.some((re) => re.test(path))
}

export function makeAuthHook(ctx: Ctx) {
  return async (request: FastifyRequest) => {
    request.principal = null
    if (isPublicPath(request.url) || !request.url.startsWith('/v1/')) return
    const header = request.headers.authorization
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
    if (!match) throw new AppError('unauthenticated', 'send your API key as `Authorization: Bearer <key>`')
    const principal = await authenticate(ctx, match[1]!)
    if (!principal) throw new AppError('unauthenticated', 'unknown or revoked API key')
    request.principal = principal
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'send your API key as `Authorization: Bearer <key>`')
  return request.principal
}

/** A preHandler that refuses keys whose role lacks the permission. */
export function requirePermission(...anyOf: Permission[]) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const p = principalOf(request)
    if (!anyOf.some((perm) => can(p.role, perm))) {
      throw new AppError('forbidden', `a ${p.role} key may not do this (needs ${anyOf.join(' or ')})`)
    }
  }
}
