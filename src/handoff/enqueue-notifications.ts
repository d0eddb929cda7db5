/**
 * Writes outbox rows for one notification, one per matching endpoint, in the caller's transaction: a crash after
 * commit delays the notification, never loses it. The payload is rendered now (Slack Block Kit, email parts, the
 * webhook body), so the worker only sends. The idempotency id is derived from the notification's subject and the
 * endpoint, so writing the same notification twice is a no-op and every retry carries the same id.
 */
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import {
  type Brief,
  type BriefLinks,
  escapeHtml,
  escapeSlack,
  renderBriefEmail,
  renderBriefSlackBlocks,
} from '../core/brief/index.ts'
import type { EndpointKind } from '../db/schema.ts'
import type { Tx } from '../db/transaction.ts'
import type { HandoffPlan } from './handoff-plan.ts'

/** Who a notification is for: decides the address of email endpoints without a fixed `email_to`. */
export type Audience = 'rep' | 'manager' | 'marketing_owner' | 'sales_owner'

export type NotificationTopic =
  | 'lead.handed_off'
  | 'sla.warning'
  | 'sla.breached'
  | 'sla.escalated'
  | 'lead.reassigned'
  | 'lead.disposition'

export type Notification = {
  topic: NotificationTopic
  /** What the notification is about, unique per notification: `assignment:42`, `clock:7:warn`. */
  subject: string
  leadId: number
  /** The lead's owner: scopes endpoints (`rep_id`, `team`). */
  repId: string | null
  audiences: readonly Audience[]
  title: string
  lines: readonly string[]
  brief?: { brief: Brief; links: BriefLinks }
  /** The webhook body's `data`. */
  data: Record<string, unknown>
}

type EndpointRow = {
  id: number
  kind: EndpointKind
  email_to: string | null
  rep_id: string | null
  team: string | null
  topics: string[]
}

function idempotencyId(subject: string, topic: string, endpointId: number, to: string): string {
  const h = createHash('sha256').update(`${topic}\n${subject}\n${endpointId}\n${to}`).digest('hex')
  return `ntf_${h.slice(0, 32)}`
}

function addressOf(plan: HandoffPlan, audience: Audience, repId: string | null): string | null {
  const rep = repId ? plan.repById.get(repId) : undefined
  switch (audience) {
    case 'rep':
      return rep?.email ?? null
    case 'manager':
      return rep ? (plan.compiled.teams[rep.team]?.manager.email ?? null) : null
    case 'marketing_owner':
      return plan.compiled.agreement.owners.marketing.email
    case 'sales_owner':
      return plan.compiled.agreement.owners.sales.email
  }
}

/**
 * @example await enqueueNotifications(tx, plan, workspaceId, now, { topic: 'lead.handed_off', subject: `assignment:${id}`, … })
 * // → number of outbox rows written
 */
export async function enqueueNotifications(
  tx: Tx,
  plan: HandoffPlan,
  workspaceId: number,
  now: number,
  n: Notification,
): Promise<number> {
  const rep = n.repId ? plan.repById.get(n.repId) : undefined
  const endpoints = await sql<EndpointRow>`select id, kind, email_to, rep_id, team, topics from notification_endpoint
      where workspace_id = ${workspaceId} and disabled_at is null
        and (cardinality(topics) = 0 or ${n.topic} = any(topics))
        and (rep_id is null or rep_id = ${n.repId})
        and (team is null or team = ${rep?.team ?? null})
      order by id`.execute(tx)
  const rows: Record<string, unknown>[] = []
  const createdAt = new Date(now).toISOString()
  for (const e of endpoints.rows) {
    if (e.kind === 'email') {
      const targets = e.email_to
        ? [e.email_to]
        : [...new Set(n.audiences.map((a) => addressOf(plan, a, n.repId)).filter((a): a is string => !!a))]
      for (const to of targets)
        rows.push({
          endpoint_id: e.id,
          kind: e.kind,
          id: idempotencyId(n.subject, n.topic, e.id, to),
          payload: emailOf(n, to),
        })
    } else {
      const id = idempotencyId(n.subject, n.topic, e.id, '')
      const payload =
        e.kind === 'slack'
          ? slackOf(n)
          : { type: n.topic, id, created_at: createdAt, data: { ...n.data, title: n.title, lines: n.lines } }
      rows.push({ endpoint_id: e.id, kind: e.kind, id, payload })
    }
  }
  if (rows.length === 0) return 0
  const written =
    await sql`insert into outbox (workspace_id, endpoint_id, kind, idempotency_id, topic, lead_id, payload,
        next_attempt_at, created_at)
      select ${workspaceId}, r.endpoint_id, r.kind, r.id, ${n.topic}, ${n.leadId}, r.payload, ${createdAt}, ${createdAt}
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(endpoint_id bigint, kind text, id text, payload jsonb)
      on conflict (idempotency_id) do nothing`.execute(tx)
  return Number(written.numAffectedRows ?? 0)
}

function slackOf(n: Notification): Record<string, unknown> {
  if (n.brief) return { ...renderBriefSlackBlocks(n.brief.brief, n.brief.links) }
  const text = `${n.title}\n${n.lines.join('\n')}`
  return {
    text: escapeSlack(n.title),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: n.title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(text).slice(0, 3000) } },
    ],
  }
}

function emailOf(n: Notification, to: string): Record<string, unknown> {
  if (n.brief) return { to, ...renderBriefEmail(n.brief.brief, n.brief.links) }
  return {
    to,
    subject: n.title,
    text: [n.title, '', ...n.lines].join('\n'),
    html: `<p><strong>${escapeHtml(n.title)}</strong></p>${n.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}`,
  }
}
