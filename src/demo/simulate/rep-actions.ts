/**
 * What reps did with the leads handed to them during the simulated quarter: a first touch after a realistic delay
 * measured against the lead's SLA (most within it, some late, a few never), then a disposition whose reason follows
 * the lead's facts — students are rejected as such, companies under 50 people as too small, off-ICP industries as
 * wrong industry, leads that became opportunities are accepted, leads never reached end as `no_response`.
 *
 * Pure: instants are parameters, and each lead draws from its own `createRandom(seed, 'rep-actions', hash(email))`
 * stream, so a lead's fate depends on the seed and its own facts only — not on lead ids or on the other leads.
 * Nothing is planned after `now`: a lead handed off late in the quarter may still be untouched or in progress.
 */
import { createRandom, hashString, type Random, weightedTable } from './random.ts'
import type { PersonKind, Seniority } from './types.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** One handed-off lead as the database holds it after ingestion, with the simulator's ground truth beside it. */
export type RepActionLead = {
  /** Stable across databases: names the lead's random stream. */
  readonly email: string
  /** When the current assignment was made (the SLA clock's start). */
  readonly assignedAt: number
  /** The SLA clock's due instant (business time already applied); null when the lead has no clock. */
  readonly dueAt: number | null
  /** When the lead entered its current stage; a disposition is never recorded before it. */
  readonly stageEnteredAt: number
  /** Only MQL / AQL leads are dispositioned; others are left alone. */
  readonly stage: string
  readonly tier: string | null
  readonly employees: number | null
  /** False when the account's industry is outside the Agreement's target list; null when unknown. */
  readonly industryOnTarget: boolean | null
  readonly kind: PersonKind | null
  readonly seniority: Seniority | null
  /** Hidden ICP fit of the account in [0, 1]; null when unknown. */
  readonly accountFit: number | null
  readonly inMarket: boolean
  /** The person is a contact on an opportunity the quarter opened. */
  readonly onOpportunity: boolean
  /** The account had already won a deal before the handoff. */
  readonly existingCustomer: boolean
  /** A colleague at the same account was handed off in the two weeks before. */
  readonly accountAlreadyWorked: boolean
}

/** The reason codes the Agreement allows, per outcome (codes that require a note marked). */
export type ReasonCodes = Record<
  'accept' | 'reject' | 'recycle',
  readonly { readonly code: string; readonly requiresNote: boolean }[]
>

export type RepDisposition = {
  readonly outcome: 'accept' | 'reject' | 'recycle'
  readonly reasonCode: string
  readonly at: number
  readonly note?: string
}

export type RepAction = {
  readonly touch: { readonly at: number; readonly channel: string; readonly withinSla: boolean | null } | null
  readonly disposition: RepDisposition | null
}

const CHANNELS = weightedTable([
  ['call', 45],
  ['email', 38],
  ['linkedin', 10],
  ['meeting', 7],
] as const)

const OTHER_NOTES = [
  'Agency researching for a client, not an end customer',
  'Reseller asking about partner pricing',
  'Evaluating for a school project at their company',
  'Vendor trying to sell to us',
] as const

type Choice = { outcome: RepDisposition['outcome']; code: string; note?: string }

const STRONG = weightedTable<Choice>([
  [{ outcome: 'accept', code: 'qualified_meeting_booked' }, 50],
  [{ outcome: 'accept', code: 'qualified_follow_up' }, 20],
  [{ outcome: 'recycle', code: 'not_now' }, 14],
  [{ outcome: 'reject', code: 'competitor_locked_in' }, 7],
  [{ outcome: 'reject', code: 'no_budget' }, 6],
  [{ outcome: 'reject', code: 'bad_data' }, 3],
])
const MIDDLING = weightedTable<Choice>([
  [{ outcome: 'accept', code: 'qualified_meeting_booked' }, 24],
  [{ outcome: 'accept', code: 'qualified_follow_up' }, 16],
  [{ outcome: 'recycle', code: 'not_now' }, 24],
  [{ outcome: 'reject', code: 'no_budget' }, 16],
  [{ outcome: 'reject', code: 'competitor_locked_in' }, 12],
  [{ outcome: 'reject', code: 'bad_data' }, 4],
  [{ outcome: 'recycle', code: 'wrong_person' }, 4],
])
const WEAK = weightedTable<Choice>([
  [{ outcome: 'accept', code: 'qualified_follow_up' }, 12],
  [{ outcome: 'reject', code: 'no_budget' }, 32],
  [{ outcome: 'recycle', code: 'not_now' }, 24],
  [{ outcome: 'reject', code: 'competitor_locked_in' }, 14],
  [{ outcome: 'reject', code: 'bad_data' }, 8],
  [{ outcome: 'reject', code: 'other' }, 10],
])

/**
 * The reason a rep gives, from the lead's facts; the first rule that fires wins. Every code is checked against the
 * Agreement by the caller — see `fitToAgreement`.
 */
