import Holidays from 'date-holidays'
import { type ConditionEnvironment, createConditionEnvironment } from '../rules/cel-environment.ts'
import { type ConditionError, compileCondition, suggestName } from '../rules/compile-condition.ts'
import { type EventMatch, findInvalidRegex } from '../rules/event-matcher.ts'
import type { ConditionScope } from '../rules/field-catalogue.ts'
import { ACCOUNT_FIELDS, LEAD_FIELDS, PERSON_FIELDS } from '../rules/field-catalogue.ts'
import { type Agreement, LIFECYCLE_STAGES } from './agreement-schema.ts'
import { parseTimeWindow } from './duration.ts'
import type { PathSegment } from './locate-yaml-path.ts'

/** A semantic problem; `cel` carries the character range inside the condition at `path`. */
export type AgreementProblem = { path: PathSegment[]; message: string; cel?: { start: number; end: number } }

/**
 * Sections that passed schema validation. Checks that need a missing section are skipped, so one broken section does
 * not bury the file under "unknown reference" errors that are only its echo.
 */
export type PartialAgreement = Partial<Agreement>

let holidayCountries: Record<string, string> | undefined
function listHolidayCountries(): Record<string, string> {
  holidayCountries ??= new Holidays().getCountries()
  return holidayCountries
}

/** Declarations conditions are checked against; raw fallbacks let CEL checks run when a section failed. */
export type Declarations = {
  lists: Record<string, readonly string[]>
  signals: string[]
  accountSignals: string[]
  tiers: string[]
  /** Names declared by sections that failed the schema, so references to them are still checked. */
  rawNames?: { calendars?: string[]; teams?: string[]; reps?: string[]; pools?: string[] }
}

/**
 * One environment per scope, built from what the Agreement declares.
 *
 * Example: `buildEnvironments(decl).stage` type-checks `fit >= 60 && signals.demo_request`.
 */
export function buildEnvironments(decl: Declarations): Record<ConditionScope, ConditionEnvironment> {
  const base = {
    lists: decl.lists,
    signals: decl.signals,
    accountSignals: decl.accountSignals,
    stages: [...LIFECYCLE_STAGES],
    tiers: decl.tiers,
  }
  return {
    criterion: createConditionEnvironment('criterion', base),
    stage: createConditionEnvironment('stage', base),
    routing: createConditionEnvironment('routing', base),
  }
}

function checkUnique<T>(
  out: AgreementProblem[],
  items: readonly T[] | undefined,
  key: (t: T) => string,
  basePath: PathSegment[],
  field: string,
  what: string,
): void {
  const seen = new Map<string, number>()
  items?.forEach((item, i) => {
    const k = key(item)
    const first = seen.get(k)
    if (first !== undefined)
      out.push({
        path: [...basePath, i, field],
        message: `duplicate ${what} "${k}" (also at ${basePath.join('.')}[${first}])`,
      })
    else seen.set(k, i)
  })
}

function unknownRef(what: string, name: string, known: Iterable<string>): string {
  const list = [...known]
  const hint = suggestName(name, list)
  return `unknown ${what} "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}${list.length ? `; known: ${list.join(', ')}` : `; no ${what}s are declared`}`
}

/**
 * Cross-references, CEL type checks and rules zod cannot express. Returns every problem found.
 *
 * Example: `checkAgreement(agreement, decl)` → `[{ path: ['routing', 2, 'to', 'pool'], message: 'unknown pool "emae" …' }]`
 */
