/**
 * A plain textarea with a line-number gutter and error markers at their lines — enough for YAML without a heavy
 * editor dependency. Lines never wrap, so line N of the text is row N of the gutter.
 */
import { forwardRef, useImperativeHandle, useRef, useState } from 'react'

export type EditorHandle = { goToLine(line: number): void }

const LINE_HEIGHT = 20
const PAD = 10

export const CodeEditor = forwardRef<
  EditorHandle,
  {
    id: string
    value: string
    onChange(value: string): void
    errors: Map<number, string[]>
    label: string
    describedBy?: string
  }
>(function CodeEditor({ id, value, onChange, errors, label, describedBy }, ref) {
  const area = useRef<HTMLTextAreaElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const lineCount = value.split('\n').length

  useImperativeHandle(ref, () => ({
    goToLine(line: number) {
      const el = area.current
      if (!el) return
      const lines = value.split('\n')
      const offset = lines.slice(0, line - 1).reduce((a, l) => a + l.length + 1, 0)
      el.focus()
      el.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0))
      el.scrollTop = Math.max(0, (line - 1) * LINE_HEIGHT - el.clientHeight / 3)
      setScrollTop(el.scrollTop)
    },
  }))

  return (
    <div className="editor">
      <div className="editor-gutter" aria-hidden="true">
        <div style={{ transform: `translateY(${-scrollTop}px)`, paddingTop: PAD }}>
          {Array.from({ length: lineCount }, (_, i) => {
            const n = i + 1
            const bad = errors.has(n)
            return (
              <div
                key={n}
                className={`editor-line-no ${bad ? 'editor-line-error' : ''}`}
                title={bad ? errors.get(n)!.join('\n') : undefined}
                data-line={n}
              >
                {bad && <span className="editor-marker">●</span>}
                {n}
              </div>
            )
          })}
        </div>
      </div>
      <div className="editor-body">
        <div className="editor-bands" aria-hidden="true">
          {[...errors.keys()].map((line) => (
            <div
              key={line}
              className="editor-band"
              style={{ top: PAD + (line - 1) * LINE_HEIGHT - scrollTop, height: LINE_HEIGHT }}
            />
          ))}
        </div>
        <textarea
          id={id}
          ref={area}
          aria-label={label}
          aria-describedby={describedBy}
          aria-invalid={errors.size > 0}
          className="editor-text"
          value={value}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        />
      </div>
    </div>
  )
})
