/**
 * The Agreement's versions in storage. A version is *proposed* (validated, identified by content hash), then
 * *signed* once both a marketing owner and a sales owner have signed it, and is *active* from its effective date
 * until a later signed version takes effect. "Active" is derived, never stored, so no scheduler has to flip it at
 * midnight and the version in force at any past instant can be asked for.
 */

import type { Ctx } from '../context.ts'
import {
  type Agreement,
  type AgreementError,
  diffAgreements,
  formatDiff,
  parseAgreement,
} from '../core/agreement/index.ts'
import { AppError } from '../core/errors.ts'
import type { AgreementStatus } from '../db/schema.ts'
import { withTransaction } from '../db/transaction.ts'
import { invalidateActiveAgreement, pickActiveVersion } from './active-agreement.ts'

export type Side = 'marketing' | 'sales'
export type VersionState = 'proposed' | 'scheduled' | 'active' | 'superseded' | 'withdrawn'

export type AgreementVersion = {
  id: number
  hash: string
  title: string
  effectiveFrom: string
  state: VersionState
  proposedBy: string
  proposedAt: Date
  signatures: { side: Side; signer: string; signedAt: Date }[]
}

type Row = {
  id: number
  hash: string
  title: string
  effective_from: Date
  status: AgreementStatus
  proposed_by: string
  proposed_at: Date
  activated_at: Date | null
}

/** Effective dates are calendar dates; a version takes effect at 00:00 UTC of that date. */
function effectiveInstant(date: string): Date {
  return new Date(`${date}T00:00:00Z`)
}

function errorsToIssues(errors: AgreementError[]) {
  return errors.map((e) => ({ path: e.path, message: e.message, ...(e.line ? { line: e.line } : {}) }))
}

/** Parses and validates an Agreement text; throws invalid_input listing every problem with its line. */
export function validateAgreementText(source: string): { agreement: Agreement; hash: string } {
  const parsed = parseAgreement(source)
  if (!parsed.ok) {
    throw new AppError(
      'invalid_input',
      `the Agreement has ${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'}`,
      errorsToIssues(parsed.errors),
    )
  }
  return { agreement: parsed.agreement, hash: parsed.hash }
}

