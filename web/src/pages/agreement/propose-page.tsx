import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import { ApiError, api, type Issue } from '../../api.ts'
import type { PageProps } from '../../pages.ts'
import { Link, navigate, useLocation } from '../../router.tsx'
import type { AgreementVersion, ValidationResult } from '../../types.ts'
import { CodeEditor, type EditorHandle } from '../../ui/code-editor.tsx'
import { Badge, Callout, Card, Page, PageHeader, useTitle } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import { DiffList } from './diff-list.tsx'
import { agreementKeys, useActiveAgreement } from './queries.ts'
import { findYamlLine } from './yaml-line.ts'

type Check =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'valid'; result: ValidationResult }
  | { status: 'invalid'; message: string; issues: Issue[] }
  | { status: 'failed'; error: unknown }

function useValidation(source: string | null): Check {
  const [check, setCheck] = useState<Check>({ status: 'idle' })
  useEffect(() => {
    if (source === null) return
    setCheck({ status: 'checking' })
    let live = true
    // Validate once typing pauses, not on every keystroke.
    const timer = setTimeout(() => {
      api
        .post<ValidationResult>('/v1/agreements/validate', { source })
        .then((result) => live && setCheck({ status: 'valid', result }))
        .catch((e) => {
          if (!live) return
          if (e instanceof ApiError && e.status === 422)
            setCheck({ status: 'invalid', message: e.message, issues: e.issues })
          else setCheck({ status: 'failed', error: e })
        })
    }, 350)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [source])
  return check
}

export default function ProposePage(_: PageProps) {
  useTitle('Propose a change')
  const active = useActiveAgreement()
  const noActive = active.error instanceof ApiError && active.error.status === 404
  const [source, setSource] = useState<string | null>(null)
  const editor = useRef<EditorHandle>(null)
  const queryClient = useQueryClient()
  const [submitting, setSubmitting] = useState(false)
  const [submitError, setSubmitError] = useState<ApiError | null>(null)
  // A drift alert's proposed amendment (Feedback page → "Propose it in the Agreement editor"), shown beside the editor.
  const { search } = useLocation()
  const amendment = search.get('amendment')
  const evidence = search.get('evidence')

  useEffect(() => {
    if (source !== null) return
    if (active.isSuccess) setSource(active.data.source)
    else if (noActive) setSource('')
  }, [active.isSuccess, active.data, noActive, source])

  // `?at=calendars.new_york` (from Settings): open the editor at that part of the Agreement, once.
  const at = useLocation().search.get('at')
  const jumped = useRef(false)
  useEffect(() => {
    if (!at || jumped.current || source === null || !active.isSuccess) return
    jumped.current = true
    const line = findYamlLine(source, at)
    if (line !== null) requestAnimationFrame(() => editor.current?.goToLine(line))
  }, [at, source, active.isSuccess])

  const check = useValidation(source)
  const issues = check.status === 'invalid' ? check.issues : (submitError?.issues ?? [])
  const errorLines = useMemo(() => {
    const m = new Map<number, string[]>()
    for (const i of issues) if (i.line) m.set(i.line, [...(m.get(i.line) ?? []), `${i.path}: ${i.message}`])
    return m
  }, [issues])
  const changed = source !== null && active.isSuccess && source !== active.data.source
  const changes = check.status === 'valid' ? (check.result.diffAgainstActive?.changes ?? null) : null
  const canPropose =
    check.status === 'valid' && source !== null && source.trim() !== '' && (noActive || (changes?.length ?? 0) > 0)

  const propose = async () => {
    if (source === null) return
    setSubmitting(true)
    setSubmitError(null)
    try {
      const v = await api.post<AgreementVersion>('/v1/agreements', { source })
      await queryClient.invalidateQueries({ queryKey: agreementKeys.all })
      navigate(`/agreement/versions/${v.id}`)
    } catch (e) {
      setSubmitError(e instanceof ApiError ? e : new ApiError(0, 'internal', String(e)))
    } finally {
      setSubmitting(false)
    }
  }

  if (active.isError && !noActive)
    return (
      <Page ready={false} name="agreement-propose">
        <PageHeader title="Propose a change" />
        <ErrorState error={active.error} onRetry={() => active.refetch()} />
      </Page>
    )

  return (
    <Page ready={source !== null} name="agreement-propose">
      <PageHeader
        eyebrow={<Link to="/agreement">Agreement</Link>}
        title="Propose a change"
        subtitle="Edit the YAML. It is checked as you type; the changes both owners will sign appear beside it."
        actions={
          <>
            {changed && (
              <button
                type="button"
                className="btn"
                onClick={() => active.data && setSource(active.data.source)}
                disabled={submitting}
              >
                Reset to active
              </button>
            )}
            <button type="button" className="btn btn-primary" disabled={!canPropose || submitting} onClick={propose}>
              {submitting ? 'Proposing…' : 'Propose this version'}
            </button>
          </>
        }
      />
      {source === null ? (
        <Skeleton rows={10} />
      ) : (
        <div className="split">
          <div className="split-main">
            <CodeEditor
              ref={editor}
              id="agreement-source"
              label="Agreement YAML"
              describedBy="validation-status"
              value={source}
              onChange={(s) => {
                setSource(s)
                setSubmitError(null)
              }}
              errors={errorLines}
            />
          </div>
          <div className="split-side">
            {amendment && (
              <Card title="Suggested amendment">
                <div data-testid="suggested-amendment">
                  {evidence && <p className="muted small">{evidence}</p>}
                  <pre className="yaml">{amendment}</pre>
                  <p className="small">
                    Merge it into the YAML under its section; the changes below show what both owners would sign.
                  </p>
                </div>
              </Card>
            )}
            <Card title="Validation">
              <div id="validation-status" aria-live="polite" data-testid="validation-status">
                {check.status === 'checking' || check.status === 'idle' ? (
                  <span className="muted">Checking…</span>
                ) : check.status === 'valid' ? (
                  <span>
                    <Badge tone="good">valid</Badge> <span className="muted small">every condition type-checks</span>
                  </span>
                ) : check.status === 'invalid' ? (
                  <span>
                    <Badge tone="bad">{check.message}</Badge>
                  </span>
                ) : (
                  <ErrorState error={check.error} />
                )}
              </div>
              {issues.length > 0 && (
                <ul className="issues" data-testid="issues">
                  {issues.map((i) => (
                    <li key={`${i.path}:${i.line}:${i.message}`}>
                      {i.line ? (
                        <button type="button" className="issue-line" onClick={() => editor.current?.goToLine(i.line!)}>
                          line {i.line}
                        </button>
                      ) : (
                        <span className="issue-line muted">—</span>
                      )}
                      <div>
                        <code className="code">{i.path}</code>
                        <div>{i.message}</div>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
              {submitError && issues.length === 0 && (
                <Callout tone="bad" title="Not proposed">
                  {submitError.message}
                </Callout>
              )}
            </Card>
            <Card title="Changes against the active version">
              {noActive ? (
                <Empty title="No active version">This will be the first Agreement; both owners sign it.</Empty>
              ) : check.status === 'valid' ? (
                changes && changes.length > 0 ? (
                  <DiffList changes={changes} />
                ) : (
                  <Empty title="No semantic changes yet">
                    Edit the Agreement; comments and key order do not count as changes.
                  </Empty>
                )
              ) : (
                <p className="muted small">The diff appears once the text is valid.</p>
              )}
            </Card>
          </div>
        </div>
      )}
    </Page>
  )
}
