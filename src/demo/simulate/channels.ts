/**
 * Marketing channels and the quarter's campaign calendar (newsletters, webinars, product update), built once per
 * window. Contexts are shared objects: every event from one channel carries the same `context`.
 */
import { EBOOKS } from './catalog.ts'
import { type WeightedTable, weightedTable } from './random.ts'
import { DAY, HOUR, type SimWindow } from './time.ts'
import type { EventContext } from './types.ts'

export type Channel = {
  readonly context: EventContext
  /** Where a session from this channel usually lands. */
  readonly landing: Landing
}

export type Landing = 'home' | 'pricing' | 'product' | 'blog' | 'docs' | 'customers' | 'resource' | 'webinar'

export type WebinarSlot = { readonly slug: string; readonly at: number; readonly context: EventContext }
export type EmailSend = {
  readonly campaign: string
  readonly at: number
  readonly context: EventContext
  readonly landing: string
}

export type Channels = {
  /** How a stranger first arrives. */
  readonly firstTouch: WeightedTable<Channel>
  /** How an already-known visitor comes back (besides email, which is scheduled). */
  readonly returning: WeightedTable<Channel>
  /** Buyers in market search the brand and compare on review sites more. */
  readonly returningInMarket: WeightedTable<Channel>
  readonly g2: Channel
  readonly webinars: readonly WebinarSlot[]
  readonly emailSends: readonly EmailSend[]
  readonly product: EventContext
  readonly chat: EventContext
}

function ctx(source: string, medium: string, campaign: string | null): EventContext {
  return { source, medium, campaign }
}

/** `q4-2026` for a window starting in October 2026. */
export function quarterLabel(window: SimWindow): string {
  const d = new Date(window.start)
  return `q${Math.floor(d.getUTCMonth() / 3) + 1}-${d.getUTCFullYear()}`
}

const WEBINAR_TOPICS = [
  'revops-roundtable-speed-to-lead',
  'writing-your-first-sales-marketing-sla',
  'attribution-without-the-arguments',
  'icp-review-live-teardown',
  'routing-for-global-teams',
  'pipeline-review-that-works',
]

/**
 * @example
 *   const channels = buildChannels(createWindow('2026-10-01', 91, 'x'))
 *   channels.firstTouch // google/cpc/q4-2026-search-brand, linkedin/paid_social/…, (direct)/(none), …
 */
export function buildChannels(window: SimWindow): Channels {
  const q = quarterLabel(window)
  const brand: Channel = { context: ctx('google', 'cpc', `${q}-search-brand`), landing: 'home' }
  const category: Channel = { context: ctx('google', 'cpc', `${q}-search-lead-routing`), landing: 'product' }
  const competitor: Channel = { context: ctx('google', 'cpc', `${q}-search-competitor`), landing: 'pricing' }
  const organic: Channel = { context: ctx('google', 'organic', null), landing: 'blog' }
  const organicDocs: Channel = { context: ctx('google', 'organic', null), landing: 'docs' }
  const bing: Channel = { context: ctx('bing', 'organic', null), landing: 'blog' }
  const linkedinAbm: Channel = {
    context: ctx('linkedin', 'paid_social', `${q}-abm-revops-leaders`),
    landing: 'product',
  }
  const linkedinEbook: Channel = {
    context: ctx('linkedin', 'paid_social', `${q}-ebook-state-of-revops`),
    landing: 'resource',
  }
  const retargeting: Channel = { context: ctx('linkedin', 'paid_social', `${q}-retargeting`), landing: 'customers' }
  const direct: Channel = { context: ctx('(direct)', '(none)', null), landing: 'home' }
  const g2: Channel = { context: ctx('g2', 'review_site', 'g2-category-lead-management'), landing: 'pricing' }
  const capterra: Channel = { context: ctx('capterra', 'review_site', null), landing: 'product' }
  const appexchange: Channel = { context: ctx('salesforce-appexchange', 'referral', null), landing: 'product' }
  const partner: Channel = {
    context: ctx('revpartners', 'partner_referral', `${q}-partner-co-marketing`),
    landing: 'customers',
  }
  const community: Channel = { context: ctx('revops-community', 'referral', null), landing: 'blog' }

  const webinars: WebinarSlot[] = []
  // One webinar every three weeks, on a Tuesday–Thursday at 16:00 UTC (morning in NA, afternoon in EMEA).
  for (let k = 0; ; k++) {
    let at = window.start + (12 + 21 * k) * DAY
    while (![2, 3, 4].includes((Math.floor(at / DAY) + 4) % 7)) at += DAY
    at = Math.floor(at / DAY) * DAY + 16 * HOUR
    if (at >= window.end) break
    const slug = `${WEBINAR_TOPICS[k % WEBINAR_TOPICS.length]}${k >= WEBINAR_TOPICS.length ? `-${k}` : ''}`
    const context = ctx('webinar', 'event', `${q}-webinar-${slug}`)
    webinars.push({ slug, at, context })
  }

  const emailSends: EmailSend[] = []
  // The newsletter goes out every Tuesday 14:00 UTC; webinar invitations a week before each webinar.
  let tuesday = window.start
  while ((Math.floor(tuesday / DAY) + 4) % 7 !== 2) tuesday += DAY
  for (let at = Math.floor(tuesday / DAY) * DAY + 14 * HOUR; at < window.end; at += 7 * DAY) {
    const campaign = `newsletter-${new Date(at).toISOString().slice(0, 10)}`
    const ebook = EBOOKS[emailSends.length % EBOOKS.length]
    emailSends.push({ campaign, at, context: ctx('newsletter', 'email', campaign), landing: ebook?.landing ?? '/blog' })
  }
  for (const w of webinars) {
    const at = w.at - 7 * DAY - 2 * HOUR
    if (at < window.start) continue
    const campaign = `${q}-webinar-invite-${w.slug}`
    emailSends.push({ campaign, at, context: ctx('marketo', 'email', campaign), landing: `/webinars/${w.slug}` })
  }
  const update = window.start + Math.floor((window.end - window.start) / DAY / 2) * DAY + 15 * HOUR
  emailSends.push({
    campaign: `${q}-product-update`,
    at: update,
    context: ctx('marketo', 'email', `${q}-product-update`),
    landing: '/product/overview',
  })
  emailSends.sort((a, b) => a.at - b.at || (a.campaign < b.campaign ? -1 : 1))

  return {
    firstTouch: weightedTable<Channel>([
      [organic, 20],
      [organicDocs, 4],
      [bing, 2],
      [brand, 10],
      [category, 7],
      [competitor, 3],
      [linkedinAbm, 7],
      [linkedinEbook, 6],
      [direct, 15],
      [g2, 5],
      [capterra, 2],
      [appexchange, 3],
      [partner, 3],
      [community, 3],
    ]),
    returning: weightedTable<Channel>([
      [direct, 35],
      [organic, 18],
      [brand, 12],
      [retargeting, 10],
      [organicDocs, 6],
      [g2, 3],
      [linkedinAbm, 4],
    ]),
    returningInMarket: weightedTable<Channel>([
      [direct, 30],
      [brand, 22],
      [organic, 10],
      [retargeting, 10],
      [g2, 10],
      [capterra, 3],
      [organicDocs, 5],
    ]),
    g2,
    webinars,
    emailSends,
    product: ctx('product', 'in_app', null),
    chat: ctx('website', 'chat', null),
  }
}
