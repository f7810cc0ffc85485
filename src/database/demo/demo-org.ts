import type { KindergartenGrade } from '../../modules/org/org-unit.entity.js';
import { demoUuid, rngFor, type Rng } from './demo-random.js';
import type { DemoGroup, DemoGroupMember, DemoOrgUnit } from './demo-types.js';

/** A row of the annex table of operating kindergartens (data/qingpu-kindergartens.csv). */
export interface OperatingKindergartenRow {
  no: number;
  name: string;
  town: string;
}

/** A row of the annex table of planned kindergartens (data/qingpu-new-kindergartens.csv). */
export interface PlannedKindergartenRow {
  no: number;
  name: string;
  town: string;
  kindergartenClasses: number;
  nurseryClasses: number;
  openYear: number;
}

/** An operating kindergarten with the facts the staff generator needs. */
export interface KindergartenProfile {
  unit: DemoOrgUnit;
  isLead: boolean;
  /** Public kindergarten left without any senior-title staff: the district's target gap. */
  seniorGap: boolean;
}

export interface DemoOrg {
  cityId: string;
  districtId: string;
  orgUnits: DemoOrgUnit[];
  groups: DemoGroup[];
  groupMembers: DemoGroupMember[];
  kindergartens: KindergartenProfile[];
}

export const CITY_CODE = 'SH';
export const DISTRICT_CODE = 'SH-QP';

const TOWNS: ReadonlyArray<readonly [string, string]> = [
  ['夏阳街道', 'Xiayang Subdistrict'], ['盈浦街道', 'Yingpu Subdistrict'], ['香花桥街道', 'Xianghuaqiao Subdistrict'],
  ['朱家角镇', 'Zhujiajiao Town'], ['练塘镇', 'Liantang Town'], ['金泽镇', 'Jinze Town'], ['赵巷镇', 'Zhaoxiang Town'],
  ['徐泾镇', 'Xujing Town'], ['华新镇', 'Huaxin Town'], ['重固镇', 'Chonggu Town'], ['白鹤镇', 'Baihe Town'],
];
const ZONES: ReadonlyArray<readonly [string, string]> = [['东片', 'East Zone'], ['西片', 'West Zone']];

/** Every 8th kindergarten of the annex is private; the rest are public. */
const PRIVATE_EVERY = 8;
const SENIOR_GAP_COUNT = 7;
const GROUP_NUMERALS = ['一', '二', '三', '四', '五', '六', '七'];

/**
 * The seven groups by annex number: a demonstration kindergarten leads its neighbours
 * (徐泾 ×2, 华新, 白鹤, 夏阳/盈浦, 香花桥/盈浦, 朱家角/练塘/金泽).
 */
const GROUP_PLAN: ReadonlyArray<{ lead: number; grade: KindergartenGrade; members: number[] }> = [
  { lead: 13, grade: 'city_demonstration', members: [9, 10, 11, 12] },
  { lead: 14, grade: 'district_demonstration', members: [36, 37, 4, 28] },
  { lead: 38, grade: 'district_demonstration', members: [7, 21, 22] },
  { lead: 20, grade: 'district_demonstration', members: [31, 23, 39] },
  { lead: 27, grade: 'city_demonstration', members: [6, 2, 3, 17, 18] },
  { lead: 35, grade: 'district_demonstration', members: [5, 34, 19, 33] },
  { lead: 25, grade: 'district_demonstration', members: [30, 15, 29, 1, 26] },
];

const code3 = (n: number): string => String(n).padStart(3, '0');
const code2 = (n: number): string => String(n).padStart(2, '0');
const idFor = (code: string): string => demoUuid(`org:${code}`);

function unit(fields: Partial<DemoOrgUnit> & Pick<DemoOrgUnit, 'id' | 'kind' | 'code' | 'name'>, parent: DemoOrgUnit | null, districtId: string | null): DemoOrgUnit {
  const path = `${parent?.path ?? '/'}${fields.id}/`;
  return {
    parentId: parent?.id ?? null, path, depth: path.split('/').length - 3, districtId,
    nameEn: null, ownership: null, inclusive: null, grade: null, status: null, foundedYear: null, openingYear: null,
    kindergartenClasses: null, nurseryClasses: null, childrenEnrolled: null, address: null,
    ...fields,
  };
}

