/**
 * Parts shared by the analytics pages: the period picker (presets and a custom range, kept in `?period=` so a view
 * can be shared), a select bound to a query parameter, the names of reps and teams from the Agreement, a progress
 * bar with its number printed, and the "how this is counted" note.
 */
import { type ReactNode, useEffect, useId, useMemo, useState } from 'react'
import { useSearchParam } from '../../router.tsx'
import { useActiveAgreement } from '../agreement/queries.ts'
import type { Names } from './analytics-format.ts'
import {
  customBounds,
  customPeriodLabel,
  describePeriod,
  PRESET_LABELS,
  type PresetId,
  presetOf,
  presetPeriods,
} from './period.ts'

/** The `period` query parameter ('' = the API's default, the current quarter). */
export const usePeriodParam = () => useSearchParam('period')

export function PeriodPicker() {
  const [period, setPeriod] = usePeriodParam()
  const now = Date.now()
  const presets = presetPeriods(now)
  const custom = customBounds(period)
  const preset = period === '' ? 'this_quarter' : presetOf(period, now)
  const [editing, setEditing] = useState(custom !== null)
  const [from, setFrom] = useState(custom?.from ?? '')
  const [to, setTo] = useState(custom?.toInclusive ?? '')
  const id = useId()
  useEffect(() => {
    const c = customBounds(period)
    if (c) {
      setFrom(c.from)
      setTo(c.toInclusive)
    }
  }, [period])
  const selected = editing || custom ? 'custom' : (preset ?? 'other')
  const invalid = from !== '' && to !== '' && to < from
  return (
    <>
      <div className="filter">
        <label htmlFor={`${id}-period`}>Period</label>
        <select
          id={`${id}-period`}
          value={selected}
          onChange={(e) => {
            const v = e.target.value
            if (v === 'custom') {
              setEditing(true)
              return
            }
            setEditing(false)
            if (v !== 'other') setPeriod(presets[v as PresetId])
          }}
        >
          {(Object.keys(PRESET_LABELS) as PresetId[]).map((p) => (
            <option key={p} value={p}>
              {PRESET_LABELS[p]} ({describePeriod(presets[p])})
            </option>
          ))}
          {selected === 'other' && <option value="other">{describePeriod(period)}</option>}
          <option value="custom">Custom range…</option>
        </select>
      </div>
      {selected === 'custom' && (
        <fieldset className="filter-range">
          <legend className="sr-only">Custom range</legend>
          <div className="filter">
            <label htmlFor={`${id}-from`}>From</label>
            <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="filter">
            <label htmlFor={`${id}-to`}>To (inclusive)</label>
            <input
              id={`${id}-to`}
              type="date"
              value={to}
              min={from || undefined}
              aria-invalid={invalid || undefined}
              onChange={(e) => setTo(e.target.value)}
            />
          </div>
          <button
            type="submit"
            className="btn"
            disabled={from === '' || to === '' || invalid}
            onClick={() => setPeriod(customPeriodLabel(from, to))}
          >
            Apply
          </button>
        </fieldset>
      )}
    </>
  )
}

/** A labelled select whose value is a query parameter. */
export function ParamSelect({
  name,
  label,
  options,
  fallback,
}: {
  name: string
  label: string
  options: { value: string; label: string }[]
  fallback: string
}) {
  const [value, setValue] = useSearchParam(name, fallback)
  const id = useId()
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => setValue(e.target.value)}>
        {!options.some((o) => o.value === value) && <option value={value}>{value}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}

/** The filter bar of an analytics page: a form so Enter applies a custom range, never a page reload. */
export function FilterBar({ label, children }: { label: string; children: ReactNode }) {
  return (
    <form className="filter-bar" aria-label={label} onSubmit={(e) => e.preventDefault()}>
      {children}
    </form>
  )
}

/** Rep and team display names from the Agreement in force (ids are shown until it has loaded). */
export function useNames(): Names {
  const agreement = useActiveAgreement()
  const doc = agreement.data?.document
  // Stable while the Agreement is: charts keyed on names redraw only when they change.
  return useMemo(
    () => ({
      reps: new Map((doc?.reps ?? []).map((r) => [r.id, r.name])),
      teams: new Map(Object.entries(doc?.teams ?? {}).map(([id, t]) => [id, t.name ?? id])),
    }),
    [doc],
  )
}

/**
 * A bar for a share of something (0–1, may exceed 1), with an optional marker for what is expected by now.
 * Decorative: the number beside it is the content.
 */
export function ShareBar({ share, expected, tone }: { share: number | null; expected?: number; tone: string }) {
  const width = Math.max(0, Math.min(1, share ?? 0)) * 100
  return (
    <div className="share-bar" aria-hidden="true">
      <div className={`share-bar-fill share-${tone}`} style={{ width: `${width}%` }} />
      {expected !== undefined && expected < 1 && (
        <div className="share-bar-mark" style={{ left: `${Math.max(0, Math.min(1, expected)) * 100}%` }} />
      )}
    </div>
  )
}

/** "How these numbers are counted": the API's own convention text, folded away. */
export function Convention({ children }: { children: ReactNode }) {
  return (
    <details className="convention">
      <summary>How this is counted</summary>
      <div className="muted small">{children}</div>
    </details>
  )
}
