/** Dashboard users (username and password), managed by admins. Passwords are never returned. */
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { createUser } from '../../auth/create-user.ts'
import { disableUser, listUsers } from '../../auth/manage-users.ts'
import type { Ctx } from '../../context.ts'
import { principalOf, requirePermission } from '../auth.ts'

export const usersRoutes =
  (ctx: Ctx): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>()
    const admin = requirePermission('keys:manage')
    app.get(
      '/users',
      { schema: { tags: ['users'], summary: 'List dashboard users' }, preHandler: admin },
      async (req) => ({ users: await listUsers(ctx, principalOf(req).workspaceId) }),
    )
    app.post(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Create a user who logs in with a username and password',
          body: z.strictObject({
            username: z.string(),
            display_name: z.string(),
            role: z.string().describe('admin, marketing, sales or rep (ingest principals never log in)'),
            rep_id: z.string().nullish().describe('required for role rep'),
            password: z.string().describe('at least 10 characters; stored only as a scrypt hash'),
          }),
        },
        preHandler: admin,
      },
      async (req, reply) => {
        const user = await createUser(ctx, {
          workspaceId: principalOf(req).workspaceId,
          username: req.body.username,
          displayName: req.body.display_name,
          role: req.body.role,
          repId: req.body.rep_id ?? null,
          password: req.body.password,
        })
        return reply.status(201).send(user)
      },
    )
    app.delete(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: 'Disable a user and end their sessions',
          params: z.object({ id: z.coerce.number().int().positive() }),
        },
        preHandler: admin,
      },
      async (req) => disableUser(ctx, principalOf(req).workspaceId, req.params.id),
    )
  }
