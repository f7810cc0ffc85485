import type { Role } from '../modules/auth/auth.entities.js';

export const PERMISSIONS = [
  'org.read', 'org.write',
  'people.read', 'people.write', 'people.sensitive',
  'roles.manage', 'audit.read', 'mail.outbox.read', 'settings.write',
  'catalog.manage', 'enrollment.manage', 'enrollment.approve', 'offering.teach', 'ethics.manage',
  'credits.read', 'credits.manage', 'claims.review', 'claims.decide',
  'completion.manage', 'certificates.manage',
  'mentoring.manage', 'mentoring.approve', 'rotation.manage',
  'titles.review', 'titles.decide', 'targets.read', 'targets.manage', 'checks.manage',
  'programs.manage', 'programs.nominate', 'programs.review', 'principals.read', 'lectures.file', 'lectures.oversee',
  'imports.run',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * What each role may do inside its org scope. A teacher's scope is their own record,
 * which the `self` routes check; it grants nothing over other people. `offering.teach` reaches
 * only the offerings a trainer or expert is listed on (the service checks), or every offering in
 * scope for whoever also holds `catalog.manage` there.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  teacher: [],
  trainer: ['org.read', 'enrollment.manage', 'offering.teach'],
  expert: ['offering.teach', 'programs.review'],
  kindergarten_admin: ['org.read', 'people.read', 'people.write', 'catalog.manage', 'enrollment.manage', 'enrollment.approve', 'offering.teach',
    'credits.read', 'claims.review', 'mentoring.manage', 'mentoring.approve', 'titles.review', 'targets.read',
    'programs.nominate', 'principals.read'],
  group_admin: ['org.read', 'people.read', 'credits.read', 'targets.read', 'principals.read'],
  district_admin: [
    'org.read', 'org.write', 'people.read', 'people.write', 'people.sensitive', 'roles.manage', 'audit.read', 'mail.outbox.read', 'settings.write',
    'catalog.manage', 'enrollment.manage', 'enrollment.approve', 'offering.teach', 'ethics.manage',
    'credits.read', 'credits.manage', 'claims.review', 'claims.decide',
    'completion.manage', 'certificates.manage',
    'mentoring.manage', 'mentoring.approve', 'rotation.manage',
    'titles.review', 'titles.decide', 'targets.read', 'targets.manage', 'checks.manage',
    'programs.manage', 'programs.nominate', 'programs.review', 'principals.read', 'lectures.file', 'lectures.oversee',
    'imports.run',
  ],
};
