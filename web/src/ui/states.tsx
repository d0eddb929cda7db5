/** Loading, empty and error states: every page shows one of them until its data has rendered. */
import type { ReactNode } from 'react'
import type { ApiError } from '../api.ts'

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  )
}

export function Skeleton({ rows = 4 }: { rows?: number }) {
  return (
    <div className="skeleton" role="status" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
        <div key={i} className="skeleton-row" style={{ width: `${90 - ((i * 17) % 35)}%` }} />
      ))}
    </div>
  )
}

export function Empty({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state state-empty">
      <div className="state-title">{title}</div>
      {children && <div className="state-body">{children}</div>}
      {action && <div className="state-action">{action}</div>}
    </div>
  )
}

export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const e = error as Partial<ApiError> & { message?: string }
  return (
    <div className="state state-error" role="alert">
      <div className="state-title">{title ?? (e.status === 403 ? 'Not allowed' : 'Something went wrong')}</div>
      <div className="state-body">{e.message ?? String(error)}</div>
      {e.issues && e.issues.length > 0 && (
        <ul className="issue-list">
          {e.issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <code>{i.path}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <div className="state-action">
          <button type="button" className="btn" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
    </div>
  )
}
