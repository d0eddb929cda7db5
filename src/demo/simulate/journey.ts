/**
 * One person's quarter, as events: anonymous visits first, then an identifying form fill (or a tracked email click)
 * that carries both the email and the anonymous id, then the known person's visits, emails, webinars, chats, demo
 * requests, trials and product signals. Conversions are decided per person up front, so `eventsPerPersonScale`
 * changes how much people browse, not how many of them ask for a demo.
 */
import {
  BLOG_PAGES,
  CHAT_TOPICS,
  CUSTOMER_PAGES,
  DOCS_PAGES,
  EBOOKS,
  PRODUCT_PAGES,
  PRODUCT_SIGNALS,
} from './catalog.ts'
import type { Channel, Channels, Landing, WebinarSlot } from './channels.ts'
import type { GeneratedPerson } from './people.ts'
import type { Random } from './random.ts'
import { atWorkingHour, DAY, formatIso, HOUR, MINUTE, type SimWindow } from './time.ts'
import type { EventContext, EventPerson, EventType, SimEvent } from './types.ts'

export type JourneySettings = {
  readonly window: SimWindow
  readonly channels: Channels
  /** Mean number of web events (page views and what happens in a session) for a person with engagement 1. */
  readonly webEventsPerPerson: number
}

/** A person's events before ids are assigned, in generation order; `sortJourney` puts them in time order. */
export type JourneyBuffer = { events: SimEvent[]; times: number[] }

/** What the opportunity simulator needs to know about a journey; times are epoch ms, -1 when it never happened. */
export type JourneySummary = {
  identifiedAt: number
  firstDemoAt: number
  contactSalesAt: number
  trialAt: number
  pricingViews: number
  firstActiveAt: number
  lastActiveAt: number
}

export function createJourneySummary(): JourneySummary {
  return {
    identifiedAt: -1,
    firstDemoAt: -1,
    contactSalesAt: -1,
    trialAt: -1,
    pricingViews: 0,
    firstActiveAt: -1,
    lastActiveAt: -1,
  }
}

function resetSummary(s: JourneySummary): void {
  s.identifiedAt = -1
  s.firstDemoAt = -1
  s.contactSalesAt = -1
  s.trialAt = -1
  s.pricingViews = 0
  s.firstActiveAt = -1
  s.lastActiveAt = -1
}

type Conversion = 'newsletter' | 'ebook_download' | 'webinar' | 'contact_sales' | 'demo_request'

const pageProps = new Map<string, { readonly path: string }>()
/** One shared, read-only properties object per path: page views are most events, and this keeps them cheap. */
function propsForPath(path: string): { readonly path: string } {
  let p = pageProps.get(path)
  if (p === undefined) {
    p = { path }
    pageProps.set(path, p)
  }
  return p
}

const CAREERS_PAGES = [
  '/careers',
  '/careers/sales-development-representative',
  '/careers/marketing-associate',
  '/about',
]

function landingPath(rng: Random, landing: Landing, channels: Channels): string {
  switch (landing) {
    case 'home':
      return '/'
    case 'pricing':
      return '/pricing'
    case 'product':
      return rng.pick(PRODUCT_PAGES)
    case 'blog':
      return rng.pick(BLOG_PAGES)
    case 'docs':
      return rng.pick(DOCS_PAGES)
    case 'customers':
      return rng.pick(CUSTOMER_PAGES)
    case 'resource':
      return rng.pick(EBOOKS).landing
    case 'webinar': {
      const w = channels.webinars[0]
      return w ? `/webinars/${w.slug}` : '/'
    }
  }
}

/** Browsing within a session; buyers drift towards pricing and customer stories, job seekers to careers. */
function nextPath(rng: Random, buying: number, jobSeeker: boolean): string {
  const x = rng.next()
  if (jobSeeker && x < 0.35) return rng.pick(CAREERS_PAGES)
  const pricing = 0.08 + buying * 0.3
  if (x < pricing) return '/pricing'
  if (x < pricing + 0.3) return rng.pick(PRODUCT_PAGES)
  if (x < pricing + 0.42) return rng.pick(CUSTOMER_PAGES)
  if (x < pricing + 0.64) return rng.pick(BLOG_PAGES)
  if (x < pricing + 0.76) return rng.pick(DOCS_PAGES)
  return '/'
}

function pickConversion(rng: Random, buying: number): Conversion {
  const x = rng.next() * (1 + buying)
  if (x < 0.3) return 'newsletter'
  if (x < 0.66) return 'ebook_download'
  if (x < 0.9) return 'webinar'
  if (x < 0.97 + buying * 0.2) return 'contact_sales'
  return 'demo_request'
}

