import { z } from 'zod'

/**
 * Typed property matchers for the per-event hot path (intent rules, windowed signals). Deliberately not CEL: an event
 * stream is filtered millions of times, and these compile to a handful of direct comparisons. All operators given
 * for one property must hold; all properties given must hold.
 */
export const PropertyMatcherSchema = z
  .strictObject({
    equals: z.union([z.string(), z.number(), z.boolean()]).optional().describe('Exact value.'),
    in: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional()
      .describe('One of these values.'),
    prefix: z.string().min(1).optional().describe('String starts with this.'),
    contains: z.string().min(1).optional().describe('String contains this.'),
    regex: z.string().min(1).optional().describe('JavaScript regular expression the string must match.'),
    gte: z.number().optional().describe('Number ≥ this.'),
    lte: z.number().optional().describe('Number ≤ this.'),
    exists: z.boolean().optional().describe('true: the property is present; false: it is absent.'),
    ignore_case: z.boolean().optional().describe('Compare strings case-insensitively.'),
  })
  .refine((m) => Object.keys(m).some((k) => k !== 'ignore_case'), {
    message: 'a matcher needs at least one of equals, in, prefix, contains, regex, gte, lte, exists',
  })

export type PropertyMatcher = z.infer<typeof PropertyMatcherSchema>

/** `{ path: { prefix: /pricing } }` — property name → matcher. */
export const EventMatchSchema = z.record(z.string().min(1), PropertyMatcherSchema)

export type EventMatch = z.infer<typeof EventMatchSchema>

export type MatchableEvent = { type: string; properties?: Readonly<Record<string, unknown>> }

export type CompiledEventMatcher = {
  type: string
  test: (event: MatchableEvent) => boolean
}

type Check = (v: unknown) => boolean

function fold(v: unknown, ignoreCase: boolean): unknown {
  return ignoreCase && typeof v === 'string' ? v.toLowerCase() : v
}

function compileProperty(m: PropertyMatcher): Check {
  const ic = m.ignore_case === true
  const checks: Check[] = []
  if (m.exists !== undefined) {
    const want = m.exists
    checks.push((v) => (v != null) === want)
  }
  if (m.equals !== undefined) {
    const want = fold(m.equals, ic)
    checks.push((v) => fold(v, ic) === want)
  }
  if (m.in !== undefined) {
    const set = new Set(m.in.map((x) => fold(x, ic)))
    checks.push((v) => set.has(fold(v, ic)))
  }
  if (m.prefix !== undefined) {
    const p = fold(m.prefix, ic) as string
    checks.push((v) => typeof v === 'string' && (fold(v, ic) as string).startsWith(p))
  }
  if (m.contains !== undefined) {
    const p = fold(m.contains, ic) as string
    checks.push((v) => typeof v === 'string' && (fold(v, ic) as string).includes(p))
  }
  if (m.regex !== undefined) {
    const re = new RegExp(m.regex, ic ? 'iu' : 'u')
    checks.push((v) => typeof v === 'string' && re.test(v))
  }
  if (m.gte !== undefined) {
    const n = m.gte
    checks.push((v) => typeof v === 'number' && v >= n)
  }
  if (m.lte !== undefined) {
    const n = m.lte
    checks.push((v) => typeof v === 'number' && v <= n)
  }
  if (checks.length === 1) return checks[0]!
  return (v) => checks.every((c) => c(v))
}

/** The regex of a matcher that does not compile, as an error message; undefined when every regex is valid. */
export function findInvalidRegex(m: PropertyMatcher): string | undefined {
  if (m.regex === undefined) return undefined
  try {
    new RegExp(m.regex, 'u')
    return undefined
  } catch (e) {
    return `invalid regular expression ${JSON.stringify(m.regex)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`
  }
}

/**
 * Compile `type` + property matchers once; `test` is then a few comparisons per event.
 *
 * Example: `compileEventMatcher('page_view', { path: { prefix: '/pricing' } }).test({ type: 'page_view', properties: { path: '/pricing/teams' } }) === true`
 */
export function compileEventMatcher(type: string, match: EventMatch = {}): CompiledEventMatcher {
  const names = Object.keys(match)
  const checks = names.map((name) => compileProperty(match[name]!))
  if (names.length === 0) return { type, test: (e) => e.type === type }
  // Per event on the hot path: no allocation, no iterator; one property (the usual case) is a single call.
  if (names.length === 1) {
    const name = names[0]!
    const check = checks[0]!
    return { type, test: (e) => e.type === type && check(e.properties?.[name]) }
  }
  return {
    type,
    test: (e) => {
      if (e.type !== type) return false
      const p = e.properties
      for (let i = 0; i < names.length; i++) if (!checks[i]!(p?.[names[i]!])) return false
      return true
    },
  }
}
