// What a timeline event means to a rep, in words. Event types are open-ended (an Agreement may declare its own), so
// an unknown type still reads sensibly ('product_signal' → 'product signal'); never throws.

import type { BriefEvent, BriefPropertyValue } from './brief-types.ts'

function text(value: BriefPropertyValue): string | null {
  if (value === null || value === undefined || value === '') return null
  return String(value)
}

function prop(event: BriefEvent, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = text(event.properties?.[key])
    if (v !== null) return v
  }
  return null
}

const quote = (s: string) => `“${s}”`

/** Path prefixes whose pages count as content engaged (not navigation or conversion pages). */
const CONTENT_PREFIXES = [
  '/blog',
  '/resources',
  '/guides',
  '/guide',
  '/whitepapers',
  '/ebooks',
  '/case-studies',
  '/customers',
  '/webinars',
  '/reports',
  '/docs',
  '/learn',
]

export function isPricingPage(event: BriefEvent): boolean {
  return event.type === 'page_view' && (prop(event, 'path') ?? '').startsWith('/pricing')
}

function humanize(name: string): string {
  return name.replace(/[_-]+/g, ' ').trim()
}

/**
 * The content piece an event engaged with, or null: a download, a webinar, an event, an email clicked, or a page
 * under a content path (or any page with a title that is not pricing).
 */
export function describeContent(event: BriefEvent): { label: string; verb: string } | null {
  switch (event.type) {
    case 'content_download': {
      const name = prop(event, 'title', 'asset', 'name', 'path')
      return name ? { label: name, verb: 'downloaded' } : null
    }
    case 'webinar_registered':
    case 'webinar_attended': {
      const name = prop(event, 'webinar', 'title', 'name')
      return name ? { label: name, verb: event.type === 'webinar_attended' ? 'attended' : 'registered for' } : null
    }
    case 'event_attended': {
      const name = prop(event, 'event', 'title', 'name')
      return name ? { label: name, verb: 'attended' } : null
    }
    case 'email_click': {
      const name = prop(event, 'email_campaign', 'subject', 'title')
      return name ? { label: name, verb: 'clicked through' } : null
    }
    case 'page_view': {
      if (isPricingPage(event)) return null
      const path = prop(event, 'path') ?? ''
      const title = prop(event, 'title')
      const isContent = CONTENT_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))
      if (title && (isContent || path !== '/')) return { label: title, verb: 'read' }
      return isContent ? { label: path, verb: 'read' } : null
    }
    default:
      return null
  }
}

/** The activity in a few words: 'requested a demo', 'viewed /pricing', 'downloaded “HIPAA compliance guide”'. */
export function describeActivity(event: BriefEvent): string {
  switch (event.type) {
    case 'page_view': {
      const title = prop(event, 'title')
      const path = prop(event, 'path') ?? prop(event, 'url')
      if (title && path) return `read ${quote(title)} (${path})`
      if (path) return `viewed ${path}`
      return title ? `read ${quote(title)}` : 'viewed a page'
    }
    case 'form_submit': {
      const form = prop(event, 'form', 'form_name', 'name')
      return form ? `submitted the ${humanize(form)} form` : 'submitted a form'
    }
    case 'demo_request':
      return 'requested a demo'
    case 'contact_request':
      return 'asked to be contacted'
    case 'meeting_booked':
      return 'booked a meeting'
    case 'trial_start':
      return 'started a trial'
    case 'signup':
      return 'signed up'
    case 'call':
      return 'had a call'
    case 'chat_conversation': {
      const topic = prop(event, 'topic', 'summary')
      return topic ? `chatted about ${topic}` : 'had a chat conversation'
    }
    case 'email_sent':
    case 'email_open':
    case 'email_click':
    case 'email_reply':
    case 'email_bounce':
    case 'email_unsubscribe': {
      const verb = {
        email_sent: 'was sent',
        email_open: 'opened',
        email_click: 'clicked through',
        email_reply: 'replied to',
        email_bounce: 'bounced',
        email_unsubscribe: 'unsubscribed from',
      }[event.type]
      const name = prop(event, 'email_campaign', 'subject')
      return name ? `${verb} the email ${quote(name)}` : `${verb} an email`
    }
    case 'product_signal': {
      const signal = prop(event, 'signal', 'name', 'feature')
      return signal ? `product signal: ${humanize(signal)}` : 'showed a product signal'
    }
    case 'intent_surge': {
      const topic = prop(event, 'topic')
      return topic ? `showed an intent surge on ${topic}` : 'showed an intent surge'
    }
    case 'review_site_visit': {
      const site = prop(event, 'site', 'source')
      return site ? `researched us on ${site}` : 'visited a review site'
    }
    case 'ad_click':
      return 'clicked an ad'
    default: {
      const content = describeContent(event)
      if (content) return `${content.verb} ${quote(content.label)}`
      return humanize(event.type)
    }
  }
}

/** ' (google / cpc, campaign q4-hipaa)' or ''. */
export function describeSource(event: BriefEvent): string {
  const channel = [event.source, event.medium].filter((s): s is string => !!s).join(' / ')
  const parts = [channel, event.campaign ? `campaign ${event.campaign}` : ''].filter((s) => s.length > 0)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}
