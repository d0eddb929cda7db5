import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { makeBriefInput } from './brief-fixture.ts'
import { buildBrief } from './build-brief.ts'
import { renderBriefEmail, renderBriefMarkdown, renderBriefSlackBlocks, renderBriefText } from './render-brief.ts'

const NOW = Date.parse('2026-11-23T13:00:00Z')
const LINKS = {
  leadUrl: 'https://accord.example/leads/lead_42',
  actions: {
    acceptUrl: 'https://accord.example/leads/lead_42?action=accept',
    rejectUrl: 'https://accord.example/leads/lead_42?action=reject',
  },
}

const brief = buildBrief(makeBriefInput(), { now: NOW })

// A lead whose every free-text field is hostile: HTML, Slack control sequences, Markdown links, header injection.
const hostile = buildBrief(
  makeBriefInput({
    person: {
      name: '<script>alert(1)</script> & <!channel>',
      email: 'evil@example.com',
      title: '[click](https://evil.example) *boss*',
      persona: null,
    },
    account: {
      name: 'Evil <b>Corp</b>\r\nBcc: all@example.com',
      domain: 'evil.example',
      industry: null,
      employees: null,
      country: null,
      technologies: [],
    },
    timeline: [
      {
        type: 'page_view',
        at: Date.parse('2026-11-19T18:00:00Z'),
        properties: { path: '/x', title: '<https://evil|Login> <!here>' },
      },
    ],
  }),
  { now: NOW },
)

type Block = {
  type: string
  text?: { type: string; text: string }
  fields?: { text: string }[]
  elements?: Record<string, unknown>[]
}

function allSlackText(blocks: readonly Record<string, unknown>[]): string {
  return JSON.stringify(blocks)
}

describe('renderBriefText', () => {
  test('the text opens with the headline and holds every section', () => {
    const text = renderBriefText(brief)
    assert.equal(text.split('\n')[0], brief.headline)
    for (const heading of [
      'Who:',
      'Company:',
      'Trigger:',
      'What they did:',
      'Content engaged:',
      'ICP criteria met:',
      'Why Sam Lee:',
      'Due: Mon 23 Nov, 09:30 EST (1 business hour)',
      'Suggested opener:',
    ])
      assert.ok(text.includes(heading), heading)
  })

  test('rendering is deterministic', () => {
    assert.equal(renderBriefText(buildBrief(makeBriefInput(), { now: NOW })), renderBriefText(brief))
  })
})

describe('renderBriefMarkdown', () => {
  test('user text cannot inject HTML, links or emphasis', () => {
    const md = renderBriefMarkdown(hostile)
    assert.ok(!md.includes('<script>'))
    assert.ok(!md.includes('<!channel>'))
    assert.ok(md.includes('\\[click\\](https://evil.example) \\*boss\\*'))
    assert.ok(md.includes('&lt;script&gt;'))
  })

  test('the opener is a block quote under its heading', () => {
    assert.ok(
      renderBriefMarkdown(brief).includes(`**Suggested opener**\n\n> ${brief.suggestedOpener.replace(/_/g, '\\_')}`),
    )
  })
})

describe('renderBriefSlackBlocks', () => {
  test('a Block Kit message has a header, fields, sections, a context footer and link buttons', () => {
    const msg = renderBriefSlackBlocks(brief, LINKS)
    const blocks = msg.blocks as unknown as Block[]
    assert.equal(blocks[0]?.type, 'header')
    assert.equal(blocks[0]?.text?.text, brief.headline)
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['header', 'section', 'section', 'section', 'section', 'section', 'section', 'section', 'context', 'actions'],
    )
    const actions = blocks.at(-1)?.elements ?? []
    assert.deepEqual(
      actions.map((e) => [e.type, (e.text as { text: string }).text, e.url]),
      [
        ['button', 'Open lead', LINKS.leadUrl],
        ['button', 'Accept', LINKS.actions.acceptUrl],
        ['button', 'Reject', LINKS.actions.rejectUrl],
      ],
    )
    assert.match(msg.text, /due Mon 23 Nov, 09:30 EST/)
  })

  test('&, < and > from user text are escaped so no mention or forged link survives', () => {
    const msg = renderBriefSlackBlocks(hostile, LINKS)
    const mrkdwn = (msg.blocks as unknown as Block[])
      .flatMap((b) => [b.text?.type === 'mrkdwn' ? b.text.text : '', ...(b.fields ?? []).map((f) => f.text)])
      .join('\n')
    assert.ok(!/<!channel>|<!here>|<https:\/\/evil/.test(mrkdwn))
    assert.ok(mrkdwn.includes('&lt;!channel&gt;'))
    assert.ok(mrkdwn.includes('&amp;'))
    assert.ok(!/<!channel>/.test(msg.text))
  })

  test('very long values are cut to Slack’s limits without splitting an entity', () => {
    const long = buildBrief(
      makeBriefInput({
        person: { name: 'A'.repeat(400), email: 'a@b.c', title: '&'.repeat(3000), persona: null },
        timeline: Array.from({ length: 12 }, (_, i) => ({
          type: 'page_view',
          at: Date.parse('2026-11-19T18:00:00Z') + i,
          properties: { path: `/p${i}`, title: '<'.repeat(400) },
        })),
      }),
      { now: NOW },
    )
    const blocks = renderBriefSlackBlocks(long, LINKS).blocks as unknown as Block[]
    assert.ok((blocks[0]?.text?.text.length ?? 0) <= 150)
    for (const b of blocks) {
      if (b.text?.type === 'mrkdwn') {
        assert.ok(b.text.text.length <= 3000)
        assert.ok(!/&[a-z]{0,3}…$/.test(b.text.text))
      }
      for (const f of b.fields ?? []) assert.ok(f.text.length <= 2000)
    }
    assert.ok(allSlackText(blocks).length > 0)
  })
})

describe('renderBriefEmail', () => {
  test('the subject is one line with the due time, and the text part carries the links', () => {
    const email = renderBriefEmail(brief, LINKS)
    assert.equal(email.subject, `${brief.headline} — due Mon 23 Nov, 09:30 EST (1 business hour)`)
    assert.ok(email.text.includes(`Accept: ${LINKS.actions.acceptUrl}`))
    assert.ok(email.html.includes(`href="${LINKS.leadUrl}"`))
  })

  test('every user string is HTML-escaped and a line break cannot inject a header', () => {
    const email = renderBriefEmail(hostile, LINKS)
    assert.ok(!email.html.includes('<script>'))
    assert.ok(!email.html.includes('<b>Corp</b>'))
    assert.ok(email.html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt;'))
    assert.ok(!/[\r\n]/.test(email.subject))
  })
})
