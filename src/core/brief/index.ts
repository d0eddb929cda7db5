// The handoff brief (pure): from a lead snapshot to a deterministic brief, and its renderings for text, Markdown,
// Slack Block Kit and email. Anyone may import this folder; it imports only ../calendar and temporal-polyfill.
// The optional LLM rewrite lives in src/notify/llm-rewrite.ts (it does I/O) and falls back to these renderings.

export type { Brief, BriefEvent, BriefFacts, BriefInput, BriefPropertyValue, BriefTrigger } from './brief-types.ts'
export { buildBrief, MAX_CONTENT_LINES, MAX_TIMELINE_LINES } from './build-brief.ts'
export { escapeHtml, escapeMarkdown, escapeSlack, toSingleLine } from './escape.ts'
export { formatLocalInstant } from './format-brief-time.ts'
export {
  type BriefEmail,
  type BriefLinks,
  renderBriefEmail,
  renderBriefMarkdown,
  renderBriefSlackBlocks,
  renderBriefText,
  type SlackMessage,
} from './render-brief.ts'
