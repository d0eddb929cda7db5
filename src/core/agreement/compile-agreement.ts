import Holidays from 'date-holidays'
import type { AttributionModel } from '../attribution/types.ts'
import { AppError } from '../errors.ts'
import type { ConditionEnvironment } from '../rules/cel-environment.ts'
import { type CompiledCondition, compileCondition } from '../rules/compile-condition.ts'
import { type CompiledEventMatcher, compileEventMatcher } from '../rules/event-matcher.ts'
import type { Agreement, LifecycleStage } from './agreement-schema.ts'
import { buildEnvironments } from './check-agreement.ts'
import { parseTimeWindow } from './duration.ts'
import { hashAgreement } from './hash-agreement.ts'

/** Minutes from local midnight, `end` exclusive, `end ≤ 1440`. */
export type MinuteRange = { start: number; end: number }

/**
 * A calendar as the business-time module takes it: ISO weekday (1 = Monday … 7 = Sunday) → windows. An overnight
 * window `22:00-06:00+1` on Monday is already split into Monday 22:00–24:00 and Tuesday 00:00–06:00.
 */
export type CompiledCalendar = {
  name: string
  timeZone: string
  weekly: Record<1 | 2 | 3 | 4 | 5 | 6 | 7, MinuteRange[]>
  /** Dates closed all day that the Agreement lists itself (`holidays.add`). */
  addedHolidays: { date: string; name: string }[]
  /** Public holidays from `holidays.country/state` that are working days after all. */
  removedHolidays: string[]
  holidaySource: { country: string; state?: string } | null
  /** ISO date → that day's windows (empty: closed). */
  overrides: Record<string, MinuteRange[]>
}

export type CompiledCriterion = {
  id: string
  name: string
  kind: 'firmographic' | 'technographic' | 'situational'
  points: number
  withinMs: number | null
  condition: CompiledCondition
}

export type CompiledSignal =
  | { name: string; kind: 'count'; matcher: CompiledEventMatcher; atLeast: number; withinMs: number }
  | { name: string; kind: 'any'; matchers: CompiledEventMatcher[]; withinMs: number }
  | { name: string; kind: 'inactivity'; forMs: number }

export type RouteTarget = { kind: 'account_owner' } | { kind: 'pool'; pool: string } | { kind: 'rep'; rep: string }

/** Everything the engine needs from one Agreement version, conditions and matchers compiled once. */
export type CompiledAgreement = {
  hash: string
  title: string
  effectiveFrom: string
  agreement: Agreement
  environments: Record<'criterion' | 'stage' | 'routing', ConditionEnvironment>
  fit: CompiledCriterion[]
  disqualifiers: { id: string; name: string; reason: string; condition: CompiledCondition }[]
  personas: { id: string; name: string; test: (title: string, seniority?: string) => boolean }[]
  buyingCommittee: { personas: string[]; minEngaged: number } | null
  intent: {
    halfLifeMs: number
    max: number
    rules: { id: string; matcher: CompiledEventMatcher; points: number; cap: number | null }[]
    signals: Record<string, CompiledSignal>
  }
  eventTypes: ReadonlySet<string>
  stages: Partial<Record<LifecycleStage, { description: string; condition: CompiledCondition | null }>>
  tiers: {
    name: string
    condition: CompiledCondition
    sla: { firstTouchBusinessMs: number; dispositionBusinessMs: number | null } | null
  }[]
  handoffRequiredFields: string[]
  calendars: Record<string, CompiledCalendar>
  teams: Agreement['teams']
  reps: Agreement['reps']
  pools: Record<
    string,
    {
      members: { rep: string; weight: number }[]
      backup: string | null
      respectWorkingHours: boolean
      respectCapacity: boolean
    }
  >
  routing: { name: string; condition: CompiledCondition | null; to: RouteTarget }[]
  sla: {
    warnAt: number
    pauseWhen: string[]
    escalate: { afterBreachBusinessMs: number; notify: string[]; reassign: 'backup_pool' | { pool: string } | null }[]
  }
  dispositions: Agreement['dispositions']
  attribution: { model: AttributionModel; lookbackMs: number; lockedFrom: string }
  targets: Agreement['targets']
}

function compileOrThrow(env: ConditionEnvironment, source: string, where: string): CompiledCondition {
  const r = compileCondition(env, source)
  if (r.ok) return r.condition
  // Only reachable when the Agreement skipped parseAgreement: a programming error, not user input.
  throw new AppError('invalid_input', `${where}: ${r.errors.map((e) => e.message).join('; ')}`)
}

const ISO_DAY = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const

