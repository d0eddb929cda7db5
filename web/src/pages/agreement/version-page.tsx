import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ApiError, api } from '../../api.ts'
import { formatDate, formatDateTime, shortHash } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import type { AgreementVersion, AgreementVersionWithSource, Side } from '../../types.ts'
import { Callout, Card, Code, Page, PageHeader, StateBadge, useFocusOnMount, useTitle } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import { AgreementView } from './agreement-view.tsx'
import { DiffList } from './diff-list.tsx'
import { agreementKeys, useDiffAgainstActive, useVersion } from './queries.ts'
import { ReplaySlot } from './replay-slot.tsx'
import { SignatureStrip } from './signature-strip.tsx'

function SignPanel({ version }: { version: AgreementVersionWithSource }) {
  const session = useSession()
  const queryClient = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const role = session.principal.role
  // Only a marketing or a sales principal signs, once, for their own side (an admin or a rep never does).
  const side: Side | null = role === 'marketing' || role === 'sales' ? role : null
  const sign = useMutation({
    mutationFn: () => api.post<AgreementVersion>(`/v1/agreements/${version.id}/sign`),
    onSuccess: async () => {
      setConfirming(false)
      await queryClient.invalidateQueries({ queryKey: agreementKeys.all })
    },
  })
  if (version.state !== 'proposed' || !side || !session.can('agreement:sign')) return null
  if (version.signatures.some((s) => s.side === side)) return null
  const owner = version.document.owners[side]
  return (
    <div className="sign-panel" data-testid="sign-panel">
      {!confirming ? (
        <button type="button" className="btn btn-primary" onClick={() => setConfirming(true)}>
          Sign for {side}
        </button>
      ) : (
        <ConfirmSign
          version={version}
          side={side}
          signer={session.principal.name}
          ownerName={owner.name}
          busy={sign.isPending}
          onConfirm={() => sign.mutate()}
          onCancel={() => setConfirming(false)}
        />
      )}
      {sign.isError && (
        <Callout tone="bad" title="Not signed">
          {(sign.error as Error).message}
        </Callout>
      )}
    </div>
  )
}

function ConfirmSign(props: {
  version: AgreementVersionWithSource
  side: Side
  signer: string
  ownerName: string
  busy: boolean
  onConfirm(): void
  onCancel(): void
}) {
  const { version, side, signer, ownerName, busy } = props
  const confirmRef = useFocusOnMount<HTMLButtonElement>()
  return (
    <fieldset className="confirm">
      <legend className="sr-only">Confirm signature</legend>
      <p>
        You are signing <strong>{version.title}</strong> (<Code>{shortHash(version.hash)}</Code>) for{' '}
        <strong>{side}</strong> as <strong>{signer}</strong>. The {side} owner named in this version is {ownerName}. A
        signature cannot be withdrawn.
      </p>
      <div className="row">
        <button ref={confirmRef} type="button" className="btn btn-primary" onClick={props.onConfirm} disabled={busy}>
          {busy ? 'Signing…' : `Confirm: sign for ${side}`}
        </button>
        <button type="button" className="btn" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </fieldset>
  )
}

export default function VersionPage({ params }: PageProps) {
  const ref = params.id ?? ''
  const version = useVersion(ref)
  useTitle(version.data ? `${version.data.title} (${shortHash(version.data.hash)})` : 'Agreement version')
  const diff = useDiffAgainstActive(ref, version.isSuccess && version.data.state !== 'active')

  if (version.isPending)
    return (
      <Page ready={false} name="agreement-version">
        <PageHeader title="Agreement version" />
        <Skeleton rows={6} />
      </Page>
    )
  if (version.isError)
    return (
      <Page ready={false} name="agreement-version">
        <PageHeader title="Agreement version" />
        <ErrorState
          error={version.error}
          title={version.error instanceof ApiError && version.error.status === 404 ? 'No such version' : undefined}
          onRetry={() => version.refetch()}
        />
      </Page>
    )
  const v = version.data
  const noActive = diff.isError && diff.error instanceof ApiError && diff.error.status === 404
  return (
    <Page ready={v.state === 'active' || diff.isSuccess || noActive} name="agreement-version">
      <PageHeader
        eyebrow={
          <>
            <Link to="/agreement/history">History</Link> › version #{v.id}
          </>
        }
        title={v.title}
        subtitle={
          <>
            <Code>{shortHash(v.hash)}</Code> · effective {formatDate(v.effectiveFrom)} · proposed by {v.proposedBy} on{' '}
            {formatDateTime(v.proposedAt)}
          </>
        }
        actions={<StateBadge state={v.state} />}
      />
      <Card title="Sign-off">
        <SignatureStrip version={v} />
        {v.state === 'proposed' && (
          <p className="muted small">
            This version takes effect on {formatDate(v.effectiveFrom)} once both sides have signed.
          </p>
        )}
        <SignPanel version={v} />
      </Card>
      <Card title="Changes against the active version">
        {v.state === 'active' ? (
          <Empty title="This is the active version">It is the Agreement in force now.</Empty>
        ) : diff.isPending ? (
          <Skeleton rows={3} />
        ) : noActive ? (
          <Empty title="Nothing to compare with">No version is active yet; this one would be the first.</Empty>
        ) : diff.isError ? (
          <ErrorState error={diff.error} onRetry={() => diff.refetch()} />
        ) : (
          <DiffList changes={diff.data.changes} />
        )}
      </Card>
      <ReplaySlot versionRef={String(v.id)} />
      <details className="card source">
        <summary>Read this version in full</summary>
        <AgreementView doc={v.document} />
      </details>
      <details className="card source">
        <summary>YAML source</summary>
        <pre className="yaml">{v.source}</pre>
      </details>
    </Page>
  )
}
