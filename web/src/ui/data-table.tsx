/**
 * The table every list in Settings shares: loading, error and empty states in place of the rows; a header per
 * column; rows that turn into labelled cards on a phone (`data-label` on each cell); and the two-step action
 * ("Revoke" → "Revoke now" / "Cancel") that lists use for anything hard to undo. Cells render React children:
 * user content is text, never markup.
 */
import { type ReactNode, useState } from 'react'
import { useFocusOnMount } from './kit.tsx'
import { Empty, ErrorState, Skeleton } from './states.tsx'
import './data-table.css'

export type Column<T> = {
  /** The header, and the label of the cell on a phone. Empty for an action column (read as `srLabel`). */
  label: string
  /** For columns without a visible header (actions): what a screen reader announces. */
  srLabel?: string
  cell: (row: T) => ReactNode
  className?: string
}

export type TableState = { pending: boolean; error: unknown; retry?: () => void }

export function DataTable<T>({
  columns,
  rows,
  rowKey,
  rowClassName,
  state,
  empty,
  caption,
  testId,
  cards = true,
}: {
  columns: readonly Column<T>[]
  rows: readonly T[]
  rowKey: (row: T) => string | number
  rowClassName?: (row: T) => string
  state?: TableState
  /** Shown when there are no rows (after loading). */
  empty: ReactNode
  caption?: string
  testId?: string
  /** false: stays a table on a phone (few, short columns). */
  cards?: boolean
}) {
  if (state?.pending) return <Skeleton rows={4} />
  if (state?.error) return <ErrorState error={state.error} {...(state.retry ? { onRetry: state.retry } : {})} />
  if (rows.length === 0) return <>{typeof empty === 'string' ? <Empty title={empty} /> : empty}</>
  return (
    <div className="table-wrap">
      <table className={cards ? 'table table-cards' : 'table'} data-testid={testId}>
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label || c.srLabel} scope="col" className={c.className}>
                {c.label || <span className="sr-only">{c.srLabel ?? ''}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClassName?.(row)}>
              {columns.map((c) => (
                <td key={c.label || c.srLabel} className={c.className} data-label={c.label || undefined}>
                  <div className="cell">{c.cell(row)}</div>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/**
 * A button that asks before acting: the first press shows the confirm and cancel buttons, focusing the confirm
 * one, so a keyboard user confirms with a second Enter or backs out with Tab + Enter.
 */
export function ConfirmAction({
  label,
  confirmLabel,
  ariaLabel,
  onConfirm,
  pending,
  tone = 'danger',
}: {
  label: string
  confirmLabel: string
  /** Names the row: "Revoke key Segment". */
  ariaLabel: string
  onConfirm(): void
  pending?: boolean
  tone?: 'danger' | 'primary'
}) {
  const [asking, setAsking] = useState(false)
  if (!asking)
    return (
      <button type="button" className="btn btn-small" onClick={() => setAsking(true)} aria-label={ariaLabel}>
        {label}
      </button>
    )
  return (
    <Confirming
      confirmLabel={confirmLabel}
      tone={tone}
      pending={pending ?? false}
      onConfirm={onConfirm}
      onCancel={() => setAsking(false)}
    />
  )
}

function Confirming(props: {
  confirmLabel: string
  tone: 'danger' | 'primary'
  pending: boolean
  onConfirm(): void
  onCancel(): void
}) {
  const ref = useFocusOnMount<HTMLButtonElement>()
  return (
    <span className="row">
      <button
        ref={ref}
        type="button"
        className={`btn btn-${props.tone} btn-small`}
        onClick={props.onConfirm}
        disabled={props.pending}
      >
        {props.confirmLabel}
      </button>
      <button type="button" className="btn btn-small" onClick={props.onCancel}>
        Cancel
      </button>
    </span>
  )
}
