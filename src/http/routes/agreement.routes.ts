import type { FastifyPluginAsync } from 'fastify'
import type { Ctx } from '../../context.ts'
export const agreementRoutes =
  (_ctx: Ctx): FastifyPluginAsync =>
  async () => {}
