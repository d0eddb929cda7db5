/**
 * The shared numbers over HTTP, shaped for the dashboard (reads in src/analytics/*.queries.ts): the scoreboard,
 * funnel and opportunity metrics, feedback reasons and drift, attribution under the locked model, ICP calibration
 * over the won/lost history, and review packs. Every read needs `metrics:read`; changing a pack's action item needs
 * `reviews:write`.
 *
 * The scoreboard, funnel and opportunity metrics take breakdown filters as parameters named by their dimension
 * (`segment=Enterprise&owner=ana_ruiz`): only the leads, opportunities, handoffs and dispositions with those values.
 *
 * Example: `GET /v1/metrics/scoreboard?period=2026-Q4&by=source&segment=Enterprise`
 */
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { loadAnalyticsSettings, readPeriod } from '../../analytics/analytics-settings.ts'
import { getAttribution } from '../../analytics/attribution.queries.ts'
import { type BreakdownFilter, FILTER_DIMENSIONS } from '../../analytics/breakdown-filter.ts'
import { calibrateFromHistory } from '../../analytics/calibrate-from-history.ts'
import { getDrift, getReasons } from '../../analytics/feedback.queries.ts'
import { getFunnel } from '../../analytics/funnel.queries.ts'
import { generateReview, REVIEW_KINDS, type ReviewCadence } from '../../analytics/generate-review.ts'
import { getOpportunityMetrics } from '../../analytics/opportunities.queries.ts'
import { getReview, listActionItems, listReviews } from '../../analytics/reviews.queries.ts'
import { getScoreboard } from '../../analytics/scoreboard.queries.ts'
import { updateActionItem } from '../../analytics/update-action-item.ts'
import type { Ctx } from '../../context.ts'
import type { ReviewPackKindColumn } from '../../db/schema.ts'
import { principalOf, requirePermission } from '../auth.ts'

const list = (s: string | undefined) =>
  s === undefined || s === ''
    ? []
    : s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)

const REVIEW_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"

const periodQuery = z.object({
  period: z.string().max(40).optional().describe('2026 | 2026-Q4 | 2026-11 | 2026-W47 | 2026-11-02..2026-11-09'),
})

const filterValue = (dimension: string) =>
  z.string().min(1).max(200).optional().describe(`only where ${dimension} is this value`)

/** Breakdown filters: one optional parameter per dimension of FILTER_DIMENSIONS. */
const filterQuery = z.object({
  source: filterValue('the source'),
  campaign: filterValue('the campaign'),
  segment: filterValue("the account's segment"),
  industry: filterValue("the account's industry"),
  team: filterValue("the owner's team"),
  owner: filterValue('the owner (rep id)'),
} satisfies Record<(typeof FILTER_DIMENSIONS)[number], unknown>)

const filterOf = (query: BreakdownFilter): BreakdownFilter =>
  Object.fromEntries(FILTER_DIMENSIONS.flatMap((d) => (query[d] === undefined ? [] : [[d, query[d]]])))

