/** Who is logged in: loaded once from GET /v1/session, cleared on log-out or when any request answers 401. */
import { useQueryClient } from '@tanstack/react-query'
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { type ApiError, onUnauthorized, request, setCsrfToken } from './api.ts'
import type { Permission, Session } from './types.ts'

type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; reason?: string }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; session: Session }

type SessionApi = {
  state: SessionState
  logIn(body: { api_key: string } | { username: string; password: string }): Promise<void>
  logOut(): Promise<void>
  retry(): void
}

const SessionContext = createContext<SessionApi | null>(null)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const queryClient = useQueryClient()

  const adopt = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken)
    setState({ status: 'ready', session })
  }, [])

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger
  useEffect(() => {
    let live = true
    request<Session>('GET', '/v1/session', { quiet401: true })
      .then((s) => live && adopt(s))
      .catch((e: ApiError) => {
        if (!live) return
        setState(e.status === 401 ? { status: 'anonymous' } : { status: 'error', error: e })
      })
    return () => {
      live = false
    }
  }, [adopt, attempt])

  useEffect(
    () =>
      onUnauthorized(() => {
        setCsrfToken(null)
        queryClient.clear()
        setState({ status: 'anonymous', reason: 'Your session has ended. Log in again to continue.' })
      }),
    [queryClient],
  )

  const api = useMemo<SessionApi>(
    () => ({
      state,
      async logIn(body) {
        const s = await request<Session>('POST', '/v1/session', { body, quiet401: true })
        queryClient.clear()
        adopt(s)
      },
      async logOut() {
        try {
          await request('DELETE', '/v1/session', { quiet401: true })
        } finally {
          setCsrfToken(null)
          queryClient.clear()
          setState({ status: 'anonymous' })
        }
      },
      retry: () => {
        setState({ status: 'loading' })
        setAttempt((n) => n + 1)
      },
    }),
    [state, adopt, queryClient],
  )
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>
}

export function useSessionApi(): SessionApi {
  const api = useContext(SessionContext)
  if (!api) throw new Error('useSessionApi outside SessionProvider')
  return api
}

/** The logged-in session; only for components rendered inside the authenticated shell. */
export function useSession(): Session & { can(p: Permission): boolean } {
  const { state } = useSessionApi()
  if (state.status !== 'ready') throw new Error('useSession before log-in')
  const s = state.session
  return { ...s, can: (p) => s.permissions.includes(p) }
}
