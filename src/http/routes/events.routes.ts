import type { FastifyPluginAsync } from 'fastify'
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Ctx } from '../../context.ts'
import { AppError } from '../../core/errors.ts'
import { cleanEventBatch, eventBatchSchema, MAX_BATCH } from '../../ingest/ingest.schema.ts'
import { ingestEvents } from '../../ingest/ingest-events.ts'
import { eventPolicy } from '../../leads/event-policy.ts'
import { wakeQualifier } from '../../leads/qualify-backlog.ts'
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
          description:
            'By default the events are scored, qualified and handed off before the response (`qualify=now`). ' +
            '`qualify=queued` stores them and returns: the workspace’s qualifier decides them shortly after, in ' +
            'larger chunks — for bulk senders, at 1.3–1.8× the throughput (the response then says `"qualification": "queued"`).',
          querystring: z.object({ qualify: z.enum(['now', 'queued']).default('now') }),
          body: eventBatchSchema,
        },
        // A clean batch skips zod's per-field bookkeeping; anything else goes to zod, which words the errors.
        validatorCompiler: (route) => {
          // The route's typed schema holds the part's zod schema here, as for every other route.
          const zod = validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0])
          if (route.httpPart !== 'body') return zod
          return (data) => {
            const clean = cleanEventBatch(data)
            return clean ? { value: clean } : zod(data)
          }
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
        const queued = request.query.qualify === 'queued'
        const policy = await eventPolicy(ctx, workspaceId, { queued })
        const result = await ingestEvents(ctx, workspaceId, request.body.events, policy)
        if (!queued) return result
        // Without an Agreement in force nothing is qualified, queued or not.
        if (!policy.afterInsert) return { ...result, qualification: 'none' }
        wakeQualifier(ctx, workspaceId)
        return { ...result, qualification: 'queued' }
      },
    )
  }
