/**
 * A small history router: the URL is the state (path + query string), so every view can be shared and reloaded.
 * Filters live in the query string through `useSearchParam`.
 */
import { type AnchorHTMLAttributes, type MouseEvent, useCallback, useSyncExternalStore } from 'react'

const listeners = new Set<() => void>()
const notify = () => {
  for (const l of listeners) l()
}
window.addEventListener('popstate', notify)

function subscribe(listener: () => void) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

const snapshot = () => window.location.pathname + window.location.search

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return
  if (opts.replace) window.history.replaceState(null, '', to)
  else window.history.pushState(null, '', to)
  if (!opts.replace) window.scrollTo(0, 0)
  notify()
}

export function useLocation(): { path: string; search: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, snapshot)
  const url = new URL(href, window.location.origin)
  return { path: url.pathname, search: url.searchParams, href }
}

/** A query-string parameter as state; setting it replaces the history entry (filters are not navigation). */
export function useSearchParam(name: string, fallback = ''): [string, (value: string) => void] {
  const { search } = useLocation()
  const value = search.get(name) ?? fallback
  const set = useCallback(
    (next: string) => {
      const url = new URL(window.location.href)
      if (next === fallback || next === '') url.searchParams.delete(name)
      else url.searchParams.set(name, next)
      navigate(url.pathname + url.search, { replace: true })
    },
    [name, fallback],
  )
  return [value, set]
}

/** Matches `/agreement/versions/:id` against a path; returns the params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean)
  const s = path.split('/').filter(Boolean)
  if (p.length !== s.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(s[i]!)
    else if (part !== s[i]) return null
  }
  return params
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e)
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    e.preventDefault()
    navigate(to)
  }
  return <a href={to} onClick={handle} {...rest} />
}
