import { nationalIdCheckChar } from '../../common/national-id.js';
import type { Title } from '../../modules/people/person-records.entity.js';
import type { EducationLevel, Gender, Post } from '../../modules/people/person.entity.js';
import { certificatesFor, honoursFor, stagesFor, titleHistory, type CertificateSerials, type StaffMember } from './demo-careers.js';
import { AS_OF_YEAR, addDays, isoDate, yearOf } from './demo-dates.js';
import { PHONE_PREFIXES, randomName } from './demo-names.js';
import type { DemoOrg, KindergartenProfile } from './demo-org.js';
import { demoUuid, rngFor, type Rng } from './demo-random.js';
import type { DemoCertificate, DemoEmployment, DemoHonour, DemoPerson, DemoStageRecord, DemoTitleRecord } from './demo-types.js';

export interface DemoStaff {
  members: StaffMember[];
  people: DemoPerson[];
  employments: DemoEmployment[];
  titleRecords: DemoTitleRecord[];
  certificates: DemoCertificate[];
  honours: DemoHonour[];
  stageRecords: DemoStageRecord[];
}

/** Values already handed out, so names, national IDs and phones stay unique in the district. */
interface Registry {
  names: Set<string>;
  nationalIds: Set<string>;
  phones: Set<string>;
}

interface Profile {
  femaleShare: number;
  birthYears: [number, number];
  education: ReadonlyArray<readonly [EducationLevel, number]>;
  preschoolMajor: number;
}

const PROFILES: Record<Exclude<Post, 'other'>, Profile> = {
  principal: { femaleShare: 0.85, birthYears: [1966, 1985], education: [['bachelor', 3], ['master', 1]], preschoolMajor: 0.9 },
  vice_principal: { femaleShare: 0.9, birthYears: [1968, 1990], education: [['bachelor', 4], ['master', 1]], preschoolMajor: 0.9 },
  teacher: { femaleShare: 0.95, birthYears: [1965, 2002], education: [['bachelor', 70], ['junior_college', 20], ['master', 8], ['secondary_vocational', 2]], preschoolMajor: 0.95 },
  caregiver: { femaleShare: 0.98, birthYears: [1965, 1998], education: [['secondary_vocational', 35], ['high_school', 15], ['junior_college', 40], ['bachelor', 10]], preschoolMajor: 0.15 },
  health: { femaleShare: 0.95, birthYears: [1966, 1998], education: [['junior_college', 1], ['bachelor', 1]], preschoolMajor: 0 },
  nutrition: { femaleShare: 0.5, birthYears: [1965, 1995], education: [['secondary_vocational', 5], ['high_school', 4], ['junior_college', 1]], preschoolMajor: 0 },
};
const HIRE_AGE: Record<EducationLevel, number> = { high_school: 19, secondary_vocational: 19, junior_college: 21, bachelor: 22, master: 25, doctorate: 28 };
/** Women in these posts retire at 55 (rising gradually from 2025), so none in service was born before 1971. */
const FEMALE_MIN_BIRTH_YEAR = 1971;
const MOVED_SHARE = 0.05;
/** Born by then, anyone hired young enough has served the years 高级 needs. */
const EXPERIENCED_BORN_BY = 1985;

/** `veteran`: the district's 正高级 principal; `experienced`: a teacher old enough for 高级. */
type Seniority = 'veteran' | 'experienced' | 'any';

