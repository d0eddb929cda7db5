import { findActiveAgreement } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { DEFAULT_EVENT_TYPES } from '../core/events/event-types.ts'

const DEFAULT = new Set<string>(DEFAULT_EVENT_TYPES)

/** The event types the workspace accepts: the active Agreement's `event_types`, or the default list before one is signed. */
export async function knownEventTypes(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
): Promise<ReadonlySet<string>> {
  const active = await findActiveAgreement(ctx, workspaceId, ctx.clock())
  return active ? new Set(active.document.event_types) : DEFAULT
}
