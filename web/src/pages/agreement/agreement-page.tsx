import { ApiError } from '../../api.ts'
import { formatDate, formatDateTime, shortHash } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { Card, Code, Page, PageHeader, StateBadge, useTitle } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import { AgreementView, SectionIndex } from './agreement-view.tsx'
import { useActiveAgreement, useVersions } from './queries.ts'
import { SignatureStrip } from './signature-strip.tsx'

export default function AgreementPage(_: PageProps) {
  useTitle('Agreement')
  const session = useSession()
  const active = useActiveAgreement()
  const versions = useVersions()
  const pending = versions.data?.versions.filter((v) => v.state === 'proposed') ?? []

  if (active.isPending)
    return (
      <Page ready={false} name="agreement">
        <PageHeader title="Agreement" />
        <Skeleton rows={8} />
      </Page>
    )
  if (active.isError) {
    const none = active.error instanceof ApiError && active.error.status === 404
    return (
      <Page ready={none} name="agreement">
        <PageHeader title="Agreement" />
        {none ? (
          <Empty
            title="No Agreement is active yet"
            action={
              session.can('agreement:propose') ? (
                <Link className="btn btn-primary" to="/agreement/propose">
                  Propose the first version
                </Link>
              ) : undefined
            }
          >
            A version becomes active once both the marketing owner and the sales owner have signed it.
          </Empty>
        ) : (
          <ErrorState error={active.error} onRetry={() => active.refetch()} />
        )}
      </Page>
    )
  }
  const v = active.data
  return (
    <Page ready name="agreement">
      <PageHeader
        eyebrow="Active Agreement"
        title={v.title}
        subtitle={
          <>
            In force since {formatDate(v.effectiveFrom)} · version <Code>{shortHash(v.hash)}</Code> · proposed by{' '}
            {v.proposedBy} on {formatDateTime(v.proposedAt)}
          </>
        }
        actions={
          <>
            <Link className="btn" to="/agreement/history">
              History
            </Link>
            {session.can('agreement:propose') && (
              <Link className="btn btn-primary" to="/agreement/propose">
                Propose a change
              </Link>
            )}
          </>
        }
      />
      {pending.length > 0 && (
        <div className="banner">
          <strong>
            {pending.length} proposed version{pending.length === 1 ? '' : 's'} awaiting sign-off:
          </strong>{' '}
          {pending.map((p, i) => (
            <span key={p.id}>
              {i > 0 && ', '}
              <Link to={`/agreement/versions/${p.id}`}>
                {p.title} ({shortHash(p.hash)})
              </Link>
            </span>
          ))}
        </div>
      )}
      <Card title="Sign-off" className="card-tight">
        <div className="row-between">
          <SignatureStrip version={v} />
          <StateBadge state={v.state} />
        </div>
      </Card>
      <SectionIndex />
      <AgreementView doc={v.document} />
      <details className="card source">
        <summary>YAML source</summary>
        <pre className="yaml">{v.source}</pre>
      </details>
    </Page>
  )
}
