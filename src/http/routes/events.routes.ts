import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Ctx } from '../../context.ts'
import { AppError } from '../../core/errors.ts'
import { eventBatchSchema, MAX_BATCH } from '../../ingest/ingest.schema.ts'
import { ingestEvents } from '../../ingest/ingest-events.ts'
import { eventPolicy } from '../../leads/event-policy.ts'
import { principalOf, requirePermission } from '../auth.ts'

export const eventsRoutes =
  (ctx: Ctx): FastifyPluginAsync =>
  async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post(
      '/events',
      {
        schema: {
          tags: ['ingest'],
          summary: `Ingest a batch of up to ${MAX_BATCH} events (idempotent on event id)`,
          body: eventBatchSchema,
        },
        preValidation: async (request) => {
          const events = (request.body as { events?: unknown } | null)?.events
          if (Array.isArray(events) && events.length > MAX_BATCH) {
            throw new AppError(
              'too_large',
              `a batch holds at most ${MAX_BATCH} events; this one has ${events.length}: split it`,
            )
          }
        },
        preHandler: requirePermission('events:write'),
      },
      async (request) => {
        const { workspaceId } = principalOf(request)
        return ingestEvents(ctx, workspaceId, request.body.events, await eventPolicy(ctx, workspaceId))
      },
    )
  }
