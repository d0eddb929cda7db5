import { Suspense } from 'react'
import { LoginPage } from './pages/login-page.tsx'
import { PAGES } from './pages.ts'
import { matchPath, navigate, useLocation } from './router.tsx'
import { useSession, useSessionApi } from './session.tsx'
import { Shell, visiblePages } from './shell.tsx'
import { Empty, ErrorState, Loading } from './ui/states.tsx'

function Routes() {
  const session = useSession()
  const { path } = useLocation()
  const allowed = visiblePages(session.can)
  if (path === '/' || path === '/login') {
    const home = allowed.find((p) => p.nav)
    if (home) queueMicrotask(() => navigate(home.path, { replace: true }))
    return home ? <Loading /> : <Empty title="Nothing to show">Your role has no pages in the dashboard.</Empty>
  }
  for (const page of PAGES) {
    const params = matchPath(page.path, path)
    if (!params) continue
    if (!allowed.includes(page)) {
      return (
        <ErrorState
          title="Not available to your role"
          error={{ message: `A ${session.principal.role} cannot open ${page.title}.` }}
        />
      )
    }
    const Component = page.component
    return (
      <Suspense fallback={<Loading />}>
        <Component key={path} params={params} />
      </Suspense>
    )
  }
  return <Empty title="Page not found">There is no page at {path}. Use the navigation to find your way.</Empty>
}

export function App() {
  const { state, retry } = useSessionApi()
  if (state.status === 'loading') return <Loading label="Starting Accord…" />
  if (state.status === 'error')
    return (
      <div className="login">
        <ErrorState error={state.error} onRetry={retry} title="Accord cannot be reached" />
      </div>
    )
  if (state.status === 'anonymous') return <LoginPage reason={state.reason} />
  return (
    <Shell>
      <Routes />
    </Shell>
  )
}
