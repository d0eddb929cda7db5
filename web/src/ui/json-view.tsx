/**
 * Any JSON answer rendered readably, for API answers that have no purpose-built view yet: scalars as a definition
 * list, nested records as sub-sections, lists of records as tables, lists of scalars inline. Text only.
 *
 * Example: `<JsonView data={{ due_at: '2026-11-21T14:00:00Z', reasons: ['territory US-East'] }} />`
 */
import { humanize } from '../format.ts'
import './json-view.css'

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

function cell(v: unknown): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'number') return v.toLocaleString('en-US', { maximumFractionDigits: 2 })
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (typeof v === 'string')
    return ISO.test(v) ? new Date(v).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : v || '—'
  if (Array.isArray(v) && v.every((x) => !isRecord(x) && !Array.isArray(x))) return v.map(cell).join(', ') || '—'
  return JSON.stringify(v)
}

export function JsonView({ data, depth = 0 }: { data: unknown; depth?: number }) {
  if (!isRecord(data)) {
    if (Array.isArray(data)) return <DataTable rows={data} />
    return <span>{cell(data)}</span>
  }
  const entries = Object.entries(data)
  const flat = entries.filter(
    ([, v]) => !isRecord(v) && !(Array.isArray(v) && v.some((x) => isRecord(x) || Array.isArray(x))),
  )
  const nested = entries.filter(([k]) => !flat.some(([f]) => f === k))
  return (
    <div className="json-view">
      {flat.length > 0 && (
        <dl className="deflist">
          {flat.map(([k, v]) => (
            <div key={k}>
              <dt className="muted">{humanize(k)}</dt>
              <dd>{cell(v)}</dd>
            </div>
          ))}
        </dl>
      )}
      {nested.map(([k, v]) => (
        <div key={k}>
          <h3 className="sub">{humanize(k)}</h3>
          {depth >= 3 ? (
            <pre className="yaml">{JSON.stringify(v, null, 2)}</pre>
          ) : (
            <JsonView data={v} depth={depth + 1} />
          )}
        </div>
      ))}
    </div>
  )
}

function DataTable({ rows }: { rows: unknown[] }) {
  const records = rows.filter(isRecord).slice(0, 100)
  if (records.length === 0) return <p className="muted">{rows.length === 0 ? 'None.' : rows.map(cell).join(', ')}</p>
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))]
  return (
    <div className="table-wrap">
      <table className="table json-view-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {humanize(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {records.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of an unknown shape have no known key
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{cell(r[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
