import type { Role } from '../modules/auth/auth.entities.js';

export const PERMISSIONS = [
  'org.read', 'org.write',
  'people.read', 'people.write', 'people.sensitive',
  'roles.manage', 'audit.read', 'mail.outbox.read', 'settings.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * What each role may do inside its org scope. A teacher's scope is their own record,
 * which the `self` routes check; it grants nothing over other people.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  teacher: [],
  trainer: ['org.read'],
  expert: [],
  kindergarten_admin: ['org.read', 'people.read', 'people.write'],
  group_admin: ['org.read', 'people.read'],
  district_admin: ['org.read', 'org.write', 'people.read', 'people.write', 'people.sensitive', 'roles.manage', 'audit.read', 'mail.outbox.read', 'settings.write'],
};
