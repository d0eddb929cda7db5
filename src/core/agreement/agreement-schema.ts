import { z } from 'zod'
import { DEFAULT_EVENT_TYPES } from '../events/event-types.ts'
import { EventMatchSchema } from '../rules/event-matcher.ts'
import {
  BUSINESS_DURATION_PATTERN,
  type BusinessDuration,
  DURATION_PATTERN,
  type Duration,
  parseDuration,
  parsePercent,
  parseTimeWindow,
} from './duration.ts'

/**
 * The Agreement file format (zod 4). Keys mirror the YAML (snake_case) because the parsed Agreement is the document
 * both teams signed; compileAgreement turns it into the camelCase shapes the engine reads. Every object is strict:
 * a misspelt key (`whn:`) is an error, never a silently ignored rule.
 */

export const LIFECYCLE_STAGES = [
  'Lead',
  'MQL',
  'AQL',
  'SAL',
  'SQL',
  'Opportunity',
  'Won',
  'Lost',
  'Recycled',
  'Disqualified',
] as const
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number]

/** Stages Accord enters by itself from conditions; the others are entered by a rep's action or CRM sync. */
export const AUTOMATIC_STAGES = ['MQL', 'AQL'] as const

export const DEFAULT_ACCOUNT_SIGNAL_TYPES = [
  'funding_round',
  'hiring_surge',
  'leadership_change',
  'new_technology',
  'expansion',
  'acquisition',
  'layoffs',
  'compliance_deadline',
] as const

export const ATTRIBUTION_MODELS = [
  'first_touch',
  'last_touch',
  'linear',
  'time_decay',
  'u_shaped',
  'w_shaped',
  'full_path',
  'custom',
  'markov',
] as const

export const SLA_PAUSE_REASONS = ['waiting_on_lead', 'meeting_scheduled'] as const
export const NOTIFY_TARGETS = ['rep', 'manager', 'marketing_owner', 'sales_owner'] as const

/** True when `timeZone` is an IANA zone this runtime knows (aliases such as `US/Eastern` and `UTC` included). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
    return true
  } catch {
    return false
  }
}

const Id = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { message: 'expected a lower_snake_case id (letters, digits, _), e.g. "na_sdr"' })

const Text = z.string().trim().min(1, { message: 'must not be empty' })

/** A CEL condition; type-checked against the fields of its scope at load time (see docs/agreement.md). */
const Condition = Text.describe('CEL condition, e.g. `fit >= 60 && signals.demo_request`')

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD' })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`)
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s)
    },
    { message: 'not a calendar date' },
  )

function durationSchema(kind: 'calendar'): z.ZodType<Duration, string>
function durationSchema(kind: 'business'): z.ZodType<BusinessDuration, string>
function durationSchema(kind: 'calendar' | 'business'): z.ZodType<Duration | BusinessDuration, string> {
  const pattern = kind === 'calendar' ? DURATION_PATTERN : BUSINESS_DURATION_PATTERN
  const hint =
    kind === 'calendar'
      ? 'expected a duration such as 7d, 4h, 90m, 1h30m'
      : 'expected business hours such as 4h, 90m, 1h30m (no days: a business day depends on the calendar)'
  return z
    .string()
    .regex(new RegExp(pattern), { message: hint })
    .refine((s) => s.trim() !== '', { message: hint })
    .transform((s, ctx) => {
      const parsed = parseDuration(s, kind === 'calendar' ? ['w', 'd', 'h', 'm', 's'] : ['h', 'm'])
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message })
        return z.NEVER
      }
      if (parsed.ms <= 0) {
        ctx.addIssue({ code: 'custom', message: 'must be longer than zero' })
        return z.NEVER
      }
      return kind === 'calendar' ? { ms: parsed.ms } : { businessMs: parsed.ms }
    })
    .describe(hint.replace('expected ', ''))
}

const Window = durationSchema('calendar')
const BusinessTime = durationSchema('business')

const Percent = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : parsePercent(v)
    if (n === undefined || !(n >= 0 && n <= 1)) {
      ctx.addIssue({ code: 'custom', message: `expected a percentage such as "75%" or 0.75, got ${JSON.stringify(v)}` })
      return z.NEVER
    }
    return n
  })
  .describe('percentage: "75%" or a fraction 0.75')

const Person = z.strictObject({
  name: Text,
  email: z.email({ message: 'expected an email address' }),
  slack: z.string().optional().describe('Slack member id or handle for notifications'),
})