export function checkAgreement(a: PartialAgreement, decl: Declarations): AgreementProblem[] {
  const out: AgreementProblem[] = []
  const envs = buildEnvironments(decl)

  const checkCondition = (
    env: ConditionEnvironment,
    source: string,
    path: PathSegment[],
  ): ReturnType<typeof compileCondition> => {
    const r = compileCondition(env, source)
    if (!r.ok)
      for (const e of r.errors as ConditionError[])
        out.push({ path, message: e.message, cel: { start: e.start, end: e.end } })
    return r
  }

  const eventTypes = a.event_types ? new Set(a.event_types) : undefined
  const checkEventType = (type: string, path: PathSegment[]) => {
    if (eventTypes && !eventTypes.has(type)) out.push({ path, message: unknownRef('event type', type, eventTypes) })
  }
  const checkMatch = (match: EventMatch | undefined, path: PathSegment[]) => {
    for (const [prop, m] of Object.entries(match ?? {})) {
      const bad = findInvalidRegex(m)
      if (bad) out.push({ path: [...path, prop, 'regex'], message: bad })
    }
  }

  if (a.event_types) {
    a.event_types.forEach((t, i) => {
      if (a.event_types!.indexOf(t) !== i)
        out.push({ path: ['event_types', i], message: `duplicate event type "${t}"` })
    })
  }

  const rejectCodes = new Set(a.dispositions?.reject.map((d) => d.code) ?? [])
  if (a.dispositions) {
    const all = [
      ...a.dispositions.accept.map((d, i) => ({ d, path: ['dispositions', 'accept', i, 'code'] as PathSegment[] })),
      ...a.dispositions.reject.map((d, i) => ({ d, path: ['dispositions', 'reject', i, 'code'] as PathSegment[] })),
      ...a.dispositions.recycle.map((d, i) => ({ d, path: ['dispositions', 'recycle', i, 'code'] as PathSegment[] })),
    ]
    const seen = new Set<string>()
    for (const { d, path } of all) {
      if (seen.has(d.code)) out.push({ path, message: `duplicate reason code "${d.code}"` })
      seen.add(d.code)
    }
  }

  if (a.icp) {
    checkUnique(out, a.icp.fit, (c) => c.id, ['icp', 'fit'], 'id', 'criterion id')
    checkUnique(out, a.icp.disqualify, (c) => c.id, ['icp', 'disqualify'], 'id', 'disqualifier id')
    a.icp.fit.forEach((c, i) => {
      const r = checkCondition(envs.criterion, c.when, ['icp', 'fit', i, 'when'])
      if (!r.ok) return
      const readsSignals = r.condition.reads.some((f) => f.startsWith('account_signals.'))
      if (readsSignals && c.kind !== 'situational')
        out.push({
          path: ['icp', 'fit', i, 'kind'],
          message: 'reads account_signals, so it must be `kind: situational` with a `within` window',
        })
      if (!readsSignals && c.kind === 'situational')
        out.push({ path: ['icp', 'fit', i, 'when'], message: 'a situational criterion must read account_signals' })
    })
    a.icp.disqualify.forEach((d, i) => {
      checkCondition(envs.criterion, d.when, ['icp', 'disqualify', i, 'when'])
      if (a.dispositions && !rejectCodes.has(d.reason))
        out.push({
          path: ['icp', 'disqualify', i, 'reason'],
          message: unknownRef('reject reason code', d.reason, rejectCodes),
        })
    })
  }

  const personaIds = new Set(a.personas?.map((p) => p.id) ?? [])
  if (a.personas) {
    checkUnique(out, a.personas, (p) => p.id, ['personas'], 'id', 'persona id')
    a.personas.forEach((p, i) => {
      if (p.titles.length === 0 && p.title_patterns.length === 0)
        out.push({ path: ['personas', i], message: `persona "${p.id}" needs titles or title_patterns` })
      p.title_patterns.forEach((re, j) => {
        try {
          new RegExp(re, 'iu')
        } catch (e) {
          out.push({
            path: ['personas', i, 'title_patterns', j],
            message: `invalid regular expression: ${(e as Error).message}`,
          })
        }
      })
    })
  }
  if (a.buying_committee && a.personas) {
    a.buying_committee.personas.forEach((p, i) => {
      if (!personaIds.has(p))
        out.push({ path: ['buying_committee', 'personas', i], message: unknownRef('persona', p, personaIds) })
    })
    if (a.buying_committee.min_engaged > a.buying_committee.personas.length)
      out.push({
        path: ['buying_committee', 'min_engaged'],
        message: `cannot exceed the ${a.buying_committee.personas.length} committee personas`,
      })
  }

  if (a.intent) {
    checkUnique(out, a.intent.rules, (r) => r.id, ['intent', 'rules'], 'id', 'intent rule id')
    a.intent.rules.forEach((r, i) => {
      checkEventType(r.type, ['intent', 'rules', i, 'type'])
      checkMatch(r.match, ['intent', 'rules', i, 'match'])
      if (r.cap !== undefined && r.points < 0)
        out.push({ path: ['intent', 'rules', i, 'cap'], message: 'a cap applies to positive points only' })
    })
    for (const [name, s] of Object.entries(a.intent.signals)) {
      const base: PathSegment[] = ['intent', 'signals', name]
      if (s.kind === 'count') {
        checkEventType(s.type, [...base, 'type'])
        checkMatch(s.match, [...base, 'match'])
      } else if (s.kind === 'any') {
        s.of.forEach((f, i) => {
          checkEventType(f.type, [...base, 'of', i, 'type'])
          checkMatch(f.match, [...base, 'of', i, 'match'])
        })
      }
    }
  }

  if (a.stages) {
    for (const [name, def] of Object.entries(a.stages)) {
      if (def?.when) checkCondition(envs.stage, def.when, ['stages', name, 'when'])
    }
  }
  if (a.tiers) {
    checkUnique(out, a.tiers, (t) => t.name, ['tiers'], 'name', 'tier name')
    a.tiers.forEach((t, i) => {
      checkCondition(envs.stage, t.when, ['tiers', i, 'when'])
    })
  }

  if (a.handoff) {
    const catalogue: Record<string, Record<string, unknown>> = {
      account: ACCOUNT_FIELDS,
      person: PERSON_FIELDS,
      lead: LEAD_FIELDS,
    }
    a.handoff.required_fields.forEach((f, i) => {
      const [root, field, ...rest] = f.split('.')
      const fields = root ? catalogue[root] : undefined
      if (!fields || !field || rest.length > 0 || !(field in fields)) {
        const known = Object.entries(catalogue).flatMap(([r, fs]) => Object.keys(fs).map((k) => `${r}.${k}`))
        const hint = suggestName(f, known)
        out.push({
          path: ['handoff', 'required_fields', i],
          message: `unknown field "${f}"${hint ? ` (did you mean "${hint}"?)` : ''}; use account.*, person.* or lead.* fields`,
        })
      }
    })
  }

  const calendarNames = new Set(a.calendars ? Object.keys(a.calendars) : (decl.rawNames?.calendars ?? []))
  const hasCalendars = a.calendars !== undefined || decl.rawNames?.calendars !== undefined
  if (a.calendars) {
    for (const [name, cal] of Object.entries(a.calendars)) {
      const base: PathSegment[] = ['calendars', name]
      let open = 0
      for (const [day, windows] of Object.entries(cal.hours)) {
        const parsed = (windows ?? []).map((w) => parseTimeWindow(w)).flatMap((p) => (p.ok ? [p.window] : []))
        open += parsed.length
        const spans = parsed
          .map((w) => ({ s: w.startMinute, e: w.overnight ? 1440 : w.endMinute }))
          .sort((x, y) => x.s - y.s)
        for (let i = 1; i < spans.length; i++)
          if (spans[i]!.s < spans[i - 1]!.e)
            out.push({ path: [...base, 'hours', day], message: 'working windows overlap' })
      }
      if (open === 0) out.push({ path: [...base, 'hours'], message: 'a calendar needs at least one working window' })
      if (cal.holidays?.country) {
        const countries = listHolidayCountries()
        if (!countries[cal.holidays.country])
          out.push({
            path: [...base, 'holidays', 'country'],
            message: `unknown holiday country "${cal.holidays.country}"`,
          })
        else if (cal.holidays.state) {
          const states = new Holidays().getStates(cal.holidays.country) ?? {}
          if (!states[cal.holidays.state])
            out.push({
              path: [...base, 'holidays', 'state'],
              message: unknownRef(`state of ${cal.holidays.country}`, cal.holidays.state, Object.keys(states)),
            })
        }
      } else if (cal.holidays?.state) {
        out.push({ path: [...base, 'holidays', 'state'], message: 'a state needs a country' })
      }
      checkUnique(out, cal.overrides, (o) => o.date, [...base, 'overrides'], 'date', 'override date')
    }
  }

  const teamNames = new Set(a.teams ? Object.keys(a.teams) : (decl.rawNames?.teams ?? []))
  const hasTeams = a.teams !== undefined || decl.rawNames?.teams !== undefined
  if (a.teams && hasCalendars) {
    for (const [name, team] of Object.entries(a.teams))
      if (!calendarNames.has(team.calendar))
        out.push({ path: ['teams', name, 'calendar'], message: unknownRef('calendar', team.calendar, calendarNames) })
  }

  const repIds = new Set(a.reps ? a.reps.map((r) => r.id) : (decl.rawNames?.reps ?? []))
  const activeReps = new Set(a.reps?.filter((r) => r.active).map((r) => r.id) ?? [])
  if (a.reps) {
    checkUnique(out, a.reps, (r) => r.id, ['reps'], 'id', 'rep id')
    checkUnique(out, a.reps, (r) => r.email.toLowerCase(), ['reps'], 'email', 'rep email')
    a.reps.forEach((r, i) => {
      if (hasTeams && !teamNames.has(r.team))
        out.push({ path: ['reps', i, 'team'], message: unknownRef('team', r.team, teamNames) })
      if (r.calendar && hasCalendars && !calendarNames.has(r.calendar))
        out.push({ path: ['reps', i, 'calendar'], message: unknownRef('calendar', r.calendar, calendarNames) })
    })
  }

  const poolNames = new Set(a.pools ? Object.keys(a.pools) : (decl.rawNames?.pools ?? []))
  const hasPools = a.pools !== undefined || decl.rawNames?.pools !== undefined
  const hasReps = a.reps !== undefined || decl.rawNames?.reps !== undefined
  if (a.pools) {
    for (const [name, pool] of Object.entries(a.pools)) {
      const base: PathSegment[] = ['pools', name]
      checkUnique(out, pool.members, (m) => m.rep, [...base, 'members'], 'rep', 'member')
      if (a.reps) {
        pool.members.forEach((m, i) => {
          if (!repIds.has(m.rep))
            out.push({ path: [...base, 'members', i, 'rep'], message: unknownRef('rep', m.rep, repIds) })
        })
        if (pool.members.every((m) => repIds.has(m.rep)) && !pool.members.some((m) => activeReps.has(m.rep)))
          out.push({ path: [...base, 'members'], message: `pool "${name}" has no active members` })
      }
      if (pool.backup !== undefined) {
        if (pool.backup === name) out.push({ path: [...base, 'backup'], message: 'a pool cannot be its own backup' })
        else if (!poolNames.has(pool.backup))
          out.push({ path: [...base, 'backup'], message: unknownRef('pool', pool.backup, poolNames) })
      }
    }
  }

  if (a.routing) {
    checkUnique(out, a.routing, (r) => r.name, ['routing'], 'name', 'routing rule name')
    a.routing.forEach((rule, i) => {
      if (rule.when) checkCondition(envs.routing, rule.when, ['routing', i, 'when'])
      const to = rule.to
      if (typeof to === 'object' && 'pool' in to && hasPools && !poolNames.has(to.pool))
        out.push({ path: ['routing', i, 'to', 'pool'], message: unknownRef('pool', to.pool, poolNames) })
      if (typeof to === 'object' && 'rep' in to && hasReps && !repIds.has(to.rep))
        out.push({ path: ['routing', i, 'to', 'rep'], message: unknownRef('rep', to.rep, repIds) })
    })
    const last = a.routing.at(-1)
    if (last?.when !== undefined && last.when.trim() !== 'true')
      out.push({
        path: ['routing', a.routing.length - 1, 'when'],
        message: 'the last routing rule must have no `when`, so that every lead gets an owner',
      })
    if (last && last.to === 'account_owner')
      out.push({
        path: ['routing', a.routing.length - 1, 'to'],
        message: 'the last routing rule must not depend on an account owner',
      })
  }

  if (a.sla && hasPools) {
    a.sla.escalate.forEach((e, i) => {
      if (typeof e.reassign === 'object' && !poolNames.has(e.reassign.pool))
        out.push({
          path: ['sla', 'escalate', i, 'reassign', 'pool'],
          message: unknownRef('pool', e.reassign.pool, poolNames),
        })
    })
  }

  if (a.targets) checkUnique(out, a.targets, (t) => t.period, ['targets'], 'period', 'target period')

  return out
}

