import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Ctx } from '../../context.ts'
import { AppError } from '../../core/errors.ts'
import {
  accountBatchSchema,
  accountSignalBatchSchema,
  MAX_BATCH,
  opportunityBatchSchema,
  personBatchSchema,
} from '../../ingest/ingest.schema.ts'
import { findAccount, findPerson } from '../../ingest/records.queries.ts'
import { recordAccountSignals, upsertAccounts, upsertOpportunities, upsertPeople } from '../../ingest/upsert-records.ts'
import { recordPolicy } from '../../leads/event-policy.ts'
import { principalOf, requirePermission } from '../auth.ts'

function batchLimit(key: string) {
  return async (request: { body: unknown }) => {
    const items = (request.body as Record<string, unknown> | null)?.[key]
    if (Array.isArray(items) && items.length > MAX_BATCH) {
      throw new AppError(
        'too_large',
        `a batch holds at most ${MAX_BATCH} ${key}; this one has ${items.length}: split it`,
      )
    }
  }
}

export const recordsRoutes =
  (ctx: Ctx): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>()
    const write = requirePermission('records:write')
    const read = requirePermission('records:read')

    app.post(
      '/accounts',
      {
        schema: { tags: ['records'], summary: 'Upsert accounts by domain', body: accountBatchSchema },
        preValidation: batchLimit('accounts'),
        preHandler: write,
      },
      async (req) => {
        const { workspaceId } = principalOf(req)
        return upsertAccounts(ctx, workspaceId, req.body.accounts, await recordPolicy(ctx, workspaceId))
      },
    )
    app.post(
      '/people',
      {
        schema: { tags: ['records'], summary: 'Upsert people by email', body: personBatchSchema },
        preValidation: batchLimit('people'),
        preHandler: write,
      },
      async (req) => {
        const { workspaceId } = principalOf(req)
        return upsertPeople(ctx, workspaceId, req.body.people, await recordPolicy(ctx, workspaceId))
      },
    )
    app.post(
      '/account-signals',
      {
        schema: {
          tags: ['records'],
          summary: 'Record account signals (funding round, hiring surge, …) for situational ICP criteria',
          body: accountSignalBatchSchema,
        },
        preValidation: batchLimit('signals'),
        preHandler: write,
      },
      async (req) => {
        const { workspaceId } = principalOf(req)
        return recordAccountSignals(ctx, workspaceId, req.body.signals, await recordPolicy(ctx, workspaceId))
      },
    )
    app.post(
      '/opportunities',
      {
        schema: { tags: ['records'], summary: 'Upsert opportunities by external id', body: opportunityBatchSchema },
        preValidation: batchLimit('opportunities'),
        preHandler: write,
      },
      async (req) => upsertOpportunities(ctx, principalOf(req).workspaceId, req.body.opportunities),
    )
    app.get(
      '/accounts/:domain',
      {
        schema: { tags: ['records'], summary: 'An account by domain', params: z.object({ domain: z.string() }) },
        preHandler: read,
      },
      async (req) => findAccount(ctx, principalOf(req).workspaceId, req.params.domain),
    )
    app.get(
      '/people/:email',
      {
        schema: {
          tags: ['records'],
          summary: 'A person by email, with their recent events',
          params: z.object({ email: z.string() }),
        },
        preHandler: read,
      },
      async (req) => findPerson(ctx, principalOf(req).workspaceId, req.params.email),
    )
  }