const FitCriterion = z
  .strictObject({
    id: Id,
    name: Text,
    description: z.string().optional(),
    kind: z
      .enum(['firmographic', 'technographic', 'situational'])
      .default('firmographic')
      .describe('situational criteria read account_signals and need `within`'),
    when: Condition,
    points: z.number().describe('points added to fit when the criterion matches; may be negative'),
    within: Window.optional().describe('situational only: how recent the account signal must be'),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'situational' && !c.within)
      ctx.addIssue({ code: 'custom', path: ['within'], message: 'a situational criterion needs `within` (e.g. 90d)' })
    if (c.kind !== 'situational' && c.within)
      ctx.addIssue({ code: 'custom', path: ['within'], message: '`within` only applies to situational criteria' })
  })

const Disqualifier = z.strictObject({
  id: Id,
  name: Text,
  description: z.string().optional(),
  when: Condition,
  reason: Id.describe('reject reason code (from dispositions.reject) recorded on the disqualified lead'),
})

const Persona = z.strictObject({
  id: Id,
  name: Text,
  titles: z.array(Text).default([]).describe('case-insensitive keywords matched as whole words in the job title'),
  title_patterns: z.array(Text).default([]).describe('JavaScript regular expressions tested case-insensitively'),
  exclude: z.array(Text).default([]).describe('keywords that veto the persona (e.g. "assistant")'),
  seniority: z
    .array(z.enum(['c_level', 'vp', 'director', 'manager', 'individual', 'student']))
    .optional()
    .describe('when given, the person’s seniority must be one of these'),
})

const IntentRule = z.strictObject({
  id: Id,
  name: z.string().optional(),
  type: Id.describe('event type (from event_types)'),
  match: EventMatchSchema.optional(),
  points: z.number().describe('points per matching event; negative lowers intent'),
  cap: z.number().positive().optional().describe('most points this rule can contribute within the decay horizon'),
})

const EventFilter = z.strictObject({ type: Id, match: EventMatchSchema.optional() })

const Signal = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('count'),
      description: z.string().optional(),
      type: Id,
      match: EventMatchSchema.optional(),
      at_least: z.number().int().positive(),
      within: Window,
    }),
    z.strictObject({
      kind: z.literal('any'),
      description: z.string().optional(),
      of: z.array(EventFilter).min(1),
      within: Window,
    }),
    z.strictObject({
      kind: z.literal('inactivity'),
      description: z.string().optional(),
      for: Window,
    }),
  ],
  { error: 'expected kind: count, any or inactivity' },
)

const StageDefinition = z.strictObject({
  description: Text,
  when: Condition.optional().describe('entry condition (required for MQL and AQL, which Accord enters by itself)'),
})

const Tier = z.strictObject({
  name: Id,
  description: z.string().optional(),
  when: Condition,
  sla: z
    .strictObject({
      first_touch: BusinessTime.describe('first contact due within these business hours'),
      disposition: BusinessTime.optional().describe('accept / reject / recycle due within these business hours'),
    })
    .nullable()
    .describe('null: no SLA clock (nurture)'),
})

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

const TimeWindowText = z.string().superRefine((s, ctx) => {
  const parsed = parseTimeWindow(s)
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message })
})

const Calendar = z.strictObject({
  time_zone: Text.superRefine((tz, ctx) => {
    if (!isKnownTimeZone(tz))
      ctx.addIssue({
        code: 'custom',
        message: `unknown time zone "${tz}" (expected an IANA name such as America/New_York)`,
      })
  }).describe('IANA time zone, e.g. America/New_York'),
  hours: z
    .strictObject(
      Object.fromEntries(DAYS.map((d) => [d, z.array(TimeWindowText).optional()])) as Record<
        (typeof DAYS)[number],
        z.ZodOptional<z.ZodArray<typeof TimeWindowText>>
      >,
    )
    .describe('working windows per weekday; a missing day is closed'),
  holidays: z
    .strictObject({
      country: z
        .string()
        .regex(/^[A-Z]{2}$/, { message: 'expected an ISO country code such as US or DE' })
        .optional(),
      state: z.string().optional().describe('state / region code for regional holidays, e.g. NY, BE'),
      add: z.array(z.strictObject({ date: IsoDate, name: Text })).default([]),
      remove: z.array(z.strictObject({ date: IsoDate, name: z.string().optional() })).default([]),
    })
    .optional(),
  overrides: z
    .array(z.strictObject({ date: IsoDate, hours: z.array(TimeWindowText), note: z.string().optional() }))
    .default([])
    .describe('dates with special hours; `hours: []` closes the day'),
})

