import type { Command } from 'commander'
import { formatInZone } from '../core/calendar/index.ts'
import { listQueue } from '../handoff/handoff.queries.ts'
import type { Actor } from '../handoff/lead-action.ts'
import { recordDisposition } from '../handoff/record-disposition.ts'
import { recordTouch } from '../handoff/record-touch.ts'
import { startWorkers } from '../handoff/workers.ts'
import { getWorkspace } from '../workspace/create-workspace.ts'
import { type CliDeps, withCtx } from './program.ts'

/** Whoever can run the CLI can open the database: they act with `act_any`, recorded under their name. */
function cliActor(by: string | undefined): Actor {
  return { label: `cli:${by ?? process.env.USER ?? 'operator'}`, role: 'sales', repId: null }
}

/**
 * `accord lead touch|accept|reject|recycle <email>`, `accord queue --rep <id>`, `accord worker`.
 * @example accord lead reject dana@acme-health.com --reason other --note "Agency, not an end customer"
 */
export function registerHandoffCommand(program: Command, deps: CliDeps): void {
  const lead = program.command('lead').description('record a first touch or a disposition for a lead')
  lead
    .command('touch <email>')
    .description('record a touch; the first one stops the SLA clock')
    .option('--channel <channel>', 'call | email | meeting | linkedin | sms | other', 'call')
    .option('--at <instant>', 'when it happened (ISO-8601; default now)')
    .option('--note <text>')
    .option('--by <name>', 'who is recording it')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(
      async (email: string, o: { channel: string; at?: string; note?: string; by?: string; workspace?: string }) => {
        await withCtx(deps, async (ctx) => {
          const ws = await getWorkspace(ctx, o.workspace)
          const r = await recordTouch(ctx, {
            workspaceId: ws.id,
            ref: email,
            actor: cliActor(o.by),
            channel: o.channel,
            ...(o.at ? { at: o.at } : {}),
            ...(o.note ? { note: o.note } : {}),
          })
          process.stdout.write(
            `lead ${r.leadId}: ${r.firstTouch ? 'first touch' : 'touch'} recorded${r.clock ? `; SLA clock ${r.clock.status}: ${r.clock.reason}` : ''}\n`,
          )
        })
      },
    )
  for (const outcome of ['accept', 'reject', 'recycle'] as const) {
    lead
      .command(`${outcome} <email>`)
      .description(`${outcome} the lead with a reason code from the Agreement`)
      .requiredOption('--reason <code>', `a ${outcome} reason code (dispositions.${outcome} in the Agreement)`)
      .option('--note <text>', 'required by some reason codes')
      .option('--by <name>', 'who is recording it')
      .option('--workspace <slug>', 'workspace (default: the only one)')
      .action(async (email: string, o: { reason: string; note?: string; by?: string; workspace?: string }) => {
        await withCtx(deps, async (ctx) => {
          const ws = await getWorkspace(ctx, o.workspace)
          const r = await recordDisposition(ctx, {
            workspaceId: ws.id,
            ref: email,
            actor: cliActor(o.by),
            outcome,
            reasonCode: o.reason,
            ...(o.note ? { note: o.note } : {}),
          })
          process.stdout.write(
            `lead ${r.leadId}: ${r.stage} (${r.reasonCode})${r.nurtureUntil ? `, nurture until ${r.nurtureUntil.slice(0, 10)}` : ''}\n`,
          )
        })
      })
  }
  program
    .command('queue')
    .description("a rep's open leads, most urgent SLA first")
    .requiredOption('--rep <id>', 'rep id from the Agreement')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (o: { rep: string; workspace?: string }) => {
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        const rows = await listQueue(ctx, ws.id, o.rep)
        if (rows.length === 0) process.stdout.write(`no open leads for ${o.rep}\n`)
        for (const r of rows) {
          const due = r.due_at ? formatInZone(r.due_at.getTime(), 'UTC') : '—'
          process.stdout.write(
            `${r.lead_id}\t${r.sla_status ?? 'no clock'}\tdue ${due}\t${r.tier ?? ''}\t${r.email}\t${r.company ?? ''}\n`,
          )
        }
      })
    })
  program
    .command('worker')
    .description('run the outbox sender and the SLA timer poller without the HTTP server (Ctrl-C stops)')
    .action(async () => {
      const { ctx, close } = await deps.openCtx()
      const workers = startWorkers(ctx)
      deps.logger.info('workers running: outbox sender, SLA timers')
      await new Promise<void>((resolve) => {
        const stop = () => resolve()
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      await workers.stop()
      await close()
    })
}
