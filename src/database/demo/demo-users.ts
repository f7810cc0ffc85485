import type { Role } from '../../modules/auth/auth.entities.js';
import type { StaffMember } from './demo-careers.js';
import type { DemoOrg } from './demo-org.js';
import { demoUuid } from './demo-random.js';
import type { DemoRoleAssignment, DemoUser } from './demo-types.js';

/** Fixed logins for trying the app in each role. */
export const DEMO_USERNAMES = {
  districtAdmin: 'district_admin',
  kindergartenAdmin: 'kg_admin',
  groupAdmin: 'group_admin',
  trainer: 'trainer',
  expert: 'expert',
  teacher: 'teacher',
  cityAdmin: 'city_admin',
} as const;

/**
 * One login per staff member (t00001, t00002, … with the teacher role) and the named demo
 * logins: `kg_admin` is the first kindergarten's principal and `teacher` one of its teachers.
 */
export function buildUsers(org: DemoOrg, members: StaffMember[]): { users: DemoUser[]; roleAssignments: DemoRoleAssignment[] } {
  const users: DemoUser[] = [];
  const roleAssignments: DemoRoleAssignment[] = [];
  const addUser = (username: string, displayName: string, personId: string | null, roles: Array<[Role, string | null, string | null]>): void => {
    const id = demoUuid(`user:${username}`);
    users.push({ id, username, personId, displayName, locale: 'zh-CN' });
    for (const [role, orgUnitId, groupId] of roles) {
      roleAssignments.push({ id: demoUuid(`role:${username}:${role}`), userId: id, role, orgUnitId, groupId });
    }
  };

  const firstKindergarten = org.kindergartens[0].unit;
  const atFirst = members.filter((m) => m.kindergarten.unit.id === firstKindergarten.id);
  const principal = atFirst.find((m) => m.post === 'principal');
  const teacher = atFirst.find((m) => m.post === 'teacher');
  if (!principal || !teacher) throw new Error('Demo data: the first kindergarten needs a principal and a teacher');

  addUser(DEMO_USERNAMES.districtAdmin, '青浦区教育局管理员', null, [['district_admin', org.districtId, null]]);
  addUser(DEMO_USERNAMES.kindergartenAdmin, principal.person.fullName, principal.person.id, [
    ['kindergarten_admin', firstKindergarten.id, null],
    ['teacher', firstKindergarten.id, null],
  ]);
  addUser(DEMO_USERNAMES.groupAdmin, `${org.groups[0].name}管理员`, null, [['group_admin', null, org.groups[0].id]]);
  addUser(DEMO_USERNAMES.trainer, '青浦区教师进修学院培训师', null, [['trainer', org.districtId, null]]);
  addUser(DEMO_USERNAMES.expert, '学前教育专家', null, [['expert', null, null]]);
  addUser(DEMO_USERNAMES.teacher, teacher.person.fullName, teacher.person.id, [['teacher', firstKindergarten.id, null]]);
  // City staff: the district_admin role held at the city unit (oversees the districts' lecture-series filings).
  addUser(DEMO_USERNAMES.cityAdmin, '上海市教育委员会管理员', null, [['district_admin', org.cityId, null]]);

  let serial = 0;
  for (const member of members) {
    if (member === principal || member === teacher) continue;
    serial += 1;
    addUser(`t${String(serial).padStart(5, '0')}`, member.person.fullName, member.person.id, [['teacher', member.kindergarten.unit.id, null]]);
  }
  return { users, roleAssignments };
}
