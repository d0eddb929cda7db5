import type { Ctx } from '../context.ts'
import { sessionIdOf } from './session-token.ts'

/** Ends the session a cookie token stands for; ending an unknown or ended session is a no-op. */
export async function logOut(ctx: Pick<Ctx, 'db'>, token: string): Promise<void> {
  await ctx.db.deleteFrom('session').where('id', '=', sessionIdOf(token)).execute()
}
