/**
 * Notifications: the endpoints Accord sends handoffs and SLA events to (Slack incoming webhooks, email, signed
 * webhooks) — create, edit, test, disable / enable, rotate a webhook secret (shown once, like on create) — and the
 * recent deliveries with their dead letters, which can be sent again. `show`, `delivery` and `endpoint` live in the
 * query string.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { ApiError, api } from '../../api.ts'
import { formatDateTime } from '../../format.ts'
import { Link, useSearchParam } from '../../router.tsx'
import { type Column, ConfirmAction, DataTable } from '../../ui/data-table.tsx'
import { Badge, Callout, Card, Field } from '../../ui/kit.tsx'
import { Empty } from '../../ui/states.tsx'
import { useActiveAgreement } from '../agreement/queries.ts'
import { redactUrl } from './settings-format.tsx'
import type { TabProps } from './settings-page.tsx'
import { settingsKeys } from './settings-queries.ts'
import {
  type CreatedEndpoint,
  ENDPOINT_TOPICS,
  type Endpoint,
  type EndpointKind,
  type OutboxRow,
  type TestSend,
} from './settings-types.ts'

const KIND_LABEL: Record<EndpointKind, string> = { slack: 'Slack', email: 'Email', webhook: 'Webhook' }
const KIND_HINT: Record<EndpointKind, string> = {
  slack: 'A Slack incoming-webhook URL (https://hooks.slack.com/services/…): the brief as a Block Kit message.',
  email: 'Sent through the server’s SMTP settings, to a fixed address or to the person concerned (rep, manager).',
  webhook: 'Any https endpoint; every delivery is signed the Standard Webhooks way with a secret shown once.',
}

type Draft = {
  kind: EndpointKind
  name: string
  url: string
  emailTo: string
  team: string
  repId: string
  topics: string[]
}

const emptyDraft: Draft = { kind: 'slack', name: '', url: '', emailTo: '', team: '', repId: '', topics: [] }

function issueOf(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined
  return error.issues.find((i) => i.path === path || i.path.startsWith(`${path}[`))?.message
}

/** The fields of an endpoint, for create and edit alike. */
function EndpointFields({
  draft,
  set,
  error,
  kindFixed,
}: {
  draft: Draft
  set(d: Partial<Draft>): void
  error: unknown
  kindFixed: boolean
}) {
  const id = useId()
  const agreement = useActiveAgreement()
  const doc = agreement.data?.document
  return (
    <>
      <Field label="Kind" htmlFor={`${id}-kind`} hint={KIND_HINT[draft.kind]}>
        <select
          id={`${id}-kind`}
          value={draft.kind}
          disabled={kindFixed}
          onChange={(e) => set({ kind: e.target.value as EndpointKind })}
        >
          {(['slack', 'email', 'webhook'] as const).map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Endpoint name" htmlFor={`${id}-name`} error={issueOf(error, 'name')}>
        <input
          id={`${id}-name`}
          value={draft.name}
          maxLength={200}
          required
          placeholder="#sdr-na-east"
          onChange={(e) => set({ name: e.target.value })}
        />
      </Field>
      {draft.kind === 'email' ? (
        <Field
          label="Send to"
          htmlFor={`${id}-to`}
          error={issueOf(error, 'email_to')}
          hint="Empty: the person concerned"
        >
          <input
            id={`${id}-to`}
            type="email"
            value={draft.emailTo}
            onChange={(e) => set({ emailTo: e.target.value })}
          />
        </Field>
      ) : (
        <Field label="URL" htmlFor={`${id}-url`} error={issueOf(error, 'url')}>
          <input
            id={`${id}-url`}
            type="url"
            value={draft.url}
            required
            spellCheck={false}
            placeholder="https://"
            onChange={(e) => set({ url: e.target.value })}
          />
        </Field>
      )}
      <Field label="Team" htmlFor={`${id}-team`} hint="Only this team’s leads">
        <select id={`${id}-team`} value={draft.team} onChange={(e) => set({ team: e.target.value })}>
          <option value="">Every team</option>
          {Object.entries(doc?.teams ?? {}).map(([t, team]) => (
            <option key={t} value={t}>
              {team.name ?? t}
            </option>
          ))}
          {draft.team && !doc?.teams[draft.team] && <option value={draft.team}>{draft.team}</option>}
        </select>
      </Field>
      <Field label="Rep" htmlFor={`${id}-rep`} hint="Only this rep’s leads">
        <select id={`${id}-rep`} value={draft.repId} onChange={(e) => set({ repId: e.target.value })}>
          <option value="">Every rep</option>
          {(doc?.reps ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
          {draft.repId && !doc?.reps.some((r) => r.id === draft.repId) && (
            <option value={draft.repId}>{draft.repId}</option>
          )}
        </select>
      </Field>
      <fieldset className="topics field">
        <legend>Topics</legend>
        <div className="topic-list">
          {ENDPOINT_TOPICS.map((t) => (
            <label key={t} className="check">
              <input
                type="checkbox"
                checked={draft.topics.includes(t)}
                onChange={(e) =>
                  set({ topics: e.target.checked ? [...draft.topics, t] : draft.topics.filter((x) => x !== t) })
                }
              />
              <span className="mono small">{t}</span>
            </label>
          ))}
        </div>
        <div className={issueOf(error, 'topics') ? 'field-error' : 'field-hint'}>
          {issueOf(error, 'topics') ?? 'None ticked: every topic.'}
        </div>
      </fieldset>
    </>
  )
}

function SecretCallout({ title, secret, onDismiss }: { title: string; secret: string; onDismiss(): void }) {
  const [copied, setCopied] = useState(false)
  return (
    <Callout tone="good" title={title}>
      <p>
        This is the only time the signing secret is shown. Give it to the receiver: it verifies the{' '}
        <code>webhook-signature</code> header with it.
      </p>
      <div className="secret-row">
        <input
          className="secret"
          readOnly
          value={secret}
          aria-label="Webhook signing secret"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="btn"
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDismiss}>
          I have stored it
        </button>
      </div>
    </Callout>
  )
}

function CreateEndpointForm({ onCreated }: { onCreated(e: CreatedEndpoint): void }) {
  const queryClient = useQueryClient()
  const [draft, setDraft] = useState<Draft>(emptyDraft)
  const create = useMutation({
    mutationFn: () =>
      api.post<CreatedEndpoint>('/v1/endpoints', {
        kind: draft.kind,
        name: draft.name.trim(),
        ...(draft.kind === 'email'
          ? draft.emailTo.trim()
            ? { email_to: draft.emailTo.trim() }
            : {}
          : { url: draft.url.trim() }),
        ...(draft.team ? { team: draft.team } : {}),
        ...(draft.repId ? { rep_id: draft.repId } : {}),
        ...(draft.topics.length ? { topics: draft.topics } : {}),
      }),
    onSuccess: async (created) => {
      setDraft(emptyDraft)
      onCreated(created)
      await queryClient.invalidateQueries({ queryKey: settingsKeys.endpoints })
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate()
  }
  const fieldIssue = create.error instanceof ApiError && create.error.issues.length > 0
  return (
    <form className="form form-grid" onSubmit={submit} aria-label="Add an endpoint">
      <EndpointFields
        draft={draft}
        set={(d) => setDraft((o) => ({ ...o, ...d }))}
        error={create.error}
        kindFixed={false}
      />
      <div className="form-submit">
        <button type="submit" className="btn btn-primary" disabled={create.isPending || !draft.name.trim()}>
          {create.isPending ? 'Adding…' : 'Add endpoint'}
        </button>
      </div>
      {create.isError && !fieldIssue && (
        <div className="form-error" role="alert">
          {(create.error as Error).message}
        </div>
      )}
    </form>
  )
}

function EditEndpointForm({ endpoint, onDone }: { endpoint: Endpoint; onDone(): void }) {
  const queryClient = useQueryClient()
  const [draft, setDraft] = useState<Draft>({
    kind: endpoint.kind,
    name: endpoint.name,
    url: endpoint.url ?? '',
    emailTo: endpoint.email_to ?? '',
    team: endpoint.team ?? '',
    repId: endpoint.rep_id ?? '',
    topics: endpoint.topics,
  })
  const save = useMutation({
    mutationFn: () =>
      api.patch<Endpoint>(`/v1/endpoints/${endpoint.id}`, {
        name: draft.name.trim(),
        ...(draft.kind === 'email' ? { email_to: draft.emailTo.trim() || null } : { url: draft.url.trim() }),
        team: draft.team || null,
        rep_id: draft.repId || null,
        topics: draft.topics,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: settingsKeys.endpoints })
      onDone()
    },
  })
  return (
    <Card title={`Edit “${endpoint.name}”`} id="endpoint-edit">
      <form
        className="form form-grid"
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate()
        }}
        aria-label={`Edit ${endpoint.name}`}
      >
        <EndpointFields draft={draft} set={(d) => setDraft((o) => ({ ...o, ...d }))} error={save.error} kindFixed />
        <div className="form-submit row">
          <button type="submit" className="btn btn-primary" disabled={save.isPending || !draft.name.trim()}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="btn" onClick={onDone}>
            Cancel
          </button>
        </div>
        {save.isError && !(save.error instanceof ApiError && save.error.issues.length > 0) && (
          <div className="form-error" role="alert">
            {(save.error as Error).message}
          </div>
        )}
      </form>
    </Card>
  )
}

export function EndpointsTab({ onReady }: TabProps) {
  const queryClient = useQueryClient()
  const [show, setShow] = useSearchParam('show', 'active')
  const [secret, setSecret] = useState<{ title: string; secret: string } | null>(null)
  const [editing, setEditing] = useState<number | null>(null)
  const [tested, setTested] = useState<{ id: number; result: TestSend } | null>(null)
  const endpoints = useQuery({
    queryKey: [...settingsKeys.endpoints, show],
    queryFn: ({ signal }) =>
      api.get<{ endpoints: Endpoint[] }>(`/v1/endpoints${show === 'all' ? '?include_disabled=true' : ''}`, signal),
  })
  useEffect(() => onReady(endpoints.isSuccess), [endpoints.isSuccess, onReady])
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: settingsKeys.endpoints }),
      queryClient.invalidateQueries({ queryKey: ['settings', 'outbox'] }),
    ])
  const test = useMutation({
    mutationFn: (id: number) => api.post<TestSend>(`/v1/endpoints/${id}/test`, {}),
    onSuccess: async (result, id) => {
      setTested({ id, result })
      await refresh()
    },
  })
  const toggle = useMutation({
    mutationFn: (e: Endpoint) => api.patch<Endpoint>(`/v1/endpoints/${e.id}`, { enabled: e.disabled_at !== null }),
    onSuccess: refresh,
  })
  const rotate = useMutation({
    mutationFn: (e: Endpoint) => api.post<{ id: number; name: string; secret: string }>(`/v1/endpoints/${e.id}/secret`),
    onSuccess: (r) => setSecret({ title: `New secret for “${r.name}” — copy it now`, secret: r.secret }),
  })
  const rows = endpoints.data?.endpoints ?? []
  const editingEndpoint = rows.find((e) => e.id === editing) ?? null
  const actionError = [test, toggle, rotate].find((m) => m.isError)?.error as Error | undefined

  const columns: Column<Endpoint>[] = [
    {
      label: 'Endpoint',
      className: 'cell-title',
      cell: (e) => (
        <>
          {e.name} <Badge>{KIND_LABEL[e.kind]}</Badge>
          <div className="muted small mono">
            {e.kind === 'email' ? (e.email_to ?? 'the person concerned') : redactUrl(e.url)}
          </div>
        </>
      ),
    },
    {
      label: 'Scope',
      cell: (e) => (
        <span className="small">
          {[e.team ? `team ${e.team}` : null, e.rep_id ? `rep ${e.rep_id}` : null].filter(Boolean).join(', ') ||
            'everyone'}
          <div className="muted">{e.topics.length ? e.topics.join(', ') : 'all topics'}</div>
        </span>
      ),
    },
    {
      label: 'Last 7 days',
      cell: (e) => (
        <span className="small">
          {e.deliveries.delivered} delivered
          {e.deliveries.pending > 0 && <>, {e.deliveries.pending} pending</>}
          {e.deliveries.dead > 0 && (
            <>
              , <span className="text-bad">{e.deliveries.dead} dead</span>
            </>
          )}
          <div className="muted">
            {e.deliveries.last_delivered_at
              ? `last ${formatDateTime(e.deliveries.last_delivered_at)}`
              : 'nothing delivered yet'}
          </div>
          {e.deliveries.last_error && <div className="muted">last error: {e.deliveries.last_error}</div>}
        </span>
      ),
    },
    {
      label: 'Status',
      cell: (e) => (e.disabled_at ? <Badge tone="muted">disabled</Badge> : <Badge tone="good">enabled</Badge>),
    },
    {
      label: '',
      srLabel: 'Actions',
      className: 'actions',
      cell: (e) => (
        <span className="row row-wrap">
          {!e.disabled_at && (
            <button
              type="button"
              className="btn btn-small"
              disabled={test.isPending}
              onClick={() => test.mutate(e.id)}
              aria-label={`Send a test to ${e.name}`}
            >
              {test.isPending && test.variables === e.id ? 'Sending…' : 'Test'}
            </button>
          )}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setEditing(e.id)}
            aria-label={`Edit ${e.name}`}
          >
            Edit
          </button>
          {e.kind === 'webhook' && !e.disabled_at && (
            <ConfirmAction
              label="Rotate secret"
              confirmLabel="Rotate now"
              ariaLabel={`Rotate the secret of ${e.name}`}
              onConfirm={() => rotate.mutate(e)}
              pending={rotate.isPending}
            />
          )}
          {e.disabled_at ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => toggle.mutate(e)}
              aria-label={`Enable ${e.name}`}
            >
              Enable
            </button>
          ) : (
            <ConfirmAction
              label="Disable"
              confirmLabel="Disable now"
              ariaLabel={`Disable ${e.name}`}
              onConfirm={() => toggle.mutate(e)}
              pending={toggle.isPending}
            />
          )}
        </span>
      ),
    },
  ]

  return (
    <>
      {secret && <SecretCallout title={secret.title} secret={secret.secret} onDismiss={() => setSecret(null)} />}
      <Card title="Add an endpoint">
        <CreateEndpointForm
          onCreated={(e) => {
            if (e.secret)
              setSecret({ title: `Endpoint “${e.name}” added — copy its signing secret now`, secret: e.secret })
          }}
        />
      </Card>
      {editingEndpoint && (
        <EditEndpointForm key={editingEndpoint.id} endpoint={editingEndpoint} onDone={() => setEditing(null)} />
      )}
      {tested && (
        <div role="status" data-testid="test-result">
          <Callout
            tone={tested.result.ok ? 'good' : 'bad'}
            title={`Test to “${rows.find((e) => e.id === tested.id)?.name ?? tested.id}”: ${tested.result.ok ? 'delivered' : 'failed'}`}
          >
            {tested.result.detail} in {tested.result.duration_ms} ms.
            {!tested.result.ok && ' Check the URL and that the receiver answers 2xx; nothing will be retried.'}
          </Callout>
        </div>
      )}
      {actionError && (
        <Callout tone="bad" title="Not done">
          {actionError.message}
        </Callout>
      )}
      <Card title="Endpoints">
        <div className="toolbar settings-filters">
          <label htmlFor="endpoint-show">Show</label>
          <select id="endpoint-show" value={show} onChange={(e) => setShow(e.target.value)}>
            <option value="active">Enabled</option>
            <option value="all">Enabled and disabled</option>
          </select>
        </div>
        <DataTable
          columns={columns}
          rows={rows}
          rowKey={(e) => e.id}
          rowClassName={(e) => (e.disabled_at ? 'row-muted' : '')}
          state={{ pending: endpoints.isPending, error: endpoints.error, retry: () => endpoints.refetch() }}
          empty={
            <Empty title="No endpoints yet">
              Add one above: without an endpoint, handoffs and SLA warnings reach nobody outside the dashboard.
            </Empty>
          }
          caption="Notification endpoints"
          testId="endpoints-table"
        />
      </Card>
      <DeliveriesCard endpoints={rows} />
    </>
  )
}

