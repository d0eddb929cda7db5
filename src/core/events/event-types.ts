/**
 * Event types Accord understands when an Agreement does not list its own (`event_types:`). Ingestion refuses
 * other types, so a misspelt type from a tracking script is an error at the door, not a silently ignored event.
 */
export const DEFAULT_EVENT_TYPES = [
  'page_view',
  'form_submit',
  'demo_request',
  'contact_request',
  'content_download',
  'webinar_registered',
  'webinar_attended',
  'event_attended',
  'email_sent',
  'email_open',
  'email_click',
  'email_reply',
  'email_bounce',
  'email_unsubscribe',
  'chat_conversation',
  'meeting_booked',
  'call',
  'trial_start',
  'signup',
  'product_signal',
  'ad_click',
  'review_site_visit',
  'intent_surge',
] as const

/** How far in the future an event's occurred_at may lie (clock skew between senders and Accord). */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000