function upcomingWebinar(rng: Random, webinars: readonly WebinarSlot[], at: number): WebinarSlot | undefined {
  for (let i = 0; i < webinars.length; i++) {
    const w = webinars[i] as WebinarSlot
    // Registrations open about a month ahead; most people pick the next one, some the one after.
    if (w.at > at + HOUR && w.at < at + 35 * DAY) {
      const later = webinars[i + 1]
      return later !== undefined && later.at < at + 35 * DAY && rng.chance(0.25) ? later : w
    }
  }
  return undefined
}

const MAX_SESSIONS = 400
const SESSION_TIMES = new Float64Array(MAX_SESSIONS)

/** Mutable state of the journey being generated; one per call, so nothing leaks between people. */
type Journey = {
  readonly rng: Random
  readonly settings: JourneySettings
  readonly out: JourneyBuffer
  readonly summary: JourneySummary
  readonly anon: EventPerson
  /** Email and anonymous id together: what the website knows once the visitor is identified. */
  readonly both: EventPerson
  /** Email only: what email, webinar, G2 and product tools know. */
  readonly known: EventPerson
  identifiedAt: number
  webinar: WebinarSlot | undefined
}

function emit(
  j: Journey,
  at: number,
  type: EventType,
  person: EventPerson,
  properties: SimEvent['properties'],
  context: EventContext,
): boolean {
  const w = j.settings.window
  if (at < w.start || at >= w.end) return false
  j.out.events.push({ id: '', type, occurred_at: formatIso(w, at), person, properties, context })
  j.out.times.push(at)
  const s = j.summary
  if (s.firstActiveAt < 0 || at < s.firstActiveAt) s.firstActiveAt = at
  if (at > s.lastActiveAt) s.lastActiveAt = at
  return true
}

function identify(j: Journey, at: number): void {
  if (j.identifiedAt < 0 || at < j.identifiedAt) j.identifiedAt = at
}

/** Before identification the website knows only the anonymous id; afterwards both. */
function webPerson(j: Journey, at: number): EventPerson {
  return j.identifiedAt >= 0 && j.identifiedAt <= at ? j.both : j.anon
}

/**
 * Appends one person's events to `out` (unsorted; see `sortJourney`) and fills `summary`. With `anonymousOnly` the
 * person is a visitor who never identifies and never converts.
 *
 * @example
 *   const out = { events: [], times: [] }
 *   simulateJourney(createRandom(seed, 'journey', p.index), p, settings, out, createJourneySummary())
 */