function DeliveriesCard({ endpoints }: { endpoints: Endpoint[] }) {
  const queryClient = useQueryClient()
  const [status, setStatus] = useSearchParam('delivery', 'all')
  const [endpoint, setEndpoint] = useSearchParam('endpoint', 'all')
  const outbox = useQuery({
    queryKey: settingsKeys.outbox(status, endpoint),
    queryFn: ({ signal }) => {
      const q = new URLSearchParams({ limit: '50' })
      if (status !== 'all') q.set('status', status)
      if (endpoint !== 'all') q.set('endpoint_id', endpoint)
      return api.get<{ notifications: OutboxRow[] }>(`/v1/outbox?${q}`, signal)
    },
    refetchInterval: 30_000,
  })
  const retry = useMutation({
    mutationFn: (id: number) => api.post<OutboxRow>(`/v1/outbox/${id}/retry`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['settings', 'outbox'] }),
  })
  const tone = { delivered: 'good', pending: 'warn', dead: 'bad' } as const
  const columns: Column<OutboxRow>[] = [
    { label: 'When', className: 'small nowrap', cell: (n) => formatDateTime(n.created_at) },
    {
      label: 'Topic',
      cell: (n) => (
        <>
          <span className="mono small">{n.topic}</span>
          {n.lead_id !== null && (
            <div className="small">
              <Link to={`/leads/${n.lead_id}`}>lead {n.lead_id}</Link>
            </div>
          )}
        </>
      ),
    },
    { label: 'Endpoint', cell: (n) => n.endpoint_name },
    {
      label: 'State',
      cell: (n) => (
        <>
          <Badge tone={tone[n.status]}>{n.status}</Badge>
          <div className="muted small">
            {n.attempts} attempt{n.attempts === 1 ? '' : 's'}
            {n.status === 'pending' && `, next ${formatDateTime(n.next_attempt_at)}`}
            {n.delivered_at && `, ${formatDateTime(n.delivered_at)}`}
          </div>
          {n.last_error && <div className="muted small">{n.last_error}</div>}
        </>
      ),
    },
    {
      label: '',
      srLabel: 'Actions',
      className: 'actions',
      cell: (n) =>
        n.status === 'dead' &&
        n.topic !== 'endpoint.test' && (
          <button
            type="button"
            className="btn btn-small"
            disabled={retry.isPending}
            onClick={() => retry.mutate(n.id)}
            aria-label={`Send notification ${n.id} again`}
          >
            Send again
          </button>
        ),
    },
  ]
  return (
    <Card title="Recent deliveries">
      <div className="toolbar settings-filters">
        <label htmlFor="delivery-status">State</label>
        <select id="delivery-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="all">All</option>
          <option value="pending">Pending</option>
          <option value="delivered">Delivered</option>
          <option value="dead">Dead letters</option>
        </select>
        <label htmlFor="delivery-endpoint">Endpoint</label>
        <select id="delivery-endpoint" value={endpoint} onChange={(e) => setEndpoint(e.target.value)}>
          <option value="all">All</option>
          {endpoints.map((e) => (
            <option key={e.id} value={String(e.id)}>
              {e.name}
            </option>
          ))}
        </select>
      </div>
      <DataTable
        columns={columns}
        rows={outbox.data?.notifications ?? []}
        rowKey={(n) => n.id}
        state={{ pending: outbox.isPending, error: outbox.error, retry: () => outbox.refetch() }}
        empty={
          <Empty title={status === 'dead' ? 'No dead letters' : 'Nothing sent yet'}>
            {status === 'dead'
              ? 'Every notification was delivered or is still being retried.'
              : 'Notifications appear here when leads are handed off or SLA clocks fire.'}
          </Empty>
        }
        caption="Recent deliveries"
        testId="deliveries"
      />
      {retry.isError && (
        <Callout tone="bad" title="Not sent again">
          {(retry.error as Error).message}
        </Callout>
      )}
    </Card>
  )
}
