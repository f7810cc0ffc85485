import type { CertificateKind, Title } from '../../modules/people/person-records.entity.js';
import type { Post } from '../../modules/people/person.entity.js';
import { AS_OF, AS_OF_YEAR, addDays, addYears, isoDate, maxDate, yearOf } from './demo-dates.js';
import type { KindergartenProfile } from './demo-org.js';
import { demoUuid, type Rng } from './demo-random.js';
import type { DemoCertificate, DemoEmployment, DemoHonour, DemoPerson, DemoStageRecord, DemoTitleRecord } from './demo-types.js';

/** One staff member while the generator fills in their records; `key` seeds every derived id. */
export interface StaffMember {
  key: string;
  person: DemoPerson;
  post: Post;
  kindergarten: KindergartenProfile;
  /** Start of the principal or vice-principal post. */
  appointedOn: string | null;
  employments: DemoEmployment[];
  titles: DemoTitleRecord[];
}

export type CertificateSerials = Record<CertificateKind, number>;

const TITLE_RANK: Record<Title, number> = { third: 1, second: 2, first: 3, senior: 4, professorial: 5 };
const APPROVED_BY: Record<Title, string> = {
  third: '上海市青浦区教育局',
  second: '上海市青浦区教育局',
  first: '上海市青浦区教育局',
  senior: '上海市教育委员会',
  professorial: '上海市人力资源和社会保障局',
};
/** Chances of reaching 一级 and then 高级 once the years at the previous title are served. */
const PROMOTION_ODDS: Partial<Record<Post, { first: number; senior: number }>> = {
  teacher: { first: 0.85, senior: 0.3 },
  vice_principal: { first: 0.95, senior: 0.5 },
  principal: { first: 1, senior: 0.75 },
};
const DEGREES = new Set(['bachelor', 'master', 'doctorate']);

/**
 * Title history from the hire date with the usual waiting years (三级 → 二级 → 一级 → 高级 → 正高级),
 * never above `cap`. With `force`, every step up to that title is taken as early as allowed and
 * null is answered when the person cannot hold it by the reference date.
 */
export function titleHistory(rng: Rng, member: StaffMember, cap: Title, force: Title | null): DemoTitleRecord[] | null {
  const odds = PROMOTION_ODDS[member.post];
  if (!odds) return force ? null : [];
  const { educationLevel, hireDate } = member.person;
  const degree = DEGREES.has(educationLevel);
  const forced = (title: Title): boolean => force !== null && TITLE_RANK[title] <= TITLE_RANK[force];
  const allowed = (title: Title): boolean => TITLE_RANK[title] <= TITLE_RANK[cap];
  const steps: Array<[Title, string]> = [];

  let year = yearOf(hireDate) + 1;
  if (!degree) {
    steps.push(['third', isoDate(year, 9, 1)]);
    year += educationLevel === 'junior_college' ? 2 : 3;
  }
  steps.push(['second', isoDate(year, 9, 1)]);
  year += (degree && educationLevel !== 'bachelor' ? 2 : 4) + (forced('first') ? 0 : rng.int(0, 3));
  if (allowed('first') && (forced('first') || rng.chance(odds.first))) {
    steps.push(['first', isoDate(year, 12, 1)]);
    year += 5 + (forced('senior') ? 0 : rng.int(0, 6));
    if (allowed('senior') && (forced('senior') || rng.chance(odds.senior))) {
      steps.push(['senior', isoDate(year, 12, 1)]);
      // 正高级 needs a degree and exists only since the 2015 reform.
      if (forced('professorial') && degree) steps.push(['professorial', isoDate(Math.max(year + 5, 2016), 12, 1)]);
    }
  }
  const reached = steps.filter(([, date]) => date <= AS_OF);
  if (force && !reached.some(([title]) => title === force)) return null;
  return reached.map(([title, effectiveDate]) => ({
    id: demoUuid(`title:${member.key}:${title}`), personId: member.person.id, title, effectiveDate, approvingBody: APPROVED_BY[title],
  }));
}

const hasTitle = (member: StaffMember, title: Title): boolean => member.titles.some((t) => TITLE_RANK[t.title] >= TITLE_RANK[title]);

