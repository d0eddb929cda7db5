import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Ctx } from '../../context.ts'
import { can } from '../../core/auth/roles.ts'
import { getLead, LEAD_SLA_FILTERS, type LeadScope, listLeads } from '../../leads/leads.queries.ts'
import { principalOf, requirePermission } from '../auth.ts'

/** A rep reads only their own leads; roles with `leads:read` read all. */
function scopeOf(request: FastifyRequest): LeadScope {
  const p = principalOf(request)
  return can(p.role, 'leads:read')
    ? { workspaceId: p.workspaceId }
    : { workspaceId: p.workspaceId, ownerRepId: p.repId }
}

const listQuery = z.object({
  stage: z.string().optional(),
  tier: z.string().optional(),
  owner: z.string().optional(),
  source: z.string().optional(),
  needs_data: z.enum(['true', 'false']).optional(),
  sla: z.enum(LEAD_SLA_FILTERS).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})

export const leadsRoutes =
  (ctx: Ctx): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>()
    const read = requirePermission('leads:read', 'leads:read_own')
    app.get(
      '/leads',
      {
        schema: {
          tags: ['leads'],
          summary: 'Leads by stage, tier, owner, source, SLA state; newest stage change first',
          querystring: listQuery,
        },
        preHandler: read,
      },
      async (req) => {
        const { needs_data, ...rest } = req.query
        return listLeads(ctx, scopeOf(req), { ...rest, needsData: needs_data === 'true' })
      },
    )
    app.get(
      '/leads/:ref',
      {
        schema: {
          tags: ['leads'],
          summary:
            'A lead (by id, or the open lead of an email) with its stage history, scores and their parts, signals, tier and reasons',
          params: z.object({ ref: z.string() }),
        },
        preHandler: read,
      },
      async (req) => getLead(ctx, scopeOf(req), req.params.ref),
    )
  }
