import { parseNationalId } from '../../common/national-id.js';
import { buildDemoDataset, DEMO_TODAY, DEMO_USERNAMES, type DemoDataset, type DemoEmployment } from './demo-data.js';

const SENIOR = new Set(['senior', 'professorial']);

describe('buildDemoDataset', () => {
  let data: DemoDataset;
  let current: Map<string, DemoEmployment>;

  beforeAll(() => {
    data = buildDemoDataset();
    current = new Map(data.employments.filter((e) => e.endDate === null).map((e) => [e.personId, e]));
  });

  const operating = () => data.orgUnits.filter((u) => u.kind === 'kindergarten' && u.status === 'operating');
  const seniorPeople = () => new Set(data.titleRecords.filter((t) => SENIOR.has(t.title)).map((t) => t.personId));
  const staffOf = (kindergartenId: string) => [...current.values()].filter((e) => e.orgUnitId === kindergartenId);

  it('gives the same dataset for the same seed and other people for another seed', () => {
    expect(buildDemoDataset(20260101)).toEqual(data);
    const other = buildDemoDataset(7);
    expect(other.orgUnits.map((u) => u.id)).toEqual(data.orgUnits.map((u) => u.id));
    expect(other.people.map((p) => p.fullName)).not.toEqual(data.people.map((p) => p.fullName));
  });

  it('builds 上海市 → 青浦区 → 11 towns and 2 zones → 39 operating and 19 planned kindergartens', () => {
    const byKind = (kind: string) => data.orgUnits.filter((u) => u.kind === kind);
    expect(byKind('city').map((u) => [u.code, u.name])).toEqual([['SH', '上海市']]);
    expect(byKind('district').map((u) => [u.code, u.name])).toEqual([['SH-QP', '青浦区']]);
    expect(byKind('town').map((u) => u.name).sort()).toEqual(
      ['夏阳街道', '盈浦街道', '香花桥街道', '朱家角镇', '练塘镇', '金泽镇', '赵巷镇', '徐泾镇', '华新镇', '重固镇', '白鹤镇'].sort());
    expect(byKind('zone')).toHaveLength(2);
    expect(operating()).toHaveLength(39);
    expect(operating()[0]).toMatchObject({ code: 'SH-QP-K001', name: '上海市青浦区淀山湖幼儿园' });
    const planned = byKind('kindergarten').filter((u) => u.status === 'planned');
    expect(planned).toHaveLength(19);
    expect(planned[0]).toMatchObject({ code: 'SH-QP-N001', name: '中铁逸都幼儿园', openingYear: 2024, kindergartenClasses: 10, nurseryClasses: 4, childrenEnrolled: 0 });
  });

  it('keeps paths, depths and district ids consistent with the parents', () => {
    const byId = new Map(data.orgUnits.map((u) => [u.id, u]));
    const district = data.orgUnits.find((u) => u.kind === 'district')!;
    for (const unit of data.orgUnits) {
      const parent = unit.parentId ? byId.get(unit.parentId)! : null;
      expect(unit.path).toBe(`${parent?.path ?? '/'}${unit.id}/`);
      expect(unit.depth).toBe(parent ? parent.depth + 1 : 0);
      expect(unit.districtId).toBe(unit.kind === 'city' ? null : district.id);
      if (unit.kind === 'kindergarten') expect(parent?.kind).toBe('town');
    }
  });

  it('gives every person a valid national ID matching their birth date and sex, and a mobile number', () => {
    for (const person of data.people) {
      expect(person.nationalId.startsWith('310118')).toBe(true);
      expect(parseNationalId(person.nationalId)).toEqual({ birthDate: person.birthDate, gender: person.gender });
      expect(person.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(person.birthDate >= '1965-01-01' && person.birthDate <= '2002-12-31').toBe(true);
      const eighteen = `${Number(person.birthDate.slice(0, 4)) + 18}${person.birthDate.slice(4)}`;
      expect(person.hireDate >= eighteen).toBe(true);
    }
    expect(new Set(data.people.map((p) => p.nationalId)).size).toBe(data.people.length);
    expect(new Set(data.people.map((p) => p.phone)).size).toBe(data.people.length);
  });

  it('employs everyone at one operating kindergarten now, with earlier posts for some', () => {
    const kindergartens = new Set(operating().map((u) => u.id));
    for (const person of data.people) {
      const mine = data.employments.filter((e) => e.personId === person.id);
      expect(mine.filter((e) => e.endDate === null)).toHaveLength(1);
      for (const e of mine) {
        expect(kindergartens.has(e.orgUnitId)).toBe(true);
        expect(e.startDate >= person.hireDate).toBe(true);
        if (e.endDate) expect(e.endDate >= e.startDate).toBe(true);
      }
    }
    const sizes = operating().map((u) => staffOf(u.id).length);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(30);
    for (const u of operating()) expect(staffOf(u.id).filter((e) => e.post === 'principal')).toHaveLength(1);
    const movedTeachers = data.employments.filter((e) => e.endDate && current.get(e.personId)!.orgUnitId !== e.orgUnitId && current.get(e.personId)!.post === 'teacher');
    expect(movedTeachers.length).toBeGreaterThan(5);
  });

  it('leaves some public kindergartens without a senior-title teacher while most have one', () => {
    const senior = seniorPeople();
    const publicOnes = operating().filter((u) => u.ownership === 'public');
    const withoutAny = publicOnes.filter((u) => !staffOf(u.id).some((e) => senior.has(e.personId)));
    const withTeacher = publicOnes.filter((u) => staffOf(u.id).some((e) => e.post === 'teacher' && senior.has(e.personId)));
    expect(withoutAny.length).toBeGreaterThanOrEqual(6);
    expect(withoutAny.length).toBeLessThanOrEqual(8);
    expect(withTeacher.length).toBe(publicOnes.length - withoutAny.length);
    const professorial = data.titleRecords.filter((t) => t.title === 'professorial');
    expect(professorial.length).toBeGreaterThanOrEqual(1);
    expect(professorial.length).toBeLessThanOrEqual(2);
  });

  it('gives titles only to teaching staff, in rising order', () => {
    const rank = ['third', 'second', 'first', 'senior', 'professorial'];
    for (const person of data.people) {
      const titles = data.titleRecords.filter((t) => t.personId === person.id);
      const post = current.get(person.id)!.post;
      if (!['teacher', 'principal', 'vice_principal'].includes(post)) expect(titles).toEqual([]);
      const ranks = titles.map((t) => rank.indexOf(t.title));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(titles.map((t) => t.effectiveDate)).toEqual(titles.map((t) => t.effectiveDate).sort());
    }
  });

  it('puts every public operating kindergarten in exactly one group led by a demonstration kindergarten', () => {
    const byId = new Map(data.orgUnits.map((u) => [u.id, u]));
    expect(data.groups).toHaveLength(7);
    const publicIds = operating().filter((u) => u.ownership === 'public').map((u) => u.id).sort();
    expect(data.groupMembers.map((m) => m.kindergartenId).sort()).toEqual(publicIds);
    for (const group of data.groups) {
      const members = data.groupMembers.filter((m) => m.groupId === group.id);
      expect(members.length).toBeGreaterThanOrEqual(4);
      expect(members.length).toBeLessThanOrEqual(7);
      const leads = members.filter((m) => m.isLead);
      expect(leads).toHaveLength(1);
      expect(['city_demonstration', 'district_demonstration']).toContain(byId.get(leads[0].kindergartenId)!.grade);
    }
  });

  it('holds the certificate of each post, with numbers unique per kind and a few principals missing training', () => {
    const kinds = (personId: string) => data.certificates.filter((c) => c.personId === personId).map((c) => c.kind);
    const required: Record<string, string> = { teacher: 'teacher_qualification', principal: 'teacher_qualification', vice_principal: 'teacher_qualification', caregiver: 'caregiver', health: 'health_care' };
    for (const [personId, employment] of current) {
      if (required[employment.post]) expect(kinds(personId)).toContain(required[employment.post]);
    }
    const numbers = data.certificates.map((c) => `${c.kind}:${c.number}`);
    expect(new Set(numbers).size).toBe(numbers.length);
    const leaders = [...current.values()].filter((e) => e.post === 'principal' || e.post === 'vice_principal');
    const untrained = leaders.filter((e) => !kinds(e.personId).includes('principal_training'));
    expect(untrained.length).toBeGreaterThan(0);
    expect(untrained.length).toBeLessThan(leaders.length / 4);
  });

  it('records stages and honours', () => {
    const valid = { teacher: ['novice', 'competent', 'backbone'], principal: ['reserve', 'new', 'growing', 'mature', 'expert'] };
    for (const record of data.stageRecords) expect(valid[record.kind]).toContain(record.stage);
    for (const person of data.people) {
      const post = current.get(person.id)!.post;
      expect(person.teacherStage !== null).toBe(post === 'teacher');
      expect(person.principalStage !== null).toBe(post === 'principal' || post === 'vice_principal');
    }
    expect(data.honours.filter((h) => h.honour === 'special_principal')).toHaveLength(1);
    expect(data.honours.filter((h) => h.honour === 'district_backbone').length).toBeGreaterThan(0);
    expect(data.honours.filter((h) => h.honour === 'subject_leader').length).toBeGreaterThan(0);
  });

  it('gives one login per staff member plus the named demo logins', () => {
    const usernames = data.users.map((u) => u.username.toLowerCase());
    expect(new Set(usernames).size).toBe(usernames.length);
    expect(data.users.filter((u) => u.personId).map((u) => u.personId).sort()).toEqual(data.people.map((p) => p.id).sort());
    expect(data.users.filter((u) => /^t\d{5}$/.test(u.username))).toHaveLength(data.people.length - 2);
    const user = (username: string) => data.users.find((u) => u.username === username)!;
    const roles = (username: string) => data.roleAssignments.filter((r) => r.userId === user(username).id).map((r) => r.role).sort();
    const firstKindergarten = operating()[0].id;
    expect(current.get(user(DEMO_USERNAMES.kindergartenAdmin).personId!)).toMatchObject({ post: 'principal', orgUnitId: firstKindergarten });
    expect(current.get(user(DEMO_USERNAMES.teacher).personId!)).toMatchObject({ post: 'teacher', orgUnitId: firstKindergarten });
    for (const name of [DEMO_USERNAMES.districtAdmin, DEMO_USERNAMES.groupAdmin, DEMO_USERNAMES.trainer, DEMO_USERNAMES.expert, DEMO_USERNAMES.cityAdmin]) {
      expect(user(name).personId).toBeNull();
    }
    expect(roles('district_admin')).toEqual(['district_admin']);
    expect(roles('city_admin')).toEqual(['district_admin']);
    expect(data.roleAssignments.find((r) => r.userId === user('city_admin').id)!.orgUnitId).toBe(data.orgUnits.find((u) => u.kind === 'city')!.id);
    expect(roles('kg_admin')).toEqual(['kindergarten_admin', 'teacher']);
    expect(roles('group_admin')).toEqual(['group_admin']);
    expect(data.roleAssignments.find((r) => r.role === 'group_admin')!.groupId).toBe(data.groups[0].id);
    expect(roles('trainer')).toEqual(['trainer']);
    expect(roles('expert')).toEqual(['expert']);
    expect(new Set(data.roleAssignments.map((r) => r.id)).size).toBe(data.roleAssignments.length);
  });

  it('gives the demo teacher two seats and their kindergarten admin three requests to approve', () => {
    const teacher = data.users.find((u) => u.username === DEMO_USERNAMES.teacher)!;
    const own = data.enrollments.filter((e) => e.personId === teacher.personId);
    expect(own.map((e) => e.status)).toEqual(['enrolled', 'enrolled']);
    const pending = data.enrollments.filter((e) => e.status === 'pending_approval');
    expect(pending).toHaveLength(3);
    expect(new Set(pending.map((e) => e.kindergartenId))).toEqual(new Set([own[0].kindergartenId]));
    expect(data.enrollmentEvents).toHaveLength(data.enrollments.length);
  });

  it('stages the 8th round: a seed program taking applications, a running talent program and a caregivers\' contest taking entries', () => {
    const program = (tier: string) => data.programs.find((p) => p.tier === tier)!;
    const [seed, talent, contest] = [program('seed'), program('talent'), program('contest')];
    expect(data.programs).toHaveLength(3);
    expect([seed.status, talent.status, contest.status]).toEqual(['published', 'running', 'published']);
    expect([seed.round, talent.round, seed.kind, talent.kind, contest.kind]).toEqual([8, 8, 'cohort', 'cohort', 'contest']);
    expect(new Set(data.programs.map((p) => p.code)).size).toBe(3);
    const noon = Date.parse(`${DEMO_TODAY}T12:00:00+08:00`);
    const open = (p: typeof seed) => Date.parse(p.applicationsOpenAt) < noon && noon < Date.parse(p.applicationsCloseAt);
    expect([open(seed), open(talent), open(contest)]).toEqual([true, false, true]);
    for (const p of data.programs) {
      expect(p.endsOn > p.startsOn).toBe(true);
      expect(p.districtId).toBe(data.orgUnits.find((u) => u.kind === 'district')!.id);
    }
    expect(seed.startsOn > DEMO_TODAY).toBe(true);
    expect(talent.startsOn <= DEMO_TODAY && DEMO_TODAY <= talent.endsOn).toBe(true);
    expect(Date.parse(talent.selectionClosedAt!)).toBeLessThan(Date.parse(`${talent.startsOn}T00:00:00+08:00`));
    expect(contest.startsOn > DEMO_TODAY && Date.parse(contest.applicationsCloseAt) < Date.parse(`${contest.startsOn}T00:00:00+08:00`)).toBe(true);
    expect(contest.contestPosts).toEqual(['caregiver']);
    expect(seed.eligibility).toMatchObject({ maxAge: 40, noEthicsBlock: true });
    for (const p of data.programs) expect(p.criteria.reduce((sum, c) => sum + c.maxScore, 0)).toBe(100);
    expect([seed.credits, talent.credits, contest.credits].every((c) => c > 0)).toBe(true);
  });

  it('gives the talent program one team: a senior-title host, four backbone teachers, a plan, two milestones and an accepted output', () => {
    const talent = data.programs.find((p) => p.tier === 'talent')!;
    const titleOf = (personId: string) => data.titleRecords.filter((t) => t.personId === personId).at(-1)?.title;
    expect(data.programTeams).toHaveLength(1);
    const [team] = data.programTeams;
    expect(team.programId).toBe(talent.id);
    expect(titleOf(team.hostPersonId)).toBe('senior');
    expect(current.get(team.hostPersonId)).toMatchObject({ post: 'teacher', orgUnitId: team.baseOrgUnitId });
    expect(Object.keys(team.plan)).toEqual(['basis', 'goals', 'content', 'schedule', 'expectedOutputs']);
    for (const part of Object.values(team.plan)) expect((part as string).length).toBeGreaterThan(20);
    const members = data.programMembers.filter((m) => m.teamId === team.id);
    expect(members).toHaveLength(data.programMembers.length);
    expect(members.length).toBeGreaterThanOrEqual(3);
    expect(members.length).toBeLessThanOrEqual(4);
    expect(members.map((m) => m.personId)).not.toContain(team.hostPersonId);
    expect(new Set(members.map((m) => current.get(m.personId)!.orgUnitId)).size).toBe(members.length);
    for (const m of members) {
      expect(m).toMatchObject({ programId: talent.id, status: 'active', joinedOn: talent.startsOn });
      expect(current.get(m.personId)!.post).toBe('teacher');
      expect(titleOf(m.personId)).toBe('first');
    }
    const named = data.users.filter((u) => u.username === DEMO_USERNAMES.teacher || u.username === DEMO_USERNAMES.kindergartenAdmin).map((u) => u.personId);
    expect(members.map((m) => m.personId).filter((id) => named.includes(id))).toEqual([]);
    expect(data.programMilestones.map((m) => [m.teamId, m.doneOn !== null])).toEqual([[team.id, true], [team.id, false]]);
    expect(data.programOutputs).toHaveLength(1);
    const [output] = data.programOutputs;
    const userOf = (personId: string) => data.users.find((u) => u.personId === personId)!.id;
    expect(output).toMatchObject({ teamId: team.id, status: 'accepted', reviewedBy: userOf(team.hostPersonId), createdBy: userOf(output.personId) });
    expect(members.map((m) => m.personId)).toContain(output.personId);
    expect(output.occurredOn <= DEMO_TODAY && output.reviewedAt! <= `${DEMO_TODAY}T23:59:59+08:00`).toBe(true);
  });
});
