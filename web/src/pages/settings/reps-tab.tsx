/**
 * Reps & teams: every rep of the active Agreement with what routing would do with them now, filterable by team and
 * state (in the query string), the teams with their managers and coverage, and the selected rep's status panel
 * (`rep=` in the URL) where out of office, active and a note are set. A rep sees their own row and panel.
 */
import { useEffect } from 'react'
import { formatDate } from '../../format.ts'
import { useSearchParam } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { type Column, DataTable } from '../../ui/data-table.tsx'
import { Badge, Card, Chips, Stat } from '../../ui/kit.tsx'
import { Empty } from '../../ui/states.tsx'
import { RepStatusPanel } from './rep-status-panel.tsx'
import { AvailabilityBadge, describeNextChange, LoadCell, OpenBadge, ProposeLink, todayIn } from './settings-format.tsx'
import type { TabProps } from './settings-page.tsx'
import { useReps, useTeams } from './settings-queries.ts'
import type { RepView, TeamView } from './settings-types.ts'

const STATES = {
  all: 'All reps',
  available: 'Available now',
  away: 'Out of office',
  inactive: 'Inactive',
  closed: 'Outside hours',
  capped: 'At a cap',
} as const
type StateFilter = keyof typeof STATES

function matchesState(r: RepView, state: StateFilter): boolean {
  const kind = r.availability.reason?.kind
  switch (state) {
    case 'all':
      return true
    case 'available':
      return r.availability.available
    case 'away':
      return r.out_of_office.current !== null
    case 'inactive':
      return !r.active
    case 'closed':
      return kind === 'outside_hours'
    case 'capped':
      return kind === 'daily_cap' || kind === 'weekly_cap'
  }
}

