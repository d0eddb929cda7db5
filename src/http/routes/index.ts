/** Every `/v1` route module, registered by app.ts under the `/v1` prefix. */
import type { FastifyPluginAsync } from 'fastify'
import type { Ctx } from '../../context.ts'
import { agreementRoutes } from './agreement.routes.ts'
import { calendarsRoutes } from './calendars.routes.ts'
import { eventsRoutes } from './events.routes.ts'
import { handoffRoutes } from './handoff.routes.ts'
import { keysRoutes } from './keys.routes.ts'
import { leadsRoutes } from './leads.routes.ts'
import { metricsRoutes } from './metrics.routes.ts'
import { recordsRoutes } from './records.routes.ts'
import { repsRoutes } from './reps.routes.ts'

export function apiRoutes(ctx: Ctx): FastifyPluginAsync[] {
  return [
    eventsRoutes(ctx),
    recordsRoutes(ctx),
    agreementRoutes(ctx),
    keysRoutes(ctx),
    leadsRoutes(ctx),
    handoffRoutes(ctx),
    metricsRoutes(ctx),
    repsRoutes(ctx),
    calendarsRoutes(ctx),
  ]
}
