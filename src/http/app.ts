/**
 * The HTTP server: Fastify with zod validation, OpenAPI at /docs, bearer-key auth, and one error shape:
 * `{ "error": { "code": "invalid_input", "message": "…", "issues": [{ "path": "events[3].occurred_at", "message": "…" }] } }`.
 * Routes are thin: parse, call one use case, shape the output.
 */
import cookie from '@fastify/cookie'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod'
import type { Ctx } from '../context.ts'
import { AppError, isAppError } from '../core/errors.ts'
import { stopQualifiers } from '../leads/qualify-backlog.ts'
import { makeAuthHook } from './auth.ts'
import { ERROR_STATUS } from './error-status.ts'
import { healthRoutes } from './routes/health.routes.ts'
import { apiRoutes } from './routes/index.ts'
import { sessionRoutes } from './routes/session.routes.ts'
import { usersRoutes } from './routes/users.routes.ts'
import { isDashboardRequest, registerWeb, sendDashboard } from './web.ts'

/** `/events/3/occurred_at` → `events[3].occurred_at` */
function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '')
}

export type AppOptions = {
  /** The built dashboard (default dist/web); tests build into a temporary folder. */
  webRoot?: string
}

export async function buildApp(ctx: Ctx, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Request logging stays off: at ingestion rates it drowns the log. Use-case logs go through ctx.logger.
    logger: false,
    bodyLimit: 8 * 1024 * 1024,
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Accord API',
        version: '1',
        description: 'The sales–marketing Agreement as code: ingest, qualify, hand off, measure.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  await app.register(cookie)
  const web = await registerWeb(app, opts.webRoot)
  app.decorateRequest('principal', null)
  app.decorateRequest('accordSession', null)
  app.addHook('onRequest', makeAuthHook(ctx))
  // Queued events being qualified when the server stops: their chunk commits; the rest waits in the backlog.
  app.addHook('onClose', () => stopQualifiers(ctx))

  app.setNotFoundHandler((request, reply) => {
    if (isDashboardRequest(request)) return sendDashboard(web, reply)
    reply.status(404).send({
      error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}`, issues: [] },
    })
  })

  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (isAppError(error)) {
      return reply
        .status(ERROR_STATUS[error.code])
        .send({ error: { code: error.code, message: error.message, issues: error.issues } })
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: pointerToPath(v.instancePath) || '(body)',
        message: v.message ?? 'invalid',
      }))
      return reply.status(422).send({
        error: {
          code: 'invalid_input',
          message: `${issues.length} problem${issues.length === 1 ? '' : 's'} in the request; nothing was written`,
          issues,
        },
      })
    }
    const fe = error as FastifyError
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({
        error: { code: 'too_large', message: `request body over ${app.initialConfig.bodyLimit} bytes`, issues: [] },
      })
    }
    if (fe.statusCode === 400 || fe.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError) {
      return reply
        .status(400)
        .send({ error: { code: 'malformed', message: `malformed request body: ${error.message}`, issues: [] } })
    }
    if (fe.statusCode && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ error: { code: 'malformed', message: error.message, issues: [] } })
    }
    ctx.logger.error({ err: error.message, url: request.url }, 'unhandled error')
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: 'internal error; see the server log', issues: [] } })
  })

  await app.register(healthRoutes(ctx))
  for (const routes of apiRoutes(ctx)) await app.register(routes, { prefix: '/v1' })
  await app.register(sessionRoutes(ctx), { prefix: '/v1' })
  await app.register(usersRoutes(ctx), { prefix: '/v1' })
  return app
}

export { AppError }
