/**
 * Stage moves made by people or the CRM rather than by the engine:
 * - `advanceLeadStage`: forward to SQL, Opportunity, Won or Lost (SAL and Disqualified are dispositions, with the
 *   Agreement's reason codes: src/handoff/record-disposition.ts). Won and Lost close the lead's cycle: the person's
 *   next event starts a new cycle (src/leads/qualify-events.ts).
 * - `reopenLeadStage`: the explicit backward move — a disqualified, lost, won or recycled lead back to an earlier
 *   stage (default Lead), from where the engine's automatic forward moves resume.
 * Both append the transition with the actor and the reason, in one transaction with the lead's new state; a lead
 * that leaves sales this way has its open SLA clock cancelled.
 */
import { findActiveEngine } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { advanceLead, type LeadState, type LifecycleResult, reopenLead } from '../core/engine/index.ts'
import { AppError } from '../core/errors.ts'
import type { Tx } from '../db/transaction.ts'
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

export type StageMoveInput = {
  workspaceId: number
  ref: string
  actor: Actor
  reason: string
  at?: string
}

export type StageMoveResult = { leadId: number; from: string; stage: string; closed: boolean; explanation: string }

/**
 * @example await advanceLeadStage(ctx, { workspaceId, ref: 'dana@acme-health.com', actor, to: 'SQL', reason: 'discovery held: budget owner confirmed' })
 * // { leadId: 42, from: 'SAL', stage: 'SQL', closed: false, explanation: 'SQL at … ' }
 */
export function advanceLeadStage(
  ctx: Pick<Ctx, 'db' | 'clock'>,
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
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: StageMoveInput & { to?: (typeof REOPEN_STAGES)[number] },
): Promise<StageMoveResult> {
  return moveStage(ctx, input, 'stage.reopen', (state, at, now) =>
    reopenLead(state, { at, reason: input.reason, decidedAt: now, ...(input.to ? { to: input.to } : {}) }),
  )
}

async function moveStage(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: StageMoveInput,
  rule: string,
  move: (state: LeadState, at: number, now: number) => LifecycleResult,
): Promise<StageMoveResult> {
  const now = ctx.clock()
  const at = resolveActionInstant(input.at, now)
  const active = await findActiveEngine(ctx, input.workspaceId, now)
  return ctx.db.transaction().execute(async (tx) => {
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
    return {
      leadId: lead.id,
      from: lead.stage,
      stage: s.stage,
      closed,
      explanation: moved.transitions[0]?.explanation ?? '',
    }
  })
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
