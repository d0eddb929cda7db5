/**
 * The Agreement over HTTP. Proposals are sent as the YAML text itself (Content-Type: application/yaml) or as
 * JSON `{ "source": "<yaml>" }`; invalid ones get 422 with every problem's path and line.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  diffAgreementVersions,
  getAgreementVersion,
  listAgreementVersions,
  proposeAgreement,
  signAgreement,
  validateAgreementText,
} from '../../agreement/agreement-versions.ts'
import type { Ctx } from '../../context.ts'
import { diffAgreements, formatDiff } from '../../core/agreement/index.ts'
import { signingSide } from '../../core/auth/roles.ts'
import { AppError } from '../../core/errors.ts'
import { replayAgreement } from '../../leads/replay-agreement.ts'
import { principalOf, requirePermission } from '../auth.ts'

const sourceBody = z.union([z.string(), z.object({ source: z.string() }).strict()])
const sourceOf = (body: z.infer<typeof sourceBody>) => (typeof body === 'string' ? body : body.source)
const ref = z.object({ ref: z.string().describe('version id, content hash (or its first 7+ characters), or `active`') })

export const agreementRoutes =
  (ctx: Ctx): FastifyPluginAsync =>
  async (base) => {
    base.addContentTypeParser(
      ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'],
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    )
    const app = base.withTypeProvider<ZodTypeProvider>()
    const read = requirePermission('agreement:read')
    const propose = requirePermission('agreement:propose')

    app.get(
      '/agreement',
      { schema: { tags: ['agreement'], summary: 'The Agreement in force now' }, preHandler: read },
      async (req) => getAgreementVersion(ctx, principalOf(req).workspaceId, 'active'),
    )
    app.get(
      '/agreements',
      {
        schema: { tags: ['agreement'], summary: 'Every version, newest first, with its state and signatures' },
        preHandler: read,
      },
      async (req) => ({
        versions: await listAgreementVersions(ctx, principalOf(req).workspaceId),
      }),
    )
    app.get(
      '/agreements/:ref',
      { schema: { tags: ['agreement'], summary: 'One version with its YAML source', params: ref }, preHandler: read },
      async (req) => getAgreementVersion(ctx, principalOf(req).workspaceId, req.params.ref),
    )
    app.post(
      '/agreements/validate',
      {
        schema: {
          tags: ['agreement'],
          summary: 'Validate an Agreement without storing it; with the diff against the active version',
          body: sourceBody,
        },
        preHandler: read,
      },
      async (req) => {
        const { agreement, hash } = validateAgreementText(sourceOf(req.body))
        const active = await getAgreementVersion(ctx, principalOf(req).workspaceId, 'active').catch(() => null)
        const diff = active ? diffAgreements(active.document, agreement) : null
        return { valid: true, hash, diffAgainstActive: diff ? { changes: diff.changes, text: formatDiff(diff) } : null }
      },
    )
    app.post(
      '/agreements',
      {
        schema: { tags: ['agreement'], summary: 'Propose a version (idempotent on content)', body: sourceBody },
        preHandler: propose,
      },
      async (req, reply) => {
        const p = principalOf(req)
        const { version, created } = await proposeAgreement(ctx, p.workspaceId, {
          source: sourceOf(req.body),
          proposedBy: p.name,
        })
        return reply.status(created ? 201 : 200).send(version)
      },
    )
    app.post(
      '/agreements/:ref/sign',
      {
        schema: {
          tags: ['agreement'],
          summary: "Sign a version for the key's side (marketing or sales key)",
          params: ref,
        },
        preHandler: requirePermission('agreement:sign'),
      },
      async (req) => {
        const p = principalOf(req)
        const side = signingSide(p.role)
        if (!side) throw new AppError('forbidden', 'only a marketing or a sales key signs the Agreement')
        return signAgreement(ctx, p.workspaceId, { ref: req.params.ref, side, signer: p.name, keyId: p.keyId })
      },
    )
    app.get(
      '/agreements/:ref/diff',
      {
        schema: {
          tags: ['agreement'],
          summary: 'Semantic diff of a version against another (default: the active one)',
          params: ref,
          querystring: z.object({ against: z.string().default('active') }),
        },
        preHandler: read,
      },
      async (req) => diffAgreementVersions(ctx, principalOf(req).workspaceId, req.query.against, req.params.ref),
    )
    const windowBody = z
      .object({
        from: z.iso.date({ message: 'expected a date such as 2026-08-01' }).optional(),
        to: z.iso.date({ message: 'expected a date such as 2026-11-01' }).optional(),
      })
      .strict()
    const windowOf = (b: z.infer<typeof windowBody>) => ({
      from: b.from ? Date.parse(`${b.from}T00:00:00Z`) : undefined,
      to: b.to ? Date.parse(`${b.to}T00:00:00Z`) : undefined,
    })
    app.post(
      '/agreements/:ref/replay',
      {
        schema: {
          tags: ['agreement'],
          summary:
            'What-if: replay stored history (default: the last 91 days) under this version, compared with the active one',
          params: ref,
          body: windowBody,
        },
        preHandler: read,
      },
      async (req) => {
        const p = principalOf(req)
        const version = await getAgreementVersion(ctx, p.workspaceId, req.params.ref)
        return replayAgreement(ctx, p.workspaceId, { candidate: version.document, ...windowOf(req.body) })
      },
    )
    app.post(
      '/replay',
      {
        schema: {
          tags: ['agreement'],
          summary:
            'What-if for an unstored candidate: body is the YAML (Content-Type: application/yaml); window via ?from=&to=',
          body: sourceBody,
          querystring: windowBody,
        },
        preHandler: read,
      },
      async (req) => {
        const { agreement } = validateAgreementText(sourceOf(req.body))
        return replayAgreement(ctx, principalOf(req).workspaceId, { candidate: agreement, ...windowOf(req.query) })
      },
    )
  }
