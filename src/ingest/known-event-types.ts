import type { Ctx } from '../context.ts'
import { DEFAULT_EVENT_TYPES } from '../core/events/event-types.ts'

const DEFAULT = new Set<string>(DEFAULT_EVENT_TYPES)

/** The event types the workspace accepts. */
export async function knownEventTypes(_ctx: Pick<Ctx, 'db'>, _workspaceId: number): Promise<ReadonlySet<string>> {
  return DEFAULT
}
