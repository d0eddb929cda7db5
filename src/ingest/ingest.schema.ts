/**
 * The ingest envelopes, validated at the edge (HTTP bodies and CSV rows share these). snake_case, as sent.
 * Unknown top-level keys are refused so a typo (`occured_at`) is an error, not a silently dropped field.
 */
import { z } from 'zod'
import {
  ACCOUNT_COLUMN_FIELDS,
  ACCOUNT_FIELDS,
  FIELD_TYPE_NAMES,
  type FieldSpec,
  hasFieldType,
  PERSON_COLUMN_FIELDS,
  PERSON_FIELDS,
} from '../core/rules/index.ts'

export const MAX_BATCH = 1000

/** A value as the sender wrote it, for a message: `42`, `"ten"`, `an object`. */
function describeValue(v: unknown): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'an object'
  return String(v)
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
}

/**
 * zod's `Invalid input: expected string, received number` in the API's words, with the value sent:
 * `people[3].title: expected a string, got 42`; a missing required field: `events[0].id: required (a string)`.
 */
const typed = {
  error: (issue: z.core.$ZodRawIssue) => {
    if (issue.code !== 'invalid_type') return undefined
    const expected = EXPECTED[issue.expected] ?? issue.expected
    return issue.input === undefined
      ? `required (${expected})`
      : `expected ${expected}, got ${describeValue(issue.input)}`
  },
}

const text = (max: number) => z.string(typed).trim().min(1).max(max)
const optionalText = (max: number) => z.string(typed).trim().max(max).nullish()
const freeForm = () => z.record(z.string(), z.unknown(), typed)

/**
 * What conditions read from a record's own fields rather than its attributes: an attribute of that name would be
 * dropped unread, so it is refused with where the value belongs.
 */
const SHADOWED: Record<'person' | 'account', Record<string, string>> = {
  person: Object.fromEntries(
    PERSON_COLUMN_FIELDS.map((f) => [
      f,
      f === 'email_domain' || f === 'is_free_email' ? 'the email' : `the ${f} field`,
    ]),
  ),
  account: Object.fromEntries(ACCOUNT_COLUMN_FIELDS.map((f) => [f, `the ${f} field`])),
}

/**
 * A record's free-form `attributes`. Any key is allowed, but one named like a condition field of the record's root
 * (`seniority` → `person.seniority`, `tags` → `account.tags`) is what conditions read, so it must have that field's
 * catalogue type: conditions are type-checked against the catalogue and evaluation trusts it. A key that conditions
 * read from the record's own fields (`title`) is refused.
 */
const attributesOf = (root: 'person' | 'account', fields: Record<string, FieldSpec>) =>
  freeForm()
    .superRefine((attributes, ctx) => {
      for (const [key, value] of Object.entries(attributes)) {
        const source = Object.hasOwn(SHADOWED[root], key) ? SHADOWED[root][key] : undefined
        if (source !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `${root}.${key} is read from ${source}, never from attributes; send it there`,
          })
          continue
        }
        const spec = Object.hasOwn(fields, key) ? fields[key] : undefined
        if (spec === undefined || value === null || hasFieldType(spec.type, value)) continue
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `expected ${FIELD_TYPE_NAMES[spec.type]}, got ${describeValue(value)} (the type of ${root}.${key} in conditions)`,
        })
      }
    })
    .nullish()
const isoDateTime = z.iso.datetime({
  offset: true,
  message: 'expected an ISO-8601 date-time such as 2026-11-20T14:03:00Z',
})
const isoDateOrDateTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  message: 'expected an ISO-8601 date (2026-11-20) or date-time (2026-11-20T14:03:00Z)',
})

/** The limits of an event's strings, shared by the schema and the clean-batch path below. */
const ID_MAX = 200
const ACCOUNT_LIMITS = { domain: 253 } as const
const PERSON_LIMITS = { email: 320, anonymous_id: 200, first_name: 200, last_name: 200, title: 300 } as const
const CONTEXT_LIMITS = { source: 200, medium: 200, campaign: 300, content: 300, term: 300 } as const
const EVENT_TYPE = /^[a-z][a-z0-9_]{0,63}$/

