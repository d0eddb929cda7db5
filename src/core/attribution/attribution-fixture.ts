import type { MilestoneLedgerTouch } from './build-opportunity-journeys.ts'
import { type TouchColumns, toTouchColumns } from './touch-columns.ts'

/**
 * Test fixtures for attribution, shared by the tests beside this file (like src/core/engine/engine-fixture.ts).
 */

/**
 * The ledger as columns with every name repeated: one table entry per touch (tables need not be distinct), so a test
 * can check that a computation over columns does not depend on names being shared.
 */
export function spreadColumns(touches: readonly MilestoneLedgerTouch[]): TouchColumns {
  const c = toTouchColumns(touches)
  const each = Int32Array.from(touches, (_, k) => k)
  return {
    ...c,
    accounts: touches.map((t) => t.accountId),
    accountOf: each,
    channels: touches.map((t) => t.channel),
    channelOf: each,
    campaigns: touches.map((t) => t.campaign ?? null),
    campaignOf: each,
  }
}
