import { startTestApp, type TestApp } from '../support/test-app.js';
import { sessionTokens } from '../support/offering-fixtures.js';
import { PDF, csrfOf } from '../support/submission-fixtures.js';
import { cohortFixtures } from '../support/cohort-fixtures.js';
import { shanghaiDate } from '../../src/common/dates.js';

describe('cohort teams: hosts, plans, milestones and outputs', () => {
  let t: TestApp;
  let fx: ReturnType<typeof cohortFixtures>;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  let programId: string;
  let members: Record<string, string>;
  let teamId: string;
  let courseId: string;
  let otherAdmin: string;
  const today = shanghaiDate();

  const createTeam = (username: string, body: Record<string, unknown>, id = programId) =>
    t.http().post(`/api/programs/${id}/teams`).set(as(username)).send(body);
  const space = (username: string, id = teamId) => t.http().get(`/api/teams/${id}`).set(as(username));
  const teamCount = () => fx.count(`SELECT count(*) AS n FROM program_team WHERE program_id = $1`, [programId]);

  beforeAll(async () => {
    t = await startTestApp();
    fx = cohortFixtures(t.db.pool);
    otherAdmin = (await fx.otherDistrict()).admin;
    for (const [name, token] of await sessionTokens(t.db.pool, ['district_admin', 'teacher', 't00001', 't00002', 't00003', 't00040', otherAdmin])) {
      tokens.set(name, token);
    }
    programId = (await fx.program()).id;
    members = {
      t00002: await fx.member(programId, 't00002'),
      t00003: await fx.member(programId, 't00003'),
      teacher: await fx.member(programId, 'teacher'),
    };
    courseId = await fx.courseId('QP26-ETH-01');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('needs a host (400 naming hostPersonId, nothing written), then creates the team once with members, base and required courses', async () => {
    const noHost = await createTeam('district_admin', { name: '朱悦红种子研修团队', memberIds: [members.t00002] }).expect(400);
    expect(noHost.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['hostPersonId']);
    expect(await teamCount()).toBe(0);
    expect(await fx.count(`SELECT count(*) AS n FROM program_member WHERE program_id = $1 AND team_id IS NOT NULL`, [programId])).toBe(0);

    // Only district staff create teams; another district's staff do not even see the program.
    const host = await fx.personId('t00001');
    const body = {
      name: '朱悦红种子研修团队', hostPersonId: host, memberIds: [members.t00002, members.t00003], baseOrgUnitId: await fx.orgUnitId('SH-QP-K001'),
      baseName: '青浦区实验幼儿园基地', requiredCourseIds: [courseId], creditTarget: 8,
    };
    await createTeam('teacher', body).expect(403);
    await createTeam(otherAdmin, body).expect(404);
    const unknownCourse = await createTeam('district_admin', { ...body, requiredCourseIds: [courseId, host] }).expect(400);
    expect(unknownCourse.body.error.details.fields[0].field).toBe('requiredCourseIds[1]');
    expect(await teamCount()).toBe(0);

    const created = await createTeam('district_admin', body).expect(201);
    teamId = created.body.id;
    expect(created.body).toMatchObject({ name: body.name, hostPersonId: host, baseName: body.baseName, requiredCourseIds: [courseId], creditTarget: 8 });
    expect((await createTeam('district_admin', body).expect(200)).body.id).toBe(teamId);
    expect(await teamCount()).toBe(1);
    const patched = (await t.http().patch(`/api/teams/${teamId}`).set(as('district_admin')).send({ version: 1, baseName: '青浦区实验幼儿园研修基地' }).expect(200)).body;
    expect(patched).toMatchObject({ version: 2, baseName: '青浦区实验幼儿园研修基地', creditTarget: 8 });
    expect((await t.http().patch(`/api/teams/${teamId}`).set(as('district_admin')).send({ version: 1, name: '改名' }).expect(409)).body.error.code)
      .toBe('TEAM_VERSION_CONFLICT');
    await t.http().patch(`/api/teams/${teamId}`).set(as('teacher')).send({ version: 2, name: '改名' }).expect(403);

    // A member is in at most one team.
    const second = await createTeam('district_admin', { name: '第二团队', hostPersonId: host, memberIds: [members.t00002] }).expect(409);
    expect(second.body.error.code).toBe('MEMBER_IN_OTHER_TEAM');
    expect(await teamCount()).toBe(1);
    const roster = (await t.http().get(`/api/programs/${programId}/cohort`).set(as('district_admin')).expect(200)).body;
    expect(roster.teams).toEqual([expect.objectContaining({ id: teamId, activeMembers: 2 })]);
    expect(roster.withoutTeam.map((m: { id: string }) => m.id)).toEqual([members.teacher]);
  });

  it('shows the team space to its host and members with progress, and to nobody else', async () => {
    await fx.credit('t00002', 2.5, today);
    await fx.credit('t00002', 4, '2025-06-01'); // before the program period
    await fx.completeCourse('t00002', 'QP26-ETH-01');
    const host = (await space('t00001').expect(200)).body;
    expect(host.viewer).toMatchObject({ isHost: true, isStaff: false, canEditPlan: true, canSubmit: false });
    const progress = host.members.find((m: { id: string }) => m.id === members.t00002);
    expect(progress).toMatchObject({ creditsEarned: 2.5, creditTarget: 8, creditsMet: false, coursesDone: 1, coursesRequired: 1, assessment: null });
    expect(host.members.find((m: { id: string }) => m.id === members.t00003)).toMatchObject({ creditsEarned: 0, coursesDone: 0 });

    const member = (await space('t00002').expect(200)).body;
    expect(member.viewer).toMatchObject({ isHost: false, canEditPlan: false, canSubmit: true, memberId: members.t00002 });
    expect(member.members.find((m: { id: string }) => m.id === members.t00002).assessment).toEqual(expect.objectContaining({ finalResult: null }));
    expect(member.members.find((m: { id: string }) => m.id === members.t00003).assessment).toBeNull();

    // A member of the program outside the team, a teacher elsewhere, another district: 404.
    for (const outsider of ['teacher', 't00040', otherAdmin]) await space(outsider).expect(404);
    await t.http().put(`/api/teams/${teamId}/plan`).set(as('t00040')).send({ version: 1, goals: 'x' }).expect(404);
  });

  it('keeps the five-part plan with an optimistic version: a stale edit is 409 and changes nothing', async () => {
    const { version } = (await space('t00001').expect(200)).body.team;
    const plan = { basis: '团队成员均为青年骨干', goals: '三年内形成区级优秀课例', content: '户外自主游戏观察', schedule: '每月一次集中研修', expectedOutputs: '研究报告一份' };
    await t.http().put(`/api/teams/${teamId}/plan`).set(as('t00002')).send({ version, ...plan }).expect(403);
    const saved = (await t.http().put(`/api/teams/${teamId}/plan`).set(as('t00001')).send({ version, ...plan }).expect(200)).body;
    expect(saved.plan).toEqual(plan);
    expect(saved.version).toBe(version + 1);

    const stale = await t.http().put(`/api/teams/${teamId}/plan`).set(as('district_admin')).send({ version, goals: '改写的目标' }).expect(409);
    expect(stale.body.error.code).toBe('TEAM_VERSION_CONFLICT');
    expect((await space('t00001').expect(200)).body.team.plan).toEqual(plan);

    // On the page the stale edit keeps what was typed, next to what is saved.
    const browser = await t.signInPages('t00001');
    const page = await browser.get(`/teams/${teamId}`).expect(200);
    expect(page.text).toContain('团队成员均为青年骨干');
    const conflict = await browser.post(`/teams/${teamId}/plan`).type('form')
      .send({ _csrf: csrfOf(page.text), version: String(version), ...plan, goals: '我刚写的新目标' }).expect(409);
    expect(conflict.text).toContain('我刚写的新目标');
    expect(conflict.text).toContain('data-testid="plan-error"');
    expect((await space('t00001').expect(200)).body.team.plan.goals).toBe(plan.goals);
  });

  it('has milestones kept by the host, once per title and date', async () => {
    const url = `/api/teams/${teamId}/milestones`;
    const bad = await t.http().post(url).set(as('t00001')).send({ title: '开题论证', dueOn: '2026-02-30' }).expect(400);
    expect(bad.body.error.details.fields[0].field).toBe('dueOn');
    await t.http().post(url).set(as('t00002')).send({ title: '开题论证', dueOn: '2026-03-15' }).expect(403);
    const created = (await t.http().post(url).set(as('t00001')).send({ title: '开题论证', dueOn: '2026-03-15', note: '邀请专家' }).expect(201)).body;
    expect((await t.http().post(url).set(as('t00001')).send({ title: '开题论证', dueOn: '2026-03-15' }).expect(200)).body.id).toBe(created.id);
    expect(await fx.count(`SELECT count(*) AS n FROM program_milestone WHERE team_id = $1`, [teamId])).toBe(1);
    const done = (await t.http().patch(`/api/milestones/${created.id}`).set(as('district_admin')).send({ doneOn: '2026-03-14' }).expect(200)).body;
    expect(done).toMatchObject({ title: '开题论证', dueOn: '2026-03-15', doneOn: '2026-03-14', note: '邀请专家' });
    await t.http().patch(`/api/milestones/${created.id}`).set(as('t00040')).send({ doneOn: '2026-03-14' }).expect(404);
    expect((await space('t00003').expect(200)).body.milestones).toEqual([expect.objectContaining({ title: '开题论证', doneOn: '2026-03-14' })]);
  });

  it('takes outputs from members with files; the host returns them with a comment or accepts them once', async () => {
    const submit = (username: string, fields: Record<string, string>) => {
      let request = t.http().post(`/api/teams/${teamId}/outputs`).set(as(username));
      for (const [key, value] of Object.entries(fields)) request = request.field(key, value);
      return request.attach('files', PDF, { filename: '户外游戏研究报告.pdf', contentType: 'application/pdf' });
    };
    const fields = { kind: 'research_report', title: '户外自主游戏观察研究', occurredOn: today, description: '阶段性研究报告' };
    const outputs = () => fx.count(`SELECT count(*) AS n FROM program_output WHERE team_id = $1`, [teamId]);
    expect((await submit('t00002', { ...fields, kind: 'poster' }).expect(400)).body.error.details.fields[0].field).toBe('kind');
    expect((await submit('t00001', fields).expect(403)).body.error.code).toBe('TEAM_MEMBERS_ONLY');
    await submit('t00040', fields).expect(404);
    expect(await outputs()).toBe(0);
    expect(await fx.count(`SELECT count(*) AS n FROM stored_file WHERE purpose = 'program_output'`)).toBe(0);

    const output = (await submit('t00002', fields).expect(201)).body;
    expect(output).toMatchObject({ status: 'submitted', personId: await fx.personId('t00002'), kind: 'research_report' });
    expect((await submit('t00002', fields).expect(200)).body.id).toBe(output.id);
    expect(await outputs()).toBe(1);
    const [file] = output.fileIds;
    await t.http().get(`/api/files/${file}`).set(as('t00001')).expect(200);
    await t.http().get(`/api/files/${file}`).set(as('t00040')).expect(404);

    const decide = (username: string, decision: 'accept' | 'return', body: Record<string, unknown> = {}) =>
      t.http().post(`/api/outputs/${output.id}/${decision}`).set(as(username)).send(body);
    await decide('t00003', 'accept').expect(403);
    await decide('t00040', 'accept').expect(404);
    expect((await decide('t00001', 'return').expect(400)).body.error.details.fields[0].field).toBe('comment');
    expect((await decide('t00001', 'return', { comment: '请补充观察记录' }).expect(200)).body).toMatchObject({ status: 'returned', reviewComment: '请补充观察记录' });
    expect((await decide('t00001', 'accept').expect(409)).body.error.code).toBe('OUTPUT_RETURNED');

    const again = (await submit('t00002', { ...fields, description: '补充了观察记录' }).expect(201)).body;
    const accepts = await Promise.all([
      t.http().post(`/api/outputs/${again.id}/accept`).set(as('t00001')).send({}),
      t.http().post(`/api/outputs/${again.id}/accept`).set(as('district_admin')).send({}),
    ]);
    expect(accepts.map((r) => [r.status, r.body.status])).toEqual([[200, 'accepted'], [200, 'accepted']]);
    expect(await fx.count(`SELECT count(*) AS n FROM audit_log WHERE entity_id = $1 AND action = 'programs.output.accept'`, [again.id])).toBe(1);
    const refused = await t.http().post(`/api/outputs/${again.id}/return`).set(as('t00001')).send({ comment: '再改' }).expect(409);
    expect(refused.body.error.code).toBe('OUTPUT_ALREADY_ACCEPTED');
  });

  it('serves the cohort page to district staff only and the team space page on the site', async () => {
    const admin = await t.signInPages('district_admin');
    const cohort = await admin.get(`/programs/${programId}/cohort`).expect(200);
    expect(cohort.text).toContain('朱悦红种子研修团队');
    expect(cohort.text).toContain('data-testid="assign-form"');
    const teacher = await t.signInPages('t00040');
    await teacher.get(`/programs/${programId}/cohort`).expect(403);
    await teacher.get(`/teams/${teamId}`).expect(404);

    // Creating a team from the page without a host keeps the typed name and names the host field.
    const failed = await admin.post(`/programs/${programId}/cohort/teams`).type('form')
      .send({ _csrf: csrfOf(cohort.text), name: '页面新建团队', hostPersonId: '' }).expect(400);
    expect(failed.text).toContain('value="页面新建团队"');
    expect(failed.text).toContain('data-field-error="hostPersonId"');
    expect(await teamCount()).toBe(1);

    const assigned = await admin.post(`/programs/${programId}/cohort/assign`).type('form')
      .send({ _csrf: csrfOf(cohort.text), teamId, memberIds: members.teacher }).expect(303);
    expect(assigned.headers.location).toBe(`/programs/${programId}/cohort#members`);
    expect((await space('teacher').expect(200)).body.viewer.canSubmit).toBe(true);
  });
});
