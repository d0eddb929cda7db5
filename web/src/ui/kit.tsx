/** The design system's small parts. Everything renders text through React: user content is never markup. */
import { type ReactNode, useEffect, useRef } from 'react'
import type { VersionState } from '../types.ts'

export function PageHeader({
  title,
  subtitle,
  actions,
  eyebrow,
}: {
  title: ReactNode
  subtitle?: ReactNode
  actions?: ReactNode
  eyebrow?: ReactNode
}) {
  return (
    <header className="page-header">
      <div className="page-header-text">
        {eyebrow && <div className="eyebrow">{eyebrow}</div>}
        <h1>{title}</h1>
        {subtitle && <p className="subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  )
}

export function Card({
  title,
  children,
  actions,
  id,
  className,
}: {
  title?: ReactNode
  children: ReactNode
  actions?: ReactNode
  id?: string
  className?: string
}) {
  return (
    <section className={`card ${className ?? ''}`} id={id} aria-labelledby={id && title ? `${id}-title` : undefined}>
      {(title || actions) && (
        <div className="card-head">
          {title && (
            <h2 className="card-title" id={id ? `${id}-title` : undefined}>
              {title}
            </h2>
          )}
          {actions && <div className="card-actions">{actions}</div>}
        </div>
      )}
      <div className="card-body">{children}</div>
    </section>
  )
}

type Tone = 'neutral' | 'accent' | 'good' | 'warn' | 'bad' | 'muted'

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>
}

const STATE_TONE: Record<VersionState, Tone> = {
  active: 'good',
  proposed: 'warn',
  scheduled: 'accent',
  superseded: 'muted',
  withdrawn: 'muted',
}

export function StateBadge({ state }: { state: VersionState }) {
  return <Badge tone={STATE_TONE[state]}>{state}</Badge>
}

export function Code({ children }: { children: ReactNode }) {
  return <code className="code">{children}</code>
}

export function Chips({ items, tone }: { items: readonly string[]; tone?: Tone }) {
  if (items.length === 0) return <span className="muted">none</span>
  return (
    <span className="chips">
      {items.map((i) => (
        <Badge key={i} tone={tone}>
          {i}
        </Badge>
      ))}
    </span>
  )
}

export function Stat({ label, value, hint }: { label: ReactNode; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  )
}

export function Field({
  label,
  htmlFor,
  hint,
  error,
  children,
}: {
  label: string
  htmlFor: string
  hint?: ReactNode
  error?: string
  children: ReactNode
}) {
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error && <div className="field-hint">{hint}</div>}
      {error && (
        <div className="field-error" id={`${htmlFor}-error`}>
          {error}
        </div>
      )}
    </div>
  )
}

export function Callout({
  tone = 'neutral',
  title,
  children,
}: {
  tone?: Tone
  title?: ReactNode
  children: ReactNode
}) {
  return (
    <div className={`callout callout-${tone}`} role={tone === 'bad' ? 'alert' : undefined}>
      {title && <div className="callout-title">{title}</div>}
      <div>{children}</div>
    </div>
  )
}

/** Sets the document title for the page. */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Accord`
  }, [title])
}

/** The root of a page: `data-ready` is set once the page's data has rendered (the benchmark and tests wait on it). */
export function Page({ ready, name, children }: { ready: boolean; name: string; children: ReactNode }) {
  return (
    <div className="page" data-page={name} data-ready={ready ? name : undefined}>
      {children}
    </div>
  )
}

/**
 * Focuses the element when it mounts: the confirm button of a two-step action, the first field of a form, so a
 * keyboard user lands where the next key press belongs.
 */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null)
  useEffect(() => {
    ref.current?.focus()
  }, [])
  return ref
}
