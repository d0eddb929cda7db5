import type { z } from 'zod'

const ARTICLE: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  int: 'a whole number',
}

/** A value as an author would recognise it in the file. */
export function describeInput(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'an empty value'
  if (typeof v === 'string') return JSON.stringify(v)
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  return String(v)
}

/**
 * Rewrites a zod issue in the Agreement's words: `expected a number, got "ten"` rather than
 * `Invalid input: expected number, received string`. Needs the issue parsed with `reportInput: true`.
 */
export function describeZodIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'required'
      return `expected ${ARTICLE[issue.expected] ?? issue.expected}, got ${describeInput(input)}`
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
    case 'invalid_value':
      if (issue.values.length === 1) return `expected ${JSON.stringify(issue.values[0])}, got ${describeInput(input)}`
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}; got ${describeInput(input)}`
    case 'too_small': {
      const min = Number(issue.minimum)
      if (issue.origin === 'array' || issue.origin === 'set')
        return issue.message.startsWith('Too small')
          ? `needs at least ${min} item${min === 1 ? '' : 's'}`
          : issue.message
      if (issue.origin === 'string') return issue.message.startsWith('Too small') ? 'must not be empty' : issue.message
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${min}, got ${describeInput(input)}`
    }
    case 'too_big': {
      const max = Number(issue.maximum)
      if (issue.origin === 'array') return `allows at most ${max} items`
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${max}, got ${describeInput(input)}`
    }
    case 'invalid_format':
      if (issue.message.startsWith('Invalid')) return `${issue.message.toLowerCase()}, got ${describeInput(input)}`
      return `${issue.message}, got ${describeInput(input)}`
    case 'invalid_union':
      return issue.message.startsWith('Invalid input') ? `unexpected value ${describeInput(input)}` : issue.message
    default:
      return issue.message
  }
}
