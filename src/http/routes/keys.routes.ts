import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { createApiKey } from '../../auth/create-api-key.ts'
import { listApiKeys, revokeApiKey } from '../../auth/manage-api-keys.ts'
import type { Ctx } from '../../context.ts'
import { principalOf, requirePermission } from '../auth.ts'

export const keysRoutes =
  (ctx: Ctx): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>()
    const admin = requirePermission('keys:manage')
    app.get(
      '/keys',
      { schema: { tags: ['keys'], summary: 'List API keys (never their secrets)' }, preHandler: admin },
      async (req) => ({
        keys: await listApiKeys(ctx, principalOf(req).workspaceId),
      }),
    )
    app.post(
      '/keys',
      {
        schema: {
          tags: ['keys'],
          summary: 'Create an API key; the secret is shown once',
          body: z
            .object({
              name: z.string(),
              role: z.enum(['admin', 'marketing', 'sales', 'rep', 'ingest']),
              rep_id: z.string().nullish(),
            })
            .strict(),
        },
        preHandler: admin,
      },
      async (req, reply) => {
        const key = await createApiKey(ctx, {
          workspaceId: principalOf(req).workspaceId,
          name: req.body.name,
          role: req.body.role,
          repId: req.body.rep_id ?? null,
        })
        return reply.status(201).send(key)
      },
    )
    app.delete(
      '/keys/:id',
      {
        schema: { tags: ['keys'], summary: 'Revoke an API key by id or prefix', params: z.object({ id: z.string() }) },
        preHandler: admin,
      },
      async (req) => revokeApiKey(ctx, principalOf(req).workspaceId, req.params.id),
    )
  }