function toRanges(windows: readonly string[]): { today: MinuteRange[]; tomorrow: MinuteRange[] } {
  const today: MinuteRange[] = []
  const tomorrow: MinuteRange[] = []
  for (const text of windows) {
    const p = parseTimeWindow(text)
    if (!p.ok) continue
    if (p.window.overnight) {
      today.push({ start: p.window.startMinute, end: 1440 })
      if (p.window.endMinute > 0) tomorrow.push({ start: 0, end: p.window.endMinute })
    } else today.push({ start: p.window.startMinute, end: p.window.endMinute })
  }
  return { today, tomorrow }
}

/**
 * Turn an Agreement calendar into weekday windows; overnight windows spill into the next ISO weekday.
 *
 * Example: `compileCalendar('ny', { time_zone: 'America/New_York', hours: { mon: ['09:00-17:00'] }, overrides: [] }).weekly[1]`
 * → `[{ start: 540, end: 1020 }]`
 */
export function compileCalendar(name: string, cal: Agreement['calendars'][string]): CompiledCalendar {
  const weekly: CompiledCalendar['weekly'] = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] }
  for (const [day, iso] of Object.entries(ISO_DAY)) {
    const { today, tomorrow } = toRanges(cal.hours[day as keyof typeof ISO_DAY] ?? [])
    weekly[iso].push(...today)
    weekly[((iso % 7) + 1) as 1].push(...tomorrow)
  }
  for (const d of Object.values(weekly)) d.sort((a, b) => a.start - b.start)
  const overrides: Record<string, MinuteRange[]> = {}
  for (const o of cal.overrides) overrides[o.date] = toRanges(o.hours).today
  return {
    name,
    timeZone: cal.time_zone,
    weekly,
    addedHolidays: cal.holidays?.add ?? [],
    removedHolidays: cal.holidays?.remove.map((r) => r.date) ?? [],
    holidaySource: cal.holidays?.country
      ? { country: cal.holidays.country, ...(cal.holidays.state ? { state: cal.holidays.state } : {}) }
      : null,
    overrides,
  }
}

/**
 * The closed dates of a calendar for the given years: public holidays of its country/state (date-holidays, type
 * `public`), plus `add`, minus `remove`; sorted ISO dates, ready for the business-time module.
 *
 * Example: `listCalendarHolidays(calendars.new_york, [2026])` → `['2026-01-01', '2026-01-19', …, '2026-12-24', '2026-12-25']`
 */
