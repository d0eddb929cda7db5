/**
 * Opportunities follow engagement: a demo request usually becomes one a few days later, a contact-sales form or a
 * trial sometimes, and an in-market account that keeps reading the pricing page occasionally gets one from outbound.
 * Win probability, deal size and cycle length follow the account's hidden fit. Deals that would close after the
 * window are still open at its end, in the stage their elapsed share of the cycle suggests.
 */
import type { GeneratedAccount } from './accounts.ts'
import { LOST_REASONS_HIGH_FIT, LOST_REASONS_LOW_FIT } from './catalog.ts'
import type { JourneySummary } from './journey.ts'
import type { GeneratedPerson } from './people.ts'
import type { Random } from './random.ts'
import { atWorkingHour, DAY, formatIso, HOUR, type SimWindow } from './time.ts'
import type { ContactRole, OpportunityStage, Segment, SimOpportunity, SimRep } from './types.ts'

export type AccountActivity = {
  readonly account: GeneratedAccount
  /** Everyone who works there, free-mail addresses included, with their journey summaries. */
  readonly people: readonly { readonly person: GeneratedPerson; readonly summary: JourneySummary }[]
}

const CYCLE_DAYS: Record<Segment, readonly [number, number]> = {
  smb: [30, 50],
  mid_market: [35, 70],
  enterprise: [50, 90],
}
const AMOUNT_MEDIAN: Record<Segment, number> = { smb: 14_000, mid_market: 42_000, enterprise: 130_000 }
const PLAN: Record<Segment, string> = { smb: 'Growth', mid_market: 'Business', enterprise: 'Enterprise' }

/** Chance of winning a deal at this fit: 0.05 at fit 0, 0.26 at 0.5, 0.7 at 0.9, 0.8 at 1. */
export function winProbability(fit: number): number {
  return 0.05 + 0.75 * fit * fit
}

/**
 * The account's opportunity this window, or null. Created after the engagement that triggered it, never before.
 *
 * @example
 *   simulateOpportunity(createRandom(seed, 'opportunity', 12), activity, window, reps, 'sim_42_opp_12')
 */
export function simulateOpportunity(
  rng: Random,
  activity: AccountActivity,
  window: SimWindow,
  reps: readonly SimRep[],
  externalId: string,
): SimOpportunity | null {
  const { account } = activity
  const fit = account.fit
  let demo: { at: number; person: GeneratedPerson } | undefined
  let contact: { at: number; person: GeneratedPerson } | undefined
  let trial: { at: number; person: GeneratedPerson } | undefined
  let pricingViews = 0
  let lastActive = -1
  for (const { person, summary } of activity.people) {
    if (summary.firstDemoAt >= 0 && (demo === undefined || summary.firstDemoAt < demo.at))
      demo = { at: summary.firstDemoAt, person }
    if (summary.contactSalesAt >= 0 && (contact === undefined || summary.contactSalesAt < contact.at)) {
      contact = { at: summary.contactSalesAt, person }
    }
    if (summary.trialAt >= 0 && (trial === undefined || summary.trialAt < trial.at))
      trial = { at: summary.trialAt, person }
    pricingViews += summary.pricingViews
    if (summary.lastActiveAt > lastActive) lastActive = summary.lastActiveAt
  }

  let trigger: { at: number; person: GeneratedPerson | undefined } | undefined
  let delayDays = 0
  if (demo !== undefined && rng.chance(0.4 + 0.45 * fit)) {
    trigger = demo
    delayDays = rng.logNormal(3, 0.6)
  } else if (contact !== undefined && rng.chance(0.25 + 0.35 * fit)) {
    trigger = contact
    delayDays = rng.logNormal(5, 0.6)
  } else if (trial !== undefined && rng.chance(0.15 + 0.3 * fit)) {
    trigger = trial
    delayDays = rng.logNormal(10, 0.5)
  } else if (account.inMarket && pricingViews >= 3 && lastActive >= 0 && rng.chance(0.3)) {
    trigger = { at: lastActive, person: undefined }
    delayDays = rng.logNormal(6, 0.6)
  }
  if (trigger === undefined) return null
  const createdAt = Math.max(trigger.at + HOUR, atWorkingHour(rng, trigger.at + delayDays * DAY, account.utcOffset))
  if (createdAt >= window.end) return null

  const segment = account.account.segment
  const [minDays, maxDays] = CYCLE_DAYS[segment]
  const cycleDays = Math.min(90, Math.max(30, rng.float(minDays, maxDays) * (1.15 - 0.35 * fit)))
  const won = rng.chance(winProbability(fit))
  const closeAt = Math.max(
    createdAt + DAY,
    atWorkingHour(rng, createdAt + (won ? 1 : rng.float(0.5, 1)) * cycleDays * DAY, account.utcOffset),
  )
  const closed = closeAt < window.end
  let stage: OpportunityStage
  if (closed) stage = won ? 'closed_won' : 'closed_lost'
  else {
    const elapsed = (window.end - createdAt) / (cycleDays * DAY)
    stage = elapsed < 0.3 ? 'discovery' : elapsed < 0.65 ? 'proposal' : 'negotiation'
  }
  const amount = Math.max(
    3000,
    Math.round((rng.logNormal(AMOUNT_MEDIAN[segment], 0.4) * (0.75 + 0.5 * fit)) / 500) * 500,
  )
  const lostReason = closed && !won ? rng.pickWeighted(fit >= 0.5 ? LOST_REASONS_HIGH_FIT : LOST_REASONS_LOW_FIT) : null

  return {
    external_id: externalId,
    account_domain: account.account.domain,
    name: `${account.account.name} — ${PLAN[segment]} (new business)`,
    amount,
    stage,
    created_at: formatIso(window, createdAt),
    closed_at: closed ? formatIso(window, closeAt) : null,
    owner: account.account.owner ?? pickOwner(rng, reps, account),
    lost_reason: lostReason,
    contacts: pickContacts(rng, activity, trigger.person, createdAt),
  }
}

function pickOwner(rng: Random, reps: readonly SimRep[], account: GeneratedAccount): string | null {
  const regional = reps.filter((r) => r.role === 'ae' && r.region === account.account.region)
  const pool = regional.length > 0 ? regional : reps.filter((r) => r.role === 'ae')
  return pool.length > 0 ? rng.pick(pool).id : null
}

function roleFor(p: GeneratedPerson): ContactRole {
  if (p.department === 'it' || p.department === 'engineering') return 'technical_evaluator'
  if (p.seniority === 'c_level' || (p.seniority === 'vp' && p.department === 'finance')) return 'economic_buyer'
  if (p.seniority === 'vp' || p.seniority === 'director') return 'decision_maker'
  return 'influencer'
}

/** The person who triggered the deal champions it; up to three colleagues active before it join with their roles. */
function pickContacts(
  rng: Random,
  activity: AccountActivity,
  trigger: GeneratedPerson | undefined,
  createdAt: number,
): { email: string; role: ContactRole }[] {
  const contacts: { email: string; role: ContactRole }[] = []
  if (trigger !== undefined) contacts.push({ email: trigger.person.email, role: 'champion' })
  const wanted = rng.int(1, 3)
  for (const { person, summary } of activity.people) {
    if (contacts.length > wanted) break
    if (person === trigger || person.freeMail) continue
    if (summary.firstActiveAt < 0 || summary.firstActiveAt >= createdAt) continue
    contacts.push({ email: person.person.email, role: contacts.length === 0 ? 'champion' : roleFor(person) })
  }
  return contacts
}
