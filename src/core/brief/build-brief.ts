// The deterministic handoff brief: always available, the same input and `now` always give the same brief (the
// LLM rewrite is optional and falls back to this). Reads only the snapshot; decides nothing.

import { formatBusinessDuration } from '../calendar/index.ts'
import type { Brief, BriefEvent, BriefInput } from './brief-types.ts'
import { describeActivity, describeContent, describeSource, isPricingPage } from './describe-event.ts'
import { describeDayRelative, formatDay, formatLocalInstant, formatTimelineInstant } from './format-brief-time.ts'

/** Timeline lines kept in a brief; older events are summarised in one line so a Slack message stays readable. */
export const MAX_TIMELINE_LINES = 12
export const MAX_CONTENT_LINES = 8

function byTime(a: BriefEvent, b: BriefEvent): number {
  // Ties broken by type so the order never depends on how storage returned the rows.
  return a.at - b.at || compareText(a.type, b.type) || compareText(JSON.stringify(a), JSON.stringify(b))
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function personName(input: BriefInput): string {
  return input.person.name?.trim() || input.person.email
}

function firstName(input: BriefInput): string | null {
  const name = input.person.name?.trim()
  return name ? (name.split(/\s+/)[0] ?? null) : null
}

function companyName(input: BriefInput): string | null {
  return input.account?.name?.trim() || input.account?.domain?.trim() || null
}

function formatEmployees(n: number): string {
  return `${n.toLocaleString('en-US')} employee${n === 1 ? '' : 's'}`
}

/** Events that show what the person wanted, strongest first when several share the trigger's moment. */
const INTENT_RANK: Record<string, number> = {
  demo_request: 9,
  contact_request: 8,
  meeting_booked: 8,
  trial_start: 7,
  signup: 6,
  form_submit: 5,
  webinar_attended: 4,
  content_download: 3,
  chat_conversation: 3,
  email_reply: 3,
}

function intentRank(event: BriefEvent): number {
  if (isPricingPage(event)) return 4
  return INTENT_RANK[event.type] ?? 0
}

/**
 * The event the opener refers to: among the events up to the trigger instant, the latest one with the highest
 * intent rank within the 24 hours before the trigger; else the latest intent-bearing event at all.
 */
function findTriggerEvent(events: readonly BriefEvent[], triggerAt: number): BriefEvent | null {
  const before = events.filter((e) => e.at <= triggerAt && intentRank(e) > 0)
  if (before.length === 0) return null
  const recent = before.filter((e) => e.at >= triggerAt - 86_400_000)
  const pool = recent.length > 0 ? recent : before
  let best: BriefEvent | null = null
  for (const e of pool)
    if (best === null || intentRank(e) > intentRank(best) || (intentRank(e) === intentRank(best) && e.at >= best.at))
      best = e
  return best
}

function describeAsked(event: BriefEvent, pricingViews: number): string {
  const p = event.properties ?? {}
  switch (event.type) {
    case 'demo_request':
      return 'requested a demo'
    case 'contact_request':
      return 'asked us to get in touch'
    case 'meeting_booked':
      return 'booked time with us'
    case 'trial_start':
      return 'started a trial'
    case 'signup':
      return 'signed up'
    case 'form_submit': {
      const form = String(p.form ?? p.form_name ?? '')
      if (/pric|quote/i.test(form)) return 'requested pricing'
      if (/demo/i.test(form)) return 'requested a demo'
      if (/contact/i.test(form)) return 'asked us to get in touch'
      return form ? `filled in our ${form.replace(/[_-]+/g, ' ')} form` : 'filled in one of our forms'
    }
    case 'page_view':
      return pricingViews >= 2 ? `looked at our pricing ${pricingViews} times` : 'looked at our pricing'
    default: {
      const content = describeContent(event)
      if (content) return `${content.verb} our “${content.label}”`
      return describeActivity(event)
    }
  }
}

function buildOpener(input: BriefInput, events: readonly BriefEvent[], now: number): string {
  const zone = input.owner.timeZone
  const hello = firstName(input) ? `Hi ${firstName(input)}, ` : 'Hi, '
  const trigger = findTriggerEvent(events, input.trigger.at)
  const industry = input.account?.industry
  const company = companyName(input)
  const peers = industry ? `other ${industry} teams` : company ? `teams like ${company}` : 'teams like yours'
  const close = `— happy to show you how ${peers} use it. Would 15 minutes this week work?`
  if (trigger === null) {
    const why = input.trigger.explanation.trim()
    return `${hello}I noticed your interest ${describeDayRelative(input.trigger.at, now, zone)} (${why}) ${close}`
  }
  const pricingViews = events.filter(
    (e) => isPricingPage(e) && e.at <= trigger.at && e.at > trigger.at - 7 * 86_400_000,
  ).length
  const asked = describeAsked(trigger, pricingViews)
  const when = describeDayRelative(trigger.at, now, zone)
  // The content read just before the ask makes the opener specific ('after reading our HIPAA compliance guide').
  const triggerContent = describeContent(trigger)
  let after = ''
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!
    if (e.at > trigger.at || e === trigger) continue
    if (e.at < trigger.at - 30 * 86_400_000) break
    const content = describeContent(e)
    if (content && content.label !== triggerContent?.label) {
      const verb =
        content.verb === 'read' || content.verb === 'clicked through'
          ? 'reading'
          : content.verb === 'downloaded'
            ? 'downloading'
            : content.verb === 'attended'
              ? 'attending'
              : 'registering for'
      after = ` after ${verb} our “${content.label}”`
      break
    }
  }
  return `${hello}saw you ${asked} ${when}${after} ${close}`
}

