import { translate, type Locale } from '../../common/i18n/i18n.js';
import type { KindergartenRow, StaffRow, StageName } from './blue-book.query.js';

/** A count and its share (percent, one decimal) of a whole. */
export interface Share {
  key: string;
  label: string;
  count: number;
  share: number;
}

export interface WorkforceFigures {
  total: number;
  byTitle: Share[];
  /** Senior titles (高级, 正高级) among everyone counted. */
  seniorTitles: { count: number; share: number };
  byEducation: Share[];
  /** Full-time teachers (专任教师) with a preschool-education major. */
  preschoolMajor: { teachers: number; count: number; share: number };
  /** Full-time teachers by teacher stage; principals and vice principals by principal stage. */
  byTeacherStage: Share[];
  byPrincipalStage: Share[];
  byPost: Share[];
}

export interface KindergartenFigures {
  total: number;
  byOwnership: Share[];
  byGrade: Share[];
  inclusive: { count: number; share: number };
  groups: Array<{ id: string; name: string; members: number; publicMembers: number }>;
  /** Public kindergartens that belong to a group. */
  publicInGroups: { count: number; total: number; share: number };
}

export interface ComplianceFigures {
  cycle: { code: string; name: string; startsOn: string; endsOn: string } | null;
  /** People with at least one scheme that applies to them, and of those the ones who have met every one. */
  byOwnership: Array<{ key: string; label: string; people: number; complete: number; share: number }>;
  total: { people: number; complete: number; share: number };
  byStanding: Share[];
}

export const TITLES = ['none', 'third', 'second', 'first', 'senior', 'professorial'] as const;
export const EDUCATION_LEVELS = ['high_school', 'secondary_vocational', 'junior_college', 'bachelor', 'master', 'doctorate'] as const;
export const POSTS = ['principal', 'vice_principal', 'teacher', 'caregiver', 'health', 'nutrition', 'other'] as const;
export const GRADES = ['city_demonstration', 'district_demonstration', 'first', 'second', 'third', 'unrated'] as const;
export const OWNERSHIPS = ['public', 'private'] as const;
export const STANDINGS = ['met', 'on_track', 'behind', 'at_risk'] as const;

/** Percent with one decimal; 0 of nothing is 0. */
export function percent(count: number, total: number): number {
  return total > 0 ? Math.round((count / total) * 1000) / 10 : 0;
}

/** Counts per key in the given order (keys never seen count 0; unexpected keys are appended). */
export function shares(values: string[], order: readonly string[], label: (key: string) => string): Share[] {
  const counts = new Map<string, number>(order.map((k) => [k, 0]));
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([key, count]) => ({ key, label: label(key), count, share: percent(count, values.length) }));
}

export function workforceFigures(staff: StaffRow[], stageNames: StageName[], locale: Locale): WorkforceFigures {
  const t = (key: string) => translate(locale, key);
  const teachers = staff.filter((s) => s.post === 'teacher');
  const heads = staff.filter((s) => s.post === 'principal' || s.post === 'vice_principal');
  const stageLabel = (kind: StageName['kind']) => (code: string) => {
    if (code === 'none') return t('blueBook.stage.none');
    const name = stageNames.find((s) => s.kind === kind && s.code === code);
    return name ? (locale === 'en' ? name.nameEn : name.nameZh) : code;
  };
  const stageOrder = (kind: StageName['kind']) => [...stageNames.filter((s) => s.kind === kind).map((s) => s.code), 'none'];
  const senior = staff.filter((s) => s.title === 'senior' || s.title === 'professorial').length;
  const major = teachers.filter((s) => s.preschoolMajor).length;
  return {
    total: staff.length,
    byTitle: shares(staff.map((s) => s.title ?? 'none'), TITLES, (k) => (k === 'none' ? t('blueBook.title.none') : t(`people.title.${k}`))),
    seniorTitles: { count: senior, share: percent(senior, staff.length) },
    byEducation: shares(staff.map((s) => s.educationLevel), EDUCATION_LEVELS, (k) => t(`people.education.${k}`)),
    preschoolMajor: { teachers: teachers.length, count: major, share: percent(major, teachers.length) },
    byTeacherStage: shares(teachers.map((s) => s.teacherStage ?? 'none'), stageOrder('teacher'), stageLabel('teacher')),
    byPrincipalStage: shares(heads.map((s) => s.principalStage ?? 'none'), stageOrder('principal'), stageLabel('principal')),
    byPost: shares(staff.map((s) => s.post), POSTS, (k) => t(`people.post.${k}`)),
  };
}

export function kindergartenFigures(kindergartens: KindergartenRow[], groups: Array<{ id: string; name: string }>, locale: Locale): KindergartenFigures {
  const t = (key: string) => translate(locale, key);
  const inclusive = kindergartens.filter((k) => k.inclusive).length;
  const publics = kindergartens.filter((k) => k.ownership === 'public');
  const publicInGroups = publics.filter((k) => k.groupId).length;
  return {
    total: kindergartens.length,
    byOwnership: shares(kindergartens.map((k) => k.ownership), OWNERSHIPS, (k) => t(`org.ownership.${k}`)),
    byGrade: shares(kindergartens.map((k) => k.grade), GRADES, (k) => t(`org.grade.${k}`)),
    inclusive: { count: inclusive, share: percent(inclusive, kindergartens.length) },
    groups: groups.map((g) => {
      const members = kindergartens.filter((k) => k.groupId === g.id);
      return { id: g.id, name: g.name, members: members.length, publicMembers: members.filter((k) => k.ownership === 'public').length };
    }).filter((g) => g.members > 0),
    publicInGroups: { count: publicInGroups, total: publics.length, share: percent(publicInGroups, publics.length) },
  };
}

/** Each person's worst standing over the schemes that apply to them ('not_applicable' when none does). */
export function complianceFigures(
  staff: StaffRow[], standingOf: (personId: string) => string, cycle: ComplianceFigures['cycle'], locale: Locale,
): ComplianceFigures {
  const t = (key: string) => translate(locale, key);
  const counted = staff.map((s) => ({ ownership: s.ownership, standing: standingOf(s.personId) })).filter((s) => s.standing !== 'not_applicable');
  const tally = (rows: typeof counted) => {
    const complete = rows.filter((r) => r.standing === 'met').length;
    return { people: rows.length, complete, share: percent(complete, rows.length) };
  };
  return {
    cycle,
    byOwnership: OWNERSHIPS.map((key) => ({ key, label: t(`org.ownership.${key}`), ...tally(counted.filter((r) => r.ownership === key)) })),
    total: tally(counted),
    byStanding: shares(counted.map((r) => r.standing), STANDINGS, (k) => t(`transcript.standing.${k}`)),
  };
}