async function loadRows(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
): Promise<{ rows: Row[]; signatures: Map<number, AgreementVersion['signatures']> }> {
  const rows = await ctx.db
    .selectFrom('agreement_version')
    .select(['id', 'hash', 'title', 'effective_from', 'status', 'proposed_by', 'proposed_at', 'activated_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute()
  const sigs = await ctx.db
    .selectFrom('agreement_signature')
    .select(['agreement_version_id', 'side', 'signer', 'signed_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('signed_at')
    .execute()
  const signatures = new Map<number, AgreementVersion['signatures']>()
  for (const s of sigs) {
    const list = signatures.get(s.agreement_version_id) ?? []
    list.push({ side: s.side, signer: s.signer, signedAt: s.signed_at })
    signatures.set(s.agreement_version_id, list)
  }
  return { rows, signatures }
}

function toVersion(
  r: Row,
  active: Row | null,
  signatures: AgreementVersion['signatures'],
  now: number,
): AgreementVersion {
  let state: VersionState
  if (r.status === 'withdrawn') state = 'withdrawn'
  else if (r.status !== 'signed') state = 'proposed'
  else if (active?.id === r.id) state = 'active'
  else if (r.effective_from.getTime() > now) state = 'scheduled'
  else state = 'superseded'
  return {
    id: r.id,
    hash: r.hash,
    title: r.title,
    effectiveFrom: r.effective_from.toISOString().slice(0, 10),
    state,
    proposedBy: r.proposed_by,
    proposedAt: r.proposed_at,
    signatures,
  }
}

export async function listAgreementVersions(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
): Promise<AgreementVersion[]> {
  const { rows, signatures } = await loadRows(ctx, workspaceId)
  const now = ctx.clock()
  const signed = rows.flatMap((r) =>
    r.status === 'signed' && r.activated_at
      ? [{ ...r, effectiveFrom: r.effective_from.getTime(), activatedAt: r.activated_at.getTime() }]
      : [],
  )
  const active = pickActiveVersion(signed, now)
  return rows.map((r) => toVersion(r, active, signatures.get(r.id) ?? [], now)).reverse()
}

/** A version by id, by hash or hash prefix (≥ 7 characters), or `active`. */
export async function getAgreementVersion(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  ref: string,
): Promise<AgreementVersion & { source: string; document: Agreement }> {
  const versions = await listAgreementVersions(ctx, workspaceId)
  const found =
    ref === 'active'
      ? versions.find((v) => v.state === 'active')
      : /^\d+$/.test(ref)
        ? versions.find((v) => v.id === Number(ref))
        : ref.length >= 7
          ? versions.find((v) => v.hash.startsWith(ref))
          : undefined
  if (!found) {
    throw new AppError(
      'not_found',
      ref === 'active'
        ? 'no Agreement is active yet: propose one and have both owners sign it'
        : `no Agreement version ${ref}`,
    )
  }
  const row = await ctx.db
    .selectFrom('agreement_version')
    .select(['source', 'document'])
    .where('id', '=', found.id)
    .executeTakeFirstOrThrow()
  return { ...found, source: row.source, document: row.document as Agreement }
}

/**
 * Proposes a version. Proposing the same content twice returns the existing version (content hash identity).
 *
 * Example: `await proposeAgreement(ctx, ws, { source: yamlText, proposedBy: 'Priya Natarajan' })`
 */
export async function proposeAgreement(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  input: { source: string; proposedBy: string },
): Promise<{ version: AgreementVersion; created: boolean }> {
  const { agreement, hash } = validateAgreementText(input.source)
  const inserted = await ctx.db
    .insertInto('agreement_version')
    .values({
      workspace_id: workspaceId,
      hash,
      title: agreement.agreement,
      source: input.source,
      document: JSON.stringify(agreement),
      effective_from: effectiveInstant(agreement.effective_from),
      status: 'proposed',
      proposed_by: input.proposedBy,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'hash']).doNothing())
    .returning('id')
    .executeTakeFirst()
  const version = await getAgreementVersion(ctx, workspaceId, hash)
  const { source: _s, document: _d, ...rest } = version
  if (inserted) {
    await ctx.db
      .insertInto('audit_log')
      .values({
        workspace_id: workspaceId,
        actor: input.proposedBy,
        action: 'agreement.proposed',
        subject: hash,
        details: JSON.stringify({ title: agreement.agreement }),
      })
      .execute()
  }
  return { version: rest, created: Boolean(inserted) }
}

/**
 * Records one side's signature. When both sides have signed, the version is signed and takes effect on its
 * effective date. Signing twice for the same side is refused; a withdrawn version cannot be signed.
 */
export async function signAgreement(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  input: { ref: string; side: Side; signer: string; keyId?: number | null },
): Promise<AgreementVersion> {
  const version = await getAgreementVersion(ctx, workspaceId, input.ref)
  if (version.state === 'withdrawn')
    throw new AppError('conflict', `version ${version.hash.slice(0, 12)} was withdrawn`)
  await withTransaction(ctx.db, async (tx) => {
    const row = await tx
      .selectFrom('agreement_version')
      .select(['status'])
      .where('id', '=', version.id)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const signed = await tx
      .insertInto('agreement_signature')
      .values({
        agreement_version_id: version.id,
        workspace_id: workspaceId,
        side: input.side,
        signer: input.signer,
        key_id: input.keyId ?? null,
        signed_at: new Date(ctx.clock()),
      })
      .onConflict((oc) => oc.columns(['agreement_version_id', 'side']).doNothing())
      .returning('side')
      .executeTakeFirst()
    if (!signed)
      throw new AppError('conflict', `the ${input.side} side has already signed version ${version.hash.slice(0, 12)}`)
    const sides = await tx
      .selectFrom('agreement_signature')
      .select('side')
      .where('agreement_version_id', '=', version.id)
      .execute()
    if (row.status === 'proposed' && sides.length === 2) {
      await tx
        .updateTable('agreement_version')
        .set({ status: 'signed', activated_at: new Date(ctx.clock()) })
        .where('id', '=', version.id)
        .execute()
    }
    await tx
      .insertInto('audit_log')
      .values({
        workspace_id: workspaceId,
        actor: input.signer,
        action: 'agreement.signed',
        subject: version.hash,
        details: JSON.stringify({ side: input.side }),
      })
      .execute()
  })
  invalidateActiveAgreement(ctx.db, workspaceId)
  const { source: _s, document: _d, ...after } = await getAgreementVersion(ctx, workspaceId, String(version.id))
  return after
}

/** A readable semantic diff between two stored versions (refs as in getAgreementVersion). */
export async function diffAgreementVersions(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  fromRef: string,
  toRef: string,
) {
  const [from, to] = await Promise.all([
    getAgreementVersion(ctx, workspaceId, fromRef),
    getAgreementVersion(ctx, workspaceId, toRef),
  ])
  const diff = diffAgreements(from.document, to.document)
  return {
    from: { id: from.id, hash: from.hash },
    to: { id: to.id, hash: to.hash },
    changes: diff.changes,
    text: formatDiff(diff),
  }
}