const Team = z.strictObject({
  name: Text.optional(),
  manager: Person,
  calendar: Id,
  slack_channel: z.string().optional(),
})

const Rep = z
  .strictObject({
    id: Id,
    name: Text,
    email: z.email({ message: 'expected an email address' }),
    team: Id,
    calendar: Id.optional().describe('defaults to the team calendar'),
    role: z.enum(['sdr', 'bdr', 'ae', 'manager']).default('sdr'),
    active: z.boolean().default(true),
    slack: z.string().optional(),
    out_of_office: z.array(z.strictObject({ from: IsoDate, to: IsoDate, note: z.string().optional() })).default([]),
    capacity: z
      .strictObject({ daily: z.number().int().positive().optional(), weekly: z.number().int().positive().optional() })
      .optional(),
  })
  .superRefine((r, ctx) => {
    r.out_of_office.forEach((o, i) => {
      if (o.to < o.from)
        ctx.addIssue({
          code: 'custom',
          path: ['out_of_office', i, 'to'],
          message: `ends (${o.to}) before it starts (${o.from})`,
        })
    })
  })

const Pool = z.strictObject({
  name: Text.optional(),
  members: z
    .array(z.strictObject({ rep: Id, weight: z.number().positive().default(1) }))
    .min(1, { message: 'a pool needs at least one member' }),
  backup: Id.optional().describe('pool that takes over when nobody here is available'),
  respect_working_hours: z.boolean().default(true),
  respect_capacity: z.boolean().default(true),
})

const RouteTarget = z.union([z.literal('account_owner'), z.strictObject({ pool: Id }), z.strictObject({ rep: Id })], {
  error: 'expected `account_owner`, `{ pool: <pool id> }` or `{ rep: <rep id> }`',
})

const RoutingRule = z.strictObject({
  name: Text,
  when: Condition.optional().describe('omit on the last rule: it catches everyone else'),
  to: RouteTarget,
})

const Escalation = z
  .strictObject({
    after: z
      .string()
      .transform((s, ctx) => {
        const m = /^breach(?:\s*\+\s*(\S+))?$/.exec(s.trim())
        if (!m) {
          ctx.addIssue({ code: 'custom', message: `expected "breach" or "breach + 1h", got ${JSON.stringify(s)}` })
          return z.NEVER
        }
        if (!m[1]) return { businessMs: 0 }
        const d = parseDuration(m[1], ['h', 'm'])
        if (!d.ok) {
          ctx.addIssue({ code: 'custom', message: d.message })
          return z.NEVER
        }
        return { businessMs: d.ms }
      })
      .describe('"breach", or "breach + 1h" (business time past the due time)'),
    notify: z.array(z.enum(NOTIFY_TARGETS)).optional(),
    reassign: z
      .union([z.literal('backup_pool'), z.strictObject({ pool: Id })], {
        error: 'expected `backup_pool` or `{ pool: <pool id> }`',
      })
      .optional(),
  })
  .refine((e) => e.notify !== undefined || e.reassign !== undefined, {
    message: 'an escalation step must notify someone or reassign the lead',
  })

const Disposition = z.strictObject({
  code: Id,
  label: Text,
  description: z.string().optional(),
  requires_note: z.boolean().default(false),
})

const AttributionWeights = z
  .strictObject({
    first: z.number().min(0).optional(),
    lead: z.number().min(0).optional(),
    opportunity: z.number().min(0).optional(),
    won: z.number().min(0).optional(),
    last: z.number().min(0).optional(),
    middle: z.number().min(0).optional(),
  })
  .refine((w) => Math.abs(Object.values(w).reduce((a, b) => a + (b ?? 0), 0) - 1) < 1e-9, {
    message: 'weights must add up to 1',
  })

const Attribution = z
  .strictObject({
    model: z.enum(ATTRIBUTION_MODELS),
    lookback: Window.describe('touches older than this before the conversion are ignored'),
    locked_from: IsoDate.describe('the model may not change for conversions after this date'),
    half_life: Window.optional().describe('time_decay only'),
    weights: AttributionWeights.optional().describe('custom only'),
    order: z.number().int().min(1).max(4).optional().describe('markov only: chain order'),
  })
  .superRefine((a, ctx) => {
    if (a.model === 'time_decay' && !a.half_life)
      ctx.addIssue({ code: 'custom', path: ['half_life'], message: 'time_decay needs half_life (e.g. 7d)' })
    if (a.model !== 'time_decay' && a.half_life)
      ctx.addIssue({ code: 'custom', path: ['half_life'], message: 'half_life only applies to time_decay' })
    if (a.model === 'custom' && !a.weights)
      ctx.addIssue({ code: 'custom', path: ['weights'], message: 'custom needs weights' })
    if (a.model !== 'custom' && a.weights)
      ctx.addIssue({ code: 'custom', path: ['weights'], message: 'weights only apply to the custom model' })
    if (a.model !== 'markov' && a.order !== undefined)
      ctx.addIssue({ code: 'custom', path: ['order'], message: 'order only applies to markov' })
  })