export const eventSchema = z
  .object({
    id: text(ID_MAX),
    type: z.string().regex(EVENT_TYPE, 'expected a lower_snake_case event type such as page_view'),
    occurred_at: isoDateTime,
    person: z
      .object(
        {
          email: optionalText(PERSON_LIMITS.email),
          anonymous_id: optionalText(PERSON_LIMITS.anonymous_id),
          first_name: optionalText(PERSON_LIMITS.first_name),
          last_name: optionalText(PERSON_LIMITS.last_name),
          title: optionalText(PERSON_LIMITS.title),
        },
        typed,
      )
      .strict()
      .refine((p) => Boolean(p.email || p.anonymous_id), { message: 'needs an email or an anonymous_id' }),
    account: z
      .object({ domain: text(ACCOUNT_LIMITS.domain) }, typed)
      .strict()
      .nullish(),
    properties: freeForm().default({}),
    context: z
      .object(
        {
          source: optionalText(CONTEXT_LIMITS.source),
          medium: optionalText(CONTEXT_LIMITS.medium),
          campaign: optionalText(CONTEXT_LIMITS.campaign),
          content: optionalText(CONTEXT_LIMITS.content),
          term: optionalText(CONTEXT_LIMITS.term),
        },
        typed,
      )
      .strict()
      .default({}),
  })
  .strict()
export type EventInput = z.infer<typeof eventSchema>

export const eventBatchSchema = z.object({ events: z.array(eventSchema).min(1, 'send at least one event') }).strict()

/**
 * A batch as `eventBatchSchema` parses it (defaults filled in), when it is clean: every event a plain object with the
 * schema's keys only, its strings within their limits and needing no trimming — what senders send. Otherwise null:
 * then zod parses the batch and words its errors. Zod keeps bookkeeping for every field it checks (~4 KB of garbage
 * an event): parsing a 500-event body and validating it costs 6.3 µs an event with zod, 2.0 this way (1.5 of it
 * `JSON.parse`). Never accepts what the schema refuses, and gives what it gives (ingest.schema.test.ts compares the two
 * on generated batches). Fills the defaults into `body` itself: pass a body of your own.
 */
export function cleanEventBatch(body: unknown): { events: EventInput[] } | null {
  if (!isRecord(body)) return null
  for (const key in body) if (key !== 'events') return null
  const events = body.events
  if (!Array.isArray(events) || events.length === 0) return null
  for (const e of events) if (!isCleanEvent(e)) return null
  for (const e of events as Record<string, unknown>[]) {
    e.properties ??= {}
    e.context ??= {}
  }
  return body as { events: EventInput[] }
}

const EVENT_KEYS = new Set(['id', 'type', 'occurred_at', 'person', 'account', 'properties', 'context'])
const ISO_DATE_TIME = isoDateTime._zod.pattern

