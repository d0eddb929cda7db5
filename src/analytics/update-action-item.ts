/**
 * Closing, reopening, re-assigning or rewording an action item of the review packs (table `action_item`,
 * PATCH /v1/action-items/:id). An item a pack generated stays open in every later pack until someone marks it done
 * here; a regenerated pack never reopens it (its key is unique per kind, insertions do nothing on conflict).
 * Every change is written to the audit log with the item as it was and as it is, in the same transaction.
 */
import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import type { ReviewPackKindColumn } from '../db/schema.ts'

export type ActionItemView = {
  id: number
  kind: ReviewPackKindColumn
  /** The item's stable id in packs ('stalled:bob', 'pacing:2026-Q4:pipeline'). */
  key: string
  text: string
  owner: string | null
  status: 'open' | 'done'
  createdAt: string
  closedAt: string | null
}

export type ActionItemPatch = { status?: 'open' | 'done'; owner?: string | null; text?: string }

type Row = {
  id: number
  pack_kind: ReviewPackKindColumn
  key: string
  text: string
  owner: string | null
  status: 'open' | 'done'
  created_at: Date
  closed_at: Date | null
}

export const toActionItemView = (r: Row): ActionItemView => ({
  id: r.id,
  kind: r.pack_kind,
  key: r.key,
  text: r.text,
  owner: r.owner,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  closedAt: r.closed_at?.toISOString() ?? null,
})

/**
 * Applies `patch` to one item of the workspace. Done stamps `closedAt` (kept when it was already done); open clears
 * it. An empty patch or an empty text is refused naming the field; an id of another workspace is not found.
 *
 * @example await updateActionItem(ctx, { workspaceId: 1, id: 7, patch: { status: 'done' }, actor: 'Priya' })
 * // { id: 7, status: 'done', closedAt: '2026-11-23T09:00:00.000Z', … }
 */
export async function updateActionItem(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: { workspaceId: number; id: number; patch: ActionItemPatch; actor: string },
): Promise<ActionItemView> {
  const { patch } = input
  if (patch.status === undefined && patch.owner === undefined && patch.text === undefined)
    throw new AppError('invalid_input', 'nothing to change: send status, owner or text', [
      { path: '(body)', message: 'expected at least one of status, owner, text' },
    ])
  const text = patch.text?.trim()
  if (text === '')
    throw new AppError('invalid_input', 'text: an action item needs words', [{ path: 'text', message: 'empty' }])
  const owner = patch.owner === undefined ? undefined : patch.owner?.trim() || null
  const now = new Date(ctx.clock())
  return ctx.db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('action_item')
      .select(['id', 'pack_kind', 'key', 'text', 'owner', 'status', 'created_at', 'closed_at'])
      .where('workspace_id', '=', input.workspaceId)
      .where('id', '=', input.id)
      .forUpdate()
      .executeTakeFirst()
    if (!before) throw new AppError('not_found', `no action item ${input.id}`)
    const status = patch.status ?? before.status
    const closedAt = status === 'open' ? null : before.status === 'done' ? before.closed_at : now
    const after = await tx
      .updateTable('action_item')
      .set({
        status,
        closed_at: closedAt,
        ...(owner !== undefined ? { owner } : {}),
        ...(text !== undefined ? { text } : {}),
      })
      .where('id', '=', before.id)
      .returning(['id', 'pack_kind', 'key', 'text', 'owner', 'status', 'created_at', 'closed_at'])
      .executeTakeFirstOrThrow()
    await tx
      .insertInto('audit_log')
      .values({
        workspace_id: input.workspaceId,
        actor: input.actor,
        action: 'action_item.updated',
        subject: `action_item:${before.id}`,
        details: JSON.stringify({
          key: before.key,
          before: { status: before.status, owner: before.owner, text: before.text },
          after: { status: after.status, owner: after.owner, text: after.text },
        }),
      })
      .execute()
    return toActionItemView(after)
  })
}