export const metricsRoutes =
  (ctx: Ctx): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>()
    const read = requirePermission('metrics:read')
    const ws = (req: Parameters<typeof principalOf>[0]) => principalOf(req).workspaceId

    app.get(
      '/metrics/scoreboard',
      {
        schema: {
          tags: ['metrics'],
          summary:
            'The scoreboard: targets with pacing, funnel with conversion, win rate, cycle, velocity, speed-to-lead, SLA compliance, reasons; narrowed by breakdown filters (segment=…), which leave out the company-wide targets',
          querystring: periodQuery.extend({ by: z.string().max(40).default('source'), ...filterQuery.shape }),
        },
        preHandler: read,
      },
      async (req) =>
        getScoreboard(ctx, ws(req), {
          period: readPeriod(req.query.period, ctx.clock()),
          by: req.query.by,
          filter: filterOf(req.query),
        }),
    )

    app.get(
      '/metrics/funnel',
      {
        schema: {
          tags: ['metrics'],
          summary:
            'Stage funnel (cohort: entered in period) overall and by up to three breakdowns (by=source,campaign)',
          querystring: periodQuery.extend({
            by: z.string().max(120).optional(),
            stages: z.string().max(200).optional(),
            ...filterQuery.shape,
          }),
        },
        preHandler: read,
      },
      async (req) => {
        const settings = await loadAnalyticsSettings(ctx, ws(req), ctx.clock())
        const stages = list(req.query.stages)
        return getFunnel(ctx, ws(req), {
          period: readPeriod(req.query.period, ctx.clock()),
          stages: stages.length > 0 ? stages : settings.stages,
          by: list(req.query.by).slice(0, 3),
          repTeams: settings.repTeams,
          filter: filterOf(req.query),
        })
      },
    )

    app.get(
      '/metrics/opportunities',
      {
        schema: {
          tags: ['metrics'],
          summary: 'Pipeline created, bookings, win rate, deal size, cycle and velocity, overall and by a breakdown',
          querystring: periodQuery.extend({ by: z.string().max(80).optional(), ...filterQuery.shape }),
        },
        preHandler: read,
      },
      async (req) => {
        const settings = await loadAnalyticsSettings(ctx, ws(req), ctx.clock())
        return getOpportunityMetrics(ctx, ws(req), {
          period: readPeriod(req.query.period, ctx.clock()),
          by: req.query.by ?? null,
          repTeams: settings.repTeams,
          filter: filterOf(req.query),
        })
      },
    )

    app.get(
      '/feedback/reasons',
      {
        schema: {
          tags: ['feedback'],
          summary: 'Acceptance, rejection and recycle reasons by source, campaign, segment, icp:<criterion>, rule…',
          querystring: periodQuery.extend({ by: z.string().max(200).optional() }),
        },
        preHandler: read,
      },
      async (req) =>
        getReasons(ctx, ws(req), { period: readPeriod(req.query.period, ctx.clock()), by: list(req.query.by) }),
    )

    app.get(
      '/feedback/drift',
      {
        schema: {
          tags: ['feedback'],
          summary: 'Segments whose recent rate moved beyond chance, with the evidence and a proposed amendment',
          querystring: z.object({
            metric: z.enum(['rejection_rate', 'recycle_rate', 'acceptance_rate']).default('rejection_rate'),
            recent_weeks: z.coerce.number().int().min(1).max(26).default(4),
            baseline_weeks: z.coerce.number().int().min(1).max(104).default(12),
            to: z.iso.datetime({ offset: true }).optional(),
            alpha: z.coerce.number().gt(0).lt(1).optional(),
            min_sample: z.coerce.number().int().min(1).optional(),
          }),
        },
        preHandler: read,
      },
      async (req) =>
        getDrift(ctx, ws(req), {
          metric: req.query.metric,
          recentWeeks: req.query.recent_weeks,
          baselineWeeks: req.query.baseline_weeks,
          to: req.query.to ? Date.parse(req.query.to) : undefined,
          alpha: req.query.alpha,
          minSample: req.query.min_sample,
        }),
    )

    app.get(
      '/attribution',
      {
        schema: {
          tags: ['attribution'],
          summary:
            'Attribution under the model the Agreement locked for the period, other models beside it, sourced and influenced pipeline',
          querystring: periodQuery.extend({
            model: z.string().max(200).optional().describe('alternatives: first,last,linear,… or all'),
            by: z.enum(['channel', 'campaign']).default('channel'),
          }),
        },
        preHandler: read,
      },
      async (req) =>
        getAttribution(ctx, ws(req), {
          period: readPeriod(req.query.period, ctx.clock()),
          alternatives: req.query.model === undefined ? undefined : list(req.query.model),
          by: req.query.by,
        }),
    )

    app.post(
      '/icp/calibrate',
      {
        schema: {
          tags: ['icp'],
          summary: 'Calibrate the ICP on the stored won/lost history: AUC, factors, suggested fit points',
          body: z
            .object({
              period: z.string().max(40).optional(),
              seed: z.number().int().optional(),
              exclude: z.array(z.string()).optional(),
            })
            .strict()
            .default({}),
        },
        preHandler: read,
      },
      async (req) => {
        const period = req.body.period ? readPeriod(req.body.period, ctx.clock(), 'period') : null
        return calibrateFromHistory(ctx, ws(req), {
          from: period?.from,
          to: period?.to,
          seed: req.body.seed,
          exclude: req.body.exclude,
        })
      },
    )

    app.get(
      '/reviews',
      {
        schema: {
          tags: ['reviews'],
          summary: 'Stored review packs, newest first',
          querystring: z.object({
            kind: z.enum(Object.values(REVIEW_KINDS) as [string, ...string[]]).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
        },
        preHandler: read,
      },
      async (req) => listReviews(ctx, ws(req), req.query),
    )

    app.get(
      '/reviews/:id',
      {
        schema: {
          tags: ['reviews'],
          summary:
            'One review pack: JSON (markdown, html, data), or the page itself with ?format=html|markdown (&download=true to save it as a file)',
          params: z.object({ id: z.coerce.number().int().positive() }),
          querystring: z.object({
            format: z.enum(['json', 'html', 'markdown']).default('json'),
            download: z.stringbool().default(false),
          }),
        },
        preHandler: read,
      },
      async (req, reply) => {
        const review = await getReview(ctx, ws(req), req.params.id)
        if (req.query.format === 'json') return review
        if (req.query.download) {
          const name = `${review.kind}-${review.period}`.replace(/[^A-Za-z0-9._-]/g, '_')
          const ext = req.query.format === 'html' ? 'html' : 'md'
          reply.header('content-disposition', `attachment; filename="${name}.${ext}"`)
        }
        reply.header('x-content-type-options', 'nosniff')
        if (req.query.format === 'markdown') return reply.type('text/markdown; charset=utf-8').send(review.markdown)
        // The pack is self-contained (inline CSS, SVG charts, no script): opened on its own or in the dashboard's
        // iframe it runs sandboxed, in an origin of its own, so nothing in it can act with the reader's session.
        return reply
          .header('content-security-policy', REVIEW_PAGE_CSP)
          .type('text/html; charset=utf-8')
          .send(review.html)
      },
    )

    const packKind = z.enum(Object.values(REVIEW_KINDS) as [ReviewPackKindColumn, ...ReviewPackKindColumn[]])

    app.get(
      '/action-items',
      {
        schema: {
          tags: ['reviews'],
          summary: 'The review packs’ action items, open first',
          querystring: z.object({ status: z.enum(['open', 'done']).optional(), kind: packKind.optional() }),
        },
        preHandler: read,
      },
      async (req) => listActionItems(ctx, ws(req), req.query),
    )

    app.patch(
      '/action-items/:id',
      {
        schema: {
          tags: ['reviews'],
          summary: 'Close (status done), reopen, re-assign or reword an action item',
          params: z.object({ id: z.coerce.number().int().positive() }),
          body: z
            .object({
              status: z.enum(['open', 'done']).optional(),
              owner: z.string().max(200).nullable().optional(),
              text: z.string().max(2000).optional(),
            })
            .strict(),
        },
        preHandler: requirePermission('reviews:write'),
      },
      async (req) =>
        updateActionItem(ctx, {
          workspaceId: ws(req),
          id: req.params.id,
          patch: req.body,
          actor: principalOf(req).name,
        }),
    )

    app.post(
      '/reviews',
      {
        schema: {
          tags: ['reviews'],
          summary: 'Generate (or regenerate) a review pack now',
          body: z
            .object({
              kind: z.enum(['weekly', 'monthly', 'quarterly']),
              period: z.string().max(40).optional(),
            })
            .strict(),
        },
        preHandler: read,
      },
      async (req, reply) => {
        const review = await generateReview(ctx, ws(req), {
          cadence: req.body.kind as ReviewCadence,
          period: req.body.period,
        })
        return reply.code(201).send(review)
      },
    )
  }
