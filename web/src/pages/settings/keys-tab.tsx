import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useEffect, useState } from 'react'
import { ApiError, api } from '../../api.ts'
import { formatDateTime } from '../../format.ts'
import { useSearchParam } from '../../router.tsx'
import type { ApiKey, CreatedKey, Role } from '../../types.ts'
import { type Column, ConfirmAction, DataTable } from '../../ui/data-table.tsx'
import { Badge, Callout, Card, Field } from '../../ui/kit.tsx'
import { Empty } from '../../ui/states.tsx'
import type { TabProps } from './settings-page.tsx'

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

export function KeysTab({ onReady }: TabProps) {
  const queryClient = useQueryClient()
  const [status, setStatus] = useSearchParam('status', 'active')
  const [roleFilter, setRoleFilter] = useSearchParam('role', 'all')
  const [created, setCreated] = useState<CreatedKey | null>(null)
  const keys = useQuery({
    queryKey: ['keys'],
    queryFn: ({ signal }) => api.get<{ keys: ApiKey[] }>('/v1/keys', signal),
  })
  useEffect(() => onReady(keys.isSuccess), [keys.isSuccess, onReady])
  const revoke = useMutation({
    mutationFn: (id: number) => api.del<ApiKey>(`/v1/keys/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['keys'] }),
  })
  const rows = (keys.data?.keys ?? [])
    .filter((k) => status === 'all' || (status === 'active' ? !k.revoked_at : Boolean(k.revoked_at)))
    .filter((k) => roleFilter === 'all' || k.role === roleFilter)
  const columns: Column<ApiKey>[] = [
    {
      label: 'Name',
      className: 'cell-title',
      cell: (k) => (
        <>
          {k.name}
          {k.rep_id && <div className="muted small">rep {k.rep_id}</div>}
        </>
      ),
    },
    { label: 'Role', cell: (k) => <Badge>{k.role}</Badge> },
    { label: 'Key', className: 'mono small', cell: (k) => `${k.prefix}…` },
    { label: 'Created', className: 'small', cell: (k) => formatDateTime(k.created_at) },
    {
      label: 'Status',
      cell: (k) =>
        k.revoked_at ? (
          <Badge tone="muted">revoked {formatDateTime(k.revoked_at)}</Badge>
        ) : (
          <Badge tone="good">active</Badge>
        ),
    },
    {
      label: '',
      srLabel: 'Actions',
      className: 'actions',
      cell: (k) =>
        !k.revoked_at && (
          <ConfirmAction
            label="Revoke"
            confirmLabel="Revoke now"
            ariaLabel={`Revoke key ${k.name}`}
            onConfirm={() => revoke.mutate(k.id)}
            pending={revoke.isPending}
          />
        ),
    },
  ]
  return (
    <>
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
        <DataTable
          columns={columns}
          rows={rows}
          rowKey={(k) => k.id}
          rowClassName={(k) => (k.revoked_at ? 'row-muted' : '')}
          state={{ pending: keys.isPending, error: keys.error, retry: () => keys.refetch() }}
          empty={<Empty title="No keys match">Change the filters, or create a key above.</Empty>}
          caption="API keys"
        />
        {revoke.isError && (
          <Callout tone="bad" title="Not revoked">
            {(revoke.error as Error).message}
          </Callout>
        )}
      </Card>
    </>
  )
}
