/**
 * Dashboard log-in: `POST /v1/session` trades an API key or a username and password for the HTTP-only
 * `accord_session` cookie and a CSRF token; `GET /v1/session` says who is logged in and what they may do;
 * `DELETE /v1/session` logs out.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { type LogInInput, logIn } from '../../auth/log-in.ts'
import { logOut } from '../../auth/log-out.ts'
import type { RequestPrincipal } from '../../auth/principal.ts'
import { SESSION_MAX_MS } from '../../auth/session-token.ts'
import type { Ctx } from '../../context.ts'
import { can, type Permission } from '../../core/auth/roles.ts'
import { isAppError } from '../../core/errors.ts'
import { principalOf, SESSION_COOKIE } from '../auth.ts'
import { createLoginThrottle, type LoginThrottle } from '../login-throttle.ts'

// `satisfies` makes the compiler demand every permission here, so the list the dashboard reads cannot drift.
const PERMISSIONS = Object.keys({
  'events:write': 1,
  'records:write': 1,
  'records:read': 1,
  'agreement:read': 1,
  'agreement:propose': 1,
  'agreement:sign': 1,
  'leads:read': 1,
  'leads:read_own': 1,
  'leads:act_own': 1,
  'leads:act_any': 1,
  'metrics:read': 1,
  'reviews:write': 1,
  'keys:manage': 1,
  'settings:manage': 1,
  'reps:read': 1,
  'reps:set_status': 1,
  'reps:set_own_status': 1,
} satisfies Record<Permission, 1>) as Permission[]

const logInBody = z.union([
  z.strictObject({ api_key: z.string().min(1) }),
  z.strictObject({
    username: z.string().min(1),
    password: z.string().min(1),
    workspace: z.string().nullish().describe('workspace slug, when the same username exists in several'),
  }),
])

function describePrincipal(p: RequestPrincipal) {
  return {
    kind: p.userId !== null ? ('user' as const) : ('api_key' as const),
    id: p.userId ?? p.keyId,
    workspaceId: p.workspaceId,
    name: p.name,
    role: p.role,
    repId: p.repId,
  }
}

function cookieOptions(request: FastifyRequest) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/',
    secure: request.protocol === 'https',
  }
}

export type SessionRoutesOptions = { throttle?: LoginThrottle }

export const sessionRoutes =
  (ctx: Ctx, opts: SessionRoutesOptions = {}): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>()
    const throttle = opts.throttle ?? createLoginThrottle({ limit: 10, windowMs: 60_000, clock: ctx.clock })

    app.post(
      '/session',
      {
        schema: {
          tags: ['session'],
          summary: 'Log in with an API key or a username and password; sets the HTTP-only session cookie',
          description:
            'Failed attempts are limited to 10 a minute per IP address and username (429 `rate_limited`). ' +
            'Ingest keys and disabled users cannot log in. The response carries the CSRF token that every ' +
            'state-changing request made with the cookie must send in `x-csrf-token`.',
          body: logInBody,
          security: [],
        },
      },
      async (req, reply) => {
        const body = req.body
        const input: LogInInput =
          'api_key' in body
            ? { kind: 'api_key', secret: body.api_key }
            : { kind: 'password', username: body.username, password: body.password, workspace: body.workspace }
        const who = input.kind === 'api_key' ? '(api key)' : input.username.trim().toLowerCase()
        const throttleKey = `${req.ip}\u0000${who}`
        throttle.check(throttleKey)
        try {
          const session = await logIn(ctx, input)
          throttle.succeed(throttleKey)
          reply.setCookie(SESSION_COOKIE, session.token, {
            ...cookieOptions(req),
            maxAge: Math.floor(SESSION_MAX_MS / 1000),
          })
          return reply.status(201).send({
            principal: describePrincipal(session.principal),
            csrfToken: session.csrfToken,
            expiresAt: session.expiresAt.toISOString(),
            permissions: PERMISSIONS.filter((p) => can(session.principal.role, p)),
          })
        } catch (e) {
          if (isAppError(e) && (e.code === 'unauthenticated' || e.code === 'forbidden')) throttle.fail(throttleKey)
          throw e
        }
      },
    )

    app.get(
      '/session',
      {
        schema: {
          tags: ['session'],
          summary: 'Who is logged in, what they may do, and the CSRF token (null for bearer-key requests)',
        },
      },
      async (req) => {
        const p = principalOf(req)
        return {
          principal: describePrincipal(p),
          csrfToken: req.accordSession?.csrfToken ?? null,
          expiresAt: req.accordSession?.expiresAt.toISOString() ?? null,
          permissions: PERMISSIONS.filter((perm) => can(p.role, perm)),
        }
      },
    )

    app.delete(
      '/session',
      { schema: { tags: ['session'], summary: 'Log out: ends the session and clears its cookie' } },
      async (req, reply) => {
        principalOf(req)
        const token = req.cookies[SESSION_COOKIE]
        if (req.accordSession && token) await logOut(ctx, token)
        reply.clearCookie(SESSION_COOKIE, cookieOptions(req))
        return reply.status(204).send()
      },
    )
  }