function isCleanEvent(e: unknown): boolean {
  if (!isRecord(e)) return false
  for (const key in e) if (!EVENT_KEYS.has(key)) return false
  const { id, type, occurred_at, person, account, properties, context } = e
  return (
    isCleanText(id, ID_MAX, true) &&
    typeof type === 'string' &&
    EVENT_TYPE.test(type) &&
    typeof occurred_at === 'string' &&
    ISO_DATE_TIME.test(occurred_at) &&
    isRecord(person) &&
    hasCleanFields(person, PERSON_LIMITS) &&
    Boolean(person.email || person.anonymous_id) &&
    (account === undefined ||
      account === null ||
      (isRecord(account) &&
        hasCleanFields(account, ACCOUNT_LIMITS) &&
        isCleanText(account.domain, ACCOUNT_LIMITS.domain, true))) &&
    (properties === undefined || isRecord(properties)) &&
    (context === undefined || (isRecord(context) && hasCleanFields(context, CONTEXT_LIMITS)))
  )
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A string `trim()` leaves as it is, at most `max` long, and not empty when `required`. */
function isCleanText(v: unknown, max: number, required: boolean): boolean {
  return typeof v === 'string' && v.length <= max && (v.length === 0 ? !required : v.trim().length === v.length)
}

/** Every key one of `limits`, its value null, absent or clean text within its limit. */
function hasCleanFields(o: Record<string, unknown>, limits: Record<string, number>): boolean {
  for (const key in o) {
    if (!Object.hasOwn(limits, key)) return false
    const v = o[key]
    if (v !== null && v !== undefined && !isCleanText(v, limits[key]!, false)) return false
  }
  return true
}

/**
 * An account is keyed by its domain; without one, by its name (a derived key, see src/ingest/account-names.ts), for
 * CRM exports that carry company names only.
 */
export const accountSchema = z
  .object({
    domain: text(253).nullish(),
    name: optionalText(300),
    industry: optionalText(200),
    employees: z.number(typed).int().nonnegative().nullish(),
    revenue: z.number(typed).nonnegative().nullish(),
    country: optionalText(100),
    region: optionalText(100),
    state: optionalText(100),
    segment: optionalText(100),
    technologies: z.array(text(200), typed).max(500).nullish(),
    owner: optionalText(200),
    external_id: optionalText(200),
    attributes: attributesOf('account', ACCOUNT_FIELDS),
  })
  .strict()
  .refine((a) => Boolean(a.domain || a.name), { message: 'needs a domain or a name', path: ['domain'] })
export type AccountInput = z.infer<typeof accountSchema>

export const personSchema = z
  .object({
    email: text(320),
    first_name: optionalText(200),
    last_name: optionalText(200),
    title: optionalText(300),
    phone: optionalText(100),
    country: optionalText(100),
    account_domain: optionalText(253),
    external_id: optionalText(200),
    attributes: attributesOf('person', PERSON_FIELDS),
  })
  .strict()
export type PersonInput = z.infer<typeof personSchema>

export const opportunitySchema = z
  .object({
    external_id: text(200),
    account_domain: optionalText(253),
    /** The account by name when the export has no domain (looked up case-insensitively, created when missing). */
    account_name: optionalText(300),
    name: optionalText(300),
    amount: z.number(typed).nonnegative().nullish(),
    stage: text(100),
    is_closed: z.boolean(typed).nullish(),
    is_won: z.boolean(typed).nullish(),
    created_at: isoDateOrDateTime.nullish(),
    closed_at: isoDateOrDateTime.nullish(),
    owner: optionalText(200),
    source: optionalText(200),
    lost_reason: optionalText(500),
    contacts: z
      .array(z.object({ email: text(320), role: optionalText(100) }).strict())
      .max(200)
      .nullish(),
    attributes: freeForm().nullish(),
  })
  .strict()
export type OpportunityInput = z.infer<typeof opportunitySchema>

/**
 * A situational fact about an account reported by enrichment (funding round, hiring surge, …), which the ICP's
 * situational criteria read within their `within` window. Keyed by account, type and instant: re-sending is a no-op.
 */
export const accountSignalSchema = z
  .object({
    domain: text(253),
    type: text(100),
    /** A date alone (what enrichment exports often carry) is midnight UTC. */
    at: isoDateOrDateTime,
    source: optionalText(200),
    details: freeForm().nullish(),
  })
  .strict()
export type AccountSignalInput = z.infer<typeof accountSignalSchema>

export const accountBatchSchema = z.object({ accounts: z.array(accountSchema).min(1) }).strict()
export const personBatchSchema = z.object({ people: z.array(personSchema).min(1) }).strict()
export const opportunityBatchSchema = z.object({ opportunities: z.array(opportunitySchema).min(1) }).strict()
export const accountSignalBatchSchema = z.object({ signals: z.array(accountSignalSchema).min(1) }).strict()

/** `['events', 3, 'occurred_at']` → `events[3].occurred_at` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out ? `.${String(part)}` : String(part)
  }
  return out
}

export function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: formatPath([...prefix, ...i.path]) || '(body)', message: i.message }))
}
