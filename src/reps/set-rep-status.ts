/**
 * Sets a rep's operational status: out-of-office periods, an active/inactive override and a note. Takes effect for
 * the next routing decision, without a new Agreement version (docs/decisions.md, "Availability is operational").
 *
 * Fields present in the change overwrite (even with null / []); absent fields keep their stored value. Who may do
 * what: `reps:set_status` (admin, sales) anything for any rep; `reps:set_own_status` (a rep) their own out of office
 * and note, never `active`. Every change is written with an audit_log row in one transaction; bad input writes
 * nothing.
 */
import { sql } from 'kysely'
import { findActiveEngine } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { can } from '../core/auth/roles.ts'
import { AppError, type Issue } from '../core/errors.ts'
import { checkOutOfOffice } from '../core/routing/index.ts'
import type { RepStatusOutOfOffice } from '../db/schema.ts'
import { withTransaction } from '../db/transaction.ts'
import { getHandoffPlan } from '../handoff/handoff-plan.ts'
import type { Actor } from '../handoff/lead-action.ts'
import type { StoredRepStatus } from './load-rep-statuses.ts'

export type RepStatusChange = {
  active?: boolean | null
  outOfOffice?: RepStatusOutOfOffice[]
  note?: string | null
}

/**
 * @example await setRepStatus(ctx, { workspaceId, repId: 'ana_ruiz', actor,
 *   change: { outOfOffice: [{ from: '2026-11-23', to: '2026-11-24', note: 'Flu' }] } })
 * // { rep_id: 'ana_ruiz', active: null, out_of_office: [{ from: '2026-11-23', … }], note: null, updated_by: 'admin:Ops', … }
 */
export async function setRepStatus(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: { workspaceId: number; repId: string; actor: Actor; change: RepStatusChange },
): Promise<StoredRepStatus> {
  const { workspaceId, repId, actor, change } = input
  const now = ctx.clock()
  const active = await findActiveEngine(ctx, workspaceId, now)
  if (!active) throw new AppError('conflict', 'no Agreement is in force: reps come from the active Agreement')
  const plan = getHandoffPlan(active.engine, now)
  const rep = plan.reps.find((r) => r.id === repId)
  if (!rep)
    throw new AppError(
      'not_found',
      `rep ${repId} is not in the active Agreement; its reps are ${plan.reps.map((r) => r.id).join(', ')}`,
    )
  if (!can(actor.role, 'reps:set_status')) {
    if (!can(actor.role, 'reps:set_own_status') || actor.repId !== repId)
      throw new AppError('forbidden', `a ${actor.role} may not set the status of ${repId}`)
    if (change.active !== undefined)
      throw new AppError(
        'forbidden',
        'a rep sets their own out of office and note; `active` is set by an admin or sales',
        [{ path: 'active', message: 'not yours to set' }],
      )
  }
  const issues: Issue[] = []
  change.outOfOffice?.forEach((entry, i) => {
    const check = checkOutOfOffice(entry, rep.calendar.timeZone)
    if (!check.ok) issues.push({ path: `out_of_office[${i}].${check.field}`, message: check.message })
  })
  if (issues.length > 0)
    throw new AppError('invalid_input', `${issues.length} problem(s) in the rep status; nothing was written`, issues)

  return withTransaction(ctx.db, async (tx) => {
    const before = await tx
      .selectFrom('rep_status')
      .select(['active', 'out_of_office', 'note'])
      .where('workspace_id', '=', workspaceId)
      .where('rep_id', '=', repId)
      .forUpdate()
      .executeTakeFirst()
    const next = {
      active: change.active !== undefined ? change.active : (before?.active ?? null),
      out_of_office: (change.outOfOffice ?? before?.out_of_office ?? []).map((o) => ({
        from: o.from,
        to: o.to,
        ...(o.note?.trim() ? { note: o.note.trim() } : {}),
      })),
      note: change.note !== undefined ? change.note?.trim() || null : (before?.note ?? null),
    }
    const at = new Date(now).toISOString()
    const row = await tx
      .insertInto('rep_status')
      .values({
        workspace_id: workspaceId,
        rep_id: repId,
        active: next.active,
        out_of_office: JSON.stringify(next.out_of_office),
        note: next.note,
        updated_by: actor.label,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'rep_id']).doUpdateSet({
          active: next.active,
          out_of_office: sql`excluded.out_of_office`,
          note: next.note,
          updated_by: actor.label,
          updated_at: at,
        }),
      )
      .returning(['rep_id', 'active', 'out_of_office', 'note', 'updated_by', 'updated_at'])
      .executeTakeFirstOrThrow()
    await tx
      .insertInto('audit_log')
      .values({
        workspace_id: workspaceId,
        at,
        actor: actor.label,
        action: 'rep_status.set',
        subject: `rep:${repId}`,
        details: JSON.stringify({ before: before ?? null, after: next }),
      })
      .execute()
    return row
  })
}
