/** What the Settings tabs share: a rep's state as a badge, open/closed now in a calendar's zone, the link into the
 * Agreement editor at the part to change, and URLs shown without their secret parts. */
import { Link } from '../../router.tsx'
import { Badge } from '../../ui/kit.tsx'
import { formatInZone, formatTimeInZone } from '../queue/queue-time.ts'
import type { OpenNow, Unavailability } from './settings-types.ts'

/** "closes 17:30 EST" today, or "opens Mon 23 Nov, 09:00 EST". */
export function describeNextChange(open: OpenNow, timeZone: string, now = Date.now()): string {
  if (!open.next_change_at) return open.open_now ? 'open around the clock' : 'no working hours ahead'
  const at = Date.parse(open.next_change_at)
  const sameDay = at - now < 20 * 3_600_000
  const when = sameDay ? formatTimeInZone(at, timeZone) : formatInZone(at, timeZone)
  return `${open.open_now ? 'closes' : 'opens'} ${when}`
}

export function OpenBadge({ open }: { open: OpenNow }) {
  return open.open_now ? <Badge tone="good">open</Badge> : <Badge tone="muted">closed</Badge>
}

type Tone = 'good' | 'warn' | 'bad' | 'muted' | 'neutral' | 'accent'

const REASON: Record<Unavailability['kind'], { label: string; tone: Tone }> = {
  inactive: { label: 'Inactive', tone: 'muted' },
  out_of_office: { label: 'Out of office', tone: 'warn' },
  unreadable_out_of_office: { label: 'Out of office?', tone: 'bad' },
  outside_hours: { label: 'Outside hours', tone: 'neutral' },
  daily_cap: { label: 'Daily cap reached', tone: 'bad' },
  weekly_cap: { label: 'Weekly cap reached', tone: 'bad' },
  unknown_rep: { label: 'Unknown rep', tone: 'bad' },
  zero_weight: { label: 'Weight 0', tone: 'muted' },
}

/** "Available" or why not, with the server's sentence beside it (the same words as the routing trace). */
export function AvailabilityBadge({ reason, text }: { reason: Unavailability | null; text: string | null }) {
  if (!reason) return <Badge tone="good">Available</Badge>
  const r = REASON[reason.kind]
  return (
    <span className="availability">
      <Badge tone={r.tone}>{r.label}</Badge>
      {text && text.toLowerCase() !== r.label.toLowerCase() && <span className="muted small">{text}</span>}
    </span>
  )
}

/** "n / cap" with the cap greyed; the count turns red when it reached the cap. */
export function LoadCell({ count, cap }: { count: number; cap: number | null }) {
  return (
    <span className={cap !== null && count >= cap ? 'load load-full' : 'load'}>
      {count}
      {cap !== null && <span className="muted"> / {cap}</span>}
    </span>
  )
}

/**
 * Reps, teams, calendars and pools are signed: they change through a proposed Agreement version. The editor opens
 * with the caret at `at` (e.g. `calendars.new_york`).
 */
export function ProposeLink({ at, children }: { at: string; children?: string }) {
  return (
    <Link to={`/agreement/propose?at=${encodeURIComponent(at)}`} className="btn btn-small">
      {children ?? 'Propose a change'}
    </Link>
  )
}

/** Slack webhook URLs are secrets: show where it points, not the token. `https://hooks.slack.com/services/T0/B0/x` → `hooks.slack.com/services/T0/…` */
export function redactUrl(url: string | null): string {
  if (!url) return ''
  try {
    const u = new URL(url)
    const parts = u.pathname.split('/').filter(Boolean)
    const shown = parts.slice(0, 2).join('/')
    return `${u.host}${shown ? `/${shown}` : ''}${parts.length > 2 ? '/…' : ''}`
  } catch {
    return '(unreadable URL)'
  }
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string, now = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}
