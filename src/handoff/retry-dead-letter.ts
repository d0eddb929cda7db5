/**
 * Sends a dead-lettered notification again: back to pending with a fresh retry schedule, same idempotency id (a
 * receiver that did get an earlier attempt drops the duplicate). For when the receiver was fixed after the retries
 * ran out. Test sends are not retried (send another test).
 */
import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import { TEST_TOPIC } from './send-test-notification.ts'

/** @example await retryDeadLetter(ctx, ws, 41) // { id: 41, status: 'pending', attempts: 0, next_attempt_at, … } */
export async function retryDeadLetter(ctx: Pick<Ctx, 'db' | 'clock'>, workspaceId: number, outboxId: number) {
  const row = await ctx.db
    .selectFrom('outbox as o')
    .innerJoin('notification_endpoint as e', 'e.id', 'o.endpoint_id')
    .select(['o.status', 'o.topic', 'e.disabled_at', 'e.name'])
    .where('o.workspace_id', '=', workspaceId)
    .where('o.id', '=', outboxId)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', `no notification ${outboxId}`)
  if (row.status !== 'dead')
    throw new AppError('conflict', `notification ${outboxId} is ${row.status}: only dead letters are sent again`)
  if (row.topic === TEST_TOPIC) throw new AppError('conflict', 'a test send is not retried: send another test')
  if (row.disabled_at) throw new AppError('conflict', `endpoint “${row.name}” is disabled: enable it first`)
  const updated = await ctx.db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(ctx.clock()).toISOString() })
    .where('id', '=', outboxId)
    .where('status', '=', 'dead')
    .returning(['id', 'idempotency_id', 'topic', 'status', 'attempts', 'next_attempt_at', 'last_error'])
    .executeTakeFirst()
  if (!updated) throw new AppError('conflict', `notification ${outboxId} changed meanwhile; reload`)
  return updated
}
