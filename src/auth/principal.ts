import type { Role } from '../db/schema.ts'

/**
 * Who a request acts for: an API key (sent as a bearer token, or logged in to the dashboard with it) or a user
 * created by an admin. Exactly one of `keyId` / `userId` is set. `name` is what audit logs and signatures record.
 *
 * Example: `{ keyId: null, userId: 4, workspaceId: 1, name: 'Priya Natarajan', role: 'marketing', repId: null }`
 */
export type RequestPrincipal = {
  keyId: number | null
  userId: number | null
  workspaceId: number
  name: string
  role: Role
  repId: string | null
}
