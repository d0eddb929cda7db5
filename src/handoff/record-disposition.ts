/**
 * A rep's disposition of a lead, with a reason code from the Agreement in force:
 * - accept  → SAL (sales accepted); needs the first touch recorded before it;
 * - reject  → Disqualified, with the reason code as the disqualification reason (sales says "not for us"; Lost is
 *   for opportunities that were worked and lost);
 * - recycle → Recycled, back to nurture until `at + nurture_for`, after which the engine may re-qualify it.
 * Each writes the stage transition (with the actor), the disposition row (with source and campaign, for marketing's
 * feedback loop), closes the SLA clock of a lead that leaves sales, and tells the marketing owner through the outbox.
 * A code outside the Agreement's list, or a missing note the code requires, is refused before anything is written.
 */
import { findActiveEngine, getEngineForVersion } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { advanceLead, type LeadState, type LifecycleResult, recycleLead } from '../core/engine/index.ts'
import { AppError } from '../core/errors.ts'
import { cancelClock } from '../core/sla/index.ts'
import type { DispositionOutcome } from '../db/schema.ts'
import type { Tx } from '../db/transaction.ts'
import { fromStoredClock, saveClock } from './clock-store.ts'
import { enqueueNotifications } from './enqueue-notifications.ts'
import { getHandoffPlan, type HandoffPlan } from './handoff-plan.ts'
import { type Actor, appendActorTransitions, lockLeadForAction, resolveActionInstant } from './lead-action.ts'

export type DispositionInput = {
  workspaceId: number
  ref: string
  actor: Actor
  outcome: DispositionOutcome
  reasonCode: string
  note?: string
  at?: string
}

export type DispositionResult = {
  leadId: number
  dispositionId: number
  outcome: DispositionOutcome
  reasonCode: string
  stage: string
  nurtureUntil: string | null
  explanation: string
}

/** The reason code as the Agreement lists it, or an `invalid_input` naming the allowed codes. */
function checkReason(plan: HandoffPlan, input: DispositionInput): { nurtureMs: number | null } {
  const list = plan.compiled.dispositions[input.outcome]
  const found = list.find((d) => d.code === input.reasonCode)
  if (!found) {
    const codes = list.map((d) => d.code).join(', ')
    throw new AppError(
      'invalid_input',
      `reason_code: "${input.reasonCode}" is not a ${input.outcome} reason in the Agreement; use one of ${codes}`,
      [{ path: 'reason_code', message: `expected one of ${codes}` }],
    )
  }
  if (found.requires_note && !input.note?.trim())
    throw new AppError('invalid_input', `note: the reason "${found.code}" requires a note explaining it`, [
      { path: 'note', message: `required for ${found.code} (${found.label})` },
    ])
  const nurture = 'nurture_for' in found ? (found as { nurture_for: { ms: number } }).nurture_for.ms : null
  return { nurtureMs: nurture }
}

/**
 * @example await recordDisposition(ctx, { workspaceId, ref: '42', actor, outcome: 'reject', reasonCode: 'no_budget' })
 * // { stage: 'Disqualified', reasonCode: 'no_budget', … }
 */
