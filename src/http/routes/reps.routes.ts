/**
 * Reps, teams and pools as operated: read from the active Agreement with live state, and the rep status (out of
 * office, active override) that changes without a new Agreement version.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Ctx } from '../../context.ts'
import { can } from '../../core/auth/roles.ts'
import { AppError } from '../../core/errors.ts'
import type { Actor } from '../../handoff/lead-action.ts'
import { listPools } from '../../reps/pools.queries.ts'
import { getRep, listReps, listTeams } from '../../reps/reps.queries.ts'
import { setRepStatus } from '../../reps/set-rep-status.ts'
import { principalOf, requirePermission } from '../auth.ts'

function actorOf(request: FastifyRequest): Actor {
  const p = principalOf(request)
  return { label: p.repId ? `rep:${p.repId}` : `${p.role}:${p.name}`, role: p.role, repId: p.repId }
}

const repParams = z.object({ id: z.string().min(1).max(200) })

const OutOfOfficeEntry = z.strictObject({
  from: z.string().min(1).describe('first day (YYYY-MM-DD, local to the rep) or an instant with an offset'),
  to: z.string().min(1).describe('last day, inclusive (YYYY-MM-DD), or an instant with an offset (exclusive)'),
  note: z.string().max(500).optional(),
})

const statusBody = z
  .strictObject({
    active: z
      .boolean()
      .nullable()
      .optional()
      .describe('true/false overrides the Agreement until cleared; null follows the Agreement again'),
    out_of_office: z
      .array(OutOfOfficeEntry)
      .max(100)
      .optional()
      .describe('replaces the stored periods (the Agreement’s own out_of_office stay as signed)'),
    note: z.string().max(500).nullable().optional(),
  })
  .describe('fields present overwrite (null clears); absent fields keep their stored value')

export const repsRoutes =
  (ctx: Ctx): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>()
    const readOwnOrAll = requirePermission('reps:read', 'reps:set_own_status')

    /** A principal without `reps:read` (a rep) sees only their own rep. */
    function ownScope(req: FastifyRequest): { onlyRep?: string } {
      const p = principalOf(req)
      if (can(p.role, 'reps:read')) return {}
      if (!p.repId) throw new AppError('forbidden', `a ${p.role} key without a rep reads no reps`)
      return { onlyRep: p.repId }
    }

    app.get(
      '/reps',
      {
        schema: {
          tags: ['reps'],
          summary:
            'Reps of the active Agreement with live state: active, out of office, calendar open now, pools, load against caps, open leads (a rep: their own)',
        },
        preHandler: readOwnOrAll,
      },
      async (req) => listReps(ctx, principalOf(req).workspaceId, ownScope(req)),
    )
    app.get(
      '/reps/:id',
      {
        schema: { tags: ['reps'], summary: 'One rep with live state and the history of its status', params: repParams },
        preHandler: readOwnOrAll,
      },
      async (req) => {
        const scope = ownScope(req)
        if (scope.onlyRep !== undefined && scope.onlyRep !== req.params.id)
          throw new AppError('forbidden', 'a rep reads only their own status')
        return getRep(ctx, principalOf(req).workspaceId, req.params.id)
      },
    )
    app.put(
      '/reps/:id/status',
      {
        schema: {
          tags: ['reps'],
          summary:
            'Set a rep’s out of office, active override and note — effective for the next routing decision, no new Agreement version (admin, sales; a rep: their own out of office and note)',
          params: repParams,
          body: statusBody,
        },
        preHandler: requirePermission('reps:set_status', 'reps:set_own_status'),
      },
      async (req) => {
        const b = req.body
        const { workspaceId } = principalOf(req)
        await setRepStatus(ctx, {
          workspaceId,
          repId: req.params.id,
          actor: actorOf(req),
          change: {
            ...(b.active !== undefined ? { active: b.active } : {}),
            ...(b.out_of_office !== undefined
              ? {
                  outOfOffice: b.out_of_office.map((o) => ({
                    from: o.from.trim(),
                    to: o.to.trim(),
                    ...(o.note ? { note: o.note } : {}),
                  })),
                }
              : {}),
            ...(b.note !== undefined ? { note: b.note } : {}),
          },
        })
        return getRep(ctx, workspaceId, req.params.id)
      },
    )
    app.get(
      '/teams',
      {
        schema: {
          tags: ['reps'],
          summary: 'Teams of the active Agreement: manager, calendar open now, members available now, open leads',
        },
        preHandler: requirePermission('reps:read'),
      },
      async (req) => listTeams(ctx, principalOf(req).workspaceId),
    )
    app.get(
      '/pools',
      {
        schema: {
          tags: ['reps'],
          summary:
            'Routing pools with members, weights, caps, today’s and this week’s counts, why a member would be skipped now, who is next, and the backup pool',
        },
        preHandler: requirePermission('reps:read'),
      },
      async (req) => listPools(ctx, principalOf(req).workspaceId),
    )
  }
