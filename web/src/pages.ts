/**
 * Every page of the dashboard, in nav order. A page is listed only when it exists and the principal has the
 * permission it needs; pages whose APIs do not exist yet are not listed (see docs/dashboard.md to add one).
 * Components are loaded lazily so each page is its own chunk and the first load stays small.
 */
import { type ComponentType, type LazyExoticComponent, lazy } from 'react'
import { scoreboardRequest } from './pages/analytics/scoreboard-query.ts'
import type { Permission } from './types.ts'

export type PageProps = { params: Record<string, string> }

export type PageDef = {
  /** `/agreement/versions/:id` */
  path: string
  title: string
  /** Shown in the nav when set; detail pages have none. */
  nav?: { label: string; section: 'Revenue' | 'Agreement' | 'Settings'; icon: IconName }
  /** A detail page's nav entry (the path of the page the nav highlights while this one is open). */
  navParent?: string
  /** Any one of these permits the page. */
  requires: Permission[]
  component: LazyExoticComponent<ComponentType<PageProps>>
  /** Starts loading the page's chunk (called at start-up for the URL being opened, in parallel with log-in). */
  preload: () => Promise<unknown>
  /**
   * The requests the page makes first, started at start-up beside the session check (main.tsx) so the page's
   * numbers are on their way before its code has loaded. Same query keys as the page's own `useQuery`.
   */
  prefetch?: (search: URLSearchParams) => { queryKey: readonly unknown[]; path: string }[]
}

export type IconName =
  | 'doc'
  | 'history'
  | 'edit'
  | 'key'
  | 'users'
  | 'leads'
  | 'queue'
  | 'scoreboard'
  | 'feedback'
  | 'attribution'
  | 'reviews'
  | 'settings'

const loadAgreementPage = () => import('./pages/agreement/agreement-page.tsx')
const loadHistoryPage = () => import('./pages/agreement/history-page.tsx')
const loadProposePage = () => import('./pages/agreement/propose-page.tsx')
const loadVersionPage = () => import('./pages/agreement/version-page.tsx')
const loadLeadsPages = () => import('./pages/leads/leads-pages.ts')
const loadQueuePage = () => import('./pages/queue/queue-page.tsx')
const loadScoreboardPage = () => import('./pages/analytics/scoreboard-page.tsx')
const loadFeedbackPage = () => import('./pages/analytics/feedback-page.tsx')
const loadAttributionPage = () => import('./pages/analytics/attribution-page.tsx')
const loadReviewsPages = () => import('./pages/analytics/reviews-pages.ts')
const loadSettingsPage = () => import('./pages/settings/settings-page.tsx')

export const PAGES: PageDef[] = [
  // First, so it is the landing page of everyone who may read the shared numbers (marketing, sales, admin).
  {
    path: '/scoreboard',
    title: 'Scoreboard',
    nav: { label: 'Scoreboard', section: 'Revenue', icon: 'scoreboard' },
    requires: ['metrics:read'],
    component: lazy(loadScoreboardPage),
    preload: loadScoreboardPage,
    prefetch: (search) => [scoreboardRequest(search)],
  },
  {
    path: '/leads',
    title: 'Leads',
    nav: { label: 'Leads', section: 'Revenue', icon: 'leads' },
    requires: ['leads:read', 'leads:read_own'],
    component: lazy(loadLeadsPages),
    preload: loadLeadsPages,
  },
  {
    path: '/leads/:id',
    title: 'Lead',
    navParent: '/leads',
    requires: ['leads:read', 'leads:read_own'],
    component: lazy(() => loadLeadsPages().then((m) => ({ default: m.LeadPage }))),
    preload: loadLeadsPages,
  },
  {
    path: '/queue',
    title: 'My queue',
    nav: { label: 'My queue', section: 'Revenue', icon: 'queue' },
    requires: ['leads:read', 'leads:read_own'],
    component: lazy(loadQueuePage),
    preload: loadQueuePage,
  },
  {
    path: '/feedback',
    title: 'Feedback',
    nav: { label: 'Feedback', section: 'Revenue', icon: 'feedback' },
    requires: ['metrics:read'],
    component: lazy(loadFeedbackPage),
    preload: loadFeedbackPage,
  },
  {
    path: '/attribution',
    title: 'Attribution',
    nav: { label: 'Attribution', section: 'Revenue', icon: 'attribution' },
    requires: ['metrics:read'],
    component: lazy(loadAttributionPage),
    preload: loadAttributionPage,
  },
  {
    path: '/reviews',
    title: 'Reviews',
    nav: { label: 'Reviews', section: 'Revenue', icon: 'reviews' },
    requires: ['metrics:read'],
    component: lazy(loadReviewsPages),
    preload: loadReviewsPages,
  },
  {
    path: '/reviews/:id',
    title: 'Review pack',
    navParent: '/reviews',
    requires: ['metrics:read'],
    component: lazy(() => loadReviewsPages().then((m) => ({ default: m.ReviewPage }))),
    preload: loadReviewsPages,
  },
  {
    path: '/agreement',
    title: 'Agreement',
    nav: { label: 'Agreement', section: 'Agreement', icon: 'doc' },
    requires: ['agreement:read'],
    component: lazy(loadAgreementPage),
    preload: loadAgreementPage,
  },
  {
    path: '/agreement/history',
    title: 'Agreement history',
    nav: { label: 'History', section: 'Agreement', icon: 'history' },
    requires: ['agreement:read'],
    component: lazy(loadHistoryPage),
    preload: loadHistoryPage,
  },
  {
    path: '/agreement/propose',
    title: 'Propose a change',
    nav: { label: 'Propose a change', section: 'Agreement', icon: 'edit' },
    requires: ['agreement:propose'],
    component: lazy(loadProposePage),
    preload: loadProposePage,
  },
  {
    path: '/agreement/versions/:id',
    title: 'Agreement version',
    navParent: '/agreement/history',
    requires: ['agreement:read'],
    component: lazy(loadVersionPage),
    preload: loadVersionPage,
  },
  {
    path: '/settings',
    title: 'Settings',
    nav: { label: 'Settings', section: 'Settings', icon: 'settings' },
    requires: ['reps:read', 'reps:set_own_status', 'settings:manage', 'keys:manage'],
    component: lazy(loadSettingsPage),
    preload: loadSettingsPage,
  },
  {
    path: '/settings/keys',
    title: 'API keys',
    requires: ['keys:manage'],
    component: lazy(() => loadSettingsPage().then((m) => ({ default: m.KeysRedirect }))),
    preload: loadSettingsPage,
  },
  {
    path: '/settings/users',
    title: 'Users',
    requires: ['keys:manage'],
    component: lazy(() => loadSettingsPage().then((m) => ({ default: m.UsersRedirect }))),
    preload: loadSettingsPage,
  },
]