export function RepsTab({ onReady }: TabProps) {
  const session = useSession()
  const readsAll = session.can('reps:read')
  const reps = useReps()
  const teams = useTeams(readsAll)
  const [team, setTeam] = useSearchParam('team', 'all')
  const [state, setState] = useSearchParam('state', 'all')
  const [q, setQ] = useSearchParam('q')
  const [repParam, setRep] = useSearchParam('rep')
  const selected = readsAll ? repParam : (session.principal.repId ?? '')
  useEffect(
    () => onReady(reps.isSuccess && (!readsAll || teams.isSuccess)),
    [reps.isSuccess, teams.isSuccess, readsAll, onReady],
  )

  const all = reps.data?.reps ?? []
  const stateFilter = (state in STATES ? state : 'all') as StateFilter
  const needle = q.trim().toLowerCase()
  const rows = all
    .filter((r) => team === 'all' || r.team.id === team)
    .filter((r) => matchesState(r, stateFilter))
    .filter((r) => !needle || `${r.name} ${r.email} ${r.id}`.toLowerCase().includes(needle))
  const now = reps.data ? Date.parse(reps.data.as_of) : Date.now()

  const columns: Column<RepView>[] = [
    {
      label: 'Rep',
      className: 'cell-title',
      cell: (r) => (
        <>
          {readsAll ? (
            <button
              type="button"
              className="link-button"
              onClick={() => setRep(r.id)}
              aria-label={`Set the status of ${r.name}`}
              aria-pressed={selected === r.id}
            >
              {r.name}
            </button>
          ) : (
            r.name
          )}
          <div className="muted small">
            {r.role.toUpperCase()} · <span className="break">{r.email}</span>
          </div>
        </>
      ),
    },
    { label: 'Team', cell: (r) => r.team.name },
    {
      label: 'Now',
      cell: (r) => (
        <>
          <AvailabilityBadge reason={r.availability.reason} text={r.availability.text} />
          {r.status && r.status.active !== null && (
            <div className="muted small">active set in status: {r.status.active ? 'on' : 'off'}</div>
          )}
          {r.out_of_office.upcoming[0] && !r.out_of_office.current && (
            <div className="muted small">
              away from {formatDate(todayIn(r.calendar.time_zone, Date.parse(r.out_of_office.upcoming[0].from)))}
            </div>
          )}
        </>
      ),
    },
    {
      label: 'Calendar',
      cell: (r) => (
        <>
          <OpenBadge open={r.calendar} /> <span className="small">{r.calendar.name}</span>
          <div className="muted small">{describeNextChange(r.calendar, r.calendar.time_zone, now)}</div>
        </>
      ),
    },
    {
      label: 'Pools',
      cell: (r) => <Chips items={r.pools.map((p) => (p.weight === 1 ? p.pool : `${p.pool} ×${p.weight}`))} />,
    },
    {
      label: 'Leads today / week',
      className: 'num',
      cell: (r) => (
        <>
          <LoadCell count={r.load.today} cap={r.capacity.daily} />
          <div className="small">
            <LoadCell count={r.load.this_week} cap={r.capacity.weekly} />
          </div>
        </>
      ),
    },
    {
      label: 'Open leads',
      className: 'num',
      cell: (r) => (
        <>
          {r.open_leads}
          {r.sla.breached > 0 && (
            <div>
              <Badge tone="bad">{r.sla.breached} overdue</Badge>
            </div>
          )}
        </>
      ),
    },
  ]

  const counts = {
    available: all.filter((r) => r.availability.available).length,
    away: all.filter((r) => r.out_of_office.current).length,
    inactive: all.filter((r) => !r.active).length,
    open: all.reduce((n, r) => n + r.open_leads, 0),
    breached: all.reduce((n, r) => n + r.sla.breached, 0),
  }

  return (
    <>
      {selected && <RepStatusPanel repId={selected} onClose={readsAll ? () => setRep('') : undefined} />}
      {readsAll && (
        <div className="stats" data-testid="rep-stats">
          <Stat label="Reps" value={all.length} />
          <Stat label="Available now" value={counts.available} />
          <Stat label="Out of office" value={counts.away} />
          <Stat label="Inactive" value={counts.inactive} />
          <Stat
            label="Open leads"
            value={counts.open}
            hint={counts.breached ? `${counts.breached} overdue` : undefined}
          />
        </div>
      )}
      <Card
        title={readsAll ? 'Reps' : 'Me'}
        actions={readsAll && <ProposeLink at="reps">Propose a rep change</ProposeLink>}
      >
        {readsAll && (
          <div className="toolbar settings-filters">
            <label htmlFor="rep-team">Team</label>
            <select id="rep-team" value={team} onChange={(e) => setTeam(e.target.value)}>
              <option value="all">All teams</option>
              {(teams.data?.teams ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            <label htmlFor="rep-state">Show</label>
            <select id="rep-state" value={stateFilter} onChange={(e) => setState(e.target.value)}>
              {Object.entries(STATES).map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </select>
            <label htmlFor="rep-q">Search</label>
            <input
              id="rep-q"
              type="search"
              className="toolbar-search"
              value={q}
              placeholder="Name or email"
              onChange={(e) => setQ(e.target.value)}
            />
          </div>
        )}
        <DataTable
          columns={columns}
          rows={rows}
          rowKey={(r) => r.id}
          rowClassName={(r) => (r.id === selected ? 'row-selected' : !r.active ? 'row-muted' : '')}
          state={{ pending: reps.isPending, error: reps.error, retry: () => reps.refetch() }}
          empty={
            <Empty title={all.length === 0 ? 'No reps' : 'No rep matches'}>
              {all.length === 0 ? 'The active Agreement lists no reps.' : 'Change the team, state or search.'}
            </Empty>
          }
          caption="Reps and their state now"
          testId="reps-table"
        />
      </Card>
      {readsAll && <TeamsCard teams={teams.data?.teams ?? []} state={teams} now={now} />}
    </>
  )
}

function TeamsCard({
  teams,
  state,
  now,
}: {
  teams: TeamView[]
  state: { isPending: boolean; error: unknown; refetch(): unknown }
  now: number
}) {
  const columns: Column<TeamView>[] = [
    {
      label: 'Team',
      className: 'cell-title',
      cell: (t) => (
        <>
          {t.name}
          {t.slack_channel && <div className="muted small">{t.slack_channel}</div>}
        </>
      ),
    },
    {
      label: 'Manager',
      cell: (t) => (
        <>
          {t.manager.name}
          <div className="muted small">{t.manager.email}</div>
        </>
      ),
    },
    {
      label: 'Calendar',
      cell: (t) => (
        <>
          <OpenBadge open={t.calendar} /> <span className="small">{t.calendar.name}</span>
          <div className="muted small">{describeNextChange(t.calendar, t.calendar.time_zone, now)}</div>
        </>
      ),
    },
    {
      label: 'Available now',
      className: 'num',
      cell: (t) => (
        <span className={t.available_now === 0 ? 'load load-full' : ''}>
          {t.available_now}
          <span className="muted"> of {t.reps.length}</span>
        </span>
      ),
    },
    {
      label: 'Open leads',
      className: 'num',
      cell: (t) => (
        <>
          {t.open_leads}
          {t.breached > 0 && (
            <div>
              <Badge tone="bad">{t.breached} overdue</Badge>
            </div>
          )}
        </>
      ),
    },
  ]
  return (
    <Card title="Teams" actions={<ProposeLink at="teams" />}>
      <DataTable
        columns={columns}
        rows={teams}
        rowKey={(t) => t.id}
        state={{ pending: state.isPending, error: state.error, retry: () => state.refetch() }}
        empty="The active Agreement lists no teams."
        caption="Teams"
      />
    </Card>
  )
}
