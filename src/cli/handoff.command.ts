import type { Command } from 'commander'
import { formatBusinessDuration, formatInZone } from '../core/calendar/index.ts'
import { listQueue } from '../handoff/handoff.queries.ts'
import type { Actor } from '../handoff/lead-action.ts'
import {
  ADVANCE_STAGES,
  advanceLeadStage,
  REOPEN_STAGES,
  reopenLeadStage,
  type StageMoveResult,
} from '../handoff/move-lead.ts'
import type { ClockActionResult } from '../handoff/open-clock.ts'
import { pauseLeadClock } from '../handoff/pause-clock.ts'
import { recordDisposition } from '../handoff/record-disposition.ts'
import { recordTouch } from '../handoff/record-touch.ts'
import { resumeLeadClock } from '../handoff/resume-clock.ts'
import { startWorkers } from '../handoff/workers.ts'
import { getWorkspace } from '../workspace/create-workspace.ts'
import { type CliDeps, reportError, withCtx } from './program.ts'

/** Whoever can run the CLI can open the database: they act with `act_any`, recorded under their name. */
function cliActor(by: string | undefined): Actor {
  return { label: `cli:${by ?? process.env.USER ?? 'operator'}`, role: 'sales', repId: null }
}

/** Business time left (or over, once past due): "45 business minutes left", "1 business hour 5 minutes over". */
function formatLeft(remainingMs: number): string {
  return remainingMs >= 0
    ? `${formatBusinessDuration(remainingMs)} left`
    : `${formatBusinessDuration(-remainingMs)} over`
}

function printClockAction(r: ClockActionResult): void {
  process.stdout.write(`lead ${r.leadId}: SLA clock ${r.status}, ${formatLeft(r.remainingBusinessMs)}: ${r.reason}\n`)
}

/**
 * `accord lead touch|pause|resume|accept|reject|recycle|advance|reopen <email>`, `accord queue --rep <id>`,
 * `accord worker`.
 * @example accord lead reject dana@acme-health.com --reason other --note "Agency, not an end customer"
 * @example accord lead pause dana@acme-health.com --reason waiting_on_lead --note "Call back Tuesday 14:00"
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
  lead
    .command('pause <email>')
    .description("pause the lead's running SLA clock for a reason in the Agreement's sla.pause_when")
    .requiredOption('--reason <code>', 'a pause reason (sla.pause_when in the Agreement), e.g. waiting_on_lead')
    .option('--note <text>')
    .option('--by <name>', 'who is recording it')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (email: string, o: { reason: string; note?: string; by?: string; workspace?: string }) => {
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        printClockAction(
          await pauseLeadClock(ctx, {
            workspaceId: ws.id,
            ref: email,
            actor: cliActor(o.by),
            reasonCode: o.reason,
            ...(o.note ? { note: o.note } : {}),
          }),
        )
      })
    })
  lead
    .command('resume <email>')
    .description("resume the lead's paused SLA clock; due and warning move out by the business time paused")
    .option('--note <text>')
    .option('--by <name>', 'who is recording it')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (email: string, o: { note?: string; by?: string; workspace?: string }) => {
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        printClockAction(
          await resumeLeadClock(ctx, {
            workspaceId: ws.id,
            ref: email,
            actor: cliActor(o.by),
            ...(o.note ? { note: o.note } : {}),
          }),
        )
      })
    })
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
  const printMove = (r: StageMoveResult) =>
    process.stdout.write(
      `lead ${r.leadId}: ${r.from} → ${r.stage}${r.closed ? ' (cycle closed)' : ''}${r.handedOffTo ? `, handed off to ${r.handedOffTo}` : ''}\n`,
    )
  lead
    .command('advance <email>')
    .description(`move the lead forward: ${ADVANCE_STAGES.join(', ')} (Won and Lost close its cycle)`)
    .requiredOption('--to <stage>', ADVANCE_STAGES.join(' | '))
    .requiredOption('--reason <text>', 'why (recorded with the transition)')
    .option('--at <instant>', 'when it happened (ISO-8601; default now)')
    .option('--by <name>', 'who is recording it')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (email: string, o: { to: string; reason: string; at?: string; by?: string; workspace?: string }) => {
      const to = ADVANCE_STAGES.find((s) => s.toLowerCase() === o.to.toLowerCase())
      if (!to) return reportError(new Error(`--to: "${o.to}" is not one of ${ADVANCE_STAGES.join(', ')}`))
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        printMove(
          await advanceLeadStage(ctx, {
            workspaceId: ws.id,
            ref: email,
            actor: cliActor(o.by),
            to,
            reason: o.reason,
            ...(o.at ? { at: o.at } : {}),
          }),
        )
      })
    })
  lead
    .command('reopen <email>')
    .description('re-open a disqualified, lost, won or recycled lead at an earlier stage (default Lead)')
    .requiredOption('--reason <text>', 'why (recorded with the transition)')
    .option('--to <stage>', REOPEN_STAGES.join(' | '))
    .option('--by <name>', 'who is recording it')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (email: string, o: { to?: string; reason: string; by?: string; workspace?: string }) => {
      const to = o.to === undefined ? undefined : REOPEN_STAGES.find((s) => s.toLowerCase() === o.to!.toLowerCase())
      if (o.to !== undefined && !to)
        return reportError(new Error(`--to: "${o.to}" is not one of ${REOPEN_STAGES.join(', ')}`))
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        printMove(
          await reopenLeadStage(ctx, {
            workspaceId: ws.id,
            ref: email,
            actor: cliActor(o.by),
            reason: o.reason,
            ...(to ? { to } : {}),
          }),
        )
      })
    })
  program
    .command('queue')
    .description("a rep's open leads, most urgent SLA first")
    .requiredOption('--rep <id>', 'rep id from the Agreement')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (o: { rep: string; workspace?: string }) => {
      await withCtx(deps, async (ctx) => {
        const ws = await getWorkspace(ctx, o.workspace)
        const rows = await listQueue(ctx, ws.id, o.rep, ctx.clock())
        if (rows.length === 0) process.stdout.write(`no open leads for ${o.rep}\n`)
        for (const r of rows) {
          const zone = r.time_zone ?? 'UTC'
          const due = r.due_at ? formatInZone(r.due_at.getTime(), zone) : '—'
          let left = r.remaining_business_ms === null ? '—' : formatLeft(r.remaining_business_ms)
          if (r.sla_status === 'paused') left += ` (paused: ${r.pause_reason ?? 'no reason recorded'})`
          process.stdout.write(
            `${r.lead_id}\t${r.sla_status ?? 'no clock'}\tdue ${due}\t${left}\t${r.tier ?? ''}\t${r.email}\t${r.company ?? ''}\n`,
          )
        }
      })
    })
  program
    .command('worker')
    .description(
      'run the workers without the HTTP server: outbox sender, SLA timers, clock re-planner, review packs (Ctrl-C stops)',
    )
    .action(async () => {
      const { ctx, close, databaseUrl } = await deps.openCtx()
      const workers = startWorkers(ctx, databaseUrl ? { listenUrl: databaseUrl } : {})
      const listening = await workers.ready
      process.stdout.write(
        `accord worker: sending notifications and firing SLA timers; ${listening ? 'woken by PostgreSQL notifications, polling every 2 s as a fallback' : 'polling every 2 s (not listening for notifications)'} (Ctrl-C stops)\n`,
      )
      await new Promise<void>((resolve) => {
        const stop = () => resolve()
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      await workers.stop()
      await close()
      process.stdout.write('accord worker: stopped\n')
    })
}