const Target = z.strictObject({
  period: z
    .string()
    .regex(/^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$/, { message: 'expected a quarter (2026-Q4) or a month (2026-10)' }),
  pipeline: z.number().nonnegative().optional().describe('pipeline created, in the workspace currency'),
  bookings: z.number().nonnegative().optional().describe('closed-won amount'),
  mqls: z.number().int().nonnegative().optional(),
  sqls: z.number().int().nonnegative().optional(),
  opportunities: z.number().int().nonnegative().optional(),
  sla_compliance: Percent.optional().describe('share of leads touched within their SLA'),
})

/** The whole Agreement document. */
export const AgreementSchema = z.strictObject({
  agreement: Text.describe('title of this Agreement version'),
  effective_from: IsoDate,
  owners: z.strictObject({ marketing: Person, sales: Person }),
  lists: z.record(Id, z.array(Text)).default({}).describe('named string lists, readable in conditions as lists.<name>'),
  account_signal_types: z
    .array(Id)
    .default([...DEFAULT_ACCOUNT_SIGNAL_TYPES])
    .describe('situational account signals enrichment may report'),
  event_types: z
    .array(Id)
    .min(1)
    .default([...DEFAULT_EVENT_TYPES])
    .describe('event types ingestion accepts'),
  icp: z.strictObject({
    fit: z.array(FitCriterion).min(1, { message: 'the ICP needs at least one fit criterion' }),
    disqualify: z.array(Disqualifier).default([]),
  }),
  personas: z.array(Persona).default([]).describe('ordered: the first persona whose titles match wins'),
  buying_committee: z
    .strictObject({
      personas: z.array(Id).min(1),
      min_engaged: z.number().int().positive().describe('engaged committee personas that make an account AQL-ready'),
    })
    .optional(),
  intent: z.strictObject({
    half_life: Window.describe('intent points halve after this long'),
    max: z.number().positive().default(100),
    rules: z.array(IntentRule).default([]),
    signals: z.record(Id, Signal).default({}),
  }),
  stages: z
    .strictObject(
      Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, StageDefinition.optional()])) as Record<
        LifecycleStage,
        z.ZodOptional<typeof StageDefinition>
      >,
    )
    .superRefine((stages, ctx) => {
      for (const s of AUTOMATIC_STAGES) {
        if (!stages[s]) ctx.addIssue({ code: 'custom', path: [s], message: `stage ${s} must be defined` })
        else if (!stages[s].when)
          ctx.addIssue({
            code: 'custom',
            path: [s, 'when'],
            message: `${s} is entered automatically: it needs \`when\``,
          })
      }
    }),
  tiers: z.array(Tier).min(1).describe('ordered: the first tier whose condition holds wins'),
  handoff: z.strictObject({
    required_fields: z.array(Text).default([]).describe('fields a lead must have before it is handed to sales'),
  }),
  calendars: z.record(Id, Calendar),
  teams: z.record(Id, Team),
  reps: z.array(Rep).min(1),
  pools: z.record(Id, Pool),
  routing: z.array(RoutingRule).min(1).describe('ordered: the first matching rule decides'),
  sla: z.strictObject({
    warn_at: Percent.describe('warn the rep when this share of the SLA has elapsed'),
    pause_when: z.array(z.enum(SLA_PAUSE_REASONS)).default([]),
    escalate: z.array(Escalation).default([]),
  }),
  dispositions: z.strictObject({
    accept: z.array(Disposition).min(1),
    reject: z.array(Disposition).min(1),
    recycle: z.array(Disposition.extend({ nurture_for: Window })).default([]),
  }),
  attribution: Attribution,
  targets: z.array(Target).default([]),
})

/** A validated Agreement, as written (snake_case), durations parsed to `{ ms }` / `{ businessMs }`. */
export type Agreement = z.output<typeof AgreementSchema>
export type AgreementInput = z.input<typeof AgreementSchema>