export function listCalendarHolidays(calendar: CompiledCalendar, years: readonly number[]): string[] {
  const dates = new Set<string>()
  if (calendar.holidaySource) {
    const hd = calendar.holidaySource.state
      ? new Holidays(calendar.holidaySource.country, calendar.holidaySource.state)
      : new Holidays(calendar.holidaySource.country)
    for (const y of years) for (const h of hd.getHolidays(y)) if (h.type === 'public') dates.add(h.date.slice(0, 10))
  }
  const inYears = (d: string) => years.includes(Number(d.slice(0, 4)))
  for (const a of calendar.addedHolidays) if (inYears(a.date)) dates.add(a.date)
  for (const r of calendar.removedHolidays) dates.delete(r)
  return [...dates].sort()
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function compilePersona(p: Agreement['personas'][number]): (title: string, seniority?: string) => boolean {
  const words = (list: readonly string[]) =>
    list.length
      ? new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${list.map(escapeRegex).join('|')})(?:$|[^\\p{L}\\p{N}])`, 'iu')
      : null
  const include = words(p.titles)
  const exclude = words(p.exclude)
  const patterns = p.title_patterns.map((re) => new RegExp(re, 'iu'))
  const seniority = p.seniority ? new Set<string>(p.seniority) : null
  return (title, personSeniority) => {
    if (exclude?.test(title)) return false
    if (seniority && (personSeniority === undefined || !seniority.has(personSeniority))) return false
    return (include?.test(title) ?? false) || patterns.some((re) => re.test(title))
  }
}

function toAttributionModel(a: Agreement['attribution']): AttributionModel {
  switch (a.model) {
    case 'first_touch':
      return { kind: 'first' }
    case 'last_touch':
      return { kind: 'last' }
    case 'time_decay':
      return { kind: 'time_decay', halfLifeMs: a.half_life?.ms ?? 7 * 86_400_000 }
    case 'custom':
      return { kind: 'custom', weights: a.weights ?? {} }
    case 'markov':
      return a.order === undefined ? { kind: 'markov' } : { kind: 'markov', order: a.order }
    default:
      return { kind: a.model }
  }
}

/**
 * Compile a validated Agreement: every CEL condition type-checked and compiled once, every event matcher built, every
 * calendar converted. Call it once per version and keep the result.
 *
 * Example: `const compiled = compileAgreement(parseAgreement(text).agreement)`
 */
export function compileAgreement(agreement: Agreement): CompiledAgreement {
  const environments = buildEnvironments({
    lists: agreement.lists,
    signals: Object.keys(agreement.intent.signals),
    accountSignals: agreement.account_signal_types,
    tiers: agreement.tiers.map((t) => t.name),
  })
  const signals: Record<string, CompiledSignal> = {}
  for (const [name, s] of Object.entries(agreement.intent.signals)) {
    signals[name] =
      s.kind === 'count'
        ? {
            name,
            kind: 'count',
            matcher: compileEventMatcher(s.type, s.match),
            atLeast: s.at_least,
            withinMs: s.within.ms,
          }
        : s.kind === 'any'
          ? {
              name,
              kind: 'any',
              matchers: s.of.map((f) => compileEventMatcher(f.type, f.match)),
              withinMs: s.within.ms,
            }
          : { name, kind: 'inactivity', forMs: s.for.ms }
  }
  const stages: CompiledAgreement['stages'] = {}
  for (const [name, def] of Object.entries(agreement.stages)) {
    if (!def) continue
    stages[name as LifecycleStage] = {
      description: def.description,
      condition: def.when ? compileOrThrow(environments.stage, def.when, `stages.${name}.when`) : null,
    }
  }
  const calendars: Record<string, CompiledCalendar> = {}
  for (const [name, cal] of Object.entries(agreement.calendars)) calendars[name] = compileCalendar(name, cal)
  const pools: CompiledAgreement['pools'] = {}
  for (const [name, p] of Object.entries(agreement.pools))
    pools[name] = {
      members: p.members.map((m) => ({ rep: m.rep, weight: m.weight })),
      backup: p.backup ?? null,
      respectWorkingHours: p.respect_working_hours,
      respectCapacity: p.respect_capacity,
    }

  return {
    hash: hashAgreement(agreement),
    title: agreement.agreement,
    effectiveFrom: agreement.effective_from,
    agreement,
    environments,
    fit: agreement.icp.fit.map((c, i) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      points: c.points,
      withinMs: c.within?.ms ?? null,
      condition: compileOrThrow(environments.criterion, c.when, `icp.fit[${i}].when`),
    })),
    disqualifiers: agreement.icp.disqualify.map((d, i) => ({
      id: d.id,
      name: d.name,
      reason: d.reason,
      condition: compileOrThrow(environments.criterion, d.when, `icp.disqualify[${i}].when`),
    })),
    personas: agreement.personas.map((p) => ({ id: p.id, name: p.name, test: compilePersona(p) })),
    buyingCommittee: agreement.buying_committee
      ? { personas: agreement.buying_committee.personas, minEngaged: agreement.buying_committee.min_engaged }
      : null,
    intent: {
      halfLifeMs: agreement.intent.half_life.ms,
      max: agreement.intent.max,
      rules: agreement.intent.rules.map((r) => ({
        id: r.id,
        matcher: compileEventMatcher(r.type, r.match),
        points: r.points,
        cap: r.cap ?? null,
      })),
      signals,
    },
    eventTypes: new Set(agreement.event_types),
    stages,
    tiers: agreement.tiers.map((t, i) => ({
      name: t.name,
      condition: compileOrThrow(environments.stage, t.when, `tiers[${i}].when`),
      sla: t.sla
        ? {
            firstTouchBusinessMs: t.sla.first_touch.businessMs,
            dispositionBusinessMs: t.sla.disposition?.businessMs ?? null,
          }
        : null,
    })),
    handoffRequiredFields: agreement.handoff.required_fields,
    calendars,
    teams: agreement.teams,
    reps: agreement.reps,
    pools,
    routing: agreement.routing.map((r, i) => ({
      name: r.name,
      condition: r.when ? compileOrThrow(environments.routing, r.when, `routing[${i}].when`) : null,
      to:
        r.to === 'account_owner'
          ? { kind: 'account_owner' }
          : 'pool' in r.to
            ? { kind: 'pool', pool: r.to.pool }
            : { kind: 'rep', rep: r.to.rep },
    })),
    sla: {
      warnAt: agreement.sla.warn_at,
      pauseWhen: agreement.sla.pause_when,
      escalate: agreement.sla.escalate.map((e) => ({
        afterBreachBusinessMs: e.after.businessMs,
        notify: e.notify ?? [],
        reassign: e.reassign ?? null,
      })),
    },
    dispositions: agreement.dispositions,
    attribution: {
      model: toAttributionModel(agreement.attribution),
      lookbackMs: agreement.attribution.lookback.ms,
      lockedFrom: agreement.attribution.locked_from,
    },
    targets: agreement.targets,
  }
}
