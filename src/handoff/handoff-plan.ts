/**
 * The Agreement's handoff parts in the shapes the pure cores take: routing reps (with their calendars), pools and
 * rules for `src/core/routing`, escalation steps for `src/core/sla`, and business-time calendars with holidays
 * seeded. Built once per Agreement version and year, and cached with the version's engine.
 */

import { buildAgreementCalendar, localYear, yearsSpanning } from '../calendar/build-agreement-calendar.ts'
import type { CompiledAgreement } from '../core/agreement/index.ts'
import type { Calendar } from '../core/calendar/index.ts'
import type { Engine } from '../core/engine/index.ts'
import type { Pool, Rep, RoutingRule } from '../core/routing/index.ts'
import type { EscalationStep } from '../core/sla/index.ts'

export type AgreementRep = CompiledAgreement['reps'][number]

/** One Agreement escalation step as written (who hears, where the lead goes) beside its core step. */
export type EscalationPlan = {
  readonly steps: readonly EscalationStep[]
  readonly written: readonly CompiledAgreement['sla']['escalate'][number][]
}

export type HandoffPlan = {
  readonly compiled: CompiledAgreement
  readonly versionId: number
  readonly hash: string
  readonly reps: readonly Rep[]
  readonly repById: ReadonlyMap<string, AgreementRep>
  readonly pools: readonly Pool[]
  readonly rules: readonly RoutingRule[]
  readonly escalation: EscalationPlan
  /** The calendar name a rep's business time counts in: the rep's own, else the team's. */
  calendarOf(repId: string): string | null
  /** A business-time calendar with holidays seeded for the years from `fromMs` to a year past `toMs`. */
  calendar(name: string, fromMs: number, toMs: number): Calendar
}

const plans = new WeakMap<Engine, Map<number, HandoffPlan>>()

const NOTIFY_WHO = { rep: 'owner', manager: 'manager', marketing_owner: 'marketing', sales_owner: 'manager' } as const

/**
 * The handoff plan of an engine's Agreement version, with rep calendars seeded for the local year of `now`.
 * @example const plan = getHandoffPlan(engine, ctx.clock()); decideRoute({ rules: plan.rules, reps: plan.reps, … })
 */
export function getHandoffPlan(engine: Engine, now: number): HandoffPlan {
  const year = new Date(now).getUTCFullYear()
  let byYear = plans.get(engine)
  if (!byYear) {
    byYear = new Map()
    plans.set(engine, byYear)
  }
  let plan = byYear.get(year)
  if (!plan) {
    plan = buildPlan(engine, year)
    byYear.set(year, plan)
  }
  return plan
}

function buildPlan(engine: Engine, year: number): HandoffPlan {
  const compiled = engine.compiled
  const calendarCache = new Map<string, Calendar>()
  const calendar = (name: string, fromMs: number, toMs: number): Calendar => {
    const zone = compiled.agreement.calendars[name]?.time_zone ?? 'UTC'
    const years = yearsSpanning(fromMs, toMs, zone)
    years.push(localYear(toMs, zone) + 1)
    const key = `${name}|${years[0]}-${years.at(-1)}`
    let built = calendarCache.get(key)
    if (!built) {
      built = buildAgreementCalendar(compiled, name, years)
      calendarCache.set(key, built)
    }
    return built
  }
  const calendarOf = (repId: string): string | null => {
    const rep = compiled.reps.find((r) => r.id === repId)
    if (!rep) return null
    return rep.calendar ?? compiled.teams[rep.team]?.calendar ?? null
  }
  const yearStart = Date.UTC(year, 0, 1)
  const reps: Rep[] = compiled.reps.map((r) => {
    const name = calendarOf(r.id)!
    return {
      id: r.id,
      name: r.name,
      email: r.email,
      team: r.team,
      calendar: calendar(name, yearStart, yearStart),
      active: r.active,
      outOfOffice: r.out_of_office.map((o) => ({ from: o.from, to: o.to, ...(o.note ? { note: o.note } : {}) })),
      ...(r.capacity ? { capacity: r.capacity } : {}),
    }
  })
  const pools: Pool[] = Object.entries(compiled.pools).map(([name, p]) => ({
    name,
    members: p.members,
    ...(p.backup ? { backup: p.backup } : {}),
    respectWorkingHours: p.respectWorkingHours,
    respectCapacity: p.respectCapacity,
  }))
  const rules: RoutingRule[] = compiled.routing.map((r) => {
    const condition = r.condition
    return {
      name: r.name,
      condition: condition ? (input) => condition.test(input.fields) : null,
      ...(condition ? { conditionText: condition.source } : {}),
      to: r.to,
    }
  })
  const written = compiled.sla.escalate
  const steps: EscalationStep[] = written.map((e) => ({
    afterBreachMs: e.afterBreachBusinessMs,
    action: e.reassign
      ? { kind: 'reassign', to: typeof e.reassign === 'string' ? e.reassign : e.reassign.pool }
      : { kind: 'notify', who: NOTIFY_WHO[(e.notify[0] ?? 'manager') as keyof typeof NOTIFY_WHO] ?? 'manager' },
  }))
  return {
    compiled,
    versionId: engine.version.id,
    hash: engine.version.hash,
    reps,
    repById: new Map(compiled.reps.map((r) => [r.id, r])),
    pools,
    rules,
    escalation: { steps, written },
    calendarOf,
    calendar,
  }
}

/**
 * The rep an account's `owner` field names: a rep id, else a rep's email or name (CRMs export either).
 * @example findOwnerRepId(plan, 'Hannah Wu') // 'hannah_wu'
 */
export function findOwnerRepId(plan: HandoffPlan, owner: string | null | undefined): string | null {
  if (!owner) return null
  const text = owner.trim().toLowerCase()
  for (const r of plan.compiled.reps)
    if (r.id === owner || r.email.toLowerCase() === text || r.name.toLowerCase() === text) return r.id
  return owner
}
