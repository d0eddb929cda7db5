import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { SMTPServer } from 'smtp-server'
import { makeBriefInput } from '../core/brief/brief-fixture.ts'
import { buildBrief, renderBriefEmail, renderBriefSlackBlocks } from '../core/brief/index.ts'
import {
  classifyDeliveryFailure,
  decideAfterDelivery,
  generateWebhookSecret,
  verifyWebhook,
} from '../core/notify/index.ts'
import { findClosedPort, startLocalHttpSink } from './local-http-sink.ts'
import { sendEmail } from './send-email.ts'
import { sendSlack } from './send-slack.ts'
import { sendWebhook } from './send-webhook.ts'
import { validateEndpointUrl } from './validate-endpoint-url.ts'

const brief = buildBrief(makeBriefInput(), { now: Date.parse('2026-11-23T13:00:00Z') })
const links = {
  leadUrl: 'http://127.0.0.1/leads/lead_42',
  actions: { acceptUrl: 'http://127.0.0.1/leads/lead_42?a=accept' },
}
const SECRET = generateWebhookSecret((n) => new Uint8Array(n).map((_, i) => (i * 37) % 256))
const OTHER_SECRET = generateWebhookSecret((n) => new Uint8Array(n).fill(9))

describe('validateEndpointUrl', () => {
  test('http and https are accepted; ftp, file, javascript and relative URLs are refused with the reason', () => {
    assert.equal(validateEndpointUrl('https://hooks.slack.com/services/T/B/X').kind, 'valid')
    assert.equal(validateEndpointUrl('http://127.0.0.1:8080/hook').kind, 'valid')
    const ftp = validateEndpointUrl('ftp://example.com/hook')
    assert.deepEqual(ftp, {
      kind: 'invalid',
      reason: 'endpoint URL must use http or https, not ftp: (ftp://example.com/hook)',
    })
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', '/relative/path', ''])
      assert.equal(validateEndpointUrl(url).kind, 'invalid', url)
  })

  test('a non-http URL is refused by every sender before any I/O, as a permanent failure', async () => {
    const r = await sendSlack('file:///etc/passwd', { text: 'x' }, { timeoutMs: 1000, idempotencyId: 'n1' })
    assert.equal(r.ok, false)
    assert.equal(!r.ok && r.failure.kind === 'error' && r.failure.code, 'invalid_endpoint')
    assert.equal(!r.ok && classifyDeliveryFailure(r.failure).kind, 'permanent')
  })
})

describe('sendSlack', () => {
  test('a local sink receives the Block Kit payload as JSON with the idempotency header', async () => {
    const sink = await startLocalHttpSink(() => ({ status: 200, body: 'ok' }))
    try {
      const payload = renderBriefSlackBlocks(brief, links)
      const r = await sendSlack(`${sink.url}/services/T1/B1/xyz`, payload, { timeoutMs: 5000, idempotencyId: 'ntf_81' })
      assert.equal(r.ok, true)
      assert.equal(r.status, 200)
      assert.equal(sink.requests.length, 1)
      const req = sink.requests[0]!
      assert.equal(req.method, 'POST')
      assert.equal(req.path, '/services/T1/B1/xyz')
      assert.equal(req.headers['x-accord-idempotency-id'], 'ntf_81')
      assert.match(String(req.headers['content-type']), /^application\/json/)
      assert.deepEqual(JSON.parse(req.body), JSON.parse(JSON.stringify(payload)))
    } finally {
      await sink.close()
    }
  })

  test('a 429 with Retry-After is retryable and the retry waits at least that long', async () => {
    const sink = await startLocalHttpSink(() => ({
      status: 429,
      headers: { 'retry-after': '30' },
      body: 'rate_limited',
    }))
    try {
      const r = await sendSlack(sink.url, { text: 'x' }, { timeoutMs: 5000, idempotencyId: 'n2' })
      assert.equal(!r.ok && r.retryAfterMs, 30_000)
      const d = decideAfterDelivery({ result: r, attempt: 1, now: 0, random: () => 0 })
      assert.ok(d.kind === 'retry' && d.at >= 30_000)
    } finally {
      await sink.close()
    }
  })
})

