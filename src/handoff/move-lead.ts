/**
 * Stage moves made by people or the CRM rather than by the engine:
 * - `advanceLeadStage`: forward to SQL, Opportunity, Won or Lost (SAL and Disqualified are dispositions, with the
 *   Agreement's reason codes: src/handoff/record-disposition.ts). Won and Lost close the lead's cycle: the person's
 *   next event starts a new cycle (src/leads/qualify-events.ts).
 * - `reopenLeadStage`: the explicit backward move — a disqualified, lost, won or recycled lead back to an earlier
 *   stage (default Lead), from where the engine's automatic forward moves resume. Re-opened before sales (Lead, MQL,
 *   AQL), the lead's handoff is over: its open assignment ends, and it is handed off again when it qualifies — at
 *   once when re-opened at MQL or AQL (tier re-decided, routed, a new SLA clock, the rep notified), as if it had just
 *   qualified. Re-opened in a sales stage (SAL and later), it stays with its owner.
 * Both append the transition with the actor and the reason, in one transaction with the lead's new state (and the
 * new handoff); a lead that leaves sales this way has its open SLA clock cancelled.
 */
import { type ActiveEngine, findActiveEngine } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { advanceLead, type LeadState, type LifecycleResult, reopenLead } from '../core/engine/index.ts'
import { AppError } from '../core/errors.ts'
import { sqlStateOf, type Tx, withRetriedTransaction } from '../db/transaction.ts'
import { refreshLeads } from '../leads/qualify-events.ts'
import { handOffLeads } from './hand-off-leads.ts'
import {
  type Actor,
  appendActorTransitions,
  type LockedLead,
  lockLeadForAction,
  resolveActionInstant,
} from './lead-action.ts'
import { closeOpenClock } from './record-disposition.ts'

export const ADVANCE_STAGES = ['SQL', 'Opportunity', 'Won', 'Lost'] as const
export const REOPEN_STAGES = ['Lead', 'MQL', 'AQL', 'SAL', 'SQL', 'Opportunity'] as const
const CLOSING: ReadonlySet<string> = new Set(['Won', 'Lost'])
/** Stages before sales: a lead re-opened into one of them is handed off afresh when it qualifies. */
const BEFORE_SALES: ReadonlySet<string> = new Set(['Lead', 'MQL', 'AQL'])

export type StageMoveInput = {
  workspaceId: number
  ref: string
  actor: Actor
  reason: string
  at?: string
}

export type StageMoveResult = {
  leadId: number
  from: string
  stage: string
  closed: boolean
  explanation: string
  /** The rep a lead re-opened at MQL or AQL was handed off to (null: not handed off now, or nobody available). */
  handedOffTo?: string | null
}

/**
 * @example await advanceLeadStage(ctx, { workspaceId, ref: 'dana@acme-health.com', actor, to: 'SQL', reason: 'discovery held: budget owner confirmed' })
 * // { leadId: 42, from: 'SAL', stage: 'SQL', closed: false, explanation: 'SQL at … ' }
 */
export function advanceLeadStage(
  ctx: Pick<Ctx, 'db' | 'clock'> & Partial<Pick<Ctx, 'config'>>,
  input: StageMoveInput & { to: (typeof ADVANCE_STAGES)[number] },
): Promise<StageMoveResult> {
  return moveStage(ctx, input, 'stage.advance', (state, at, now) =>
    advanceLead(state, { to: input.to, at, reason: input.reason, decidedAt: now }),
  )
}

/**
 * @example await reopenLeadStage(ctx, { workspaceId, ref: '42', actor, reason: 'rejected by mistake: wrong domain' })
 * // { leadId: 42, from: 'Disqualified', stage: 'Lead', closed: false, … }
 */
export function reopenLeadStage(
  ctx: Pick<Ctx, 'db' | 'clock'> & Partial<Pick<Ctx, 'config'>>,
  input: StageMoveInput & { to?: (typeof REOPEN_STAGES)[number] },
): Promise<StageMoveResult> {
  return moveStage(ctx, input, 'stage.reopen', (state, at, now) =>
    reopenLead(state, { at, reason: input.reason, decidedAt: now, ...(input.to ? { to: input.to } : {}) }),
  )
}

