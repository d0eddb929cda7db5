/**
 * What every rep action (touch, disposition) shares: find the lead by id or email, lock it, and check that the
 * actor may act on it — a principal with only `leads:act_own` (a rep) acts on the leads it owns, nothing else.
 */
import { sql } from 'kysely'
import { can } from '../core/auth/roles.ts'
import type { LeadState, Transition } from '../core/engine/index.ts'
import { AppError } from '../core/errors.ts'
import { normalizeEmail } from '../core/identity/identity.ts'
import type { Role } from '../db/schema.ts'
import type { Tx } from '../db/transaction.ts'
import { storedLeadState } from '../leads/stored-state.ts'

/** Who acts: `label` is what transitions, activities and dispositions record (`rep:ana_ruiz`, `Marcus Feld`). */
export type Actor = { label: string; role: Role; repId: string | null }

export type LockedLead = {
  id: number
  workspace_id: number
  stage: string
  tier: string | null
  owner_rep_id: string | null
  agreement_version_id: number | null
  state: LeadState
  source: string | null
  campaign: string | null
}

/**
 * Locks the lead `ref` (an id, or the open lead of an email) for this transaction and checks the actor's right.
 * @example const lead = await lockLeadForAction(tx, workspaceId, 'dana@acme-health.com', actor)
 */
export async function lockLeadForAction(tx: Tx, workspaceId: number, ref: string, actor: Actor): Promise<LockedLead> {
  let row: LockedLead | undefined
  if (/^\d+$/.test(ref)) {
    row = (
      await sql<LockedLead>`select id, workspace_id, stage, tier, owner_rep_id, agreement_version_id, ${storedLeadState()} as state, source, campaign
          from lead where workspace_id = ${workspaceId} and id = ${Number(ref)} for update`.execute(tx)
    ).rows[0]
  } else {
    const email = normalizeEmail(ref)
    if (!email)
      throw new AppError('invalid_input', `"${ref}" is neither a lead id nor an email`, [
        { path: 'ref', message: 'expected a lead id or an email' },
      ])
    row = (
      await sql<LockedLead>`select l.id, l.workspace_id, l.stage, l.tier, l.owner_rep_id, l.agreement_version_id, ${storedLeadState('l')} as state,
            l.source, l.campaign
          from lead l join person p on p.id = l.person_id
          where l.workspace_id = ${workspaceId} and p.email = ${email}
          order by l.closed_at is null desc, l.cycle desc limit 1 for update of l`.execute(tx)
    ).rows[0]
  }
  if (!row) throw new AppError('not_found', `no lead ${ref}`)
  if (!can(actor.role, 'leads:act_any')) {
    if (!can(actor.role, 'leads:act_own'))
      throw new AppError('forbidden', `a ${actor.role} may not act on leads (needs leads:act_own or leads:act_any)`)
    if (actor.repId === null || row.owner_rep_id !== actor.repId)
      throw new AppError(
        'forbidden',
        `lead ${row.id} is ${row.owner_rep_id ? `owned by ${row.owner_rep_id}` : 'not assigned'}; a rep key acts only on its own leads${actor.repId ? ` (this key is ${actor.repId})` : ''}`,
      )
  }
  return row
}

/** An action's instant: now, or an earlier instant (an activity synced later); never in the future. */
export function resolveActionInstant(at: string | undefined, now: number, path = 'at'): number {
  if (at === undefined) return now
  const ms = Date.parse(at)
  if (Number.isNaN(ms))
    throw new AppError('invalid_input', `${path}: expected an ISO-8601 date-time`, [
      { path, message: 'expected an ISO-8601 date-time such as 2026-11-23T14:05:00Z' },
    ])
  if (ms > now + 5 * 60_000)
    throw new AppError('invalid_input', `${path}: ${at} is in the future`, [
      { path, message: 'an action cannot be recorded in the future' },
    ])
  return ms
}

/** Appends stage moves made by people (a rep, a sales lead, the CRM) with their rule, Agreement version and actor. */
export async function appendActorTransitions(
  tx: Tx,
  input: { workspaceId: number; leadId: number; rule: string; agreementVersionId: number | null; actor: Actor },
  transitions: readonly Transition[],
): Promise<void> {
  for (const t of transitions)
    await tx
      .insertInto('stage_transition')
      .values({
        workspace_id: input.workspaceId,
        lead_id: input.leadId,
        from_stage: t.from,
        to_stage: t.to,
        at: new Date(t.at).toISOString(),
        rule: input.rule,
        agreement_version_id: input.agreementVersionId,
        reasons: JSON.stringify(t.reasons),
        explanation: t.explanation,
        actor: input.actor.label,
      })
      .execute()
}