/** Staff of every operating kindergarten with their employments, titles, stages, certificates and honours. */
export function buildStaff(seed: number, org: DemoOrg): DemoStaff {
  const registry: Registry = { names: new Set(), nationalIds: new Set(), phones: new Set() };
  const serials: CertificateSerials = { teacher_qualification: 0, principal_training: 0, caregiver: 0, health_care: 0, other: 0 };
  const staff: DemoStaff = { members: [], people: [], employments: [], titleRecords: [], certificates: [], honours: [], stageRecords: [] };
  const cityDemonstrations = org.kindergartens.filter((k) => k.unit.grade === 'city_demonstration');

  for (const kindergarten of org.kindergartens) {
    const rng = rngFor(seed, `staff:${kindergarten.unit.code}`);
    const showcase = cityDemonstrations.indexOf(kindergarten);
    const posts = planPosts(rng, kindergarten);
    const members = posts.map((post, i) => {
      // The first city demonstration kindergarten's principal is the district's 正高级 特级园长;
      // every kindergarten keeps at least one experienced teacher who could hold 高级.
      const seniority: Seniority = showcase === 0 && post === 'principal' ? 'veteran' : i === posts.indexOf('teacher') ? 'experienced' : 'any';
      return draftMember(rng, registry, org, kindergarten, post, `${kindergarten.unit.code}-${String(i + 1).padStart(2, '0')}`, seniority);
    });
    const cap: Title = kindergarten.seniorGap ? 'first' : 'senior';
    for (const member of members) member.titles = titleHistory(rng, member, cap, null) ?? [];

    const teachers = members.filter((m) => m.post === 'teacher').sort((a, b) => a.person.hireDate.localeCompare(b.person.hireDate));
    if (showcase === 0) promoteFirstFeasible(rng, members.filter((m) => m.post === 'principal'), 'professorial');
    if (showcase === 1) promoteFirstFeasible(rng, teachers, 'professorial');
    const hasSenior = (m: StaffMember): boolean => m.titles.some((t) => t.title === 'senior' || t.title === 'professorial');
    if (kindergarten.unit.ownership === 'public' && !kindergarten.seniorGap && !teachers.some(hasSenior)) {
      promoteFirstFeasible(rng, teachers, 'senior');
    }

    for (const member of members) {
      const stages = stagesFor(rng, member);
      member.person.teacherStage = stages.teacherStage;
      member.person.principalStage = stages.principalStage;
      staff.members.push(member);
      staff.people.push(member.person);
      staff.employments.push(...member.employments);
      staff.titleRecords.push(...member.titles);
      staff.stageRecords.push(...stages.records);
      staff.certificates.push(...certificatesFor(rng, member, serials));
      staff.honours.push(...honoursFor(rng, member, showcase === 0 && member.post === 'principal'));
    }
  }
  return staff;
}

function promoteFirstFeasible(rng: Rng, candidates: StaffMember[], title: Title): void {
  for (const member of candidates) {
    const titles = titleHistory(rng, member, title, title);
    if (titles) {
      member.titles = titles;
      return;
    }
  }
  throw new Error(`Demo data: nobody can hold the ${title} title`);
}

/** Posts by the 2013 staffing standard, scaled to the size of the kindergarten (20–30 staff). */
function planPosts(rng: Rng, kindergarten: KindergartenProfile): Post[] {
  const { kindergartenClasses, nurseryClasses, childrenEnrolled } = kindergarten.unit;
  const classes = (kindergartenClasses ?? 0) + (nurseryClasses ?? 0);
  const children = childrenEnrolled ?? 0;
  const total = Math.min(30, Math.max(20, Math.round(classes * 1.6) + rng.int(2, 6)));
  const vice = classes >= 10 ? 2 : 1;
  const health = children > 300 ? 2 : 1;
  const nutrition = 1 + Number(children > 300) + Number(children > 420);
  const caregivers = Math.round(total * 0.19);
  const teachers = total - 1 - vice - health - nutrition - caregivers;
  const times = (post: Post, n: number): Post[] => Array.from({ length: n }, () => post);
  return ['principal', ...times('vice_principal', vice), ...times('teacher', teachers), ...times('caregiver', caregivers), ...times('health', health), ...times('nutrition', nutrition)];
}

