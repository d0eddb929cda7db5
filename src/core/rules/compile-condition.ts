import { type ASTNode, ParseError, serialize } from '@marcbachmann/cel-js'
import type { ConditionEnvironment } from './cel-environment.ts'
import type { ConditionScope, FieldType } from './field-catalogue.ts'

/** Three-valued truth: a condition over a missing field is neither true nor false. */
export type Truth = boolean | 'unknown'

export type ConditionContext = Readonly<Record<string, unknown>>

/** One operand of the boolean skeleton (`fit >= 60` in `fit >= 60 && signals.demo_request`), kept for explanations. */
export type ConditionLeaf = {
  source: string
  reads: readonly string[]
  test: (ctx: ConditionContext) => Truth
}

/**
 * A condition compiled once per Agreement version. `test` never throws: a missing field, or a runtime error,
 * yields `'unknown'`. `reads` lists the fields whose absence can make the result unknown; fields only tested with
 * `has()` are not in it. `isFast` says whether `test` is the direct JS closure rather than the CEL interpreter.
 */
export type CompiledCondition = {
  source: string
  scope: ConditionScope
  reads: readonly string[]
  /**
   * Every field the condition refers to, `has()` tests included (`account.owner`, `fit`): a result computed from a
   * context can be reused for another context that agrees on these fields.
   */
  fields: readonly string[]
  /**
   * True when the fast path is monotone in missing inputs: with some fields absent, a definite answer stays the same
   * whatever values they later take (no `has()`, the one construct that turns an absent field into `false`).
   */
  isMonotone: boolean
  leaves: readonly ConditionLeaf[]
  isFast: boolean
  test: (ctx: ConditionContext) => Truth
  /** The CEL interpreter path, always available; `test` is this or an equivalent closure. */
  testWithCel: (ctx: ConditionContext) => Truth
}

/** A problem in a condition; `start`/`end` are character offsets into the expression. */
export type ConditionError = { message: string; start: number; end: number }

export type CompileConditionResult =
  | { ok: true; condition: CompiledCondition }
  | { ok: false; errors: ConditionError[] }

const UNKNOWN = Symbol('unknown')
type Value = unknown
type Closure = (ctx: ConditionContext) => Value

const TYPE_WORDS: Record<string, string> = {
  double: 'a number',
  int: 'a number',
  uint: 'a number',
  string: 'a string',
  bool: 'a boolean',
  null: 'null',
  null_type: 'null',
}

function describeType(t: string): string {
  if (TYPE_WORDS[t]) return TYPE_WORDS[t]
  if (t.startsWith('list<')) return `a list of ${describeType(t.slice(5, -1)).replace(/^an? /, '')}s`
  if (t.startsWith('map<')) return 'a map'
  return t
}

function snippet(source: string, start: number, end: number): string {
  return source.slice(start, end).trim()
}

/** Rewrites cel-js messages ("no such overload: double == string") into words a RevOps author can act on. */
function humanizeCelMessage(raw: string, source: string, start: number, end: number): string {
  const first = raw.split('\n')[0]!.replace(/^(TypeError|ParseError|EvaluationError):\s*/, '')
  const overload = /^no such overload: (\S+) (==|!=|<=|>=|<|>|in|\+|-|\*|\/|%) (\S+)$/.exec(first)
  if (overload) {
    const [, left, op, right] = overload as unknown as [string, string, string, string]
    const verb = ['==', '!=', '<', '<=', '>', '>='].includes(op) ? 'cannot compare' : `cannot apply \`${op}\` to`
    const joiner = verb === 'cannot compare' ? 'with' : 'and'
    return `${verb} ${describeType(left)} ${joiner} ${describeType(right)} in \`${snippet(source, start, end)}\``
  }
  return `${first} in \`${snippet(source, start, end) || source}\``
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length]!
}

