import type { Post } from '../people/person.entity.js';
import type { CertificateKind } from '../people/person-records.entity.js';
import { percent } from './target-measures.js';

/** The staffing standard's rules as stored in staffing_standard.rules (2013 national standard by default). */
export interface StaffingRules {
  fullDay: { childrenPerStaff: [number, number]; childrenPerTeacherAndCaregiver: [number, number] };
  halfDay?: { childrenPerStaff: [number, number]; childrenPerTeacherAndCaregiver: [number, number] };
  teachersPerClass: number;
  caregiversPerClass: number;
  principalsByClasses: Array<{ maxClasses: number | null; principals: number }>;
  childrenPerHealthStaff: number;
  childrenPerCook: [number, number];
}

export type StaffCounts = Record<Post, number>;

export interface KindergartenSize {
  classes: number;
  children: number;
  /** Shanghai's kindergartens are full-day; the record has no half-day flag, so every kindergarten is judged full-day. */
  fullDay: boolean;
}

export const STAFFING_CHECKS = ['children_per_staff', 'children_per_teacher_and_caregiver', 'teachers_per_class', 'class_posts', 'principals', 'health_staff', 'cooks'] as const;
export type StaffingCheckCode = (typeof STAFFING_CHECKS)[number];

export interface StaffingCheck {
  code: StaffingCheckCode;
  /** The fewest the standard asks for. */
  required: number;
  /** The most it allows, where it sets one (principals by classes). */
  limit: number | null;
  actual: number;
  status: 'ok' | 'short' | 'over';
}

/** 持证上岗: the certificates each post needs; posts absent here need none. */
export const POST_CERTIFICATES: Partial<Record<Post, CertificateKind[]>> = {
  teacher: ['teacher_qualification'],
  principal: ['principal_training', 'teacher_qualification'],
  vice_principal: ['principal_training', 'teacher_qualification'],
  caregiver: ['caregiver'],
  health: ['health_care'],
};

/** The most children each staff member may serve is the upper end of the ratio range, so the fewest staff is children / upper end. */
const fewest = (children: number, perOne: number) => (children > 0 ? Math.ceil(children / perOne) : 0);

function atLeast(code: StaffingCheckCode, required: number, actual: number): StaffingCheck {
  return { code, required, limit: null, actual, status: actual >= required ? 'ok' : 'short' };
}

/** Principals allowed for a number of classes: 1 under 6, at most 2 for 6-9, up to 3 for 10 or more. */
export function principalsAllowed(classes: number, rules: StaffingRules): number {
  const sorted = [...rules.principalsByClasses].sort((a, b) => (a.maxClasses ?? Infinity) - (b.maxClasses ?? Infinity));
  return (sorted.find((r) => r.maxClasses === null || classes <= r.maxClasses) ?? sorted[sorted.length - 1]).principals;
}

export function checkStaffing(size: KindergartenSize, staff: StaffCounts, rules: StaffingRules): StaffingCheck[] {
  const ratios = size.fullDay || !rules.halfDay ? rules.fullDay : rules.halfDay;
  const total = Object.values(staff).reduce((a, b) => a + b, 0);
  const teaching = staff.teacher + staff.caregiver;
  const principals = staff.principal + staff.vice_principal;
  const allowed = principalsAllowed(size.classes, rules);
  return [
    atLeast('children_per_staff', fewest(size.children, ratios.childrenPerStaff[1]), total),
    atLeast('children_per_teacher_and_caregiver', fewest(size.children, ratios.childrenPerTeacherAndCaregiver[1]), teaching),
    // Per class 2 teachers + 1 caregiver, or 3 teachers: at least 2 teachers a class and 3 posts a class.
    atLeast('teachers_per_class', rules.teachersPerClass * size.classes, staff.teacher),
    atLeast('class_posts', (rules.teachersPerClass + rules.caregiversPerClass) * size.classes, teaching),
    { code: 'principals', required: 1, limit: allowed, actual: principals, status: principals < 1 ? 'short' : principals > allowed ? 'over' : 'ok' },
    atLeast('health_staff', fewest(size.children, rules.childrenPerHealthStaff), staff.health),
    atLeast('cooks', fewest(size.children, rules.childrenPerCook[1]), staff.nutrition),
  ];
}

export interface CertificateCoverage {
  /** Staff in posts that need a certificate. */
  needing: number;
  /** Of those, holding every certificate their post needs, valid on the day. */
  holding: number;
  share: number;
  byPost: Array<{ post: Post; needing: number; holding: number }>;
}

export function certificateCoverage(rows: Array<{ post: Post; needing: number; holding: number }>): CertificateCoverage {
  const byPost = rows.filter((r) => POST_CERTIFICATES[r.post]);
  const needing = byPost.reduce((a, r) => a + r.needing, 0);
  const holding = byPost.reduce((a, r) => a + r.holding, 0);
  return { needing, holding, share: percent(holding, needing), byPost };
}