function buildTimeline(events: readonly BriefEvent[], zone: string): string[] {
  const lines = events.map((e) => `${formatTimelineInstant(e.at, zone)} — ${describeActivity(e)}${describeSource(e)}`)
  if (lines.length <= MAX_TIMELINE_LINES) return lines
  const hidden = lines.length - (MAX_TIMELINE_LINES - 1)
  return [`… ${hidden} earlier event${hidden === 1 ? '' : 's'}`, ...lines.slice(hidden)]
}

function buildContent(events: readonly BriefEvent[], zone: string): string[] {
  const seen = new Map<string, { verb: string; first: number; last: number; count: number }>()
  for (const e of events) {
    const c = describeContent(e)
    if (!c) continue
    const entry = seen.get(c.label)
    if (entry) {
      entry.count++
      entry.last = e.at
    } else seen.set(c.label, { verb: c.verb, first: e.at, last: e.at, count: 1 })
  }
  const lines = [...seen.entries()].map(
    ([label, v]) => `“${label}” — ${v.verb} ${formatDay(v.last, zone)}${v.count > 1 ? ` (${v.count}×)` : ''}`,
  )
  if (lines.length <= MAX_CONTENT_LINES) return lines
  return [...lines.slice(-MAX_CONTENT_LINES), `… and ${lines.length - MAX_CONTENT_LINES} more`]
}

function formatDue(input: BriefInput): string | null {
  if (input.due === null) return null
  const target = input.due.targetMs !== undefined ? ` (${formatBusinessDuration(input.due.targetMs)})` : ''
  if (input.due.at === null)
    return `clock paused${input.due.remainingMs !== undefined ? `: ${formatBusinessDuration(input.due.remainingMs)} left when it resumes` : ''}${target}`
  if (!Number.isFinite(input.due.at)) return `never due: the calendar has no open time ahead${target}`
  return `${formatLocalInstant(input.due.at, input.due.timeZone)}${target}`
}

const TRIGGER_KIND = { stage: 'Reached stage', signal: 'Signal', tier: 'Tier' } as const

/**
 * Builds the handoff brief from a lead snapshot. Deterministic: `now` only decides relative words ('yesterday',
 * 'on Thursday') in the opener.
 * @example buildBrief(snapshot, { now: Date.parse('2026-11-23T14:00:00Z') }).due // 'Mon 23 Nov, 09:30 EST (1 business hour)'
 */
export function buildBrief(input: BriefInput, options: { now: number }): Brief {
  const zone = input.owner.timeZone
  const events = [...input.timeline].sort(byTime)
  const name = personName(input)
  const company = companyName(input)
  const a = input.account
  const role = [input.person.title, company].filter((s): s is string => !!s?.trim()).join(', ')
  const triggerEvent = findTriggerEvent(events, input.trigger.at)
  const did = triggerEvent
    ? describeAsked(
        triggerEvent,
        events.filter((e) => isPricingPage(e) && e.at <= triggerEvent.at && e.at > triggerEvent.at - 7 * 86_400_000)
          .length,
      )
    : `reached ${input.trigger.name}`
  const headline = `${input.tier ? `${input.tier[0]!.toUpperCase()}${input.tier.slice(1)} lead: ` : ''}${name}${role ? ` (${role})` : ''} ${did}`

  const who = [
    name,
    input.person.title ? ` — ${input.person.title}` : '',
    input.person.persona ? ` (persona: ${input.person.persona})` : '',
    name === input.person.email ? '' : `, ${input.person.email}`,
  ].join('')

  const companyLine =
    a === null || company === null
      ? 'Company unknown (no account matched yet)'
      : [
          a.domain && a.name ? `${a.name} (${a.domain})` : company,
          [a.industry, a.employees !== null ? formatEmployees(a.employees) : null, a.country]
            .filter((s): s is string => !!s)
            .join(', '),
          a.technologies.length > 0 ? `uses ${[...a.technologies].join(', ')}` : '',
        ]
          .filter((s) => s.length > 0)
          .join(' — ')

  const due = formatDue(input)
  const trigger = `${TRIGGER_KIND[input.trigger.kind]} ${input.trigger.name} (${formatLocalInstant(input.trigger.at, zone)}): ${input.trigger.explanation}`
  const icpMatched = input.fit.criteria.map((c) => `${c.name} (${c.points >= 0 ? '+' : ''}${c.points})`)
  const scores = [`fit ${input.fit.score}`, `intent ${input.intent}`, input.tier ? `tier ${input.tier}` : null]
    .filter((s): s is string => s !== null)
    .join(' · ')

  const facts: Record<string, string> = { person: name, trigger: input.trigger.name }
  if (company) facts.company = company
  if (due !== null && input.due?.at != null && Number.isFinite(input.due.at))
    facts.due = formatLocalInstant(input.due.at, input.due.timeZone)

  return {
    leadId: input.leadId,
    agreementVersion: input.agreementVersion,
    headline,
    who,
    company: companyLine,
    whatTheyDid: buildTimeline(events, zone),
    contentEngaged: buildContent(events, zone),
    trigger,
    whyThisRep: input.routingReasons.length > 0 ? [...input.routingReasons] : [`Assigned to ${input.owner.name}`],
    due,
    icpMatched,
    scores,
    suggestedOpener: buildOpener(input, events, options.now),
    owner: input.owner.name,
    facts,
  }
}