/** The closest known name, offered as "did you mean" when it is plausibly a typo. */
export function suggestName(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const k of known) {
    const d = levenshtein(name.toLowerCase(), k.toLowerCase())
    if (d < bestDistance) {
      best = k
      bestDistance = d
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined
}

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter', 'sortBy'])

type Walk = {
  env: ConditionEnvironment
  source: string
  errors: ConditionError[]
  reads: Set<string>
  fields?: Set<string>
}

function fieldTypeOf(env: ConditionEnvironment, node: ASTNode, locals: ReadonlySet<string>): FieldType | undefined {
  if (node.op === 'id' && !locals.has(node.args)) {
    const root = env.roots[node.args]
    return root?.kind === 'value' ? root.type : undefined
  }
  if (node.op === '.' && node.args[0].op === 'id' && !locals.has(node.args[0].args)) {
    const root = env.roots[node.args[0].args]
    return root?.kind === 'object' ? root.fields[node.args[1]]?.type : undefined
  }
  return undefined
}

/** `stage == "MQQL"` type-checks but can never be true: refuse literals that name no stage or tier. */
function checkNamedLiteral(w: Walk, node: ASTNode, other: ASTNode, locals: ReadonlySet<string>): void {
  if (node.op !== 'id' || locals.has(node.args)) return
  const known =
    node.args === 'stage' ? w.env.declarations.stages : node.args === 'tier' ? w.env.declarations.tiers : null
  if (!known || known.length === 0) return
  const literals = other.op === 'value' ? [other] : other.op === 'list' ? other.args : []
  for (const lit of literals) {
    if (lit.op !== 'value' || typeof lit.args !== 'string' || known.includes(lit.args)) continue
    const hint = suggestName(lit.args, known)
    w.errors.push({
      message: `unknown ${node.args} "${lit.args}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${known.join(', ')}`,
      start: lit.start,
      end: lit.end,
    })
  }
}

function walk(w: Walk, node: ASTNode, locals: ReadonlySet<string>, inHas: boolean): void {
  switch (node.op) {
    case 'value':
      return
    case 'id': {
      if (locals.has(node.args)) return
      const root = w.env.roots[node.args]
      if (!root) {
        const hint = suggestName(node.args, Object.keys(w.env.roots))
        w.errors.push({
          message: `unknown field \`${node.args}\`${hint ? ` (did you mean \`${hint}\`?)` : ''}; a ${w.env.scope} condition may read ${Object.keys(w.env.roots).join(', ')}`,
          start: node.start,
          end: node.end,
        })
        return
      }
      if (root.kind === 'value' && !inHas) w.reads.add(node.args)
      // A whole object root (`person` as a value) cannot be narrowed to fields: record the root itself.
      w.fields?.add(node.args)
      return
    }
    case '.':
    case '.?': {
      const [target, field] = node.args
      if (target.op === 'id' && !locals.has(target.args)) {
        const root = w.env.roots[target.args]
        if (root?.kind === 'object') {
          if (!(field in root.fields)) {
            const hint = suggestName(field, Object.keys(root.fields))
            const known = Object.keys(root.fields)
            w.errors.push({
              message:
                `unknown field \`${target.args}.${field}\`${hint ? ` (did you mean \`${target.args}.${hint}\`?)` : ''}` +
                (known.length ? '' : `; no ${target.args} are declared in this Agreement`),
              start: node.start,
              end: node.end,
            })
          } else if (target.args !== 'lists') {
            if (!inHas) w.reads.add(`${target.args}.${field}`)
            w.fields?.add(`${target.args}.${field}`)
          }
          return
        }
      }
      walk(w, target, locals, false)
      return
    }
    case 'call': {
      const [name, args] = node.args
      for (const a of args) walk(w, a, locals, name === 'has')
      return
    }
    case 'rcall': {
      const [name, receiver, args] = node.args
      walk(w, receiver, locals, false)
      const first = args[0]
      if (COMPREHENSIONS.has(name) && first?.op === 'id') {
        const inner = new Set(locals)
        inner.add(first.args)
        for (const a of args.slice(1)) walk(w, a, inner, false)
        return
      }
      for (const a of args) walk(w, a, locals, false)
      return
    }
    case 'list':
      for (const a of node.args) walk(w, a, locals, false)
      return
    case 'map':
      for (const [k, v] of node.args) {
        walk(w, k, locals, false)
        walk(w, v, locals, false)
      }
      return
    case '?:':
      for (const a of node.args) walk(w, a, locals, false)
      return
    case '!_':
    case '-_':
      walk(w, node.args, locals, false)
      return
    default: {
      const [l, r] = node.args as [ASTNode, ASTNode]
      if (node.op === '==' || node.op === '!=' || node.op === 'in') {
        checkNamedLiteral(w, l, r, locals)
        if (node.op !== 'in') checkNamedLiteral(w, r, l, locals)
      }
      walk(w, l, locals, false)
      walk(w, r, locals, false)
    }
  }
}

function num(v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v
}

function literalOf(node: ASTNode): { ok: true; value: unknown } | { ok: false } {
  if (node.op === 'value' && (typeof node.args !== 'object' || node.args === null) && node.args !== null)
    return { ok: true, value: num(node.args) }
  return { ok: false }
}

/** A comprehension's iteration variable: the closures of its body read the current element from the cell. */
type Locals = ReadonlyMap<string, { v: unknown }>

const NO_LOCALS: Locals = new Map()

/** Nodes that evaluate to a list in the fast path (typed list fields, `lists.*`, `map`/`filter` results). */
function isListNode(env: ConditionEnvironment, node: ASTNode, locals: Locals): boolean {
  if (node.op === 'list') return true
  if (node.op === 'rcall') return node.args[0] === 'map' || node.args[0] === 'filter'
  if (node.op === '.' && node.args[0].op === 'id' && node.args[0].args === 'lists' && !locals.has('lists')) return true
  return fieldTypeOf(env, node, new Set(locals.keys())) === 'list<string>'
}

/**
 * Compiles the subset of CEL that real conditions use (field reads, literals, comparisons, `in`, `&&`, `||`, `!`,
 * ternaries, has(), size(), the string predicates and the list macros `exists`, `all`, `exists_one`, `map`,
 * `filter`) into plain closures with three-valued logic. Returns null for anything else, so the interpreter stays
 * the reference: a property test pins both paths to the same answers. What must stay true: a missing field is the
 * UNKNOWN value, never an exception; the macros absorb UNKNOWN exactly as cel-js absorbs errors (`exists`: a true
 * element wins, else any unknown element makes it unknown; `all` dually; `exists_one`, `map`, `filter`: any unknown
 * element makes the whole unknown).
 */
function compileFast(env: ConditionEnvironment, node: ASTNode, locals: Locals = NO_LOCALS): Closure | null {
  switch (node.op) {
    case 'value': {
      const lit = literalOf(node)
      if (!lit.ok) return null
      const v = lit.value
      return () => v
    }
    case 'id': {
      const cell = locals.get(node.args)
      if (cell !== undefined) return () => cell.v ?? UNKNOWN
      const root = env.roots[node.args]
      if (root?.kind !== 'value') return null
      const name = node.args
      return (ctx) => ctx[name] ?? UNKNOWN
    }
    case '.': {
      const [target, field] = node.args
      if (target.op !== 'id' || locals.has(target.args)) return null
      const rootName = target.args
      const root = env.roots[rootName]
      if (root?.kind !== 'object' || !(field in root.fields)) return null
      if (rootName === 'lists') {
        const list = env.lists[field] ?? []
        return () => list
      }
      return (ctx) => {
        const o = ctx[rootName] as Record<string, unknown> | null | undefined
        if (o == null) return UNKNOWN
        return o[field] ?? UNKNOWN
      }
    }
    case '&&':
    case '||': {
      const l = compileFast(env, node.args[0], locals)
      const r = compileFast(env, node.args[1], locals)
      if (!l || !r) return null
      const stop = node.op === '||'
      return (ctx) => {
        const a = l(ctx)
        if (a === stop) return stop
        const b = r(ctx)
        if (b === stop) return stop
        return a === UNKNOWN || b === UNKNOWN ? UNKNOWN : !stop
      }
    }
    case '!_': {
      const x = compileFast(env, node.args, locals)
      if (!x) return null
      return (ctx) => {
        const v = x(ctx)
        return v === UNKNOWN ? UNKNOWN : !v
      }
    }
    case '?:': {
      const [c, a, b] = node.args.map((n) => compileFast(env, n, locals))
      if (!c || !a || !b) return null
      return (ctx) => {
        const v = c(ctx)
        return v === UNKNOWN ? UNKNOWN : v ? a(ctx) : b(ctx)
      }
    }
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const [ln, rn] = node.args
      if (isListNode(env, ln, locals) || isListNode(env, rn, locals) || ln.op === 'map' || rn.op === 'map') return null
      const l = compileFast(env, ln, locals)
      const r = compileFast(env, rn, locals)
      if (!l || !r) return null
      const cmp = COMPARE[node.op]
      return (ctx) => {
        const a = l(ctx)
        if (a === UNKNOWN) return UNKNOWN
        const b = r(ctx)
        if (b === UNKNOWN) return UNKNOWN
        return cmp(a as number, b as number)
      }
    }
    case 'in': {
      const [ln, rn] = node.args
      if (isListNode(env, ln, locals)) return null
      const l = compileFast(env, ln, locals)
      if (!l) return null
      if (rn.op === 'list') {
        const values: unknown[] = []
        for (const item of rn.args) {
          const lit = literalOf(item)
          if (!lit.ok) return null
          values.push(lit.value)
        }
        const set = new Set(values)
        return (ctx) => {
          const a = l(ctx)
          return a === UNKNOWN ? UNKNOWN : set.has(a)
        }
      }
      if (!isListNode(env, rn, locals)) return null
      if (rn.op === '.' && rn.args[0].op === 'id' && rn.args[0].args === 'lists') {
        const set = new Set(env.lists[rn.args[1]] ?? [])
        return (ctx) => {
          const a = l(ctx)
          return a === UNKNOWN ? UNKNOWN : set.has(a as string)
        }
      }
      const r = compileFast(env, rn, locals)
      if (!r) return null
      return (ctx) => {
        const a = l(ctx)
        if (a === UNKNOWN) return UNKNOWN
        const b = r(ctx)
        return b === UNKNOWN ? UNKNOWN : (b as unknown[]).includes(a)
      }
    }
    case 'call': {
      const [name, args] = node.args
      if (name === 'has' && args.length === 1) {
        const target = args[0]!
        if (target.op !== '.' || target.args[0].op !== 'id' || locals.has(target.args[0].args)) return null
        const rootName = target.args[0].args
        const field = target.args[1]
        return (ctx) => {
          const o = ctx[rootName] as Record<string, unknown> | null | undefined
          return o != null && o[field] != null
        }
      }
      if (name === 'size' && args.length === 1) return sizeOf(compileFast(env, args[0]!, locals))
      return null
    }
    case 'rcall': {
      const [name, receiverNode, args] = node.args
      const receiver = compileFast(env, receiverNode, locals)
      if (!receiver) return null
      if (COMPREHENSIONS.has(name)) return compileMacro(env, name, receiverNode, receiver, args, locals)
      if (name === 'size' && args.length === 0) return sizeOf(receiver)
      if ((name === 'lowerAscii' || name === 'upperAscii') && args.length === 0) {
        const upper = name === 'upperAscii'
        return (ctx) => {
          const s = receiver(ctx)
          if (s === UNKNOWN) return UNKNOWN
          return (s as string).replace(upper ? /[a-z]+/g : /[A-Z]+/g, (m) =>
            upper ? m.toUpperCase() : m.toLowerCase(),
          )
        }
      }
      if (args.length !== 1) return null
      if (name === 'matches') {
        const lit = literalOf(args[0]!)
        if (!lit.ok || typeof lit.value !== 'string') return null
        const re = new RegExp(lit.value, 'u')
        return (ctx) => {
          const s = receiver(ctx)
          return s === UNKNOWN ? UNKNOWN : re.test(s as string)
        }
      }
      if (name !== 'startsWith' && name !== 'endsWith' && name !== 'contains') return null
      const arg = compileFast(env, args[0]!, locals)
      if (!arg) return null
      return (ctx) => {
        const s = receiver(ctx)
        if (s === UNKNOWN) return UNKNOWN
        const a = arg(ctx)
        if (a === UNKNOWN) return UNKNOWN
        return name === 'startsWith'
          ? (s as string).startsWith(a as string)
          : name === 'endsWith'
            ? (s as string).endsWith(a as string)
            : (s as string).includes(a as string)
      }
    }
    default:
      return null
  }
}

/**
 * `list.exists(x, p)`, `all`, `exists_one`, `map(x, t)`, `map(x, p, t)`, `filter(x, p)` over a list-valued receiver.
 * The body reads the element through a cell; conditions are evaluated synchronously and a macro's body cannot
 * re-enter the same macro, so one cell per macro is enough.
 */
function compileMacro(
  env: ConditionEnvironment,
  name: string,
  receiverNode: ASTNode,
  receiver: Closure,
  args: readonly ASTNode[],
  locals: Locals,
): Closure | null {
  const first = args[0]
  if (first?.op !== 'id' || !isListNode(env, receiverNode, locals)) return null
  const cell = { v: undefined as unknown }
  const inner = new Map(locals)
  inner.set(first.args, cell)
  if (name === 'map' && args.length === 3) {
    const pred = compileFast(env, args[1]!, inner)
    const transform = compileFast(env, args[2]!, inner)
    if (!pred || !transform) return null
    return (ctx) => {
      const items = receiver(ctx)
      if (items === UNKNOWN) return UNKNOWN
      const out: unknown[] = []
      for (const x of items as unknown[]) {
        cell.v = x
        const keep = pred(ctx)
        if (keep === UNKNOWN) return UNKNOWN
        if (keep !== true) continue
        const y = transform(ctx)
        if (y === UNKNOWN) return UNKNOWN
        out.push(y)
      }
      return out
    }
  }
  if (args.length !== 2) return null
  const body = compileFast(env, args[1]!, inner)
  if (!body) return null
  switch (name) {
    case 'exists':
    case 'all': {
      // exists stops at the first true, all at the first false; an unknown element decides only if nothing stops.
      const stop = name === 'exists'
      return (ctx) => {
        const items = receiver(ctx)
        if (items === UNKNOWN) return UNKNOWN
        let unknown = false
        for (const x of items as unknown[]) {
          cell.v = x
          const r = body(ctx)
          if (r === UNKNOWN) unknown = true
          else if (r === stop) return stop
        }
        return unknown ? UNKNOWN : !stop
      }
    }
    case 'exists_one':
      return (ctx) => {
        const items = receiver(ctx)
        if (items === UNKNOWN) return UNKNOWN
        let n = 0
        for (const x of items as unknown[]) {
          cell.v = x
          const r = body(ctx)
          if (r === UNKNOWN) return UNKNOWN
          if (r === true) n++
        }
        return n === 1
      }
    case 'filter':
      return (ctx) => {
        const items = receiver(ctx)
        if (items === UNKNOWN) return UNKNOWN
        const out: unknown[] = []
        for (const x of items as unknown[]) {
          cell.v = x
          const r = body(ctx)
          if (r === UNKNOWN) return UNKNOWN
          if (r === true) out.push(x)
        }
        return out
      }
    case 'map':
      return (ctx) => {
        const items = receiver(ctx)
        if (items === UNKNOWN) return UNKNOWN
        const out: unknown[] = []
        for (const x of items as unknown[]) {
          cell.v = x
          const y = body(ctx)
          if (y === UNKNOWN) return UNKNOWN
          out.push(y)
        }
        return out
      }
    default:
      return null
  }
}

function sizeOf(inner: Closure | null): Closure | null {
  if (!inner) return null
  return (ctx) => {
    const v = inner(ctx)
    if (v === UNKNOWN) return UNKNOWN
    return typeof v === 'string' ? [...v].length : (v as unknown[]).length
  }
}

const COMPARE: Record<'==' | '!=' | '<' | '<=' | '>' | '>=', (a: number, b: number) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
}

function toTruth(v: unknown): Truth {
  return v === UNKNOWN ? 'unknown' : v === true
}

/**
 * cel-js refuses null in a typed field; Accord treats null and absent alike, so nulls are dropped before the
 * interpreter sees them (only when present: the common case allocates nothing).
 */
function withoutNulls(ctx: ConditionContext): ConditionContext {
  let copy: Record<string, unknown> | undefined
  for (const key in ctx) {
    const v = ctx[key]
    if (v === null || v === undefined) {
      copy ??= { ...ctx }
      delete copy[key]
      continue
    }
    if (typeof v !== 'object' || Array.isArray(v)) continue
    let inner: Record<string, unknown> | undefined
    for (const f in v as Record<string, unknown>) {
      if ((v as Record<string, unknown>)[f] == null) {
        inner ??= { ...(v as Record<string, unknown>) }
        delete inner[f]
      }
    }
    if (inner) {
      copy ??= { ...ctx }
      copy[key] = inner
    }
  }
  return copy ?? ctx
}

function compileCel(env: ConditionEnvironment, source: string): (ctx: ConditionContext) => Truth {
  const program = env.cel.parse(source)
  return (ctx) => {
    try {
      return program(withoutNulls(ctx)) === true
    } catch {
      return 'unknown'
    }
  }
}

function usesHas(node: ASTNode): boolean {
  if (node.op === 'call' && node.args[0] === 'has') return true
  const visit = (x: unknown): boolean =>
    Array.isArray(x) ? x.some(visit) : typeof x === 'object' && x !== null && 'op' in x ? usesHas(x as ASTNode) : false
  return node.op === 'value' || node.op === 'id' ? false : visit(node.args)
}

function splitLeaves(node: ASTNode, out: ASTNode[]): void {
  if (node.op === '&&' || node.op === '||') {
    splitLeaves(node.args[0], out)
    splitLeaves(node.args[1], out)
  } else if (node.op === '!_') {
    splitLeaves(node.args, out)
  } else {
    out.push(node)
  }
}

function collectReads(env: ConditionEnvironment, node: ASTNode, source: string): string[] {
  const w: Walk = { env, source, errors: [], reads: new Set() }
  walk(w, node, new Set(), false)
  return [...w.reads]
}

/**
 * Parse, type-check and compile one CEL condition. Never throws: every problem comes back as an error with the
 * offending character range, so the Agreement loader can point at the line.
 *
 * Example: `compileCondition(env, 'fit >= 60 && signals.demo_request')`
 */
export function compileCondition(env: ConditionEnvironment, source: string): CompileConditionResult {
  let ast: ASTNode
  try {
    ast = env.cel.parse(source).ast
  } catch (e) {
    const range = e instanceof ParseError && e.range ? e.range : { start: 0, end: source.length }
    const raw = e instanceof Error ? e.message : String(e)
    return {
      ok: false,
      errors: [{ message: `syntax: ${humanizeCelMessage(raw, source, range.start, range.end)}`, ...range }],
    }
  }
  const w: Walk = { env, source, errors: [], reads: new Set(), fields: new Set() }
  walk(w, ast, new Set(), false)
  if (w.errors.length > 0) return { ok: false, errors: w.errors }
  const checked = env.cel.check(source)
  if (!checked.valid) {
    const range = checked.error?.range ?? { start: 0, end: source.length }
    const raw = checked.error?.message ?? 'invalid expression'
    return { ok: false, errors: [{ message: humanizeCelMessage(raw, source, range.start, range.end), ...range }] }
  }
  if (checked.type !== 'bool') {
    return {
      ok: false,
      errors: [
        {
          message: `a condition must be true or false, but \`${source.trim()}\` is ${describeType(checked.type ?? 'unknown')}`,
          start: 0,
          end: source.length,
        },
      ],
    }
  }
  const testWithCel = compileCel(env, source)
  const fast = compileFast(env, ast)
  const test = fast ? (ctx: ConditionContext) => toTruth(fast(ctx)) : testWithCel
  const leafNodes: ASTNode[] = []
  splitLeaves(ast, leafNodes)
  const leaves: ConditionLeaf[] = leafNodes.map((leaf) => {
    const leafSource = serialize(leaf)
    const leafFast = compileFast(env, leaf)
    return {
      source: leafSource,
      reads: collectReads(env, leaf, leafSource),
      test: leafFast ? (ctx: ConditionContext) => toTruth(leafFast(ctx)) : compileCel(env, leafSource),
    }
  })
  return {
    ok: true,
    condition: {
      source,
      scope: env.scope,
      reads: [...w.reads],
      fields: [...(w.fields ?? [])],
      isMonotone: fast !== null && !usesHas(ast),
      leaves,
      isFast: fast !== null,
      test,
      testWithCel,
    },
  }
}
