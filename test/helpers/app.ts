/**
 * An Accord HTTP app on a fresh test database, with a workspace and keys for every role.
 * Requests go through `app.inject()` — the real router, auth and error mapping, without a port.
 */
import type { FastifyInstance } from 'fastify'
import { createApiKey } from '../../src/auth/create-api-key.ts'
import { loadConfig } from '../../src/config.ts'
import { type Ctx, silentLogger } from '../../src/context.ts'
import type { Role } from '../../src/db/schema.ts'
import { buildApp } from '../../src/http/app.ts'
import { createWorkspace } from '../../src/workspace/create-workspace.ts'
import { createTestDatabase } from './db.ts'

export type TestApp = {
  app: FastifyInstance
  ctx: Ctx
  workspaceId: number
  /** The test database's URL, for a child process (the CLI) that opens it too. */
  databaseUrl: string
  keys: Record<Role, string>
  /** Authorization header for a role. */
  auth(role?: Role): { authorization: string }
  close(): Promise<void>
}

export async function createTestApp(opts: { now?: () => number } = {}): Promise<TestApp> {
  const database = await createTestDatabase()
  const ctx: Ctx = {
    db: database.db,
    clock: opts.now ?? (() => Date.now()),
    logger: silentLogger,
    config: { ...loadConfig({}), logLevel: 'silent', demo: false, workers: false },
    dbKind: database.kind,
  }
  const ws = await createWorkspace(ctx, { slug: 'test', name: 'Test workspace' })
  const keys = {} as Record<Role, string>
  for (const role of ['admin', 'marketing', 'sales', 'rep', 'ingest'] as Role[]) {
    keys[role] = (
      await createApiKey(ctx, { workspaceId: ws.id, name: `${role} key`, role, repId: role === 'rep' ? 'ana' : null })
    ).secret
  }
  const app = await buildApp(ctx)
  return {
    app,
    ctx,
    workspaceId: ws.id,
    databaseUrl: database.url,
    keys,
    auth: (role: Role = 'admin') => ({ authorization: `Bearer ${keys[role]}` }),
    async close() {
      await app.close()
      await database.close()
    },
  }
}
