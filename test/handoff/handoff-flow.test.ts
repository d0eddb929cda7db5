import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { SMTPServer } from 'smtp-server'
import { formatInZone } from '../../src/core/calendar/index.ts'
import { verifyWebhook } from '../../src/core/notify/index.ts'
import { deliverOutbox } from '../../src/handoff/deliver-outbox.ts'
import { type LocalHttpSink, startLocalHttpSink } from '../../src/notify/local-http-sink.ts'
import { createHandoffApp, demoRequest, type HandoffTestApp, seedAccounts } from '../helpers/handoff.ts'

const ny = (ms: number | string) => formatInZone(typeof ms === 'string' ? Date.parse(ms) : ms, 'America/New_York')

describe('handoff end to end', () => {
  let t: HandoffTestApp
  let webhook: LocalHttpSink
  let slack: LocalHttpSink
  let smtp: SMTPServer
  const mails: { to: string; body: string }[] = []
  let secret = ''
  const dana = 'dana@acme-health-0.com'

  before(async () => {
    t = await createHandoffApp()
    webhook = await startLocalHttpSink(() => ({ status: 200, body: 'ok' }))
    slack = await startLocalHttpSink(() => ({ status: 200, body: 'ok' }))
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let body = ''
        stream.on('data', (c: Buffer) => {
          body += c.toString('utf8')
        })
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), body })
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
    const port = (smtp.server.address() as AddressInfo).port
    t.ctx.config = { ...t.ctx.config, smtpUrl: `smtp://127.0.0.1:${port}?from=Accord%20<accord@northwind.io>` }
    await seedAccounts(t, ['acme-health-0.com', 'acme-health-1.com'])
    const hook = await t.app.inject({
      method: 'POST',
      url: '/v1/endpoints',
      headers: t.auth('admin'),
      payload: { kind: 'webhook', name: 'CRM', url: `${webhook.url}/accord` },
    })
    assert.equal(hook.statusCode, 201, hook.body)
    secret = hook.json().secret
    for (const payload of [
      { kind: 'slack', name: '#sdr-na-east', url: `${slack.url}/services/T0/B0/x`, team: 'na_east_sdr' },
      { kind: 'email', name: 'Email the rep', topics: ['lead.handed_off', 'sla.warning'] },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/endpoints', headers: t.auth('admin'), payload })
      assert.equal(res.statusCode, 201, res.body)
    }
  })
  after(async () => {
    await webhook.close()
    await slack.close()
    await new Promise<void>((resolve) => smtp.close(() => resolve()))
    await t.close()
  })

  test('a demo request on Friday 16:30 New York reaches the rep signed, with the brief, due Monday 09:30', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: { events: [demoRequest('e2e-1', dana, '2026-11-20T21:29:00Z')] },
    })
    assert.equal(res.statusCode, 200, res.body)

    const assignment = await t.app.inject({ url: `/v1/leads/${dana}/assignment`, headers: t.auth('sales') })
    const current = assignment.json().current
    assert.equal(current.rep_id, 'ana_ruiz', 'the first turn of na_east (2:1:1) goes to Ana')
    assert.equal(current.rule, 'Everyone else')
    assert.ok(
      current.explanation.some((l: string) => /Ivan Petrov.*inactive/i.test(l) && /Omar Diaz.*out of office/i.test(l)),
      current.explanation.join('\n'),
    )

    const sla = (await t.app.inject({ url: `/v1/leads/${dana}/sla`, headers: t.auth('sales') })).json()
    const clock = sla.clocks[0]
    assert.equal(clock.status, 'running')
    assert.equal(clock.calendar, 'new_york')
    assert.equal(ny(clock.started_at), '2026-11-20T16:30:00-05:00')
    assert.equal(ny(clock.due_at), '2026-11-23T09:30:00-05:00')
    assert.equal(ny(clock.warn_at), '2026-11-23T09:15:00-05:00')
    assert.deepEqual(
      clock.timers.map((x: { key: string }) => x.key),
      ['warn', 'breach', 'escalation:0', 'escalation:1', 'escalation:2'],
    )

    let round = await deliverOutbox(t.ctx)
    assert.equal(round.claimed, 3, 'webhook, Slack and email')
    assert.equal(round.delivered, 3, JSON.stringify(round))
    round = await deliverOutbox(t.ctx)
    assert.equal(round.claimed, 0, 'nothing delivered twice')

    assert.equal(webhook.requests.length, 1)
    const req = webhook.requests[0]!
    const verified = verifyWebhook(req.headers as Record<string, string>, req.body, secret, { now: Date.now() })
    assert.equal(verified.kind, 'valid', JSON.stringify(verified))
    const body = JSON.parse(req.body)
    assert.equal(body.type, 'lead.handed_off')
    assert.equal(body.id, req.headers['webhook-id'])
    assert.equal(body.data.rep_id, 'ana_ruiz')
    assert.match(body.data.brief.headline, /^Hot lead: Dana Reyes \(CISO, Acme Health 0\) requested a demo/)
    assert.equal(body.data.brief.due, 'Mon 23 Nov, 09:30 EST (1 business hour)')
    assert.ok(body.data.brief.whyThisRep.length > 0)
    assert.equal(body.data.due_at, '2026-11-23T14:30:00.000Z')

    assert.equal(slack.requests.length, 1)
    const blocks = JSON.parse(slack.requests[0]!.body)
    assert.ok(Array.isArray(blocks.blocks) && blocks.blocks.some((b: { type: string }) => b.type === 'header'))
    assert.match(blocks.text, /Dana Reyes/)

    assert.equal(mails.length, 1)
    assert.equal(mails[0]!.to, 'ana.ruiz@northwind.io')
    assert.match(mails[0]!.body, /Subject: =\?UTF-8\?Q\?Hot_lead=3A_Dana_Reyes/)
    assert.match(mails[0]!.body, /Message-ID: <ntf_[0-9a-f]{32}@northwind\.io>/)
  })

  test('the brief is readable over the API', async () => {
    const res = await t.app.inject({ url: `/v1/leads/${dana}/brief`, headers: t.auth('sales') })
    assert.equal(res.statusCode, 200, res.body)
    assert.match(res.json().markdown, /Suggested opener/)
    assert.equal(res.json().brief.owner, 'Ana Ruiz')
  })

  test("a rep key cannot touch someone else's lead, and nothing is written", async () => {
    const ben = await t.repKey('ben_cho')
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/leads/${dana}/touch`,
      headers: { authorization: `Bearer ${ben}` },
      payload: { channel: 'call' },
    })
    assert.equal(res.statusCode, 403, res.body)
    assert.match(res.json().error.message, /owned by ana_ruiz; a rep key acts only on its own leads/)
    const activities = await t.ctx.db.selectFrom('lead_activity').select('id').execute()
    assert.equal(activities.length, 0)
  })

  test('accepting before the first touch is refused; a disposition needs a listed reason and a required note', async () => {
    const ana = await t.repKey('ana_ruiz')
    const post = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/leads/${dana}/disposition`,
        headers: { authorization: `Bearer ${ana}` },
        payload,
      })
    const early = await post({ outcome: 'accept', reason_code: 'qualified_meeting_booked' })
    assert.equal(early.statusCode, 409, early.body)
    const unknown = await post({ outcome: 'reject', reason_code: 'too_expensive' })
    assert.equal(unknown.statusCode, 422)
    assert.equal(unknown.json().error.issues[0].path, 'reason_code')
    assert.match(unknown.json().error.message, /use one of wrong_industry, too_small/)
    const missing = await post({ outcome: 'reject' })
    assert.equal(missing.statusCode, 422)
    const noNote = await post({ outcome: 'reject', reason_code: 'other' })
    assert.equal(noNote.statusCode, 422)
    assert.equal(noNote.json().error.issues[0].path, 'note')
    assert.equal((await t.ctx.db.selectFrom('disposition').select('id').execute()).length, 0)
  })

  test('the first touch by the owner on Monday 09:20 meets the clock; then she accepts the lead (SAL)', async () => {
    t.setNow('2026-11-23T14:20:00Z')
    const ana = await t.repKey('ana_ruiz')
    const queue = await t.app.inject({ url: '/v1/queue', headers: { authorization: `Bearer ${ana}` } })
    assert.equal(queue.json().leads[0].email, dana)
    assert.equal(queue.json().leads[0].sla_status, 'running')
    const touch = await t.app.inject({
      method: 'POST',
      url: `/v1/leads/${dana}/touch`,
      headers: { authorization: `Bearer ${ana}` },
      payload: { channel: 'call', note: 'Left a voicemail, then reached her' },
    })
    assert.equal(touch.statusCode, 200, touch.body)
    assert.equal(touch.json().clock.status, 'met')
    assert.equal(touch.json().clock.late, false)
    const sla = (await t.app.inject({ url: `/v1/leads/${dana}/sla`, headers: t.auth('sales') })).json()
    assert.equal(sla.clocks[0].status, 'met')
    assert.ok(sla.clocks[0].timers.every((x: { fired_at: string | null }) => x.fired_at !== null))
    const accept = await t.app.inject({
      method: 'POST',
      url: `/v1/leads/${dana}/disposition`,
      headers: { authorization: `Bearer ${ana}` },
      payload: { outcome: 'accept', reason_code: 'qualified_meeting_booked' },
    })
    assert.equal(accept.statusCode, 200, accept.body)
    assert.equal(accept.json().stage, 'SAL')
    const lead = (await t.app.inject({ url: `/v1/leads/${dana}`, headers: t.auth('sales') })).json()
    assert.equal(lead.stage, 'SAL')
    assert.equal(lead.transitions.at(-1).actor, 'rep:ana_ruiz')
  })

  test('recycling sends the lead to nurture with its re-qualification date; marketing sees every reason', async () => {
    const ben = 'ben@acme-health-1.com'
    await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: { events: [demoRequest('e2e-2', ben, '2026-11-23T14:19:00Z', 'Ben', 'Ode')] },
    })
    const recycle = await t.app.inject({
      method: 'POST',
      url: `/v1/leads/${ben}/disposition`,
      headers: t.auth('sales'),
      payload: { outcome: 'recycle', reason_code: 'not_now', note: 'Budget opens in Q2' },
    })
    assert.equal(recycle.statusCode, 200, recycle.body)
    assert.equal(recycle.json().stage, 'Recycled')
    assert.equal(recycle.json().nurtureUntil, '2027-02-21T14:20:00.000Z')
    const sla = (await t.app.inject({ url: `/v1/leads/${ben}/sla`, headers: t.auth('sales') })).json()
    assert.equal(sla.clocks[0].status, 'cancelled')
    const reasons = (await t.app.inject({ url: '/v1/dispositions', headers: t.auth('marketing') })).json()
    assert.deepEqual(
      reasons.dispositions.map((d: { reason_code: string; campaign: string }) => [d.reason_code, d.campaign]),
      [
        ['not_now', 'q4-compliance'],
        ['qualified_meeting_booked', 'q4-compliance'],
      ],
    )
  })

  test('a webhook endpoint whose URL is not http(s) is refused and nothing is written', async () => {
    const before = await t.ctx.db.selectFrom('notification_endpoint').select('id').execute()
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/endpoints',
      headers: t.auth('admin'),
      payload: { kind: 'webhook', name: 'bad', url: 'ftp://example.com/hook' },
    })
    assert.equal(res.statusCode, 422)
    assert.equal(res.json().error.issues[0].path, 'url')
    assert.match(res.json().error.issues[0].message, /must use http or https, not ftp:/)
    const after = await t.ctx.db.selectFrom('notification_endpoint').select('id').execute()
    assert.equal(after.length, before.length)
  })
})