export function simulateJourney(
  rng: Random,
  p: GeneratedPerson,
  settings: JourneySettings,
  out: JourneyBuffer,
  summary: JourneySummary,
  anonymousOnly = false,
): void {
  resetSummary(summary)
  const { window: w, channels } = settings
  const email = anonymousOnly ? undefined : p.person.email
  const anon: EventPerson = { anonymous_id: p.anonymousId }
  const j: Journey = {
    rng,
    settings,
    out,
    summary,
    anon,
    both: email === undefined ? anon : { email, anonymous_id: p.anonymousId },
    known: email === undefined ? anon : { email },
    identifiedAt: -1,
    webinar: undefined,
  }
  const buying = anonymousOnly ? 0.02 : p.buying
  const inMarket = p.account?.inMarket === true && !anonymousOnly
  const jobSeeker = p.kind === 'job_seeker'

  // What this person will do this quarter, decided before placing it in time.
  const webBudget = Math.max(1, Math.round(settings.webEventsPerPerson * p.engagement * rng.float(0.7, 1.3)))
  const sessionCount = Math.min(MAX_SESSIONS, Math.max(1, Math.round(webBudget / 2.4)))
  const formIdentifies = email !== undefined && rng.chance(p.kind === 'employee' ? 0.62 : 0.85)
  let conversion: Conversion = formIdentifies ? pickConversion(rng, buying) : 'newsletter'
  const wantsDemo = email !== undefined && (conversion === 'demo_request' || rng.chance(buying * 0.22))
  const wantsContactSales = email !== undefined && conversion !== 'contact_sales' && rng.chance(buying * 0.12)
  const wantsTrial = email !== undefined && rng.chance(0.02 + buying * 0.1)
  const wantsChat = rng.chance(0.04 + buying * 0.15)
  const demoVia = rng.next()

  // Session times: spread from a first visit to the end of the window; buyers cluster around a burst of research.
  const firstSeen = w.start + rng.next() ** 1.4 * (w.end - w.start) * 0.92
  const burst = firstSeen + rng.next() * (w.end - firstSeen)
  // A typed array sorts numerically without a comparator; the scratch buffer is copied out before any reuse.
  const times = SESSION_TIMES.subarray(0, sessionCount)
  for (let i = 0; i < sessionCount; i++) {
    const raw =
      inMarket && rng.chance(0.6)
        ? Math.min(w.end - HOUR, Math.max(firstSeen, burst + rng.normal() * 6 * DAY))
        : firstSeen + rng.next() * (w.end - firstSeen)
    let at = atWorkingHour(rng, raw, p.utcOffset)
    if (at < w.start) at += DAY
    times[i] = at
  }
  times.sort()

  let identifyAt = formIdentifies ? Math.min(sessionCount - 1, rng.geometric(0.45)) : -1
  let demoAt = -1
  if (wantsDemo) {
    if (conversion === 'demo_request') demoAt = identifyAt
    else if (!formIdentifies) {
      // Someone who fills no other form identifies through the demo request itself.
      demoAt = rng.int(0, sessionCount - 1)
      identifyAt = demoAt
      conversion = 'demo_request'
    } else demoAt = rng.int(identifyAt, sessionCount - 1)
  }
  const contactAt = wantsContactSales && identifyAt >= 0 ? rng.int(identifyAt, sessionCount - 1) : -1
  const trialAt = wantsTrial && identifyAt >= 0 ? rng.int(identifyAt, sessionCount - 1) : -1
  const chatAt = wantsChat ? rng.int(0, sessionCount - 1) : -1

  let previousEnd = 0
  for (let s = 0; s < sessionCount; s++) {
    let t = times[s] as number
    if (t <= previousEnd) t = previousEnd + rng.int(5, 90) * MINUTE
    if (t >= w.end) break
    const channel: Channel =
      s === 0
        ? rng.pickWeighted(channels.firstTouch)
        : rng.pickWeighted(inMarket ? channels.returningInMarket : channels.returning)
    const context = channel.context
    let path = landingPath(rng, channel.landing, channels)
    const pages = Math.min(12, 1 + rng.geometric(0.42))
    for (let k = 0; k < pages; k++) {
      if (emit(j, t, 'page_view', webPerson(j, t), propsForPath(path), context) && path === '/pricing')
        summary.pricingViews++
      t += Math.round(rng.exponential(70_000)) + 4000
      path = nextPath(rng, buying, jobSeeker)
    }

    if (s === chatAt) {
      const topic = s === demoAt && demoVia < 0.3 ? 'demo' : rng.pickWeighted(CHAT_TOPICS)
      emit(j, t, 'chat_conversation', webPerson(j, t), { topic, messages: rng.int(2, 24) }, channels.chat)
      t += rng.int(2, 12) * MINUTE
    }
    if (s === identifyAt) {
      t = emitConversion(j, conversion, t, context)
      if (t < w.end) {
        identify(j, t)
        if (conversion === 'demo_request') summary.firstDemoAt = t
      }
    } else if (s === demoAt && summary.firstDemoAt < 0) {
      t = emitDemoRequest(j, demoVia, t, context)
    }
    if (s === contactAt && summary.contactSalesAt < 0) {
      emit(j, t, 'page_view', j.both, propsForPath('/contact'), context)
      t += rng.int(40, 300) * 1000
      if (emit(j, t, 'form_submit', j.both, { form: 'contact_sales', path: '/contact' }, context))
        summary.contactSalesAt = t
    }
    if (s === trialAt && summary.trialAt < 0) t = emitTrial(j, t, context, p.utcOffset)
    previousEnd = t
  }

  if (j.webinar !== undefined && rng.chance(0.5)) {
    const at = j.webinar.at + rng.int(-3, 12) * MINUTE
    emit(
      j,
      at,
      'webinar_attended',
      j.known,
      { webinar: j.webinar.slug, minutes_watched: rng.int(8, 60) },
      j.webinar.context,
    )
  }
  if (email !== undefined) receiveEmails(j, p)
  summary.identifiedAt = j.identifiedAt
}