/** Teacher stage for teachers (新手 → 胜任 → 骨干) and principal stage for principals and vice principals. */
export function stagesFor(rng: Rng, member: StaffMember): { teacherStage: string | null; principalStage: string | null; records: DemoStageRecord[] } {
  const records: DemoStageRecord[] = [];
  const record = (kind: 'teacher' | 'principal', stage: string, effectiveDate: string): string => {
    records.push({ id: demoUuid(`stage:${member.key}:${kind}:${stage}`), personId: member.person.id, kind, stage, effectiveDate });
    return stage;
  };
  const hireYear = yearOf(member.person.hireDate);
  if (member.post === 'teacher') {
    let stage = record('teacher', 'novice', member.person.hireDate);
    if (AS_OF_YEAR - hireYear >= 3) stage = record('teacher', 'competent', isoDate(hireYear + 3, 9, 1));
    const first = member.titles.find((t) => t.title === 'first');
    const backboneYear = first ? Math.max(yearOf(first.effectiveDate) + 1, hireYear + 8) : null;
    if (backboneYear && backboneYear <= AS_OF_YEAR && (hasTitle(member, 'senior') || rng.chance(0.4))) {
      stage = record('teacher', 'backbone', isoDate(backboneYear, 9, 1));
    }
    return { teacherStage: stage, principalStage: null, records };
  }
  if (member.post === 'vice_principal' && member.appointedOn) {
    return { teacherStage: null, principalStage: record('principal', 'reserve', member.appointedOn), records };
  }
  if (member.post === 'principal' && member.appointedOn) {
    const appointedYear = yearOf(member.appointedOn);
    const inPost = AS_OF_YEAR - appointedYear;
    const ladder: Array<[string, number]> = [['new', 0], ['growing', 3], ['mature', 6], ['expert', 12]];
    const expert = hasTitle(member, 'professorial') || (inPost >= 12 && hasTitle(member, 'senior'));
    const reached = ladder.filter(([stage, years]) => (stage === 'expert' ? expert : years <= inPost));
    let stage = '';
    for (const [name, years] of reached) {
      stage = record('principal', name, years === 0 ? member.appointedOn : isoDate(Math.min(appointedYear + years, AS_OF_YEAR), 9, 1));
    }
    return { teacherStage: null, principalStage: stage, records };
  }
  return { teacherStage: null, principalStage: null, records };
}

/** The certificate each post requires (持证上岗); a few principals lack the training certificate (双证 gap). */
export function certificatesFor(rng: Rng, member: StaffMember, serials: CertificateSerials): DemoCertificate[] {
  const { person, post, appointedOn } = member;
  const adult = addYears(person.birthDate, 18);
  const hireYear = yearOf(person.hireDate);
  const certificate = (kind: CertificateKind, number: (serial: number) => string, issuer: string, issuedOn: string): DemoCertificate => {
    serials[kind] += 1;
    return { id: demoUuid(`certificate:${member.key}:${kind}`), personId: person.id, kind, number: number(serials[kind]), issuer, issuedOn, expiresOn: null };
  };
  const serial = (n: number, width: number): string => String(n).padStart(width, '0');
  const beforeHire = (): string => maxDate(adult, addDays(person.hireDate, -rng.int(30, 150)));
  const out: DemoCertificate[] = [];
  if (post === 'teacher' || post === 'principal' || post === 'vice_principal') {
    const issued = maxDate(adult, isoDate(hireYear, 6, rng.int(20, 30)));
    out.push(certificate('teacher_qualification', (n) => `${yearOf(issued)}31011${serial(n, 8)}`, '上海市青浦区教育局', issued));
  }
  if (appointedOn && !rng.chance(post === 'principal' ? 0.08 : 0.15)) {
    const issued = addDays(appointedOn, -rng.int(60, 200));
    out.push(certificate('principal_training', (n) => `YZPX${yearOf(issued)}${serial(n, 4)}`, '上海市教育委员会', issued));
  }
  if (post === 'caregiver') {
    const issued = beforeHire();
    out.push(certificate('caregiver', (n) => `BYY${yearOf(issued)}${serial(n, 5)}`, '上海市职业技能鉴定中心', issued));
  }
  if (post === 'health') {
    const issued = beforeHire();
    out.push(certificate('health_care', (n) => `WSBJ${yearOf(issued)}${serial(n, 4)}`, '上海市青浦区妇幼保健所', issued));
  }
  return out;
}

/** A few district backbone teachers and subject leaders, and the district's one 特级园长. */
export function honoursFor(rng: Rng, member: StaffMember, specialPrincipal: boolean): DemoHonour[] {
  const honour = (kind: DemoHonour['honour'], name: string, awardedOn: string, awardedBy: string, expiresOn: string | null): DemoHonour => ({
    id: demoUuid(`honour:${member.key}:${kind}`), personId: member.person.id, honour: kind, name, awardedOn, awardedBy, expiresOn,
  });
  if (specialPrincipal) return [honour('special_principal', '上海市特级园长', '2021-09-10', '上海市教育委员会', null)];
  if (member.post === 'principal') return [];
  if (hasTitle(member, 'senior') && rng.chance(0.1)) {
    return [honour('subject_leader', '青浦区学科带头人', '2023-09-10', '上海市青浦区教育局', '2026-08-31')];
  }
  if (member.person.teacherStage === 'backbone' && rng.chance(0.1)) return [honour('district_backbone', '青浦区骨干教师', '2023-09-10', '上海市青浦区教育局', '2026-08-31')];
  return [];
}
