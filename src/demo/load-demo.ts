/**
 * Loads a simulated quarter into a workspace through the same use cases the API uses, so the demo exercises the
 * real paths (identity resolution, idempotent ingestion). The quarter ends today; the seed fixes everything else.
 * Account owners are mapped onto the reps of the workspace's Agreement, so "account owner" routing has real reps.
 *
 * Events are ingested on a simulated clock that reads each batch's last `occurred_at`, so the leads qualified during
 * the load are handed off (assignment, SLA clock, timers) across the quarter as they would have been live, not all
 * at load time; qualification itself does not depend on the clock (only the `decidedAt` stamps do). Then the reps
 * play their part (`rep-actions.ts`): first touches and dispositions recorded in the past through the real use cases.
 */
import type { Ctx } from '../context.ts'
import type { AccountInput, EventInput, OpportunityInput, PersonInput } from '../ingest/ingest.schema.ts'
import { ingestEvents } from '../ingest/ingest-events.ts'
import { recordAccountSignals, upsertAccounts, upsertOpportunities, upsertPeople } from '../ingest/upsert-records.ts'
import { eventPolicy, recordPolicy } from '../leads/event-policy.ts'
import { type RepActionsSummary, simulateRepActions } from './rep-actions.ts'
import { type SimulatedQuarter, simulateQuarter } from './simulate/index.ts'

export type DemoSummary = {
  accounts: number
  accountSignals: number
  people: number
  events: number
  opportunities: number
  /** What the reps did with the handed-off leads; null when no Agreement is in force (nothing is handed off). */
  repActions: RepActionsSummary | null
}

const DAY = 86_400_000
const BATCH_SPAN_MS = 24 * 3_600_000

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Up to 1,000 events, spanning at most `BATCH_SPAN_MS`: a lead that qualifies in a batch is handed off at the
 * batch's last event, so the span bounds how long after its qualifying event a demo lead waits to be routed.
 */
function* eventBatches(events: readonly EventInput[]): Generator<EventInput[]> {
  let batch: EventInput[] = []
  let first = 0
  for (const e of events) {
    const at = Date.parse(e.occurred_at)
    if (batch.length > 0 && (batch.length >= 1000 || at - first > BATCH_SPAN_MS)) {
      yield batch
      batch = []
    }
    if (batch.length === 0) first = at
    batch.push(e)
  }
  if (batch.length > 0) yield batch
}

export async function loadDemo(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  opts: {
    seed?: number
    days?: number
    accounts?: number
    repIds: string[]
    onProgress?: (done: number, total: number) => void
  },
): Promise<DemoSummary> {
  const days = opts.days ?? 91
  const seed = opts.seed ?? 42
  const start = new Date(ctx.clock() - days * DAY).toISOString().slice(0, 10)
  const q = simulateQuarter({ seed, start, days, accounts: opts.accounts ?? 600 })
  const now = ctx.clock()
  const { accounts, people, events, opportunities } = demoInputs(q, opts.repIds, now)
  const signals = q.accountSignals.filter((s) => Date.parse(s.at) <= now).map((s) => ({ ...s }))

  const total = accounts.length + signals.length + people.length + events.length + opportunities.length
  let done = 0
  const step = (n: number) => {
    done += n
    opts.onProgress?.(done, total)
  }
  for (const batch of chunks(accounts, 1000)) step((await upsertAccounts(ctx, workspaceId, batch)).received)
  // Signals dated inside the quarter count only from their instant on: fit reads them within [at − within, at].
  const records = await recordPolicy(ctx, workspaceId)
  for (const batch of chunks(signals, 1000))
    step((await recordAccountSignals(ctx, workspaceId, batch, records)).received)
  for (const batch of chunks(people, 1000)) step((await upsertPeople(ctx, workspaceId, batch)).received)
  // The policy finds the Agreement in force now (it was signed at load time); from then on the clock follows the
  // batches, so handoffs are stamped when the quarter's events happened. Events are sorted by occurred_at.
  let simulatedNow = now
  const simulated = { ...ctx, clock: () => simulatedNow }
  const policy = await eventPolicy(simulated, workspaceId)
  for (const batch of eventBatches(events)) {
    simulatedNow = Date.parse(batch[batch.length - 1]!.occurred_at)
    step((await ingestEvents(simulated, workspaceId, batch, policy)).received)
  }
  simulatedNow = now
  for (const batch of chunks(opportunities, 1000)) step((await upsertOpportunities(ctx, workspaceId, batch)).received)
  const repActions = policy.afterInsert ? await simulateRepActions(ctx, workspaceId, q, { seed }) : null
  return {
    accounts: accounts.length,
    accountSignals: signals.length,
    people: people.length,
    events: events.length,
    opportunities: opportunities.length,
    repActions,
  }
}

/**
 * A simulated quarter as API inputs: account and opportunity owners mapped onto `repIds` (so "account owner" routing
 * has real reps), and nothing after `now` (events from the future would be refused).
 *
 * Example: `const { accounts, people, events } = demoInputs(simulateQuarter({ seed: 42, start }), ['ana_ruiz'], now)`
 */
export function demoInputs(
  q: SimulatedQuarter,
  repIds: readonly string[],
  now: number,
): { accounts: AccountInput[]; people: PersonInput[]; events: EventInput[]; opportunities: OpportunityInput[] } {
  const simReps = [...new Set(q.accounts.flatMap((a) => (a.owner ? [a.owner] : [])))].sort()
  const ownerOf = new Map(simReps.map((r, i) => [r, repIds.length ? repIds[i % repIds.length]! : null]))
  const accounts: AccountInput[] = q.accounts.map((a) => ({
    ...a,
    technologies: [...a.technologies],
    owner: a.owner ? ownerOf.get(a.owner)! : null,
  }))
  const people: PersonInput[] = q.people.map((p) => ({ ...p }))
  const events = q.events.filter((e) => Date.parse(e.occurred_at) <= now) as unknown as EventInput[]
  const opportunities: OpportunityInput[] = q.opportunities
    .filter((o) => Date.parse(o.created_at) <= now)
    .map((o) => ({
      ...o,
      owner: o.owner ? (ownerOf.get(o.owner) ?? o.owner) : null,
      closed_at: o.closed_at && Date.parse(o.closed_at) <= now ? o.closed_at : null,
      stage: o.closed_at && Date.parse(o.closed_at) > now ? 'negotiation' : o.stage,
      contacts: o.contacts.map((c) => ({ ...c })),
    }))
  return { accounts, people, events, opportunities }
}
