import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { ApiError, api } from '../../api.ts'
import { formatDateTime } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { useSearchParam } from '../../router.tsx'
import type { ApiKey, CreatedKey, Role } from '../../types.ts'
import { Badge, Callout, Card, Field, Page, PageHeader, useTitle } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'

const ROLES: Role[] = ['admin', 'marketing', 'sales', 'rep', 'ingest']
const ROLE_HINT: Record<Role, string> = {
  admin: 'everything except signing the Agreement',
  marketing: 'send data, read everything, propose, sign for marketing',
  sales: 'send records, read everything, propose, sign for sales',
  rep: 'read the Agreement, their own leads only',
  ingest: 'send events and records; reads nothing, cannot log in',
}

function CreateKeyForm({ onCreated }: { onCreated(key: CreatedKey): void }) {
  const queryClient = useQueryClient()
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('ingest')
  const [repId, setRepId] = useState('')
  const create = useMutation({
    mutationFn: () =>
      api.post<CreatedKey>('/v1/keys', {
        name: name.trim(),
        role,
        ...(role === 'rep' ? { rep_id: repId.trim() } : {}),
      }),
    onSuccess: async (key) => {
      setName('')
      setRepId('')
      onCreated(key)
      await queryClient.invalidateQueries({ queryKey: ['keys'] })
    },
  })
  const issue = (path: string) =>
    create.error instanceof ApiError ? create.error.issues.find((i) => i.path === path)?.message : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate()
  }
  return (
    <form className="form form-inline" onSubmit={submit}>
      <Field label="Name" htmlFor="key-name" error={issue('name')} hint="Who or what uses it, e.g. “Segment”.">
        <input id="key-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
      </Field>
      <Field label="Role" htmlFor="key-role" hint={ROLE_HINT[role]}>
        <select id="key-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </Field>
      {role === 'rep' && (
        <Field label="Rep id" htmlFor="key-rep" error={issue('rep_id')} hint="The rep's id in the Agreement.">
          <input id="key-rep" value={repId} onChange={(e) => setRepId(e.target.value)} required />
        </Field>
      )}
      <div className="form-submit">
        <button type="submit" className="btn btn-primary" disabled={create.isPending || !name.trim()}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </div>
      {create.isError && !issue('name') && !issue('rep_id') && (
        <div className="form-error" role="alert">
          {(create.error as Error).message}
        </div>
      )}
    </form>
  )
}

function NewSecret({ created, onDismiss }: { created: CreatedKey; onDismiss(): void }) {
  const [copied, setCopied] = useState(false)
  return (
    <Callout tone="good" title={`Key “${created.name}” created — copy its secret now`}>
      <p>This is the only time the secret is shown; Accord stores only its hash.</p>
      <div className="secret-row">
        <input
          className="secret"
          readOnly
          value={created.secret}
          aria-label="New key secret"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="btn"
          onClick={() => {
            void navigator.clipboard?.writeText(created.secret).then(() => setCopied(true))
          }}
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

export default function KeysPage(_: PageProps) {
  useTitle('API keys')
  const queryClient = useQueryClient()
  const [status, setStatus] = useSearchParam('status', 'active')
  const [roleFilter, setRoleFilter] = useSearchParam('role', 'all')
  const [created, setCreated] = useState<CreatedKey | null>(null)
  const [confirmId, setConfirmId] = useState<number | null>(null)
  const keys = useQuery({
    queryKey: ['keys'],
    queryFn: ({ signal }) => api.get<{ keys: ApiKey[] }>('/v1/keys', signal),
  })
  const revoke = useMutation({
    mutationFn: (id: number) => api.del<ApiKey>(`/v1/keys/${id}`),
    onSuccess: async () => {
      setConfirmId(null)
      await queryClient.invalidateQueries({ queryKey: ['keys'] })
    },
  })
  const rows = (keys.data?.keys ?? [])
    .filter((k) => status === 'all' || (status === 'active' ? !k.revoked_at : Boolean(k.revoked_at)))
    .filter((k) => roleFilter === 'all' || k.role === roleFilter)
  return (
    <Page ready={keys.isSuccess} name="settings-keys">
      <PageHeader
        eyebrow="Settings"
        title="API keys"
        subtitle="Keys authenticate integrations and people. Secrets are 192-bit random and stored only hashed."
      />
      {created && <NewSecret created={created} onDismiss={() => setCreated(null)} />}
      <Card title="Create a key">
        <CreateKeyForm onCreated={setCreated} />
      </Card>
      <div className="toolbar">
        <label htmlFor="key-status">Show</label>
        <select id="key-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="active">Active keys</option>
          <option value="revoked">Revoked keys</option>
          <option value="all">All keys</option>
        </select>
        <label htmlFor="key-role-filter">Role</label>
        <select id="key-role-filter" value={roleFilter} onChange={(e) => setRoleFilter(e.target.value)}>
          <option value="all">All roles</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <Card>
        {keys.isPending ? (
          <Skeleton rows={4} />
        ) : keys.isError ? (
          <ErrorState error={keys.error} onRetry={() => keys.refetch()} />
        ) : rows.length === 0 ? (
          <Empty title="No keys match">Change the filters, or create a key above.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Key</th>
                  <th scope="col">Created</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((k) => (
                  <tr key={k.id} className={k.revoked_at ? 'row-muted' : ''}>
                    <td className="cell-title">
                      {k.name}
                      {k.rep_id && <div className="muted small">rep {k.rep_id}</div>}
                    </td>
                    <td>
                      <Badge>{k.role}</Badge>
                    </td>
                    <td className="mono small">{k.prefix}…</td>
                    <td className="small">{formatDateTime(k.created_at)}</td>
                    <td>
                      {k.revoked_at ? (
                        <Badge tone="muted">revoked {formatDateTime(k.revoked_at)}</Badge>
                      ) : (
                        <Badge tone="good">active</Badge>
                      )}
                    </td>
                    <td className="actions">
                      {!k.revoked_at &&
                        (confirmId === k.id ? (
                          <span className="row">
                            <button
                              type="button"
                              className="btn btn-danger btn-small"
                              onClick={() => revoke.mutate(k.id)}
                              disabled={revoke.isPending}
                            >
                              Revoke now
                            </button>
                            <button type="button" className="btn btn-small" onClick={() => setConfirmId(null)}>
                              Cancel
                            </button>
                          </span>
                        ) : (
                          <button
                            type="button"
                            className="btn btn-small"
                            onClick={() => setConfirmId(k.id)}
                            aria-label={`Revoke key ${k.name}`}
                          >
                            Revoke
                          </button>
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {revoke.isError && (
          <Callout tone="bad" title="Not revoked">
            {(revoke.error as Error).message}
          </Callout>
        )}
      </Card>
    </Page>
  )
}
