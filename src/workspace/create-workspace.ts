import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'

export type Workspace = { id: number; slug: string; name: string }

export async function createWorkspace(ctx: Pick<Ctx, 'db'>, input: { slug: string; name: string }): Promise<Workspace> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(input.slug)) {
    throw new AppError('invalid_input', 'a workspace slug is lower-case letters, digits and dashes', [
      { path: 'slug', message: `"${input.slug}" is not a slug` },
    ])
  }
  const row = await ctx.db
    .insertInto('workspace')
    .values({ slug: input.slug, name: input.name })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning(['id', 'slug', 'name'])
    .executeTakeFirst()
  if (!row) throw new AppError('conflict', `workspace ${input.slug} already exists`)
  return row
}

/** The workspace with this slug; without a slug, the only workspace (an error when there are several). */
export async function getWorkspace(ctx: Pick<Ctx, 'db'>, slug?: string): Promise<Workspace> {
  let q = ctx.db.selectFrom('workspace').select(['id', 'slug', 'name']).orderBy('id')
  if (slug) q = q.where('slug', '=', slug)
  const rows = await q.limit(2).execute()
  if (rows.length === 0)
    throw new AppError(
      'not_found',
      slug ? `no workspace ${slug}` : 'no workspace yet: run `accord serve` (npm start) once to create one',
    )
  if (!slug && rows.length > 1)
    throw new AppError('invalid_input', 'several workspaces exist: name one with --workspace SLUG')
  return rows[0]!
}
