import { type ASTNode, parse as parseCel, serialize } from '@marcbachmann/cel-js'
import type { Agreement } from './agreement-schema.ts'
import { formatDuration } from './duration.ts'
import { canonicalizeAgreement } from './hash-agreement.ts'

export type AgreementChange = {
  kind: 'added' | 'removed' | 'changed'
  section: string
  path: string
  summary: string
}

export type AgreementDiff = { changes: AgreementChange[] }

const same = (a: unknown, b: unknown) =>
  JSON.stringify(canonicalizeAgreement(a)) === JSON.stringify(canonicalizeAgreement(b))

/** A value as it reads in the file: durations back to `4h`, fractions to `75%`. */
function show(v: unknown, field?: string): string {
  if (v === undefined || v === null) return 'none'
  if (typeof v === 'number' && (field === 'warn_at' || field === 'sla_compliance'))
    return `${Math.round(v * 1000) / 10}%`
  if (typeof v === 'object' && v !== null && 'ms' in v) return formatDuration((v as { ms: number }).ms)
  if (typeof v === 'object' && v !== null && 'businessMs' in v)
    return formatDuration((v as { businessMs: number }).businessMs)
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return v.map((x) => show(x)).join(', ')
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${k}: ${show(x, k)}`)
      .join(', ')
  }
  return String(v)
}

function skeleton(node: ASTNode, leaves: string[]): string {
  if (node.op === '&&' || node.op === '||')
    return `(${skeleton(node.args[0], leaves)} ${node.op} ${skeleton(node.args[1], leaves)})`
  if (node.op === '!_') return `!${skeleton(node.args, leaves)}`
  leaves.push(serialize(node))
  return '_'
}

/**
 * `fit >= 60 && signals.demo_request` → `fit >= 65 && signals.demo_request` reads as `fit >= 60 → fit >= 65`: when
 * the boolean structure is unchanged, only the operands that changed are shown.
 */
export function describeConditionChange(before: string, after: string): string {
  try {
    const la: string[] = []
    const lb: string[] = []
    const sa = skeleton(parseCel(before).ast, la)
    const sb = skeleton(parseCel(after).ast, lb)
    if (sa === sb) {
      const changed = la.flatMap((x, i) => (x === lb[i] ? [] : [`${x} → ${lb[i]}`]))
      if (changed.length > 0) return changed.join('; ')
    }
  } catch {
    // An unparsable side cannot come from a validated Agreement; fall back to the whole text.
  }
  return `${before.trim()} → ${after.trim()}`
}

type Keyed = Record<string, unknown>

function byKey<T>(items: readonly T[] | Record<string, T>, key: (t: T) => string): Map<string, T> {
  if (Array.isArray(items)) return new Map(items.map((t) => [key(t), t]))
  return new Map(Object.entries(items as Record<string, T>))
}

type EntitySpec<T> = {
  section: string
  path: string
  noun: string
  label: (t: T, key: string) => string
  added?: (t: T, key: string) => string
  field?: (field: string, before: unknown, after: unknown, label: string) => string | undefined
}

function diffEntities<T extends Keyed>(
  out: AgreementChange[],
  a: readonly T[] | Record<string, T>,
  b: readonly T[] | Record<string, T>,
  key: (t: T) => string,
  spec: EntitySpec<T>,
): void {
  const ma = byKey(a, key)
  const mb = byKey(b, key)
  for (const [k, t] of mb) {
    const path = `${spec.path}.${k}`
    const label = spec.label(t, k)
    const before = ma.get(k)
    if (!before) {
      out.push({
        kind: 'added',
        section: spec.section,
        path,
        summary: spec.added?.(t, k) ?? `new ${spec.noun} ${label}`,
      })
      continue
    }
    const fields = new Set([...Object.keys(before), ...Object.keys(t)])
    for (const f of fields) {
      if (same(before[f], t[f])) continue
      const custom = spec.field?.(f, before[f], t[f], label)
      const summary =
        custom ??
        (f === 'when'
          ? `${spec.noun} ${label}: ${describeConditionChange(String(before[f] ?? 'true'), String(t[f] ?? 'true'))}`
          : `${spec.noun} ${label} ${f.replaceAll('_', ' ')} ${show(before[f], f)} → ${show(t[f], f)}`)
      out.push({ kind: 'changed', section: spec.section, path: `${path}.${f}`, summary })
    }
  }
  for (const [k, t] of ma) {
    if (!mb.has(k))
      out.push({
        kind: 'removed',
        section: spec.section,
        path: `${spec.path}.${k}`,
        summary: `${spec.noun} ${spec.label(t, k)} removed`,
      })
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const oa = a.map(key).filter((k) => mb.has(k))
    const ob = b.map(key).filter((k) => ma.has(k))
    if (oa.join('\u0000') !== ob.join('\u0000'))
      out.push({
        kind: 'changed',
        section: spec.section,
        path: spec.path,
        summary: `${spec.noun} order ${oa.join(', ')} → ${ob.join(', ')}`,
      })
  }
}

function diffScalar(
  out: AgreementChange[],
  section: string,
  path: string,
  what: string,
  a: unknown,
  b: unknown,
  field?: string,
) {
  if (!same(a, b))
    out.push({ kind: 'changed', section, path, summary: `${what} ${show(a, field)} → ${show(b, field)}` })
}

function diffSet(
  out: AgreementChange[],
  section: string,
  path: string,
  what: string,
  a: readonly string[],
  b: readonly string[],
) {
  for (const x of b) if (!a.includes(x)) out.push({ kind: 'added', section, path, summary: `${what} + ${x}` })
  for (const x of a) if (!b.includes(x)) out.push({ kind: 'removed', section, path, summary: `${what} − ${x}` })
}

/**
 * A semantic diff of two Agreement versions, in the words of the Agreement: entities are matched by id or name, not by
 * position, and conditions are compared operand by operand.
 *
 * Example: `formatDiff(diffAgreements(q3, q4))` →
 * `~ MQL: fit >= 60 → fit >= 65` / `+ new disqualifier Competitor` / `~ tier hot SLA 1h → 2h`
 */
export function diffAgreements(a: Agreement, b: Agreement): AgreementDiff {
  const out: AgreementChange[] = []
  diffScalar(out, 'agreement', 'agreement', 'title', a.agreement, b.agreement)
  diffScalar(out, 'agreement', 'effective_from', 'effective from', a.effective_from, b.effective_from)
  for (const role of ['marketing', 'sales'] as const)
    diffScalar(out, 'owners', `owners.${role}`, `${role} owner`, a.owners[role], b.owners[role])

  const listNames = new Set([...Object.keys(a.lists), ...Object.keys(b.lists)])
  for (const name of listNames) {
    const la = a.lists[name]
    const lb = b.lists[name]
    if (!la)
      out.push({
        kind: 'added',
        section: 'lists',
        path: `lists.${name}`,
        summary: `new list ${name} (${lb!.length} entries)`,
      })
    else if (!lb)
      out.push({ kind: 'removed', section: 'lists', path: `lists.${name}`, summary: `list ${name} removed` })
    else diffSet(out, 'lists', `lists.${name}`, `list ${name}`, la, lb)
  }
  diffSet(out, 'event_types', 'event_types', 'event type', a.event_types, b.event_types)
  diffSet(
    out,
    'account_signal_types',
    'account_signal_types',
    'account signal',
    a.account_signal_types,
    b.account_signal_types,
  )

  diffEntities(out, a.icp.fit, b.icp.fit, (c) => c.id, {
    section: 'icp',
    path: 'icp.fit',
    noun: 'fit criterion',
    label: (c) => c.name,
    added: (c) => `new fit criterion ${c.name} (${c.points >= 0 ? '+' : ''}${c.points})`,
  })
  diffEntities(out, a.icp.disqualify, b.icp.disqualify, (c) => c.id, {
    section: 'icp',
    path: 'icp.disqualify',
    noun: 'disqualifier',
    label: (c) => c.name,
  })
  diffEntities(out, a.personas, b.personas, (p) => p.id, {
    section: 'personas',
    path: 'personas',
    noun: 'persona',
    label: (p) => p.name,
  })
  diffScalar(out, 'personas', 'buying_committee', 'buying committee', a.buying_committee, b.buying_committee)

  diffScalar(out, 'intent', 'intent.half_life', 'intent half-life', a.intent.half_life, b.intent.half_life)
  diffScalar(out, 'intent', 'intent.max', 'intent maximum', a.intent.max, b.intent.max)
  diffEntities(out, a.intent.rules, b.intent.rules, (r) => r.id, {
    section: 'intent',
    path: 'intent.rules',
    noun: 'intent rule',
    label: (r) => r.id,
    added: (r) => `new intent rule ${r.id} (${r.type}, ${r.points >= 0 ? '+' : ''}${r.points})`,
  })
  diffEntities(out, a.intent.signals as Record<string, Keyed>, b.intent.signals as Record<string, Keyed>, () => '', {
    section: 'intent',
    path: 'intent.signals',
    noun: 'signal',
    label: (_, k) => k,
  })

  diffEntities(out, a.stages as Record<string, Keyed>, b.stages as Record<string, Keyed>, () => '', {
    section: 'stages',
    path: 'stages',
    noun: 'stage',
    label: (_, k) => k,
    field: (f, before, after, label) =>
      f === 'when'
        ? `${label}: ${describeConditionChange(String(before ?? 'true'), String(after ?? 'true'))}`
        : undefined,
  })
  diffEntities(out, a.tiers, b.tiers, (t) => t.name, {
    section: 'tiers',
    path: 'tiers',
    noun: 'tier',
    label: (t) => t.name,
    field: (f, before, after, label) => {
      if (f !== 'sla') return undefined
      const sa = before as Agreement['tiers'][number]['sla']
      const sb = after as Agreement['tiers'][number]['sla']
      if (sa && sb && same(sa.disposition, sb.disposition))
        return `tier ${label} SLA ${show(sa.first_touch)} → ${show(sb.first_touch)}`
      return `tier ${label} SLA ${sa ? show(sa) : 'none'} → ${sb ? show(sb) : 'none'}`
    },
  })
  diffSet(
    out,
    'handoff',
    'handoff.required_fields',
    'handoff required field',
    a.handoff.required_fields,
    b.handoff.required_fields,
  )

  diffEntities(out, a.calendars as Record<string, Keyed>, b.calendars as Record<string, Keyed>, () => '', {
    section: 'calendars',
    path: 'calendars',
    noun: 'calendar',
    label: (_, k) => k,
  })
  diffEntities(out, a.teams as Record<string, Keyed>, b.teams as Record<string, Keyed>, () => '', {
    section: 'teams',
    path: 'teams',
    noun: 'team',
    label: (_, k) => k,
  })
  diffEntities(out, a.reps, b.reps, (r) => r.id, { section: 'reps', path: 'reps', noun: 'rep', label: (r) => r.name })
  diffEntities(out, a.pools as Record<string, Keyed>, b.pools as Record<string, Keyed>, () => '', {
    section: 'pools',
    path: 'pools',
    noun: 'pool',
    label: (_, k) => k,
    field: (f, before, after, label) => {
      if (f !== 'members') return undefined
      const fmt = (ms: unknown) =>
        (ms as { rep: string; weight: number }[]).map((m) => `${m.rep}×${m.weight}`).join(', ')
      return `pool ${label} members ${fmt(before)} → ${fmt(after)}`
    },
  })
  diffEntities(out, a.routing, b.routing, (r) => r.name, {
    section: 'routing',
    path: 'routing',
    noun: 'routing rule',
    label: (r) => r.name,
    field: (f, before, after, label) =>
      f === 'to' ? `routing rule ${label} target ${show(before)} → ${show(after)}` : undefined,
  })

  diffScalar(out, 'sla', 'sla.warn_at', 'SLA warning at', a.sla.warn_at, b.sla.warn_at, 'warn_at')
  diffSet(out, 'sla', 'sla.pause_when', 'SLA pause reason', a.sla.pause_when, b.sla.pause_when)
  if (!same(a.sla.escalate, b.sla.escalate)) {
    const fmt = (es: Agreement['sla']['escalate']) =>
      es
        .map((e) => {
          const after = e.after.businessMs ? `breach + ${formatDuration(e.after.businessMs)}` : 'breach'
          const act = [
            e.notify?.length ? `notify ${e.notify.join('+')}` : '',
            e.reassign ? `reassign ${show(e.reassign)}` : '',
          ]
          return `${after}: ${act.filter(Boolean).join(', ')}`
        })
        .join('; ')
    out.push({
      kind: 'changed',
      section: 'sla',
      path: 'sla.escalate',
      summary: `SLA escalation ${fmt(a.sla.escalate)} → ${fmt(b.sla.escalate)}`,
    })
  }

  for (const kind of ['accept', 'reject', 'recycle'] as const) {
    diffEntities(out, a.dispositions[kind] as Keyed[], b.dispositions[kind] as Keyed[], (d) => String(d.code), {
      section: 'dispositions',
      path: `dispositions.${kind}`,
      noun: `${kind} reason`,
      label: (d) => String(d.code),
    })
  }

  diffScalar(out, 'attribution', 'attribution.model', 'attribution model', a.attribution.model, b.attribution.model)
  for (const f of ['lookback', 'locked_from', 'half_life', 'weights', 'order'] as const)
    diffScalar(
      out,
      'attribution',
      `attribution.${f}`,
      `attribution ${f.replace('_', ' ')}`,
      a.attribution[f],
      b.attribution[f],
    )

  diffEntities(out, a.targets, b.targets, (t) => t.period, {
    section: 'targets',
    path: 'targets',
    noun: 'target',
    label: (t) => t.period,
  })
  return { changes: out }
}

const MARK = { added: '+', removed: '-', changed: '~' } as const

/**
 * One line per change, grouped by section, marked `+` added, `-` removed, `~` changed.
 *
 * Example: `formatDiff(diff)` → `"stages\n  ~ MQL: fit >= 60 → fit >= 65"`
 */
export function formatDiff(diff: AgreementDiff): string {
  if (diff.changes.length === 0) return 'no semantic changes'
  const lines: string[] = []
  let section = ''
  for (const c of diff.changes) {
    if (c.section !== section) {
      section = c.section
      lines.push(section)
    }
    lines.push(`  ${MARK[c.kind]} ${c.summary}`)
  }
  return lines.join('\n')
}