function chooseReason(rng: Random, lead: RepActionLead): Choice {
  if (lead.kind === 'student' || lead.kind === 'job_seeker') return { outcome: 'reject', code: 'student_or_job_seeker' }
  if (lead.existingCustomer && rng.chance(0.8)) return { outcome: 'reject', code: 'existing_customer' }
  if (lead.onOpportunity && rng.chance(0.85))
    return { outcome: 'accept', code: rng.chance(0.75) ? 'qualified_meeting_booked' : 'qualified_follow_up' }
  if (lead.accountAlreadyWorked && rng.chance(0.35)) return { outcome: 'reject', code: 'duplicate' }
  if (lead.employees !== null && lead.employees < 50 && rng.chance(0.75))
    return { outcome: 'reject', code: 'too_small' }
  const fit = lead.accountFit ?? 0.4
  if (lead.industryOnTarget === false && rng.chance(fit < 0.5 ? 0.5 : 0.2))
    return { outcome: 'reject', code: 'wrong_industry' }
  if (lead.seniority === 'individual' && rng.chance(0.25)) return { outcome: 'recycle', code: 'wrong_person' }
  const quality = fit + (lead.inMarket ? 0.25 : 0)
  const choice = rng.pickWeighted(quality >= 0.75 ? STRONG : quality >= 0.45 ? MIDDLING : WEAK)
  return choice.code === 'other' ? { ...choice, note: rng.pick(OTHER_NOTES) } : choice
}

/**
 * The code as the Agreement has it; else the outcome's first code that needs no note (an Agreement with other
 * codes still gets dispositions of the same outcome); null when the outcome has no usable code.
 */
function fitToAgreement(choice: Choice, codes: ReasonCodes): Choice | null {
  const list = codes[choice.outcome]
  const found = list.find((c) => c.code === choice.code)
  if (found && (!found.requiresNote || choice.note)) return choice
  const fallback = list.find((c) => !c.requiresNote)
  return fallback ? { outcome: choice.outcome, code: fallback.code } : null
}

/**
 * What the owner of one handed-off lead did, up to `now`.
 *
 * @example
 *   decideRepAction(lead, { seed: 42, now, codes })
 *   // { touch: { at: …, channel: 'call', withinSla: true },
 *   //   disposition: { outcome: 'reject', reasonCode: 'too_small', at: … } }
 */
export function decideRepAction(
  lead: RepActionLead,
  opts: { seed: number; now: number; codes: ReasonCodes },
): RepAction {
  const rng = createRandom(opts.seed, 'rep-actions', hashString(lead.email))
  const start = lead.assignedAt
  const due = lead.dueAt !== null && Number.isFinite(lead.dueAt) ? lead.dueAt : null
  const window = Math.max(due !== null ? due - start : DAY, 5 * MINUTE)
  const disposable = lead.stage === 'MQL' || lead.stage === 'AQL'
  const notBefore = (at: number) => Math.max(at, lead.stageEnteredAt + MINUTE)

  // Fewer unreachable people among well-fitting, in-market buyers; hot leads are worked faster.
  const never = (lead.accountFit ?? 0.4) >= 0.6 || lead.inMarket ? 0.04 : 0.09
  const late = lead.tier === 'hot' ? 0.14 : 0.22
  const draw = rng.next()
  const reason = chooseReason(rng, lead)
  if (draw < never) {
    const giveUpAt = notBefore(start + rng.int(10, 21) * DAY + rng.int(0, 8 * 60) * MINUTE)
    if (!disposable || giveUpAt > opts.now) return { touch: null, disposition: null }
    const noResponse = fitToAgreement({ outcome: 'reject', code: 'no_response' }, opts.codes)
    return { touch: null, disposition: noResponse && { ...dispositionOf(noResponse), at: giveUpAt } }
  }
  const touchAt =
    draw < never + late
      ? (due ?? start + window) + Math.round(rng.exponential(window / 2 + 2 * HOUR))
      : start + Math.round(window * (0.03 + 0.92 * rng.next() ** 1.6))
  if (touchAt > opts.now) return { touch: null, disposition: null }
  const touch = {
    at: touchAt,
    channel: rng.pickWeighted(CHANNELS),
    withinSla: due === null ? null : touchAt <= due,
  }
  const decidedAt = notBefore(touchAt + Math.round(rng.logNormal(1.5 * DAY, 0.8)))
  const fitted = fitToAgreement(reason, opts.codes)
  if (!disposable || !fitted || decidedAt > opts.now) return { touch, disposition: null }
  return { touch, disposition: { ...dispositionOf(fitted), at: decidedAt } }
}

function dispositionOf(choice: Choice): Omit<RepDisposition, 'at'> {
  return choice.note
    ? { outcome: choice.outcome, reasonCode: choice.code, note: choice.note }
    : { outcome: choice.outcome, reasonCode: choice.code }
}
