import type { AgreementChange } from '../../types.ts'
import { Empty } from '../../ui/states.tsx'

const MARK = { added: '+', removed: '−', changed: '~' } as const

/** The semantic diff, grouped by section: what a signer must read, not a line diff of YAML. */
export function DiffList({ changes, emptyText }: { changes: AgreementChange[]; emptyText?: string }) {
  if (changes.length === 0)
    return <Empty title="No semantic changes">{emptyText ?? 'This version means the same as the active one.'}</Empty>
  const sections = [...new Set(changes.map((c) => c.section))]
  return (
    <div className="diff" data-testid="diff">
      {sections.map((section) => (
        <div key={section} className="diff-section">
          <div className="diff-section-title">{section}</div>
          <ul>
            {changes
              .filter((c) => c.section === section)
              .map((c) => (
                <li key={`${c.path}:${c.summary}`} className={`diff-line diff-${c.kind}`}>
                  <span className="diff-mark" title={c.kind}>
                    <span aria-hidden="true">{MARK[c.kind]}</span>
                    <span className="sr-only">{c.kind}</span>
                  </span>
                  <span className="diff-summary">{c.summary}</span>
                  <code className="diff-path">{c.path}</code>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </div>
  )
}
