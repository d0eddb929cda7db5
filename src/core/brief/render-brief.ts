// One brief, four renderings: plain text (logs, LLM prompt, email text part), Markdown (API / dashboard), Slack
// Block Kit (incoming webhooks) and email (subject, text, HTML). Each escapes every brief string for its medium;
// URLs come from Accord's own configuration, not from the lead, but are escaped all the same.

import type { Brief } from './brief-types.ts'
import { escapeHtml, escapeMarkdown, escapeSlack, toSingleLine } from './escape.ts'

/** Links a rep acts on. `leadUrl` opens the lead in the dashboard; the others open it with the action chosen. */
export type BriefLinks = {
  readonly leadUrl: string
  readonly actions?: {
    readonly acceptUrl?: string
    readonly rejectUrl?: string
    readonly recycleUrl?: string
  }
}

type Section = { readonly title: string; readonly lines: readonly string[] }

function sections(brief: Brief): Section[] {
  const out: Section[] = [
    { title: 'Who', lines: [brief.who] },
    { title: 'Company', lines: [brief.company] },
    { title: 'Trigger', lines: [brief.trigger] },
    { title: 'What they did', lines: brief.whatTheyDid.length > 0 ? brief.whatTheyDid : ['No recorded activity'] },
  ]
  if (brief.contentEngaged.length > 0) out.push({ title: 'Content engaged', lines: brief.contentEngaged })
  out.push({ title: 'ICP criteria met', lines: brief.icpMatched.length > 0 ? brief.icpMatched : ['None recorded'] })
  out.push({ title: `Why ${brief.owner}`, lines: brief.whyThisRep })
  out.push({ title: 'Due', lines: [brief.due ?? 'No SLA clock'] })
  out.push({ title: 'Suggested opener', lines: [brief.suggestedOpener] })
  return out
}

function actionList(links: BriefLinks): { label: string; url: string; style?: 'primary' | 'danger' }[] {
  const a = links.actions ?? {}
  const list: { label: string; url: string; style?: 'primary' | 'danger' }[] = [
    { label: 'Open lead', url: links.leadUrl, style: 'primary' },
  ]
  if (a.acceptUrl) list.push({ label: 'Accept', url: a.acceptUrl })
  if (a.rejectUrl) list.push({ label: 'Reject', url: a.rejectUrl, style: 'danger' })
  if (a.recycleUrl) list.push({ label: 'Recycle', url: a.recycleUrl })
  return list
}

function footer(brief: Brief): string {
  return `${brief.scores} · lead ${brief.leadId} · Agreement ${brief.agreementVersion.replace(/^[a-z0-9-]+:/, '').slice(0, 12)}`
}

/**
 * Plain text, one section per paragraph.
 * @example renderBriefText(brief).split('\n')[0] // 'Hot lead: Dana Reyes (VP Engineering, Acme Health) requested a demo'
 */
export function renderBriefText(brief: Brief): string {
  const body = sections(brief).map((s) =>
    s.lines.length === 1 ? `${s.title}: ${s.lines[0]}` : `${s.title}:\n${s.lines.map((l) => `  - ${l}`).join('\n')}`,
  )
  return [brief.headline, '', ...body.join('\n\n').split('\n'), '', footer(brief)].join('\n')
}

/**
 * CommonMark with every brief string escaped.
 * @example renderBriefMarkdown(brief).startsWith('### Hot lead: Dana Reyes') // true
 */
export function renderBriefMarkdown(brief: Brief): string {
  const parts = [`### ${escapeMarkdown(brief.headline)}`]
  for (const s of sections(brief)) {
    if (s.title === 'Suggested opener')
      parts.push(`**${escapeMarkdown(s.title)}**\n\n> ${escapeMarkdown(s.lines[0] ?? '')}`)
    else if (s.lines.length === 1) parts.push(`**${escapeMarkdown(s.title)}**\n\n${escapeMarkdown(s.lines[0] ?? '')}`)
    else parts.push(`**${escapeMarkdown(s.title)}**\n\n${s.lines.map((l) => `- ${escapeMarkdown(l)}`).join('\n')}`)
  }
  parts.push(`_${escapeMarkdown(footer(brief))}_`)
  return `${parts.join('\n\n')}\n`
}

