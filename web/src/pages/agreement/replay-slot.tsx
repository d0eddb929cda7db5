/**
 * SLOT — the what-if replay of a proposed version (`POST /v1/agreements/:ref/replay`). The endpoint is owned by
 * the replay work; this slot renders its answer when the server documents the route (OpenAPI at /docs/json) and
 * renders nothing at all when it does not, or when it answers 404. Its answer is shown generically: scalar
 * figures as tiles, arrays of records as tables. Replace the body with a purpose-built view once the response
 * shape is settled; keep `data-slot="replay"` for the browser tests.
 */
import { useQuery } from '@tanstack/react-query'
import { ApiError, api } from '../../api.ts'
import { humanize } from '../../format.ts'
import { Card, Stat } from '../../ui/kit.tsx'
import { ErrorState, Loading } from '../../ui/states.tsx'

const REPLAY_PATH = '/v1/agreements/{ref}/replay'

function useReplayDocumented() {
  return useQuery({
    queryKey: ['openapi', 'paths'],
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      const doc = await api.get<{ paths?: Record<string, Record<string, unknown>> }>('/docs/json', signal)
      return Boolean(doc.paths?.[REPLAY_PATH]?.post)
    },
  })
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'number') return v.toLocaleString('en-US', { maximumFractionDigits: 2 })
  if (typeof v === 'string' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

function GenericResult({ data }: { data: unknown }) {
  if (!isRecord(data)) return <pre className="yaml">{JSON.stringify(data, null, 2)}</pre>
  const scalars = Object.entries(data).filter(([, v]) => typeof v !== 'object' || v === null)
  const nested = Object.entries(data).filter(([, v]) => isRecord(v))
  const tables = Object.entries(data).filter(([, v]) => Array.isArray(v)) as [string, unknown[]][]
  return (
    <>
      {scalars.length > 0 && (
        <div className="stats">
          {scalars.map(([k, v]) => (
            <Stat key={k} label={humanize(k)} value={cell(v)} />
          ))}
        </div>
      )}
      {nested.map(([k, v]) => (
        <div key={k}>
          <h3 className="sub">{humanize(k)}</h3>
          <div className="stats">
            {Object.entries(v as Record<string, unknown>).map(([kk, vv]) => (
              <Stat key={kk} label={humanize(kk)} value={cell(vv)} />
            ))}
          </div>
        </div>
      ))}
      {tables.map(([k, rows]) => {
        const records = rows.filter(isRecord).slice(0, 50)
        const columns = [...new Set(records.flatMap((r) => Object.keys(r)))]
        return (
          <div key={k}>
            <h3 className="sub">
              {humanize(k)} <span className="muted small">{rows.length}</span>
            </h3>
            {records.length === 0 ? (
              <p className="muted">{rows.length === 0 ? 'None.' : rows.map(cell).join(', ')}</p>
            ) : (
              <div className="table-wrap">
                <table className="table">
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
            )}
          </div>
        )
      })}
    </>
  )
}

export function ReplaySlot({ versionRef }: { versionRef: string }) {
  const documented = useReplayDocumented()
  const replay = useQuery({
    queryKey: ['agreement', 'replay', versionRef],
    enabled: documented.data === true,
    staleTime: 5 * 60_000,
    retry: false,
    queryFn: () => api.post<unknown>(`/v1/agreements/${encodeURIComponent(versionRef)}/replay`),
  })
  if (documented.data !== true) return null
  if (replay.isError && replay.error instanceof ApiError && replay.error.status === 404) return null
  return (
    <div data-slot="replay">
      <Card title="What-if replay" actions={<span className="muted small">against recent history</span>}>
        {replay.isPending ? (
          <Loading label="Replaying history under this version…" />
        ) : replay.isError ? (
          <ErrorState error={replay.error} onRetry={() => replay.refetch()} title="The replay failed" />
        ) : (
          <GenericResult data={replay.data} />
        )}
      </Card>
    </div>
  )
}
