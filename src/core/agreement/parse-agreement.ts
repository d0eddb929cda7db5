import { LineCounter, parseDocument, Scalar } from 'yaml'
import type { z } from 'zod'
import { type Agreement, AgreementSchema, DEFAULT_ACCOUNT_SIGNAL_TYPES } from './agreement-schema.ts'
import {
  type AgreementProblem,
  checkAgreement,
  checkRawConditions,
  type Declarations,
  type PartialAgreement,
} from './check-agreement.ts'
import { describeZodIssue } from './describe-zod-issue.ts'
import { type AgreementError, sortAgreementErrors } from './format-agreement-errors.ts'
import { hashAgreement } from './hash-agreement.ts'
import { findScalar, formatPath, locateYamlPath, type PathSegment } from './locate-yaml-path.ts'

export type ParseAgreementResult =
  | { ok: true; agreement: Agreement; hash: string }
  | { ok: false; errors: AgreementError[] }

type Located = { path: PathSegment[]; message: string; at?: 'key' }

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function zodProblems(section: string, issues: readonly z.core.$ZodIssue[]): Located[] {
  const out: Located[] = []
  for (const issue of issues) {
    const path = [section, ...(issue.path as PathSegment[])]
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown key "${key}"`, at: 'key' })
      continue
    }
    out.push({ path, message: describeZodIssue(issue) })
  }
  return out
}

/** What conditions may reference, from the parsed sections or, when a section failed, from its raw shape. */
function collectDeclarations(parsed: PartialAgreement, raw: Record<string, unknown>): Declarations {
  const rawIntent = isRecord(raw.intent) ? raw.intent : {}
  const rawLists = isRecord(raw.lists) ? raw.lists : {}
  const lists: Record<string, readonly string[]> = parsed.lists ?? {}
  if (!parsed.lists) {
    for (const [k, v] of Object.entries(rawLists))
      if (Array.isArray(v)) (lists as Record<string, string[]>)[k] = v.filter((x): x is string => typeof x === 'string')
  }
  const signals = parsed.intent
    ? Object.keys(parsed.intent.signals)
    : isRecord(rawIntent.signals)
      ? Object.keys(rawIntent.signals)
      : []
  const accountSignals =
    parsed.account_signal_types ??
    (Array.isArray(raw.account_signal_types)
      ? raw.account_signal_types.filter((x): x is string => typeof x === 'string')
      : [...DEFAULT_ACCOUNT_SIGNAL_TYPES])
  const tiers =
    parsed.tiers?.map((t) => t.name) ??
    (Array.isArray(raw.tiers)
      ? raw.tiers.flatMap((t) => (isRecord(t) && typeof t.name === 'string' ? [t.name] : []))
      : [])
  const keysOf = (v: unknown) => (isRecord(v) ? Object.keys(v) : undefined)
  const idsOf = (v: unknown) =>
    Array.isArray(v) ? v.flatMap((x) => (isRecord(x) && typeof x.id === 'string' ? [x.id] : [])) : undefined
  const rawNames = {
    ...(parsed.calendars ? {} : { calendars: keysOf(raw.calendars) }),
    ...(parsed.teams ? {} : { teams: keysOf(raw.teams) }),
    ...(parsed.reps ? {} : { reps: idsOf(raw.reps) }),
    ...(parsed.pools ? {} : { pools: keysOf(raw.pools) }),
  }
  return { lists, signals, accountSignals, tiers, rawNames }
}

/**
 * Parse and validate an Agreement file. Every problem is collected — YAML syntax, schema, cross-references and CEL
 * type errors — each with its path and line, so one run shows everything to fix.
 *
 * Example:
 * ```ts
 * const r = parseAgreement(text, { fileName: 'accord.yaml' })
 * if (!r.ok) console.error(formatAgreementErrors(r.errors, 'accord.yaml'))
 * // accord.yaml:14 icp.fit[2].points: expected a number, got "ten"
 * ```
 */
export function parseAgreement(yamlText: string, _opts: { fileName?: string } = {}): ParseAgreementResult {
  const lines = new LineCounter()
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0])
        return { path: '', line: pos.line, column: pos.col, message: `YAML: ${e.message.split('\n')[0]}` }
      }),
    }
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 1000 })
  if (!isRecord(raw)) {
    return {
      ok: false,
      errors: [{ path: '', line: 1, message: 'expected a mapping of Agreement sections (agreement:, icp:, …)' }],
    }
  }

  const located: Located[] = []
  const parsed: Record<string, unknown> = {}
  const shape = AgreementSchema.shape as Record<string, z.ZodType>
  for (const [key, schema] of Object.entries(shape)) {
    const r = schema.safeParse(raw[key], { reportInput: true })
    if (r.success) parsed[key] = r.data
    else located.push(...zodProblems(key, r.error.issues))
  }
  for (const key of Object.keys(raw)) {
    if (!(key in shape)) located.push({ path: [key], message: `unknown section "${key}"`, at: 'key' })
  }

  const partial = parsed as PartialAgreement
  const decl = collectDeclarations(partial, raw)
  const failed = new Set(Object.keys(shape).filter((k) => !(k in parsed)))
  const problems: AgreementProblem[] = [...checkAgreement(partial, decl), ...checkRawConditions(raw, failed, decl)]

  const errors: AgreementError[] = located.map((p) => {
    const pos = locateYamlPath(doc, lines, p.path, p.at)
    return { path: formatPath(p.path), message: p.message, ...(pos ? { line: pos.line, column: pos.column } : {}) }
  })
  for (const p of problems) errors.push(placeProblem(doc, lines, p))

  if (errors.length > 0) return { ok: false, errors: sortAgreementErrors(errors) }
  const agreement = AgreementSchema.parse(raw)
  return { ok: true, agreement, hash: hashAgreement(agreement) }
}

/** A CEL error points inside its expression: the line of the offending token, and its column when exact. */
function placeProblem(doc: ReturnType<typeof parseDocument>, lines: LineCounter, p: AgreementProblem): AgreementError {
  const base = locateYamlPath(doc, lines, p.path)
  const error: AgreementError = {
    path: formatPath(p.path),
    message: p.message,
    ...(base ? { line: base.line, column: base.column } : {}),
  }
  const scalar = p.cel ? findScalar(doc, p.path) : undefined
  if (!p.cel || !scalar?.range || typeof scalar.value !== 'string') return error
  const before = scalar.value.slice(0, p.cel.start)
  const newlines = before.split('\n').length - 1
  const isBlock = scalar.type === Scalar.BLOCK_LITERAL || scalar.type === Scalar.BLOCK_FOLDED
  const isQuoted = scalar.type === Scalar.QUOTE_DOUBLE || scalar.type === Scalar.QUOTE_SINGLE
  if (!isBlock && newlines === 0) {
    const pos = lines.linePos(scalar.range[0] + (isQuoted ? 1 : 0) + p.cel.start)
    return { ...error, line: pos.line, column: pos.col }
  }
  const start = lines.linePos(scalar.range[0])
  const line = start.line + newlines + (isBlock ? 1 : 0)
  return { path: error.path, message: error.message, line }
}
