import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { ApiError, request } from './api.ts'
import { App } from './app.tsx'
import { PAGES } from './pages.ts'
import { matchPath } from './router.tsx'
import { SessionProvider } from './session.tsx'
import './styles.css'

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A 4xx will not get better by asking again; a network blip might.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
})

// Fetch the opened page's code — and its first data — while the session is being checked, not after. Without a
// session the data request answers 401 quietly (no "session ended" message) and the page asks again after log-in.
const opened = PAGES.find((p) => matchPath(p.path, window.location.pathname))
opened?.preload()
for (const { queryKey, path } of opened?.prefetch?.(new URLSearchParams(window.location.search)) ?? [])
  void queryClient.prefetchQuery({
    queryKey,
    queryFn: ({ signal }) => request('GET', path, { signal, quiet401: true }),
    retry: false,
  })

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
)
