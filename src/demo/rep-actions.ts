/**
 * The reps' side of the demo quarter: after the simulated events have been ingested (and the ready leads routed and
 * clocked by the real handoff), each handed-off lead's owner touches it and dispositions it through the same use
 * cases the API calls — `recordTouch` and `recordDisposition` with `at` in the past — so SLA clocks stop as met or
 * late, stage transitions, disposition rows and the metrics built on them are the ones a real quarter would leave.
 * The decisions themselves are pure (`simulate/rep-actions.ts`).
 */
import { sql } from 'kysely'
import { findActiveEngine } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { recordDisposition } from '../handoff/record-disposition.ts'
import { recordTouch } from '../handoff/record-touch.ts'
import type { SimulatedQuarter } from './simulate/index.ts'
import { decideRepAction, type ReasonCodes, type RepActionLead } from './simulate/index.ts'

export type RepActionsSummary = {
  handedOff: number
  touched: number
  touchedWithinSla: number
  accepted: number
  rejected: number
  recycled: number
}

type HandedOffRow = {
  lead_id: number
  rep_id: string
  assigned_at: Date
  due_at: Date | null
  stage: string
  stage_entered_at: Date
  tier: string | null
  email: string
  account_id: number | null
  domain: string | null
  employees: number | null
  industry: string | null
}

const DAY = 86_400_000

/**
 * Plays the owners of every open, not-yet-touched handoff of the workspace. Returns what was recorded.
 *
 * @example const summary = await simulateRepActions(ctx, workspaceId, quarter, { seed: 42 })
 * // { handedOff: 212, touched: 196, touchedWithinSla: 151, accepted: 88, rejected: 61, recycled: 29 }
 */
export async function simulateRepActions(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  quarter: Pick<SimulatedQuarter, 'opportunities' | 'truth'>,
  opts: { seed: number },
): Promise<RepActionsSummary> {
  const now = ctx.clock()
  const summary: RepActionsSummary = {
    handedOff: 0,
    touched: 0,
    touchedWithinSla: 0,
    accepted: 0,
    rejected: 0,
    recycled: 0,
  }
  const active = await findActiveEngine(ctx, workspaceId, now)
  if (!active) return summary
  const { dispositions, lists } = active.document
  const codes: ReasonCodes = {
    accept: dispositions.accept.map((d) => ({ code: d.code, requiresNote: d.requires_note === true })),
    reject: dispositions.reject.map((d) => ({ code: d.code, requiresNote: d.requires_note === true })),
    recycle: dispositions.recycle.map((d) => ({ code: d.code, requiresNote: d.requires_note === true })),
  }
  const targetIndustries = lists.target_industries ? new Set(lists.target_industries) : null

  // The assignment and clock as stored: a touch is never before the handoff it answers.
  const rows = (
    await sql<HandedOffRow>`select a.lead_id, a.rep_id, a.assigned_at, c.due_at, l.stage, l.stage_entered_at, l.tier,
          p.email, acc.id as account_id, acc.domain, acc.employees, acc.industry
        from assignment a
        join lead l on l.id = a.lead_id
        join person p on p.id = l.person_id
        left join account acc on acc.id = l.account_id
        left join sla_clock c on c.assignment_id = a.id
        where a.workspace_id = ${workspaceId} and a.ended_at is null and a.rep_id is not null and p.email is not null
          and not exists (select 1 from lead_activity t where t.lead_id = a.lead_id)
        order by a.assigned_at, a.lead_id`.execute(ctx.db)
  ).rows

  const personTruth = new Map(quarter.truth.people.map((t) => [t.email, t]))
  const accountTruth = new Map(quarter.truth.accounts.map((t) => [t.domain, t]))
  const contacts = new Set(quarter.opportunities.flatMap((o) => o.contacts.map((c) => c.email)))
  const oppsByDomain = new Map<string, { wonAt: number | null }[]>()
  for (const o of quarter.opportunities) {
    const list = oppsByDomain.get(o.account_domain) ?? []
    list.push({ wonAt: o.stage === 'closed_won' && o.closed_at ? Date.parse(o.closed_at) : null })
    oppsByDomain.set(o.account_domain, list)
  }
  const lastHandoffAt = new Map<number, number>()

  for (const r of rows) {
    const assignedAt = r.assigned_at.getTime()
    const person = personTruth.get(r.email)
    const account = r.domain === null ? undefined : accountTruth.get(r.domain)
    const opps = (r.domain && oppsByDomain.get(r.domain)) || []
    const previous = r.account_id === null ? undefined : lastHandoffAt.get(r.account_id)
    if (r.account_id !== null) lastHandoffAt.set(r.account_id, assignedAt)
    const lead: RepActionLead = {
      email: r.email,
      assignedAt,
      dueAt: r.due_at?.getTime() ?? null,
      stageEnteredAt: r.stage_entered_at.getTime(),
      stage: r.stage,
      tier: r.tier,
      employees: r.employees,
      industryOnTarget: r.industry === null || targetIndustries === null ? null : targetIndustries.has(r.industry),
      kind: person?.kind ?? null,
      seniority: person?.seniority ?? null,
      accountFit: account?.fit ?? null,
      inMarket: account?.inMarket ?? false,
      onOpportunity: contacts.has(r.email),
      existingCustomer: opps.some((o) => o.wonAt !== null && o.wonAt < assignedAt),
      accountAlreadyWorked: previous !== undefined && assignedAt - previous <= 14 * DAY,
    }
    summary.handedOff++
    const action = decideRepAction(lead, { seed: opts.seed, now, codes })
    const actor = { label: `rep:${r.rep_id}`, role: 'rep' as const, repId: r.rep_id }
    const ref = String(r.lead_id)
    if (action.touch) {
      await recordTouch(ctx, {
        workspaceId,
        ref,
        actor,
        at: new Date(action.touch.at).toISOString(),
        channel: action.touch.channel,
      })
      summary.touched++
      if (action.touch.withinSla) summary.touchedWithinSla++
    }
    if (action.disposition) {
      const d = action.disposition
      await recordDisposition(ctx, {
        workspaceId,
        ref,
        actor,
        outcome: d.outcome,
        reasonCode: d.reasonCode,
        note: d.note,
        at: new Date(d.at).toISOString(),
      })
      if (d.outcome === 'accept') summary.accepted++
      else if (d.outcome === 'reject') summary.rejected++
      else summary.recycled++
    }
  }
  return summary
}