/** 上海市 → 青浦区 → towns and zones → kindergartens, plus the seven kindergarten groups. */
export function buildOrg(seed: number, operating: OperatingKindergartenRow[], planned: PlannedKindergartenRow[]): DemoOrg {
  const rng = rngFor(seed, 'org');
  const city = unit({ id: idFor(CITY_CODE), kind: 'city', code: CITY_CODE, name: '上海市', nameEn: 'Shanghai' }, null, null);
  const districtId = idFor(DISTRICT_CODE);
  const district = unit({ id: districtId, kind: 'district', code: DISTRICT_CODE, name: '青浦区', nameEn: 'Qingpu District' }, city, districtId);
  const towns = new Map<string, DemoOrgUnit>();
  TOWNS.forEach(([name, nameEn], i) => {
    const code = `${DISTRICT_CODE}-T${code2(i + 1)}`;
    towns.set(name, unit({ id: idFor(code), kind: 'town', code, name, nameEn }, district, districtId));
  });
  const zones = ZONES.map(([name, nameEn], i) => {
    const code = `${DISTRICT_CODE}-Z${code2(i + 1)}`;
    return unit({ id: idFor(code), kind: 'zone', code, name, nameEn }, district, districtId);
  });
  const townOf = (name: string): DemoOrgUnit => {
    const town = towns.get(name);
    if (!town) throw new Error(`Demo data: unknown town ${name} in the kindergarten list`);
    return town;
  };

  const leads = new Map(GROUP_PLAN.map((g) => [g.lead, g.grade]));
  const isPublic = (no: number): boolean => no % PRIVATE_EVERY !== 0;
  const gapCandidates = operating.filter((row) => isPublic(row.no) && !leads.has(row.no)).map((row) => row.no);
  const gaps = new Set(rng.shuffle(gapCandidates).slice(0, SENIOR_GAP_COUNT));

  const kindergartens: KindergartenProfile[] = operating.map((row) => {
    const code = `${DISTRICT_CODE}-K${code3(row.no)}`;
    const isLead = leads.has(row.no);
    const publicOwned = isPublic(row.no);
    const grade: KindergartenGrade = leads.get(row.no)
      ?? (gaps.has(row.no) ? rng.weighted([['second', 5], ['third', 2], ['unrated', 1]])
        : publicOwned ? rng.weighted([['first', 5], ['second', 4], ['third', 1]])
          : rng.weighted([['second', 2], ['third', 2], ['unrated', 1]]));
    const kindergartenClasses = isLead ? rng.int(10, 15) : rng.int(6, 15);
    const nurseryClasses = rng.int(0, 3);
    const town = townOf(row.town);
    return {
      isLead,
      seniorGap: gaps.has(row.no),
      unit: unit({
        id: idFor(code), kind: 'kindergarten', code, name: row.name,
        ownership: publicOwned ? 'public' : 'private',
        inclusive: publicOwned || row.no % (PRIVATE_EVERY * 2) !== 0,
        grade, status: 'operating',
        foundedYear: isLead ? rng.int(1952, 1990) : rng.int(1978, 2021),
        kindergartenClasses, nurseryClasses,
        childrenEnrolled: kindergartenClasses * rng.int(25, 30) + nurseryClasses * rng.int(15, 20),
        address: `上海市青浦区${row.town}`,
      }, town, districtId),
    };
  });

  const plannedUnits = planned.map((row) => {
    const code = `${DISTRICT_CODE}-N${code3(row.no)}`;
    return unit({
      id: idFor(code), kind: 'kindergarten', code, name: row.name,
      ownership: 'public', inclusive: true, grade: 'unrated', status: 'planned', openingYear: row.openYear,
      kindergartenClasses: row.kindergartenClasses, nurseryClasses: row.nurseryClasses, childrenEnrolled: 0,
      address: `上海市青浦区${row.town}`,
    }, townOf(row.town), districtId);
  });

  const { groups, groupMembers } = buildGroups(rng, districtId, kindergartens, operating);
  return {
    cityId: city.id,
    districtId,
    orgUnits: [city, district, ...towns.values(), ...zones, ...kindergartens.map((k) => k.unit), ...plannedUnits],
    groups,
    groupMembers,
    kindergartens,
  };
}

function buildGroups(rng: Rng, districtId: string, kindergartens: KindergartenProfile[], rows: OperatingKindergartenRow[]): Pick<DemoOrg, 'groups' | 'groupMembers'> {
  const byNo = new Map(rows.map((row, i) => [row.no, kindergartens[i].unit]));
  const groups: DemoGroup[] = [];
  const groupMembers: DemoGroupMember[] = [];
  GROUP_PLAN.forEach((plan, i) => {
    const code = `${DISTRICT_CODE}-G${code2(i + 1)}`;
    const group: DemoGroup = { id: demoUuid(`group:${code}`), districtId, code, name: `青浦区第${GROUP_NUMERALS[i]}学前教育集团` };
    groups.push(group);
    for (const no of [plan.lead, ...plan.members]) {
      const member = byNo.get(no);
      if (!member || member.ownership !== 'public') throw new Error(`Demo data: group member ${no} is not a public kindergarten`);
      const isLead = no === plan.lead;
      groupMembers.push({ groupId: group.id, kindergartenId: member.id, isLead, joinedOn: isLead ? '2021-09-01' : rng.pick(['2021-09-01', '2022-09-01']) });
    }
  });
  const grouped = new Set(groupMembers.map((m) => m.kindergartenId));
  const missing = kindergartens.filter((k) => k.unit.ownership === 'public' && !grouped.has(k.unit.id));
  if (missing.length || grouped.size !== groupMembers.length) throw new Error('Demo data: the group plan must cover each public kindergarten once');
  return { groups, groupMembers };
}
