import { type FormEvent, useId, useState } from 'react'
import { ApiError } from '../api.ts'
import { useSessionApi } from '../session.tsx'
import { Callout, Field, useFocusOnMount, useTitle } from '../ui/kit.tsx'

type Tab = 'key' | 'password'

export function LoginPage({ reason }: { reason?: string }) {
  useTitle('Log in')
  const { logIn } = useSessionApi()
  const [tab, setTab] = useState<Tab>('key')
  const [apiKey, setApiKey] = useState('')
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const id = useId()
  const keyRef = useFocusOnMount<HTMLInputElement>()
  const userRef = useFocusOnMount<HTMLInputElement>()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await logIn(tab === 'key' ? { api_key: apiKey.trim() } : { username: username.trim(), password })
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  const tabs: { id: Tab; label: string }[] = [
    { id: 'key', label: 'API key' },
    { id: 'password', label: 'Username & password' },
  ]
  return (
    <div className="login" data-ready="login">
      <div className="login-panel">
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">
            A
          </span>
          <span>Accord</span>
        </div>
        <h1>Log in</h1>
        <p className="subtitle">The Agreement between sales and marketing, enforced and measured.</p>
        {reason && <Callout tone="warn">{reason}</Callout>}
        <div className="tabs" role="tablist" aria-label="How to log in">
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`${id}-tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`${id}-panel`}
              tabIndex={tab === t.id ? 0 : -1}
              className={`tab ${tab === t.id ? 'tab-current' : ''}`}
              onClick={() => {
                setTab(t.id)
                setError(null)
              }}
              onKeyDown={(e) => {
                if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                  const next = tab === 'key' ? 'password' : 'key'
                  setTab(next)
                  document.getElementById(`${id}-tab-${next}`)?.focus()
                }
              }}
            >
              {t.label}
            </button>
          ))}
        </div>
        <form
          id={`${id}-panel`}
          role="tabpanel"
          aria-labelledby={`${id}-tab-${tab}`}
          onSubmit={submit}
          className="form"
          noValidate
        >
          {tab === 'key' ? (
            <Field label="API key" htmlFor={`${id}-key`} hint="An admin, marketing, sales or rep key (acc_…).">
              <input
                id={`${id}-key`}
                name="api_key"
                type="password"
                autoComplete="current-password"
                spellCheck={false}
                value={apiKey}
                onChange={(e) => setApiKey(e.target.value)}
                required
                ref={keyRef}
              />
            </Field>
          ) : (
            <>
              <Field label="Username" htmlFor={`${id}-user`}>
                <input
                  id={`${id}-user`}
                  name="username"
                  autoComplete="username"
                  spellCheck={false}
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                  required
                  ref={userRef}
                />
              </Field>
              <Field label="Password" htmlFor={`${id}-password`}>
                <input
                  id={`${id}-password`}
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  required
                />
              </Field>
            </>
          )}
          {error && (
            <div className="form-error" role="alert">
              {error}
            </div>
          )}
          <button
            type="submit"
            className="btn btn-primary btn-block"
            disabled={busy || (tab === 'key' ? !apiKey.trim() : !username.trim() || !password)}
          >
            {busy ? 'Logging in…' : 'Log in'}
          </button>
        </form>
        <p className="login-foot">
          Users are created by an admin under Settings › Users. Ingest keys cannot log in. The API is documented at{' '}
          <a href="/docs">/docs</a>.
        </p>
      </div>
    </div>
  )
}