function draftMember(rng: Rng, registry: Registry, org: DemoOrg, kindergarten: KindergartenProfile, post: Post, key: string, seniority: Seniority): StaffMember {
  const profile = PROFILES[post as Exclude<Post, 'other'>];
  const veteran = seniority === 'veteran';
  const gender: Gender = veteran || rng.chance(profile.femaleShare) ? 'female' : 'male';
  const educationLevel = veteran ? 'master' : rng.weighted(profile.education);
  const hireAge = HIRE_AGE[educationLevel] + (veteran ? 0 : rng.weighted([[0, 6], [1, 2], [2, 1], [3, 1]]));
  const earliest = Math.max(profile.birthYears[0], gender === 'female' ? FEMALE_MIN_BIRTH_YEAR : 0);
  const latest = veteran ? earliest + 2 : Math.min(seniority === 'experienced' ? EXPERIENCED_BORN_BY : profile.birthYears[1], AS_OF_YEAR - hireAge);
  // Teachers skew young: the district keeps opening kindergartens.
  const span = latest - earliest + 1;
  const birthYear = post === 'teacher' && seniority === 'any' ? latest - Math.floor(rng.next() ** 1.4 * span) : rng.int(earliest, latest);
  const birthDate = isoDate(birthYear, rng.int(1, 12), rng.int(1, 28));
  const teaching = post === 'teacher' || post === 'principal' || post === 'vice_principal';
  const hireYear = birthYear + hireAge;
  const hireDate = teaching ? isoDate(hireYear, 8, rng.int(1, 5)) : isoDate(hireYear, rng.int(1, 12), rng.int(1, 28));

  const person: DemoPerson = {
    id: demoUuid(`person:${key}`),
    districtId: org.districtId,
    fullName: unique(registry.names, () => randomName(rng, gender)),
    gender,
    birthDate,
    nationalId: unique(registry.nationalIds, () => nationalId(rng, birthDate, gender)),
    phone: unique(registry.phones, () => rng.pick(PHONE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0')),
    educationLevel,
    preschoolMajor: educationLevel === 'master' && teaching ? true : rng.chance(profile.preschoolMajor),
    hireDate,
    teacherStage: null,
    principalStage: null,
  };
  const appointedOn = post === 'principal' ? isoDate(Math.min(hireYear + (veteran ? 8 : rng.int(10, 20)), AS_OF_YEAR), 8, 1)
    : post === 'vice_principal' ? isoDate(Math.min(hireYear + rng.int(6, 15), AS_OF_YEAR), 8, 1) : null;
  const member: StaffMember = { key, person, post, kindergarten, appointedOn, employments: [], titles: [] };
  member.employments = employmentsFor(rng, org, member);
  return member;
}

/** The current employment, preceded by the teaching post of a principal or, for a few, a post elsewhere. */
function employmentsFor(rng: Rng, org: DemoOrg, member: StaffMember): DemoEmployment[] {
  const { person, post, kindergarten, appointedOn, key } = member;
  const elsewhere = (): KindergartenProfile => rng.pick(org.kindergartens.filter((k) => k !== kindergarten));
  const row = (n: number, at: KindergartenProfile, rowPost: Post, startDate: string, endDate: string | null, note: string | null): DemoEmployment => ({
    id: demoUuid(`employment:${key}:${n}`), personId: person.id, orgUnitId: at.unit.id, districtId: org.districtId, post: rowPost, startDate, endDate, note,
  });
  if (appointedOn) {
    const earlier = rng.chance(0.4) ? elsewhere() : kindergarten;
    const note = post === 'principal' ? `任${kindergarten.unit.name}园长` : `任${kindergarten.unit.name}副园长`;
    return [row(1, earlier, 'teacher', person.hireDate, addDays(appointedOn, -1), note), row(2, kindergarten, post, appointedOn, null, null)];
  }
  const hireYear = yearOf(person.hireDate);
  if (hireYear <= AS_OF_YEAR - 4 && rng.chance(MOVED_SHARE)) {
    const moved = isoDate(rng.int(hireYear + 2, AS_OF_YEAR - 1), 8, 1);
    return [
      row(1, elsewhere(), post, person.hireDate, addDays(moved, -1), `调入${kindergarten.unit.name}`),
      row(2, kindergarten, post, moved, null, null),
    ];
  }
  return [row(1, kindergarten, post, person.hireDate, null, null)];
}

/** An 18-character ID of a Qingpu-born person (310118) whose birth date and sex digit match the person. */
function nationalId(rng: Rng, birthDate: string, gender: Gender): string {
  const sexDigit = 2 * rng.int(0, 4) + (gender === 'male' ? 1 : 0);
  const first17 = `310118${birthDate.replaceAll('-', '')}${String(rng.int(0, 99)).padStart(2, '0')}${sexDigit}`;
  return first17 + nationalIdCheckChar(first17);
}

function unique(taken: Set<string>, make: () => string): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const value = make();
    if (!taken.has(value)) {
      taken.add(value);
      return value;
    }
  }
  throw new Error('Demo data: ran out of unique values');
}
