/**
 * Pools: each routing pool as its weighted round robin stands now — who takes the next lead, every member's weight
 * and share, today's and this week's assignments against their caps, why a member would be skipped this minute
 * (out of office, outside hours, inactive, cap reached), the backup pool and the rules that route to it.
 * `pool=` in the query string narrows to one pool.
 */
import { useEffect } from 'react'
import { useSearchParam } from '../../router.tsx'
import { type Column, DataTable } from '../../ui/data-table.tsx'
import { Badge, Card } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import { AvailabilityBadge, LoadCell, ProposeLink } from './settings-format.tsx'
import type { TabProps } from './settings-page.tsx'
import { usePools } from './settings-queries.ts'
import type { PoolMemberView, PoolView } from './settings-types.ts'

const percent = (f: number) => `${Math.round(f * 100)}%`

export function PoolsTab({ onReady }: TabProps) {
  const pools = usePools()
  const [only, setOnly] = useSearchParam('pool', 'all')
  useEffect(() => onReady(pools.isSuccess), [pools.isSuccess, onReady])
  if (pools.isPending)
    return (
      <Card>
        <Skeleton rows={8} />
      </Card>
    )
  if (pools.isError)
    return (
      <Card>
        <ErrorState error={pools.error} onRetry={() => pools.refetch()} />
      </Card>
    )
  const list = pools.data.pools
  if (list.length === 0)
    return (
      <Card>
        <Empty title="No pools">The active Agreement routes only to named owners.</Empty>
      </Card>
    )
  const shown = list.filter((p) => only === 'all' || p.id === only)
  const byId = new Map(list.map((p) => [p.id, p]))
  return (
    <>
      <div className="toolbar settings-filters">
        <label htmlFor="pool-pick">Pool</label>
        <select id="pool-pick" value={only} onChange={(e) => setOnly(e.target.value)}>
          <option value="all">All pools</option>
          {list.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <span className="muted small">
          As of {new Date(pools.data.as_of).toLocaleTimeString()}, refreshed every minute.
        </span>
      </div>
      {shown.map((p) => (
        <PoolCard key={p.id} pool={p} backup={p.backup ? (byId.get(p.backup) ?? null) : null} onPick={setOnly} />
      ))}
    </>
  )
}

function PoolCard({ pool, backup, onPick }: { pool: PoolView; backup: PoolView | null; onPick(id: string): void }) {
  const next = pool.members.find((m) => m.status === 'next')
  const columns: Column<PoolMemberView>[] = [
    {
      label: 'Member',
      className: 'cell-title',
      cell: (m) => (
        <>
          {m.name}
          {m.status === 'next' && (
            <>
              {' '}
              <Badge tone="accent">next</Badge>
            </>
          )}
        </>
      ),
    },
    {
      label: 'Weight',
      cell: (m) => (
        <span className="weight-cell">
          <span className="weight-bar" aria-hidden="true">
            <span style={{ width: percent(m.share) }} />
          </span>
          <span>
            {m.weight} <span className="muted small">({percent(m.share)})</span>
          </span>
        </span>
      ),
    },
    { label: 'Today', className: 'num', cell: (m) => <LoadCell count={m.load.today} cap={m.capacity.daily} /> },
    {
      label: 'This week',
      className: 'num',
      cell: (m) => <LoadCell count={m.load.this_week} cap={m.capacity.weekly} />,
    },
    { label: 'Now', cell: (m) => <AvailabilityBadge reason={m.reason} text={m.reason_text} /> },
  ]
  return (
    <Card
      title={
        <>
          {pool.name} {pool.name !== pool.id && <span className="muted small mono">{pool.id}</span>}
        </>
      }
      actions={<ProposeLink at={`pools.${pool.id}`} />}
    >
      <div className="pool-summary" data-testid={`pool-${pool.id}`}>
        <div>
          {next ? (
            <>
              Next lead goes to <strong>{next.name}</strong>
            </>
          ) : (
            <>
              <Badge tone="bad">Nobody available</Badge>{' '}
              {backup ? (
                <>
                  the next lead goes to backup pool{' '}
                  <button type="button" className="link-button" onClick={() => onPick(backup.id)}>
                    {backup.name}
                  </button>
                  {backup.next_rep
                    ? ` (${backup.members.find((m) => m.rep === backup.next_rep)?.name})`
                    : ' — nobody there either'}
                </>
              ) : (
                'and no backup pool: the lead waits unassigned'
              )}
            </>
          )}
          <span className="muted">
            {' '}
            · {pool.available} of {pool.members.length} available
          </span>
        </div>
        <div className="muted small">
          {pool.rules.length > 0
            ? `Routed to by ${pool.rules.map((r) => `rule ${r.number} “${r.name}”`).join(', ')}`
            : 'No routing rule names it'}
          {pool.backup_for.length > 0 && ` · backup for ${pool.backup_for.join(', ')}`}
          {pool.backup ? ` · backup: ${pool.backup}` : ' · no backup pool'}
          {!pool.respect_working_hours && ' · ignores working hours'}
          {!pool.respect_capacity && ' · ignores caps'}
          {pool.state && ` · ${pool.state.version} lead${pool.state.version === 1 ? '' : 's'} routed through it`}
        </div>
      </div>
      <DataTable
        columns={columns}
        rows={pool.members}
        rowKey={(m) => m.rep}
        rowClassName={(m) => (m.status === 'skipped' ? 'row-muted' : m.status === 'next' ? 'row-selected' : '')}
        empty="No members."
        caption={`Members of ${pool.name}`}
      />
    </Card>
  )
}