/** Where conditions live, by section, for sections that failed the schema (see checkRawConditions). */
const RAW_CONDITION_SITES: { section: string; list: PathSegment[]; scope: ConditionScope; keyed?: boolean }[] = [
  { section: 'icp', list: ['icp', 'fit'], scope: 'criterion' },
  { section: 'icp', list: ['icp', 'disqualify'], scope: 'criterion' },
  { section: 'stages', list: ['stages'], scope: 'stage', keyed: true },
  { section: 'tiers', list: ['tiers'], scope: 'stage' },
  { section: 'routing', list: ['routing'], scope: 'routing' },
]

/**
 * CEL checks for the conditions of sections that failed the schema: a wrong `points:` must not hide a typo in a
 * `when:` three lines above it.
 */
export function checkRawConditions(
  raw: Record<string, unknown>,
  failedSections: ReadonlySet<string>,
  decl: Declarations,
): AgreementProblem[] {
  const out: AgreementProblem[] = []
  const envs = buildEnvironments(decl)
  for (const site of RAW_CONDITION_SITES) {
    if (!failedSections.has(site.section)) continue
    let container: unknown = raw
    for (const seg of site.list) container = (container as Record<string, unknown> | undefined)?.[seg as string]
    if (typeof container !== 'object' || container === null) continue
    const entries: [PathSegment, unknown][] = Array.isArray(container)
      ? container.map((v, i) => [i, v])
      : site.keyed
        ? Object.entries(container)
        : []
    for (const [key, item] of entries) {
      const when = (item as { when?: unknown } | null)?.when
      if (typeof when !== 'string') continue
      const r = compileCondition(envs[site.scope], when)
      if (!r.ok)
        for (const e of r.errors)
          out.push({ path: [...site.list, key, 'when'], message: e.message, cel: { start: e.start, end: e.end } })
    }
  }
  return out
}
