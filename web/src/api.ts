/**
 * The one way the dashboard talks to the server: same-origin fetch with the session cookie, the CSRF token on
 * every state-changing request, and the API's error shape `{ error: { code, message, issues } }` turned into an
 * `ApiError` that pages can show (issues keep their path and line).
 */

export type Issue = { path: string; message: string; line?: number }

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly issues: Issue[]
  constructor(status: number, code: string, message: string, issues: Issue[] = []) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.issues = issues
  }
}

let csrfToken: string | null = null
const unauthorizedListeners = new Set<() => void>()

export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

/** Called when any request answers 401: the session ended (expired, revoked, logged out elsewhere). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

type Method = 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH'

export async function request<T>(
  method: Method,
  path: string,
  opts: { body?: unknown; signal?: AbortSignal; quiet401?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken
  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    })
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e
    throw new ApiError(0, 'network', 'the server cannot be reached; check your connection and try again')
  }
  if (res.status === 204) return undefined as T
  const text = await res.text()
  let data: unknown = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = null
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; issues?: Issue[] } } | null)?.error
    if (res.status === 401 && !opts.quiet401) for (const l of unauthorizedListeners) l()
    throw new ApiError(
      res.status,
      err?.code ?? 'http_error',
      err?.message ?? `the server answered ${res.status} ${res.statusText}`,
      err?.issues ?? [],
    )
  }
  return data as T
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, { signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  del: <T>(path: string) => request<T>('DELETE', path),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
}
