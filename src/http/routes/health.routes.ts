import type { FastifyPluginAsync } from 'fastify'
import { sql } from 'kysely'
import type { Ctx } from '../../context.ts'

export const healthRoutes =
  (ctx: Ctx): FastifyPluginAsync =>
  async (app) => {
    app.get(
      '/health',
      { schema: { tags: ['system'], summary: 'Liveness and database kind (no key needed)', security: [] } },
      async (_req, reply) => {
        try {
          await sql`select 1`.execute(ctx.db)
          return { status: 'ok', database: ctx.dbKind }
        } catch (e) {
          return reply.status(503).send({ status: 'unavailable', database: ctx.dbKind, error: (e as Error).message })
        }
      },
    )
  }
