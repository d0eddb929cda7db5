/**
 * Serves the built dashboard (dist/web, see src/web-build/) from the API's own address. Hashed files under
 * /assets/ are immutable and cached for a year; index.html is revalidated on every load so a new build is picked
 * up at once. Precompressed `.gz` siblings are sent to clients that accept gzip. Any other GET that wants HTML and
 * is not an API, docs or health path gets index.html, so the dashboard's own URLs can be shared and reloaded.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

export const DEFAULT_WEB_ROOT = resolve(import.meta.dirname, '../../dist/web')

// Defence in depth: even if user content ever reached the DOM as markup, no inline script could run.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const NOT_DASHBOARD = /^\/(v1|docs|health|assets)(\/|$)/

export type WebServing = { root: string; built: boolean }

export async function registerWeb(app: FastifyInstance, root = DEFAULT_WEB_ROOT): Promise<WebServing> {
  const built = existsSync(join(root, 'index.html'))
  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    preCompressed: true,
    maxAge: '365d',
    immutable: true,
    // The folder may not exist until the first build; requests then fall through to 404.
    serve: built,
  })
  return { root, built }
}

export function isDashboardRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false
  const path = request.url.split('?')[0] ?? '/'
  if (NOT_DASHBOARD.test(path)) return false
  return (request.headers.accept ?? '').includes('text/html')
}

export function sendDashboard(web: WebServing, reply: FastifyReply) {
  if (!existsSync(join(web.root, 'index.html'))) {
    return reply.status(503).send({
      error: {
        code: 'unavailable',
        message: 'the dashboard is not built: run `npm run build:web` (`npm start` builds it when needed)',
        issues: [],
      },
    })
  }
  return reply
    .status(200)
    .header('cache-control', 'no-cache')
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .sendFile('index.html', web.root, { cacheControl: false })
}