async function moveStage(
  ctx: Pick<Ctx, 'db' | 'clock'> & Partial<Pick<Ctx, 'config'>>,
  input: StageMoveInput,
  rule: string,
  move: (state: LeadState, at: number, now: number) => LifecycleResult,
): Promise<StageMoveResult> {
  const now = ctx.clock()
  const at = resolveActionInstant(input.at, now)
  const active = await findActiveEngine(ctx, input.workspaceId, now)
  // A re-open that hands off again locks the lead, then its person: an event of that person arriving meanwhile locks
  // them the other way round, and the rare deadlock runs this move again.
  return withRetriedTransaction(
    ctx.db,
    async (tx) => {
      const lead = await lockLeadForAction(tx, input.workspaceId, input.ref, input.actor)
      if (rule === 'stage.reopen') await refuseSecondOpenCycle(tx, lead)
      const moved = move(structuredClone(lead.state), at, now)
      if (moved.refused) throw new AppError('conflict', `lead ${lead.id}: ${moved.refused}`)
      const s = moved.state
      const closed = CLOSING.has(s.stage)
      await tx
        .updateTable('lead')
        .set({
          stage: s.stage,
          stage_entered_at: new Date(at).toISOString(),
          state: JSON.stringify(s),
          state_hot: null,
          tier: s.tier?.name ?? null,
          ...(s.stage === 'Disqualified' ? {} : { disqualified_reason: null }),
          closed_at: closed ? new Date(at).toISOString() : null,
          updated_at: new Date(now).toISOString(),
        })
        .where('id', '=', lead.id)
        .execute()
      await appendActorTransitions(
        tx,
        {
          workspaceId: input.workspaceId,
          leadId: lead.id,
          rule,
          agreementVersionId: active?.versionId ?? lead.agreement_version_id,
          actor: input.actor,
        },
        moved.transitions,
      )
      if (closed)
        await closeOpenClock(tx, ctx, input.workspaceId, lead.id, {
          at,
          now,
          actor: input.actor,
          why: `${s.stage}: ${input.reason}`,
        })
      const handedOffTo =
        rule === 'stage.reopen' && BEFORE_SALES.has(s.stage)
          ? await handOffAgain(tx, ctx, input.workspaceId, { id: lead.id, stage: s.stage }, active, now)
          : undefined
      return {
        leadId: lead.id,
        from: lead.stage,
        stage: s.stage,
        closed,
        explanation: moved.transitions[0]?.explanation ?? '',
        ...(handedOffTo === undefined ? {} : { handedOffTo }),
      }
    },
    isDeadlock,
  )
}

const isDeadlock = (e: unknown) => sqlStateOf(e) === '40P01'

/**
 * A lead re-opened before sales: its open assignment (a closed cycle keeps it) ends, so the next qualification hands
 * it off again; re-opened at MQL or AQL it is re-decided now — tier, required fields — and handed off at once.
 * Returns the new owner (null when not handed off now).
 */
async function handOffAgain(
  tx: Tx,
  ctx: Partial<Pick<Ctx, 'config'>>,
  workspaceId: number,
  lead: { id: number; stage: string },
  active: ActiveEngine | null,
  now: number,
): Promise<string | null> {
  await tx
    .updateTable('assignment')
    .set({ ended_at: new Date(now).toISOString() })
    .where('lead_id', '=', lead.id)
    .where('ended_at', 'is', null)
    .execute()
  if (!active || lead.stage === 'Lead') return null
  const { person_id } = await tx
    .selectFrom('lead')
    .select('person_id')
    .where('id', '=', lead.id)
    .executeTakeFirstOrThrow()
  const refreshed = await refreshLeads(tx, workspaceId, active, [person_id], now)
  const outcomes = await handOffLeads(tx, ctx, workspaceId, active, refreshed.handoffs, now)
  return outcomes.find((o) => o.leadId === lead.id)?.repId ?? null
}

/** A person has one open lead cycle at most: a closed cycle re-opens only while no newer one is open. */
async function refuseSecondOpenCycle(tx: Tx, lead: LockedLead): Promise<void> {
  const other = await tx
    .selectFrom('lead as l')
    .innerJoin('lead as mine', 'mine.person_id', 'l.person_id')
    .select(['l.id', 'l.cycle'])
    .where('mine.id', '=', lead.id)
    .where('l.id', '<>', lead.id)
    .where('l.closed_at', 'is', null)
    .executeTakeFirst()
  if (other)
    throw new AppError(
      'conflict',
      `lead ${lead.id}: the person's cycle ${other.cycle} (lead ${other.id}) is open; work that lead instead`,
    )
}
