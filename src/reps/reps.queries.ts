/**
 * Reads for Settings › Reps & teams (`GET /v1/reps`, `/v1/reps/:id`, `/v1/teams`): every rep of the active
 * Agreement with what routing would make of them right now — active, out of office, calendar open or closed, pool
 * memberships, today's and this week's assignments against their caps — and the work on their desk (open leads,
 * running and breached SLA clocks).
 */
import { describeOpenNow } from '../calendar/describe-agreement-calendars.ts'
import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import {
  type Absence,
  describeUnavailability,
  findMemberUnavailability,
  listCurrentAndUpcomingAbsences,
  type Rep,
  type Unavailability,
} from '../core/routing/index.ts'
import { loadOperationalReps, type OperationalReps } from './load-operational-reps.ts'
import type { StoredRepStatus } from './load-rep-statuses.ts'

export type AbsenceView = {
  from: string
  to: string
  /** The last day (dates) or the local end (date-times), as the Agreement or the status wrote it. */
  until: string
  note: string | null
  source: 'agreement' | 'rep_status'
}

export type RepView = {
  id: string
  name: string
  email: string
  role: string
  slack: string | null
  team: { id: string; name: string }
  calendar: { name: string; time_zone: string; open_now: boolean; next_change_at: string | null }
  /** Effective: the rep status's override when set, else the Agreement's. */
  active: boolean
  active_in_agreement: boolean
  /** Could a pool hand this rep a lead right now (hours and caps included)? The first reason it could not. */
  availability: { available: boolean; reason: Unavailability | null; text: string | null }
  out_of_office: { current: AbsenceView | null; upcoming: AbsenceView[] }
  status: StoredRepStatus | null
  capacity: { daily: number | null; weekly: number | null }
  load: { today: number; this_week: number }
  pools: { pool: string; weight: number }[]
  open_leads: number
  sla: { running: number; breached: number }
}

function toAbsenceView(a: Absence): AbsenceView {
  return {
    from: new Date(a.fromMs).toISOString(),
    to: new Date(a.toMs).toISOString(),
    until: a.until,
    note: a.note ?? null,
    source: a.source ?? 'agreement',
  }
}

type DeskCounts = { open: number; running: number; breached: number }