function emitConversion(j: Journey, kind: Conversion, at: number, context: EventContext): number {
  const rng = j.rng
  let t = at
  switch (kind) {
    case 'newsletter':
      emit(j, t, 'form_submit', j.both, { form: 'newsletter', path: '/blog' }, context)
      return t
    case 'ebook_download': {
      const ebook = rng.pick(EBOOKS)
      emit(j, t, 'page_view', webPerson(j, t), propsForPath(ebook.landing), context)
      t += rng.int(20, 180) * 1000
      emit(
        j,
        t,
        'form_submit',
        j.both,
        { form: 'ebook_download', content: ebook.content, path: ebook.landing },
        context,
      )
      return t
    }
    case 'webinar': {
      const webinar = upcomingWebinar(rng, j.settings.channels.webinars, t)
      if (webinar === undefined) return emitConversion(j, 'ebook_download', t, context)
      j.webinar = webinar
      const page = `/webinars/${webinar.slug}`
      emit(j, t, 'page_view', webPerson(j, t), propsForPath(page), context)
      t += rng.int(30, 200) * 1000
      emit(j, t, 'webinar_registered', j.both, { webinar: webinar.slug }, context)
      return t
    }
    case 'contact_sales':
      emit(j, t, 'page_view', webPerson(j, t), propsForPath('/contact'), context)
      t += rng.int(40, 300) * 1000
      if (emit(j, t, 'form_submit', j.both, { form: 'contact_sales', path: '/contact' }, context))
        j.summary.contactSalesAt = t
      return t
    case 'demo_request':
      emit(j, t, 'page_view', webPerson(j, t), propsForPath('/demo'), context)
      t += rng.int(40, 240) * 1000
      emit(j, t, 'form_submit', j.both, { form: 'demo_request', path: '/demo' }, context)
      return t
  }
}

/** A demo request from someone already known: the website form, the chat widget or G2. */
function emitDemoRequest(j: Journey, via: number, at: number, context: EventContext): number {
  const rng = j.rng
  let t = at
  if (via < 0.3) {
    t += rng.int(1, 8) * MINUTE
    if (emit(j, t, 'demo_request', webPerson(j, t), { via: 'chat' }, j.settings.channels.chat))
      j.summary.firstDemoAt = t
    return t
  }
  if (via < 0.45) {
    // A G2 "request a demo" lead arrives by email only, a few hours to two days after the visit.
    const g2At = t + rng.int(6, 48) * HOUR
    if (emit(j, g2At, 'demo_request', j.known, { via: 'g2' }, j.settings.channels.g2.context))
      j.summary.firstDemoAt = g2At
    return t
  }
  emit(j, t, 'page_view', j.both, propsForPath('/demo'), context)
  t += rng.int(40, 240) * 1000
  if (emit(j, t, 'form_submit', j.both, { form: 'demo_request', path: '/demo' }, context)) j.summary.firstDemoAt = t
  return t
}

function emitTrial(j: Journey, at: number, context: EventContext, utcOffset: number): number {
  const rng = j.rng
  let t = at
  emit(j, t, 'page_view', j.both, propsForPath('/signup'), context)
  t += rng.int(60, 400) * 1000
  if (!emit(j, t, 'trial_start', j.both, { plan: 'free_trial' }, context)) return t
  j.summary.trialAt = t
  let signalAt = t
  const signals = 1 + rng.geometric(0.3)
  for (let i = 0; i < signals; i++) {
    signalAt = Math.max(signalAt + MINUTE, atWorkingHour(rng, signalAt + rng.exponential(2.5 * DAY), utcOffset))
    const signal = rng.pickWeighted(PRODUCT_SIGNALS)
    if (!emit(j, signalAt, 'product_signal', j.known, { signal }, j.settings.channels.product)) break
  }
  return t
}

/**
 * Newsletters, webinar invitations and the product update reach people already in the database and everyone
 * identified before the send. A click lands on the site through a tracked link, which identifies a visitor too.
 */
function receiveEmails(j: Journey, p: GeneratedPerson): void {
  const rng = j.rng
  const openRate = Math.min(0.8, 0.12 + 0.18 * Math.sqrt(p.engagement) + p.buying * 0.2)
  for (const send of j.settings.channels.emailSends) {
    const reachable = p.subscribed || (j.identifiedAt >= 0 && j.identifiedAt < send.at)
    if (!reachable || !rng.chance(openRate)) continue
    const openAt = send.at + Math.round(rng.logNormal(3 * HOUR, 1.4))
    if (!emit(j, openAt, 'email_open', j.known, { email_campaign: send.campaign }, send.context)) continue
    if (!rng.chance(0.2)) continue
    const clickAt = openAt + rng.int(4, 180) * 1000
    if (!emit(j, clickAt, 'email_click', j.known, { email_campaign: send.campaign, url: send.landing }, send.context))
      continue
    const viewAt = clickAt + rng.int(1, 4) * 1000
    if (emit(j, viewAt, 'page_view', j.both, propsForPath(send.landing), send.context)) identify(j, viewAt)
  }
}

/** Puts a journey's events in time order; ties keep generation order, so the result is deterministic. */
export function sortJourney(buffer: JourneyBuffer): void {
  const { events, times } = buffer
  for (let i = 1; i < times.length; i++) {
    const t = times[i] as number
    const e = events[i] as SimEvent
    let k = i - 1
    while (k >= 0 && (times[k] as number) > t) {
      times[k + 1] = times[k] as number
      events[k + 1] = events[k] as SimEvent
      k--
    }
    times[k + 1] = t
    events[k + 1] = e
  }
}
