/**
 * `accord queue`, `accord lead …` and `accord worker`, run as real child processes against a test database. The data
 * is written through the API with the test's clock: three demo requests Friday 20 Nov 2026 16:30 New York (due
 * Monday 09:30), and one at the real present, so its clock is still open when the CLI — which runs on the real
 * clock — pauses and resumes it. Lines that depend on the real present are checked against what the database
 * recorded rather than against fixed text.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { after, before, describe, test } from 'node:test'
import { type LocalHttpSink, startLocalHttpSink } from '../../src/notify/local-http-sink.ts'
import {
  activateAgreement,
  createHandoffApp,
  demoRequest,
  type HandoffTestApp,
  handoffAgreement,
  seedAccounts,
} from '../helpers/handoff.ts'
import { PROJECT_ROOT, runCli } from './run-cli.ts'

const dana = 'dana@acme-health-0.com'
const lee = 'lee@acme-health-1.com'
const eve = 'eve@acme-health-2.com'
const sam = 'sam@acme-health-3.com'

describe('accord lead, queue and worker', () => {
  let t: HandoffTestApp
  let sink: LocalHttpSink
  const ids: Record<string, number> = {}
  const accord = (...args: string[]) => runCli(args, { DATABASE_URL: t.databaseUrl })

  async function demo(id: string, email: string, first: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: { events: [demoRequest(id, email, new Date(t.now() - 60_000).toISOString(), first, 'Reyes')] },
    })
    assert.equal(res.statusCode, 200, res.body)
    const lead = (await t.app.inject({ url: `/v1/leads/${email}`, headers: t.auth('sales') })).json()
    ids[email] = lead.id
  }
  const owner = async (email: string) =>
    (await t.app.inject({ url: `/v1/leads/${email}/assignment`, headers: t.auth('sales') })).json().current?.rep_id

  before(async () => {
    t = await createHandoffApp()
    const friday = t.now()
    // A second later, so this version is signed after the first and replaces it.
    t.setNow(friday + 1000)
    // na_east takes leads at any hour, so the lead handed off at the real present (any day, any time) has an owner.
    await activateAgreement(
      t,
      handoffAgreement().replace(
        '    backup: na_west\n  na_west:',
        '    backup: na_west\n    respect_working_hours: false\n  na_west:',
      ),
    )
    t.setNow(friday)
    sink = await startLocalHttpSink(() => ({ status: 200, body: 'ok' }))
    const hook = await t.app.inject({
      method: 'POST',
      url: '/v1/endpoints',
      headers: t.auth('admin'),
      payload: { kind: 'webhook', name: 'CRM', url: `${sink.url}/hook`, topics: ['lead.handed_off'] },
    })
    assert.equal(hook.statusCode, 201, hook.body)
    await seedAccounts(t, ['acme-health-0.com', 'acme-health-1.com', 'acme-health-2.com', 'acme-health-3.com'])
    await demo('c-1', dana, 'Dana')
    await demo('c-2', lee, 'Lee')
    await demo('c-3', eve, 'Eve')
    t.setNow(Date.now())
    await demo('c-4', sam, 'Sam')
    assert.deepEqual(
      [await owner(dana), await owner(lee), await owner(eve), await owner(sam)],
      ['ana_ruiz', 'ben_cho', 'ana_ruiz', 'chloe_adams'],
    )
  })
  after(async () => {
    await sink.close()
    await t.close()
  })

  test('`queue --rep` lists the rep’s open leads: clock, due instant in the rep’s zone, business time over', async () => {
    const r = await accord('queue', '--rep', 'ana_ruiz')
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    assert.equal(lines.length, 2, r.stdout)
    assert.match(
      lines[0]!,
      new RegExp(
        `^${ids[dana]}\\trunning\\tdue 2026-11-23T09:30:00-05:00\\t\\d+ business hours?( \\d+ minutes?)? over\\thot\\t${dana}\\tAcme Health 0$`,
      ),
    )
    assert.match(
      lines[1]!,
      new RegExp(`^${ids[eve]}\\trunning\\tdue 2026-11-23T09:30:00-05:00\\t.* over\\thot\\t${eve}`),
    )
    const none = await accord('queue', '--rep', 'diego_santos')
    assert.equal(none.stdout, 'no open leads for diego_santos\n')
  })

  test('`lead touch --at` records the first touch and says how the clock was met', async () => {
    const r = await accord(
      'lead',
      'touch',
      dana,
      '--at',
      '2026-11-23T14:20:00Z',
      '--channel',
      'call',
      '--by',
      'Ana Ruiz',
    )
    assert.equal(r.code, 0, r.stderr)
    assert.equal(
      r.stdout,
      `lead ${ids[dana]}: first touch recorded; SLA clock met: met at 2026-11-23T09:20-05:00 after 50 business minutes, within 1 business hour (due 2026-11-23T09:30-05:00)\n`,
    )
    const activity = await t.ctx.db.selectFrom('lead_activity').select(['kind', 'actor']).executeTakeFirstOrThrow()
    assert.deepEqual(activity, { kind: 'first_touch', actor: 'cli:Ana Ruiz' })
  })

  test('`lead accept|reject|recycle` record dispositions; a code that needs a note is refused without one', async () => {
    const accepted = await accord('lead', 'accept', dana, '--reason', 'qualified_meeting_booked')
    assert.equal(accepted.code, 0, accepted.stderr)
    assert.equal(accepted.stdout, `lead ${ids[dana]}: SAL (qualified_meeting_booked)\n`)

    const noNote = await accord('lead', 'reject', eve, '--reason', 'other')
    assert.equal(noNote.code, 1)
    assert.match(
      noNote.stderr,
      /^error: note: the reason "other" requires a note explaining it\n {2}note: required for other/,
    )
    const unknown = await accord('lead', 'reject', eve, '--reason', 'too_expensive')
    assert.equal(unknown.code, 1)
    assert.match(
      unknown.stderr,
      /reason_code: "too_expensive" is not a reject reason in the Agreement; use one of wrong_industry/,
    )
    const rejected = await accord('lead', 'reject', eve, '--reason', 'other', '--note', 'Agency, not an end customer')
    assert.equal(rejected.code, 0, rejected.stderr)
    assert.equal(rejected.stdout, `lead ${ids[eve]}: Disqualified (other)\n`)

    const recycled = await accord('lead', 'recycle', lee, '--reason', 'not_now', '--note', 'Budget opens in Q2')
    assert.equal(recycled.code, 0, recycled.stderr)
    const row = await t.ctx.db
      .selectFrom('disposition')
      .select('nurture_until')
      .where('lead_id', '=', ids[lee]!)
      .executeTakeFirstOrThrow()
    assert.equal(
      recycled.stdout,
      `lead ${ids[lee]}: Recycled (not_now), nurture until ${row.nurture_until!.toISOString().slice(0, 10)}\n`,
    )
    const queue = await accord('queue', '--rep', 'ana_ruiz')
    assert.equal(queue.stdout, 'no open leads for ana_ruiz\n')
  })

  test('`lead pause` and `lead resume` stop and restart the clock, and the queue shows the pause', async () => {
    const history = () =>
      t.ctx.db
        .selectFrom('sla_clock_event as e')
        .innerJoin('sla_clock as c', 'c.id', 'e.clock_id')
        .select(['e.kind', 'e.reason', 'e.actor', 'e.reason_code', 'e.note'])
        .where('c.lead_id', '=', ids[sam]!)
        .orderBy('e.id')
        .execute()
    const refused = await accord('lead', 'pause', sam, '--reason', 'meeting_scheduled')
    assert.equal(refused.code, 1)
    assert.match(
      refused.stderr,
      /error: reason_code: "meeting_scheduled" is not a pause reason; expected one of waiting_on_lead/,
    )

    const paused = await accord(
      'lead',
      'pause',
      sam,
      '--reason',
      'waiting_on_lead',
      '--note',
      'Call back Monday',
      '--by',
      'Chloe',
    )
    assert.equal(paused.code, 0, paused.stderr)
    const p = (await history()).at(-1)!
    assert.deepEqual(
      [p.kind, p.actor, p.reason_code, p.note],
      ['paused', 'cli:Chloe', 'waiting_on_lead', 'Call back Monday'],
    )
    const pausedLine = new RegExp(
      `^lead ${ids[sam]}: SLA clock paused, (1 business hour|\\d+ business (minutes?|seconds?)) left: (paused \\w{3} \\d\\d:\\d\\d: .*)\\n$`,
    )
    assert.match(paused.stdout, pausedLine)
    assert.equal(`${pausedLine.exec(paused.stdout)![3]} (waiting_on_lead)`, p.reason)

    const queue = await accord('queue', '--rep', 'chloe_adams')
    assert.match(
      queue.stdout,
      new RegExp(`^${ids[sam]}\\tpaused\\tdue —\\t.* left \\(paused: waiting_on_lead\\)\\thot\\t${sam}`),
    )

    const again = await accord('lead', 'pause', sam, '--reason', 'waiting_on_lead')
    assert.equal(again.code, 1)
    assert.match(again.stderr, /the SLA clock is already paused since/)

    const resumed = await accord('lead', 'resume', sam)
    assert.equal(resumed.code, 0, resumed.stderr)
    const r = (await history()).at(-1)!
    assert.equal(r.kind, 'resumed')
    assert.match(
      resumed.stdout,
      new RegExp(`^lead ${ids[sam]}: SLA clock running, .* left: resumed \\w{3} \\d\\d:\\d\\d after`),
    )
    assert.equal(resumed.stdout.slice(resumed.stdout.indexOf(': resumed') + 2).trimEnd(), r.reason)
  })

  test('`worker` delivers what is pending, is woken by a handoff another process commits, and stops on SIGTERM', async () => {
    const worker: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: t.databaseUrl, ACCORD_LOG_LEVEL: 'silent' },
    })
    let stdout = ''
    let stderr = ''
    worker.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString('utf8')
    })
    worker.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString('utf8')
    })
    const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)))
    const eventually = async (check: () => boolean, what: string) => {
      for (let i = 0; !check(); i++) {
        if (i > 3000) throw new Error(`never happened: ${what}\n${stdout}\n${stderr}`)
        await new Promise((r) => setTimeout(r, 10))
      }
    }
    const delivered = () => sink.requests.map((q) => JSON.parse(q.body).data.lead_id as number)
    try {
      await eventually(() => stdout.includes('\n'), 'the worker started')
      assert.match(
        stdout,
        /^accord worker: sending notifications and firing SLA timers; woken by PostgreSQL notifications/,
      )
      await eventually(() => delivered().length === 4, 'the four pending handoffs were delivered')
      assert.deepEqual(
        delivered().sort((a, b) => a - b),
        [ids[dana], ids[lee], ids[eve], ids[sam]].sort((a, b) => a! - b!),
      )
      t.setNow(Date.now())
      await demo('c-5', 'kim@acme-health-0.com', 'Kim')
      await eventually(() => delivered().includes(ids['kim@acme-health-0.com']!), 'the new handoff was delivered')
    } finally {
      worker.kill('SIGTERM')
    }
    assert.equal(await exited, 0, stderr)
    assert.match(stdout, /accord worker: stopped\n$/)
    assert.equal(sink.requests.length, 5, 'each handoff delivered once')
  })
})