export async function recordDisposition(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: DispositionInput,
): Promise<DispositionResult> {
  const now = ctx.clock()
  const at = resolveActionInstant(input.at, now)
  const active = await findActiveEngine(ctx, input.workspaceId, now)
  if (!active) throw new AppError('conflict', 'no Agreement is in force: dispositions need its reason codes')
  const plan = getHandoffPlan(active.engine, now)
  const { nurtureMs } = checkReason(plan, input)
  return ctx.db.transaction().execute(async (tx) => {
    const lead = await lockLeadForAction(tx, input.workspaceId, input.ref, input.actor)
    if (input.outcome === 'accept') {
      const touched = await tx
        .selectFrom('lead_activity')
        .select('id')
        .where('lead_id', '=', lead.id)
        .executeTakeFirst()
      if (!touched)
        throw new AppError(
          'conflict',
          `lead ${lead.id} has no first touch yet: record it (POST /v1/leads/${lead.id}/touch) before accepting`,
        )
    }
    const state = structuredClone(lead.state) as LeadState
    const reason = input.note ? `${input.reasonCode}: ${input.note}` : input.reasonCode
    const nurtureUntil = nurtureMs !== null ? at + nurtureMs : null
    let moved: LifecycleResult
    if (input.outcome === 'accept') moved = advanceLead(state, { to: 'SAL', at, reason, decidedAt: now })
    else if (input.outcome === 'reject') moved = advanceLead(state, { to: 'Disqualified', at, reason, decidedAt: now })
    else moved = recycleLead(state, { at, reason, nurtureUntil: nurtureUntil ?? at, decidedAt: now })
    if (moved.refused) throw new AppError('conflict', `lead ${lead.id}: ${moved.refused}`)
    const nowIso = new Date(now).toISOString()
    const s = moved.state
    await tx
      .updateTable('lead')
      .set({
        stage: s.stage,
        stage_entered_at: new Date(at).toISOString(),
        state: JSON.stringify(s),
        state_hot: null,
        tier: s.tier?.name ?? null,
        disqualified_reason: input.outcome === 'reject' ? input.reasonCode : null,
        updated_at: nowIso,
      })
      .where('id', '=', lead.id)
      .execute()
    await appendActorTransitions(
      tx,
      {
        workspaceId: input.workspaceId,
        leadId: lead.id,
        rule: `disposition.${input.outcome}`,
        agreementVersionId: plan.versionId,
        actor: input.actor,
      },
      moved.transitions,
    )
    const row = await tx
      .insertInto('disposition')
      .values({
        workspace_id: input.workspaceId,
        lead_id: lead.id,
        outcome: input.outcome,
        reason_code: input.reasonCode,
        note: input.note ?? null,
        by_actor: input.actor.label,
        rep_id: input.actor.repId ?? lead.owner_rep_id,
        at: new Date(at).toISOString(),
        nurture_until: nurtureUntil === null ? null : new Date(nurtureUntil).toISOString(),
        agreement_version_id: plan.versionId,
        source: lead.source,
        campaign: lead.campaign,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (input.outcome !== 'accept') {
      await closeOpenClock(tx, ctx, input.workspaceId, lead.id, {
        at,
        now,
        actor: input.actor,
        why: `${input.outcome}: ${input.reasonCode}`,
      })
      await tx
        .updateTable('assignment')
        .set({ ended_at: nowIso })
        .where('lead_id', '=', lead.id)
        .where('ended_at', 'is', null)
        .execute()
    }
    await enqueueNotifications(tx, plan, input.workspaceId, now, {
      topic: 'lead.disposition',
      subject: `disposition:${row.id}`,
      leadId: lead.id,
      repId: lead.owner_rep_id,
      audiences: ['marketing_owner'],
      title: `Lead ${lead.id} ${input.outcome}ed: ${input.reasonCode}`,
      lines: [moved.transitions[0]?.explanation ?? '', input.note ? `Note: ${input.note}` : ''].filter(Boolean),
      data: {
        lead_id: lead.id,
        outcome: input.outcome,
        reason_code: input.reasonCode,
        note: input.note ?? null,
        by: input.actor.label,
        source: lead.source,
        campaign: lead.campaign,
      },
    })
    return {
      leadId: lead.id,
      dispositionId: row.id,
      outcome: input.outcome,
      reasonCode: input.reasonCode,
      stage: s.stage,
      nurtureUntil: nurtureUntil === null ? null : new Date(nurtureUntil).toISOString(),
      explanation: moved.transitions[0]?.explanation ?? '',
    }
  })
}

/** A lead that leaves sales (rejected, recycled, won or lost) has its open clock cancelled (a breach that happened is kept). */
export async function closeOpenClock(
  tx: Tx,
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  leadId: number,
  { at, now, actor, why }: { at: number; now: number; actor: Actor; why: string },
): Promise<void> {
  const row = await tx
    .selectFrom('sla_clock')
    .select(['id', 'agreement_version_id', 'calendar', 'started_at', 'state'])
    .where('lead_id', '=', leadId)
    .where('status', 'in', ['running', 'paused', 'breached'])
    .forUpdate()
    .executeTakeFirst()
  if (!row) return
  const plan = getHandoffPlan(await getEngineForVersion(ctx, row.agreement_version_id), now)
  const calendar = plan.calendar(row.calendar, row.started_at.getTime(), now + 90 * 86_400_000)
  const change = cancelClock(fromStoredClock(row.state), at, calendar, why)
  await saveClock(tx, {
    workspaceId,
    clockId: row.id,
    clock: change.clock,
    steps: plan.escalation.steps,
    calendar,
    agreementVersionId: row.agreement_version_id,
    now,
    events: change.changed
      ? [{ kind: 'cancelled', at: change.clock.cancelledAt ?? at, actor: actor.label, reason: change.reason }]
      : [],
  })
}
