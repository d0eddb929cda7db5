/** Reads of stored review packs: the list for the dashboard, and one pack with its Markdown, HTML and data. */
import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import type { ReviewPack } from '../core/reviews/index.ts'
import type { ReviewPackKindColumn } from '../db/schema.ts'
import type { StoredReview } from './generate-review.ts'
import { type ActionItemView, toActionItemView } from './update-action-item.ts'

/** Packs newest first, without their bodies. */
export async function listReviews(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  filters: { kind?: string; limit: number },
): Promise<
  { id: number; kind: string; period: string; generatedAt: string; title: string; openActionItems: number }[]
> {
  let q = ctx.db
    .selectFrom('review_pack')
    .select(['id', 'kind', 'period', 'generated_at', 'data'])
    .where('workspace_id', '=', workspaceId)
  if (filters.kind) q = q.where('kind', '=', filters.kind as never)
  const rows = await q.orderBy('generated_at', 'desc').orderBy('id', 'desc').limit(filters.limit).execute()
  return rows.map((r) => {
    const pack = r.data as ReviewPack
    return {
      id: r.id,
      kind: r.kind,
      period: r.period,
      generatedAt: r.generated_at.toISOString(),
      title: pack.title,
      openActionItems: pack.actionItems.length,
    }
  })
}

/** One stored pack; a not_found error when the id is not in the workspace. */
export async function getReview(ctx: Pick<Ctx, 'db'>, workspaceId: number, id: number): Promise<StoredReview> {
  const row = await ctx.db
    .selectFrom('review_pack')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', `no review pack ${id}`)
  return {
    id: row.id,
    kind: row.kind,
    period: row.period,
    generatedAt: row.generated_at.toISOString(),
    markdown: row.markdown,
    html: row.html,
    pack: row.data as ReviewPack,
  }
}

/**
 * The review packs' action items, open ones first, then by kind and age (GET /v1/action-items).
 *
 * @example await listActionItems(ctx, 1, { status: 'open' }) // [{ id: 7, kind: 'weekly_pipeline', key: 'stalled:bob', … }]
 */
export async function listActionItems(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  filters: { status?: 'open' | 'done'; kind?: ReviewPackKindColumn },
): Promise<ActionItemView[]> {
  let q = ctx.db
    .selectFrom('action_item')
    .select(['id', 'pack_kind', 'key', 'text', 'owner', 'status', 'created_at', 'closed_at'])
    .where('workspace_id', '=', workspaceId)
  if (filters.status) q = q.where('status', '=', filters.status)
  if (filters.kind) q = q.where('pack_kind', '=', filters.kind)
  const rows = await q.orderBy('status', 'desc').orderBy('pack_kind').orderBy('created_at').orderBy('id').execute()
  return rows.map(toActionItemView)
}
