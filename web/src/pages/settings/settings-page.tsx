/**
 * Settings, one page with a tab per area (`/settings?tab=reps`): reps & teams with their live state and rep status,
 * calendars with a "when is it due?" calculator, pools, notification endpoints with their deliveries, API keys and
 * users. Each role sees the tabs its permissions open; reps see their own availability.
 * Reps, teams, calendars and pools are read from the signed Agreement: changing them is a proposed version (the
 * "Propose a change" links); only the rep status and the endpoints, keys and users are edited here.
 */
import { type ReactNode, useCallback, useState } from 'react'
import type { PageProps } from '../../pages.ts'
import { Link, navigate, useLocation } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import type { Permission } from '../../types.ts'
import { Page, PageHeader, useTitle } from '../../ui/kit.tsx'
import { Empty } from '../../ui/states.tsx'
import { CalendarsTab } from './calendars-tab.tsx'
import { EndpointsTab } from './endpoints-tab.tsx'
import { KeysTab } from './keys-tab.tsx'
import { PoolsTab } from './pools-tab.tsx'
import { RepsTab } from './reps-tab.tsx'
import './settings.css'
import { UsersTab } from './users-tab.tsx'

export type TabProps = { onReady(ready: boolean): void }

type TabDef = {
  id: string
  label: string
  /** The label for someone who sees only their own part (a rep). */
  ownLabel?: string
  requires: Permission[]
  subtitle: string
  component: (props: TabProps) => ReactNode
}

export const SETTINGS_TABS: TabDef[] = [
  {
    id: 'reps',
    label: 'Reps & teams',
    ownLabel: 'My availability',
    requires: ['reps:read', 'reps:set_own_status'],
    subtitle:
      'Who can take a lead right now, and why not. Out of office and active/inactive are set here and take effect at the next routing decision; the rest is the signed Agreement.',
    component: RepsTab,
  },
  {
    id: 'calendars',
    label: 'Calendars',
    requires: ['agreement:read'],
    subtitle: 'Business hours, holidays and overrides that SLA clocks count in — and when something is due.',
    component: CalendarsTab,
  },
  {
    id: 'pools',
    label: 'Pools',
    requires: ['reps:read'],
    subtitle: 'Weighted round robin as it stands now: who is next, who would be skipped and why, and the backup.',
    component: PoolsTab,
  },
  {
    id: 'notifications',
    label: 'Notifications',
    requires: ['settings:manage'],
    subtitle: 'Slack, email and signed webhooks that hear about handoffs and SLA clocks, and what was delivered.',
    component: EndpointsTab,
  },
  {
    id: 'keys',
    label: 'API keys',
    requires: ['keys:manage'],
    subtitle: 'Keys authenticate integrations and people. Secrets are 192-bit random and stored only hashed.',
    component: KeysTab,
  },
  {
    id: 'users',
    label: 'Users',
    requires: ['keys:manage'],
    subtitle: 'People who log in with a username and password. Passwords are stored as scrypt hashes.',
    component: UsersTab,
  },
]

export default function SettingsPage(_: PageProps) {
  const session = useSession()
  const { search } = useLocation()
  const tabs = SETTINGS_TABS.filter((t) => t.requires.some(session.can))
  const own = !session.can('reps:read')
  const asked = search.get('tab')
  const tab = tabs.find((t) => t.id === asked) ?? tabs[0]
  const label = (t: TabDef) => (own && t.ownLabel ? t.ownLabel : t.label)
  useTitle(tab ? `${label(tab)} · Settings` : 'Settings')
  const [ready, setReady] = useState<string | null>(null)
  const tabId = tab?.id
  const onReady = useCallback((r: boolean) => setReady(r ? (tabId ?? null) : null), [tabId])
  if (!tab)
    return (
      <Page ready={false} name="settings">
        <Empty title="Nothing to set">Your role has no settings.</Empty>
      </Page>
    )
  const Tab = tab.component
  return (
    <Page ready={ready === tab.id} name={`settings-${tab.id}`}>
      <PageHeader eyebrow="Settings" title={label(tab)} subtitle={tab.subtitle} />
      <nav className="settings-tabs" aria-label="Settings sections">
        {tabs.map((t) => (
          <Link
            key={t.id}
            to={`/settings?tab=${t.id}`}
            className={`settings-tab ${t.id === tab.id ? 'settings-tab-current' : ''}`}
            aria-current={t.id === tab.id ? 'page' : undefined}
          >
            {label(t)}
          </Link>
        ))}
      </nav>
      <Tab key={tab.id} onReady={onReady} />
    </Page>
  )
}

/** `/settings/keys` and `/settings/users`, the addresses these pages had before the tabs: still shareable. */
export function KeysRedirect(_: PageProps) {
  queueMicrotask(() => navigate('/settings?tab=keys', { replace: true }))
  return null
}

export function UsersRedirect(_: PageProps) {
  queueMicrotask(() => navigate('/settings?tab=users', { replace: true }))
  return null
}