async function countDesks(ctx: Pick<Ctx, 'db'>, workspaceId: number, repIds: readonly string[]) {
  const desks = new Map<string, DeskCounts>(repIds.map((id) => [id, { open: 0, running: 0, breached: 0 }]))
  if (repIds.length === 0) return desks
  const [leads, clocks] = await Promise.all([
    ctx.db
      .selectFrom('lead')
      .select(['owner_rep_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('workspace_id', '=', workspaceId)
      .where('owner_rep_id', 'in', repIds)
      .where('stage', 'in', ['MQL', 'AQL'])
      .groupBy('owner_rep_id')
      .execute(),
    ctx.db
      .selectFrom('sla_clock')
      .select(['rep_id', 'status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('workspace_id', '=', workspaceId)
      .where('rep_id', 'in', repIds)
      .where('status', 'in', ['running', 'breached'])
      .groupBy(['rep_id', 'status'])
      .execute(),
  ])
  for (const l of leads) desks.get(l.owner_rep_id!)!.open = Number(l.n)
  for (const c of clocks) {
    const d = desks.get(c.rep_id)!
    if (c.status === 'running') d.running = Number(c.n)
    else d.breached = Number(c.n)
  }
  return desks
}

function viewRep(snapshot: OperationalReps, rep: Rep, desk: DeskCounts | undefined): RepView {
  const { plan, now } = snapshot
  const written = plan.repById.get(rep.id)!
  const calendarName = plan.calendarOf(rep.id) ?? rep.calendar.name
  const load = snapshot.loads.get(rep.id) ?? { today: 0, thisWeek: 0 }
  const why = findMemberUnavailability(rep, load, now, { respectWorkingHours: true, respectCapacity: true })
  const absences = listCurrentAndUpcomingAbsences(rep, now)
  const current = absences[0] && absences[0].fromMs <= now ? absences[0] : null
  const team = plan.compiled.agreement.teams[rep.team]
  return {
    id: rep.id,
    name: rep.name,
    email: rep.email,
    role: written.role,
    slack: written.slack ?? null,
    team: { id: rep.team, name: team?.name ?? rep.team },
    calendar: { name: calendarName, time_zone: rep.calendar.timeZone, ...describeOpenNow(rep.calendar, now) },
    active: rep.active,
    active_in_agreement: written.active,
    availability: { available: why === null, reason: why, text: why ? describeUnavailability(why, now) : null },
    out_of_office: {
      current: current ? toAbsenceView(current) : null,
      upcoming: absences.filter((a) => a !== current).map(toAbsenceView),
    },
    status: snapshot.statuses.get(rep.id) ?? null,
    capacity: { daily: rep.capacity?.daily ?? null, weekly: rep.capacity?.weekly ?? null },
    load: { today: load.today, this_week: load.thisWeek },
    pools: plan.pools.flatMap((p) =>
      p.members.filter((m) => m.rep === rep.id).map((m) => ({ pool: p.name, weight: m.weight })),
    ),
    open_leads: desk?.open ?? 0,
    sla: { running: desk?.running ?? 0, breached: desk?.breached ?? 0 },
  }
}

/**
 * Every rep of the active Agreement (or only `onlyRep`, for a rep reading their own), in the Agreement's order.
 * @example await listReps(ctx, workspaceId) // { as_of, agreement: { version_id, hash }, reps: [{ id: 'ana_ruiz', availability: { available: true, … }, … }] }
 */
export async function listReps(ctx: Pick<Ctx, 'db' | 'clock'>, workspaceId: number, opts: { onlyRep?: string } = {}) {
  const snapshot = await loadOperationalReps(ctx, workspaceId, ctx.clock())
  const reps = opts.onlyRep === undefined ? snapshot.reps : snapshot.reps.filter((r) => r.id === opts.onlyRep)
  const desks = await countDesks(
    ctx,
    workspaceId,
    reps.map((r) => r.id),
  )
  return {
    as_of: new Date(snapshot.now).toISOString(),
    agreement: { version_id: snapshot.plan.versionId, hash: snapshot.plan.hash },
    reps: reps.map((r) => viewRep(snapshot, r, desks.get(r.id))),
  }
}

/**
 * One rep, with the history of their status changes (newest first, from the audit log).
 * @example await getRep(ctx, workspaceId, 'ana_ruiz') // { …RepView, history: [{ at, actor, after: { active, out_of_office, note } }] }
 */
export async function getRep(ctx: Pick<Ctx, 'db' | 'clock'>, workspaceId: number, repId: string) {
  const { reps, as_of, agreement } = await listReps(ctx, workspaceId, { onlyRep: repId })
  const rep = reps[0]
  if (!rep) throw new AppError('not_found', `rep ${repId} is not in the active Agreement`)
  const history = await ctx.db
    .selectFrom('audit_log')
    .select(['at', 'actor', 'details'])
    .where('workspace_id', '=', workspaceId)
    .where('action', '=', 'rep_status.set')
    .where('subject', '=', `rep:${repId}`)
    .orderBy('id', 'desc')
    .limit(20)
    .execute()
  return {
    as_of,
    agreement,
    ...rep,
    history: history.map((h) => ({
      at: h.at,
      actor: h.actor,
      after: (h.details as { after?: unknown }).after ?? null,
    })),
  }
}

/**
 * The Agreement's teams: manager, calendar open or closed now, members, how many can take a lead now, open leads.
 * @example await listTeams(ctx, workspaceId) // { as_of, teams: [{ id: 'na_east_sdr', available_now: 2, … }] }
 */
export async function listTeams(ctx: Pick<Ctx, 'db' | 'clock'>, workspaceId: number) {
  const snapshot = await loadOperationalReps(ctx, workspaceId, ctx.clock())
  const { plan, now } = snapshot
  const desks = await countDesks(
    ctx,
    workspaceId,
    snapshot.reps.map((r) => r.id),
  )
  const teams = Object.entries(plan.compiled.agreement.teams).map(([id, t]) => {
    const members = snapshot.reps.filter((r) => r.team === id)
    const available = members.filter(
      (r) =>
        findMemberUnavailability(r, snapshot.loads.get(r.id), now, {
          respectWorkingHours: true,
          respectCapacity: true,
        }) === null,
    )
    const calendar = plan.calendar(t.calendar, now, now)
    return {
      id,
      name: t.name ?? id,
      manager: { name: t.manager.name, email: t.manager.email, slack: t.manager.slack ?? null },
      slack_channel: t.slack_channel ?? null,
      calendar: { name: t.calendar, time_zone: calendar.timeZone, ...describeOpenNow(calendar, now) },
      reps: members.map((r) => r.id),
      available_now: available.length,
      open_leads: members.reduce((n, r) => n + (desks.get(r.id)?.open ?? 0), 0),
      breached: members.reduce((n, r) => n + (desks.get(r.id)?.breached ?? 0), 0),
    }
  })
  return { as_of: new Date(now).toISOString(), teams }
}