describe('sendWebhook', () => {
  test('the receiver verifies the signature with the endpoint secret, and a wrong secret fails', async () => {
    const sink = await startLocalHttpSink(() => ({ status: 204 }))
    try {
      const payload = JSON.stringify({ type: 'lead.handed_off', brief })
      const timestamp = Math.floor(Date.now() / 1000)
      const r = await sendWebhook({
        url: `${sink.url}/hooks/accord`,
        secret: SECRET,
        id: 'ntf_82',
        payload,
        timestamp,
        timeoutMs: 5000,
      })
      assert.deepEqual([r.ok, r.status], [true, 204])
      const req = sink.requests[0]!
      assert.equal(req.headers['webhook-id'], 'ntf_82')
      assert.equal(req.headers['webhook-timestamp'], String(timestamp))
      assert.match(String(req.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/)
      assert.equal(req.headers['content-type'], 'application/json')
      assert.equal(req.body, payload)
      const now = timestamp * 1000
      assert.deepEqual(verifyWebhook(req.headers, req.body, SECRET, { now }), { kind: 'valid' })
      const wrong = verifyWebhook(req.headers, req.body, OTHER_SECRET, { now })
      assert.equal(wrong.kind === 'invalid' && wrong.code, 'no_matching_signature')
      const stale = verifyWebhook(req.headers, req.body, SECRET, { now: now + 301_000 })
      assert.equal(stale.kind === 'invalid' && stale.code, 'too_old')
    } finally {
      await sink.close()
    }
  })

  test('a 500 is retryable and a 400 is permanent', async () => {
    let status = 500
    const sink = await startLocalHttpSink(() => ({ status, body: status === 400 ? 'bad payload' : 'boom' }))
    try {
      const args = {
        url: sink.url,
        secret: SECRET,
        id: 'ntf_83',
        payload: '{}',
        timestamp: 1_800_000_000,
        timeoutMs: 5000,
      }
      const r500 = await sendWebhook(args)
      assert.equal(r500.ok, false)
      assert.equal(r500.status, 500)
      assert.equal(!r500.ok && classifyDeliveryFailure(r500.failure).kind, 'retryable')
      status = 400
      const r400 = await sendWebhook(args)
      assert.equal(!r400.ok && classifyDeliveryFailure(r400.failure).kind, 'permanent')
      assert.match(r400.detail, /HTTP 400 bad payload/)
      assert.equal(decideAfterDelivery({ result: r400, attempt: 1, now: 0, random: () => 0 }).kind, 'dead')
    } finally {
      await sink.close()
    }
  })

  test('a redirect is not followed and is permanent', async () => {
    const sink = await startLocalHttpSink(() => ({
      status: 302,
      headers: { location: 'http://127.0.0.1:1/elsewhere' },
    }))
    try {
      const r = await sendWebhook({
        url: sink.url,
        secret: SECRET,
        id: 'n',
        payload: '{}',
        timestamp: 1,
        timeoutMs: 5000,
      })
      assert.equal(r.status, 302)
      assert.equal(!r.ok && classifyDeliveryFailure(r.failure).kind, 'permanent')
      assert.equal(sink.requests.length, 1)
    } finally {
      await sink.close()
    }
  })

  test('a refused connection is retryable', async () => {
    const port = await findClosedPort()
    const r = await sendWebhook({
      url: `http://127.0.0.1:${port}/`,
      secret: SECRET,
      id: 'n',
      payload: '{}',
      timestamp: 1,
      timeoutMs: 5000,
    })
    assert.equal(!r.ok && r.failure.kind === 'error' && r.failure.code, 'connection_refused')
    assert.equal(!r.ok && classifyDeliveryFailure(r.failure).kind, 'retryable')
  })

  test('a receiver slower than the timeout is a retryable timeout', async () => {
    const sink = await startLocalHttpSink(() => ({ status: 200, delayMs: 2000 }))
    try {
      const r = await sendWebhook({
        url: sink.url,
        secret: SECRET,
        id: 'n',
        payload: '{}',
        timestamp: 1,
        timeoutMs: 150,
      })
      assert.equal(!r.ok && r.failure.kind === 'error' && r.failure.code, 'timeout')
      assert.equal(!r.ok && classifyDeliveryFailure(r.failure).kind, 'retryable')
    } finally {
      await sink.close()
    }
  })

  test('a malformed secret is a permanent failure, not a throw', async () => {
    const r = await sendWebhook({
      url: 'http://127.0.0.1:1/',
      secret: 'whsec_!!',
      id: 'n',
      payload: '{}',
      timestamp: 1,
      timeoutMs: 100,
    })
    assert.equal(!r.ok && r.failure.kind === 'error' && r.failure.code, 'invalid_endpoint')
  })
})

describe('sendEmail', () => {
  type Received = { from: string; to: string[]; raw: string }
  const received: Received[] = []
  let server: SMTPServer
  let port = 0

  before(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@')) {
          const error = Object.assign(new Error('no such user'), { responseCode: 550 })
          return callback(error)
        }
        if (address.address.startsWith('busy@')) {
          const error = Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 })
          return callback(error)
        }
        callback()
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          })
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.server.address() as { port: number }).port
  })

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  test('a local SMTP server receives the brief with its subject, idempotency header and Message-ID', async () => {
    const email = renderBriefEmail(brief, links)
    const r = await sendEmail(
      { host: '127.0.0.1', port, secure: false, timeoutMs: 5000 },
      { from: 'Accord <accord@example.com>', to: 'sam@example.com', ...email, idempotencyId: 'ntf_84' },
    )
    assert.equal(r.ok, true, r.detail)
    assert.equal(r.ok && r.messageId, '<ntf_84@example.com>')
    const mail = received.at(-1)!
    assert.equal(mail.from, 'accord@example.com')
    assert.deepEqual(mail.to, ['sam@example.com'])
    // Header names are case-insensitive (nodemailer writes X-Accord-Idempotency-ID); lines end in CRLF.
    assert.match(mail.raw, /^X-Accord-Idempotency-Id: ntf_84\r?$/im)
    assert.match(mail.raw, /^Message-ID: <ntf_84@example\.com>\r?$/im)
    // The subject holds non-ASCII (—, ·) so it is MIME-encoded; decode it to compare.
    const subjectLine = /^Subject: ((?:.*\r?\n[ \t].*)*.*)$/m.exec(mail.raw)?.[1] ?? ''
    const decoded = subjectLine
      .replace(/\r?\n[ \t]/g, ' ')
      .replace(/=\?utf-8\?Q\?([^?]*)\?=\s*/gi, (_m, q: string) =>
        Buffer.from(
          q
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
      )
      .trim()
    assert.equal(decoded, email.subject)
    assert.match(mail.raw, /Content-Type: text\/html/)
  })

  test('a recipient refused with 550 is permanent; with 451 is retryable', async () => {
    const base = { from: 'accord@example.com', subject: 's', text: 't', idempotencyId: 'n' }
    const r550 = await sendEmail({ host: '127.0.0.1', port, secure: false }, { ...base, to: 'nobody@example.com' })
    assert.equal(!r550.ok && r550.failure.kind, 'smtp')
    assert.equal(!r550.ok && classifyDeliveryFailure(r550.failure).kind, 'permanent')
    const r451 = await sendEmail({ host: '127.0.0.1', port, secure: false }, { ...base, to: 'busy@example.com' })
    assert.equal(!r451.ok && classifyDeliveryFailure(r451.failure).kind, 'retryable')
  })

  test('an SMTP server that is not listening is a retryable refused connection', async () => {
    const closed = await findClosedPort()
    const r = await sendEmail(
      { host: '127.0.0.1', port: closed, secure: false, timeoutMs: 2000 },
      { from: 'accord@example.com', to: 'sam@example.com', subject: 's', text: 't', idempotencyId: 'n' },
    )
    assert.equal(!r.ok && r.failure.kind === 'error' && r.failure.code, 'connection_refused')
    assert.equal(!r.ok && classifyDeliveryFailure(r.failure).kind, 'retryable')
  })
})
