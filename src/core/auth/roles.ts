/**
 * What each role may do. Keys carry one role; routes name the permission they need.
 * `ingest` keys send data and read nothing; `rep` keys act only on their own leads.
 */
import type { Role } from '../../db/schema.ts'

export type Permission =
  | 'events:write'
  | 'records:write'
  | 'records:read'
  | 'agreement:read'
  | 'agreement:propose'
  | 'agreement:sign'
  | 'leads:read'
  | 'leads:read_own'
  | 'leads:act_own'
  | 'leads:act_any'
  | 'metrics:read'
  | 'reviews:write'
  | 'keys:manage'
  | 'settings:manage'
  | 'reps:read'
  | 'reps:set_status'
  | 'reps:set_own_status'

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [
    'events:write',
    'records:write',
    'records:read',
    'agreement:read',
    'agreement:propose',
    'leads:read',
    'leads:act_any',
    'metrics:read',
    'reviews:write',
    'keys:manage',
    'settings:manage',
    'reps:read',
    'reps:set_status',
  ],
  marketing: [
    'events:write',
    'records:write',
    'records:read',
    'agreement:read',
    'agreement:propose',
    'agreement:sign',
    'leads:read',
    'metrics:read',
    'reps:read',
    'reviews:write',
  ],
  sales: [
    'records:write',
    'records:read',
    'agreement:read',
    'agreement:propose',
    'agreement:sign',
    'leads:read',
    'leads:act_any',
    'metrics:read',
    'reps:read',
    'reps:set_status',
    'reviews:write',
  ],
  rep: ['agreement:read', 'leads:read_own', 'leads:act_own', 'reps:set_own_status'],
  ingest: ['events:write', 'records:write'],
}

export const ROLES = Object.keys(ROLE_PERMISSIONS) as Role[]

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission)
}

/** The side a role signs the Agreement for; admins cannot sign, so sign-off always takes both teams. */
export function signingSide(role: Role): 'marketing' | 'sales' | null {
  return role === 'marketing' ? 'marketing' : role === 'sales' ? 'sales' : null
}
