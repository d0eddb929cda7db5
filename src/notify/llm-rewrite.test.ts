import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { makeBriefInput } from '../core/brief/brief-fixture.ts'
import { buildBrief, renderBriefText } from '../core/brief/index.ts'
import { rewriteBrief } from './llm-rewrite.ts'
import { findClosedPort, type LocalHttpSink, type SinkRequest, startLocalHttpSink } from './local-http-sink.ts'

const brief = buildBrief(makeBriefInput(), { now: Date.parse('2026-11-23T13:00:00Z') })
const template = renderBriefText(brief)

const GOOD =
  'Dana Reyes, VP Engineering at Acme Health (Healthcare, 450 people), fired demo_request on Thursday after ' +
  'downloading the HIPAA compliance guide. Fit 72, intent 85. Due Mon 23 Nov, 09:30 EST. Opener: "Hi Dana, saw ' +
  'you requested a demo on Thursday after reading our HIPAA guide — 15 minutes this week?"'

function completion(content: string) {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  })
}

describe('rewriteBrief against a local chat-completions server', () => {
  let sink: LocalHttpSink
  // Each test picks the server's behaviour by model name, so one server serves them all.
  const replies: Record<string, () => { status: number; body?: string; delayMs?: number }> = {
    good: () => ({ status: 200, body: completion(GOOD) }),
    broken: () => ({ status: 500, body: '{"error":{"message":"overloaded"}}' }),
    slow: () => ({ status: 200, body: completion(GOOD), delayMs: 2000 }),
    'drops-company': () => ({ status: 200, body: completion(GOOD.replaceAll('Acme Health', 'the company')) }),
    'not-json': () => ({ status: 200, body: '<html>proxy error</html>' }),
    'no-choices': () => ({ status: 200, body: '{"object":"chat.completion","choices":[]}' }),
    'adds-link': () => ({ status: 200, body: completion(`${GOOD} Book here: https://evil.example/login`) }),
  }

  before(async () => {
    sink = await startLocalHttpSink((req: SinkRequest) => {
      const model = (JSON.parse(req.body) as { model: string }).model
      const reply = replies[model]?.() ?? { status: 404 }
      return { ...reply, headers: { 'content-type': 'application/json' } }
    })
  })

  after(async () => {
    await sink.close()
  })

  const config = (model: string, timeoutMs = 5000) => ({ url: `${sink.url}/v1`, model, apiKey: 'sk-test', timeoutMs })

  test('a rewrite that keeps every fact is used, and the request has the chat-completions shape', async () => {
    const r = await rewriteBrief(brief, config('good'))
    assert.deepEqual(r, { kind: 'rewritten', text: GOOD, model: 'good' })
    const req = sink.requests.at(-1)!
    assert.equal(req.method, 'POST')
    assert.equal(req.path, '/v1/chat/completions')
    assert.equal(req.headers.authorization, 'Bearer sk-test')
    const body = JSON.parse(req.body) as { model: string; messages: { role: string; content: string }[] }
    assert.deepEqual(
      body.messages.map((m) => m.role),
      ['system', 'user'],
    )
    assert.equal(body.messages[1]?.content, template)
    for (const value of Object.values(brief.facts)) assert.ok(body.messages[0]?.content.includes(value), value)
  })

  test('an HTTP 500 falls back to the template', async () => {
    const r = await rewriteBrief(brief, config('broken'))
    assert.deepEqual(r, { kind: 'template', text: template, reason: 'HTTP 500 from the model endpoint' })
  })

  test('a server slower than the timeout falls back to the template', async () => {
    const r = await rewriteBrief(brief, config('slow', 150))
    assert.deepEqual(r, { kind: 'template', text: template, reason: 'timeout: no response within 150 ms' })
  })

  test('a reply that drops the company name falls back to the template, naming the fact', async () => {
    const r = await rewriteBrief(brief, config('drops-company'))
    assert.equal(r.kind, 'template')
    assert.equal(r.kind === 'template' && r.reason, 'the rewrite dropped required fact company ("Acme Health")')
  })

  test('malformed JSON and a reply without choices fall back to the template', async () => {
    const notJson = await rewriteBrief(brief, config('not-json'))
    assert.equal(notJson.kind === 'template' && notJson.reason, 'the model endpoint returned malformed JSON')
    const empty = await rewriteBrief(brief, config('no-choices'))
    assert.equal(empty.kind === 'template' && empty.reason, 'the answer has no choices[0].message.content string')
  })

  test('a rewrite that adds a link the brief did not have falls back to the template', async () => {
    const r = await rewriteBrief(brief, config('adds-link'))
    assert.equal(
      r.kind === 'template' && r.reason,
      'the rewrite added a link not in the brief: https://evil.example/login',
    )
  })

  test('an unreachable endpoint and a non-http URL fall back to the template', async () => {
    const port = await findClosedPort()
    const refused = await rewriteBrief(brief, { url: `http://127.0.0.1:${port}/v1`, model: 'good', timeoutMs: 2000 })
    assert.match(refused.kind === 'template' ? refused.reason : '', /^connection_refused/)
    const ftp = await rewriteBrief(brief, { url: 'ftp://127.0.0.1/v1', model: 'good', timeoutMs: 2000 })
    assert.match(ftp.kind === 'template' ? ftp.reason : '', /must use http or https/)
  })
})
