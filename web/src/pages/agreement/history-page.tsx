import { formatDate, formatDateTime, shortHash } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { Link, navigate, useSearchParam } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import type { VersionState } from '../../types.ts'
import { Card, Page, PageHeader, StateBadge, useTitle } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import { useVersions } from './queries.ts'

const STATES: ('all' | VersionState)[] = ['all', 'proposed', 'active', 'scheduled', 'superseded', 'withdrawn']

export default function HistoryPage(_: PageProps) {
  useTitle('Agreement history')
  const session = useSession()
  const [state, setState] = useSearchParam('state', 'all')
  const versions = useVersions()
  const rows = versions.data?.versions.filter((v) => state === 'all' || v.state === state) ?? []
  return (
    <Page ready={versions.isSuccess} name="agreement-history">
      <PageHeader
        title="Agreement history"
        subtitle="Every version, newest first. A version takes effect once marketing and sales have both signed it."
        actions={
          session.can('agreement:propose') ? (
            <Link className="btn btn-primary" to="/agreement/propose">
              Propose a change
            </Link>
          ) : undefined
        }
      />
      <div className="toolbar">
        <label htmlFor="state-filter">State</label>
        <select id="state-filter" value={state} onChange={(e) => setState(e.target.value)}>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s === 'all' ? 'All states' : s}
            </option>
          ))}
        </select>
        {versions.isSuccess && (
          <span className="muted small">
            {rows.length} of {versions.data.versions.length} versions
          </span>
        )}
      </div>
      <Card>
        {versions.isPending ? (
          <Skeleton rows={5} />
        ) : versions.isError ? (
          <ErrorState error={versions.error} onRetry={() => versions.refetch()} />
        ) : rows.length === 0 ? (
          <Empty title={state === 'all' ? 'No versions yet' : `No ${state} versions`}>
            {state === 'all' ? 'Propose the first Agreement to start the history.' : 'Try another state.'}
          </Empty>
        ) : (
          <div className="table-wrap">
            <table className="table table-rows">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">State</th>
                  <th scope="col">Effective</th>
                  <th scope="col">Proposed</th>
                  <th scope="col">Signed by</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((v) => (
                  <tr key={v.id} className="clickable" onClick={() => navigate(`/agreement/versions/${v.id}`)}>
                    <td>
                      <Link to={`/agreement/versions/${v.id}`} className="cell-title">
                        {v.title}
                      </Link>
                      <div className="muted small mono">
                        #{v.id} · {shortHash(v.hash)}
                      </div>
                    </td>
                    <td>
                      <StateBadge state={v.state} />
                    </td>
                    <td>{formatDate(v.effectiveFrom)}</td>
                    <td className="small">
                      {v.proposedBy}
                      <div className="muted">{formatDateTime(v.proposedAt)}</div>
                    </td>
                    <td className="small">
                      {(['marketing', 'sales'] as const).map((side) => {
                        const sig = v.signatures.find((s) => s.side === side)
                        return (
                          <div key={side} className={sig ? '' : 'muted'}>
                            {sig ? '✓' : '○'} {side}
                            {sig ? ` — ${sig.signer}` : ''}
                          </div>
                        )
                      })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </Page>
  )
}
