import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useEffect, useState } from 'react'
import { ApiError, api } from '../../api.ts'
import { formatDateTime } from '../../format.ts'
import { useSearchParam } from '../../router.tsx'
import type { User } from '../../types.ts'
import { type Column, ConfirmAction, DataTable } from '../../ui/data-table.tsx'
import { Badge, Callout, Card, Field } from '../../ui/kit.tsx'
import { Empty } from '../../ui/states.tsx'
import type { TabProps } from './settings-page.tsx'

const ROLES: User['role'][] = ['marketing', 'sales', 'rep', 'admin']

function CreateUserForm() {
  const queryClient = useQueryClient()
  const [username, setUsername] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [role, setRole] = useState<User['role']>('marketing')
  const [repId, setRepId] = useState('')
  const [password, setPassword] = useState('')
  const [done, setDone] = useState<string | null>(null)
  const create = useMutation({
    mutationFn: () =>
      api.post<User>('/v1/users', {
        username: username.trim(),
        display_name: displayName.trim(),
        role,
        password,
        ...(role === 'rep' ? { rep_id: repId.trim() } : {}),
      }),
    onSuccess: async (u) => {
      setDone(`${u.display_name} can now log in as “${u.username}”.`)
      setUsername('')
      setDisplayName('')
      setRepId('')
      setPassword('')
      await queryClient.invalidateQueries({ queryKey: ['users'] })
    },
  })
  const issue = (path: string) =>
    create.error instanceof ApiError ? create.error.issues.find((i) => i.path === path)?.message : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setDone(null)
    create.mutate()
  }
  return (
    <form className="form form-grid" onSubmit={submit} autoComplete="off">
      <Field label="Username" htmlFor="user-name" error={issue('username')}>
        <input
          id="user-name"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      <Field label="Display name" htmlFor="user-display" error={issue('display_name')} hint="Shown on signatures.">
        <input id="user-display" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />
      </Field>
      <Field label="Role" htmlFor="user-role" error={issue('role')}>
        <select id="user-role" value={role} onChange={(e) => setRole(e.target.value as User['role'])}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </Field>
      {role === 'rep' && (
        <Field label="Rep id" htmlFor="user-rep" error={issue('rep_id')} hint="The rep's id in the Agreement.">
          <input id="user-rep" value={repId} onChange={(e) => setRepId(e.target.value)} required />
        </Field>
      )}
      <Field label="Initial password" htmlFor="user-password" error={issue('password')} hint="At least 10 characters.">
        <input
          id="user-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={10}
        />
      </Field>
      <div className="form-submit">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={create.isPending || !username.trim() || !displayName.trim() || !password}
        >
          {create.isPending ? 'Creating…' : 'Create user'}
        </button>
      </div>
      {create.isError && !(create.error instanceof ApiError && create.error.issues.length > 0) && (
        <div className="form-error" role="alert">
          {(create.error as Error).message}
        </div>
      )}
      {done && (
        <div className="form-done" role="status">
          {done}
        </div>
      )}
    </form>
  )
}

export function UsersTab({ onReady }: TabProps) {
  const queryClient = useQueryClient()
  const [roleFilter, setRoleFilter] = useSearchParam('role', 'all')
  const users = useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => api.get<{ users: User[] }>('/v1/users', signal),
  })
  useEffect(() => onReady(users.isSuccess), [users.isSuccess, onReady])
  const disable = useMutation({
    mutationFn: (id: number) => api.del<User>(`/v1/users/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  })
  const rows = (users.data?.users ?? []).filter((u) => roleFilter === 'all' || u.role === roleFilter)
  const columns: Column<User>[] = [
    { label: 'Name', className: 'cell-title', cell: (u) => u.display_name },
    { label: 'Username', className: 'mono small', cell: (u) => u.username },
    {
      label: 'Role',
      cell: (u) => (
        <>
          <Badge>{u.role}</Badge>
          {u.rep_id && <span className="muted small"> {u.rep_id}</span>}
        </>
      ),
    },
    { label: 'Created', className: 'small', cell: (u) => formatDateTime(u.created_at) },
    {
      label: 'Status',
      cell: (u) => (u.disabled_at ? <Badge tone="muted">disabled</Badge> : <Badge tone="good">active</Badge>),
    },
    {
      label: '',
      srLabel: 'Actions',
      className: 'actions',
      cell: (u) =>
        !u.disabled_at && (
          <ConfirmAction
            label="Disable"
            confirmLabel="Disable now"
            ariaLabel={`Disable ${u.display_name}`}
            onConfirm={() => disable.mutate(u.id)}
            pending={disable.isPending}
          />
        ),
    },
  ]
  return (
    <>
      <Card title="Create a user">
        <CreateUserForm />
      </Card>
      <div className="toolbar">
        <label htmlFor="user-role-filter">Role</label>
        <select id="user-role-filter" value={roleFilter} onChange={(e) => setRoleFilter(e.target.value)}>
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
          rowKey={(u) => u.id}
          rowClassName={(u) => (u.disabled_at ? 'row-muted' : '')}
          state={{ pending: users.isPending, error: users.error, retry: () => users.refetch() }}
          empty={
            <Empty title={roleFilter === 'all' ? 'No users yet' : `No ${roleFilter} users`}>
              {roleFilter === 'all'
                ? 'Create a user above so people can log in without sharing API keys.'
                : 'Try another role.'}
            </Empty>
          }
          caption="Users"
        />
        {disable.isError && (
          <Callout tone="bad" title="Not disabled">
            {(disable.error as Error).message}
          </Callout>
        )}
      </Card>
    </>
  )
}
