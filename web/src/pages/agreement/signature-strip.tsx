import { formatDateTime } from '../../format.ts'
import type { AgreementVersion, Side } from '../../types.ts'

/** Both sides' sign-off at a glance: who signed, when, or that a signature is still missing. */
export function SignatureStrip({ version }: { version: AgreementVersion }) {
  return (
    <div className="signatures">
      {(['marketing', 'sales'] as Side[]).map((side) => {
        const sig = version.signatures.find((s) => s.side === side)
        return (
          <div key={side} className={`signature ${sig ? 'signature-done' : 'signature-missing'}`}>
            <span className="signature-icon" aria-hidden="true">
              {sig ? '✓' : '…'}
            </span>
            <div>
              <div className="signature-side">{side === 'marketing' ? 'Marketing' : 'Sales'}</div>
              {sig ? (
                <div className="small">
                  {sig.signer} <span className="muted">· {formatDateTime(sig.signedAt)}</span>
                </div>
              ) : (
                <div className="small muted">not signed yet</div>
              )}
            </div>
          </div>
        )
      })}
    </div>
  )
}