// Slack Block Kit limits (api.slack.com/reference/block-kit): header text 150 characters, section text 3,000,
// section field 2,000, button text 75, button URL 3,000. Longer values are cut with an ellipsis, never rejected.
const SLACK_HEADER_MAX = 150
const SLACK_TEXT_MAX = 3000
const SLACK_FIELD_MAX = 2000

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`
}

/** Cuts escaped mrkdwn without leaving half an entity ('&am…') at the end. */
function cutEscaped(s: string, max: number): string {
  if (s.length <= max) return s
  return `${s.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '')}…`
}

/** A Slack message body for an incoming webhook: `text` is the notification fallback, `blocks` the message. */
export type SlackMessage = { readonly text: string; readonly blocks: readonly Record<string, unknown>[] }

/**
 * Block Kit: header, key facts as fields, one section per list, the opener as a quote, a context footer, and link
 * buttons into the dashboard. Every brief string is mrkdwn-escaped (&, <, >) before it is cut to Slack's limits.
 * @example renderBriefSlackBlocks(brief, { leadUrl: 'https://accord.example/leads/42', actions: { acceptUrl: '…' } })
 */
export function renderBriefSlackBlocks(brief: Brief, links: BriefLinks): SlackMessage {
  const md = (s: string, max: number) => cutEscaped(escapeSlack(s), max)
  const list = (title: string, lines: readonly string[]) => ({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: cutEscaped(`*${title}*\n${lines.map((l) => `• ${escapeSlack(l)}`).join('\n')}`, SLACK_TEXT_MAX),
    },
  })
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(brief.headline, SLACK_HEADER_MAX), emoji: false } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Who*\n${md(brief.who, SLACK_FIELD_MAX - 10)}` },
        { type: 'mrkdwn', text: `*Company*\n${md(brief.company, SLACK_FIELD_MAX - 12)}` },
        { type: 'mrkdwn', text: `*Due*\n${md(brief.due ?? 'No SLA clock', SLACK_FIELD_MAX - 10)}` },
        { type: 'mrkdwn', text: `*Scores*\n${md(brief.scores, SLACK_FIELD_MAX - 12)}` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*Trigger*\n${md(brief.trigger, SLACK_TEXT_MAX - 12)}` } },
    list('What they did', brief.whatTheyDid.length > 0 ? brief.whatTheyDid : ['No recorded activity']),
  ]
  if (brief.contentEngaged.length > 0) blocks.push(list('Content engaged', brief.contentEngaged))
  if (brief.icpMatched.length > 0) blocks.push(list('ICP criteria met', brief.icpMatched))
  blocks.push(list(`Why ${escapeSlack(brief.owner)}`, brief.whyThisRep))
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: `*Suggested opener*\n>${md(brief.suggestedOpener, SLACK_TEXT_MAX - 24)}` },
  })
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: md(footer(brief), SLACK_FIELD_MAX) }] })
  blocks.push({
    type: 'actions',
    block_id: 'accord_lead_actions',
    elements: actionList(links).map((a) => ({
      type: 'button',
      text: { type: 'plain_text', text: a.label, emoji: false },
      url: a.url,
      action_id: `accord_${a.label.toLowerCase().replace(/\s+/g, '_')}`,
      value: brief.leadId,
      ...(a.style ? { style: a.style } : {}),
    })),
  })
  const fallback = `${brief.headline}${brief.due ? ` — due ${brief.due}` : ''}`
  return { text: escapeSlack(fallback), blocks }
}

export type BriefEmail = { readonly subject: string; readonly text: string; readonly html: string }

/**
 * Subject (one line), a text part and an HTML part (every brief string escaped; links as buttons).
 * @example renderBriefEmail(brief, { leadUrl }).subject // 'Hot lead: Dana Reyes (…) requested a demo — due Mon 23 Nov, 09:30 EST (1 business hour)'
 */
export function renderBriefEmail(brief: Brief, links: BriefLinks): BriefEmail {
  const subject = toSingleLine(`${brief.headline}${brief.due ? ` — due ${brief.due}` : ''}`)
  const actions = actionList(links)
  const text = [renderBriefText(brief), '', ...actions.map((a) => `${a.label}: ${a.url}`)].join('\n')
  const e = escapeHtml
  const htmlSections = sections(brief)
    .map((s) => {
      const body =
        s.title === 'Suggested opener'
          ? `<blockquote style="margin:0;padding-left:12px;border-left:3px solid #ccc">${e(s.lines[0] ?? '')}</blockquote>`
          : s.lines.length === 1
            ? `<p style="margin:0">${e(s.lines[0] ?? '')}</p>`
            : `<ul style="margin:0;padding-left:20px">${s.lines.map((l) => `<li>${e(l)}</li>`).join('')}</ul>`
      return `<h3 style="margin:16px 0 4px;font-size:14px">${e(s.title)}</h3>${body}`
    })
    .join('\n')
  const buttons = actions
    .map(
      (a) =>
        `<a href="${e(a.url)}" style="display:inline-block;margin-right:8px;padding:8px 14px;border-radius:4px;text-decoration:none;background:${a.style === 'primary' ? '#1d4ed8;color:#fff' : a.style === 'danger' ? '#b91c1c;color:#fff' : '#e5e7eb;color:#111'}">${e(a.label)}</a>`,
    )
    .join('')
  const html = [
    '<!doctype html>',
    '<html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#111">',
    `<h2 style="font-size:18px;margin:0 0 8px">${e(brief.headline)}</h2>`,
    htmlSections,
    `<p style="margin:20px 0">${buttons}</p>`,
    `<p style="color:#666;font-size:12px">${e(footer(brief))}</p>`,
    '</body></html>',
  ].join('\n')
  return { subject, text, html }
}
