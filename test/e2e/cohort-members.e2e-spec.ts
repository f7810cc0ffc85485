import { startTestApp, type TestApp } from '../support/test-app.js';
import { sessionTokens } from '../support/offering-fixtures.js';
import { csrfOf } from '../support/submission-fixtures.js';
import { cohortFixtures } from '../support/cohort-fixtures.js';
import { shanghaiDate } from '../../src/common/dates.js';

describe('cohort members: assessments, completion, exits, moves, promotions and alumni', () => {
  let t: TestApp;
  let fx: ReturnType<typeof cohortFixtures>;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  let otherAdmin: string;
  let seed8: string;
  const today = shanghaiDate();

  const post = (path: string, username: string, body: Record<string, unknown>) => t.http().post(`/api/program-members/${path}`).set(as(username)).send(body);
  const assess = (memberId: string, body: Record<string, unknown>, username = 'district_admin') => post(`${memberId}/assessment`, username, body);
  const member = async (id: string) => (await t.db.pool.query(`SELECT * FROM program_member WHERE id = $1`, [id])).rows[0];
  const ledger = (memberId: string) => t.db.pool.query(`SELECT * FROM credit_entry WHERE source_key = $1`, [`program-member:${memberId}`]).then((r) => r.rows);
  const honours = (username: string, name: string) => fx.count(
    `SELECT count(*) AS n FROM person_honour h JOIN app_user u ON u.person_id = h.person_id WHERE u.username = $1 AND h.name = $2`, [username, name]);

  beforeAll(async () => {
    t = await startTestApp();
    fx = cohortFixtures(t.db.pool);
    otherAdmin = (await fx.otherDistrict()).admin;
    const users = ['district_admin', 'teacher', 't00001', 't00002', 't00003', 't00004', 't00005', 't00006', 't00040', otherAdmin];
    for (const [name, token] of await sessionTokens(t.db.pool, users)) tokens.set(name, token);
    seed8 = (await fx.program({ nameZh: '青浦区第八届种子计划', honourName: '青浦区第八届种子计划优秀学员', credits: 10, hours: 60 })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('closes a running program only once every member has a final outcome', async () => {
    const program = (await fx.program({ nameZh: '青浦区第八届拔尖计划（结束测试）', tier: 'talent' })).id;
    // Logins no other test of this file uses: their memberships must not leak into the later tests.
    const active = await fx.member(program, 't00071');
    await fx.member(program, 't00072', 'failed');
    const close = (username: string) => t.http().post(`/api/programs/${program}/close`).set(as(username));
    await close('teacher').expect(403);
    await close(otherAdmin).expect(404);
    const refused = await close('district_admin').expect(409);
    expect(refused.body.error).toMatchObject({ code: 'PROGRAM_HAS_ACTIVE_MEMBERS', details: { active: 1 } });
    expect((await t.db.pool.query('SELECT status FROM program WHERE id = $1', [program])).rows[0].status).toBe('running');
    await post(`${active}/exit`, 'district_admin', { reason: '调离本区' }).expect(200);
    expect((await close('district_admin').expect(200)).body.status).toBe('closed');
    expect((await close('district_admin').expect(200)).body.status).toBe('closed');
  });

  it('records mid-term results and shows members their own assessments', async () => {
    const id = await fx.member(seed8, 't00006');
    await assess(id, { stage: 'midterm', result: 'pass' }, 'teacher').expect(403);
    await assess(id, { stage: 'midterm', result: 'pass' }, otherAdmin).expect(404);
    expect((await assess(id, { stage: 'midterm', result: 'fail' }).expect(400)).body.error.details.fields[0].field).toBe('comment');
    expect((await assess(id, { stage: 'term', result: 'good' }).expect(400)).body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['stage', 'result']);
    expect((await member(id)).midterm_result).toBeNull();
    const answer = (await assess(id, { stage: 'midterm', result: 'excellent', comment: '开题扎实' }).expect(200)).body;
    expect(answer).toMatchObject({ changed: true, member: { midtermResult: 'excellent', midtermComment: '开题扎实', status: 'active' } });
    const mine = (await t.http().get('/api/me/program-memberships').set(as('t00006')).expect(200)).body;
    expect(mine.items).toEqual([expect.objectContaining({ id, midtermResult: 'excellent', midtermComment: '开题扎实', status: 'active' })]);
    expect((await t.http().get('/api/me/program-memberships').set(as('t00005')).expect(200)).body.items).toEqual([]);
    const page = await (await t.signInPages('t00006')).get('/teams').expect(200);
    expect(page.text).toContain('开题扎实');
    expect(page.text).toContain('青浦区第八届种子计划');
  });

  it('completes a member once: one ledger credit and one honour even when the final result arrives twice at once', async () => {
    const id = await fx.member(seed8, 't00002');
    const answers = await Promise.all([
      assess(id, { stage: 'final', result: 'excellent', comment: '成果突出' }),
      assess(id, { stage: 'final', result: 'excellent', comment: '成果突出' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => a.body.changed).sort()).toEqual([false, true]);
    const entries = await ledger(id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ source: 'program', title: '青浦区第八届种子计划', credits: '10.00', hours: '60.0', category: 'practice', level: 'district' });
    expect(await honours('t00002', '青浦区第八届种子计划优秀学员')).toBe(1);
    const row = await member(id);
    expect(row).toMatchObject({ status: 'completed', final_result: 'excellent', credit_entry_id: entries[0].id });
    expect(row.honour_id).not.toBeNull();

    expect((await assess(id, { stage: 'final', result: 'excellent' }).expect(200)).body.changed).toBe(false);
    expect((await assess(id, { stage: 'final', result: 'pass' }).expect(409)).body.error.code).toBe('FINAL_ALREADY_RECORDED');
    expect(await ledger(id)).toHaveLength(1);
    expect(await honours('t00002', '青浦区第八届种子计划优秀学员')).toBe(1);
  });

  it('names the honour after the program when it has no honour name, and fails a final fail without credit', async () => {
    const plain = (await fx.program({ nameZh: '青浦区骨干研修班', tier: 'talent' })).id;
    const passed = await fx.member(plain, 't00003');
    await assess(passed, { stage: 'final', result: 'pass' }).expect(200);
    expect(await honours('t00003', '青浦区骨干研修班结业')).toBe(1);

    const failed = await fx.member(plain, 't00004');
    const answer = (await assess(failed, { stage: 'final', result: 'fail', comment: '未完成研修任务' }).expect(200)).body;
    expect(answer.member).toMatchObject({ status: 'failed', finalResult: 'fail', creditEntryId: null, honourId: null });
    expect(await ledger(failed)).toEqual([]);
    expect(await honours('t00004', '青浦区骨干研修班结业')).toBe(0);
  });

  it('lets a member exit with a reason, once', async () => {
    const id = await fx.member(seed8, 't00005');
    const noReason = await post(`${id}/exit`, 'district_admin', { reason: ' ' }).expect(400);
    expect(noReason.body.error.details.fields[0].field).toBe('reason');
    expect((await member(id)).status).toBe('active');
    await post(`${id}/exit`, 'teacher', { reason: '调离' }).expect(403);
    const exited = (await post(`${id}/exit`, 'district_admin', { reason: '调离本区' }).expect(200)).body;
    expect(exited.member).toMatchObject({ status: 'exited', exitReason: '调离本区', leftOn: today });
    expect((await post(`${id}/exit`, 'district_admin', { reason: '调离本区' }).expect(200)).body.changed).toBe(false);
    expect((await assess(id, { stage: 'final', result: 'pass' }).expect(409)).body.error.code).toBe('MEMBER_NOT_ACTIVE');
    expect(await ledger(id)).toEqual([]);
  });

  it('moves a member to another tier of the same round, once', async () => {
    const talent8 = (await fx.program({ tier: 'talent', nameZh: '青浦区第八届拔尖计划' })).id;
    const seed8b = (await fx.program({ tier: 'seed', nameZh: '另一个种子计划' })).id;
    const talent9 = (await fx.program({ tier: 'talent', round: 9 })).id;
    const id = await fx.member(seed8, 't00001');
    expect((await post(`${id}/move`, 'district_admin', { targetProgramId: seed8b }).expect(422)).body.error.code).toBe('MOVE_SAME_TIER');
    expect((await post(`${id}/move`, 'district_admin', { targetProgramId: talent9 }).expect(422)).body.error.code).toBe('MOVE_OTHER_ROUND');
    expect((await post(`${id}/move`, 'district_admin', { targetProgramId: id }).expect(400)).body.error.details.fields[0].field).toBe('targetProgramId');
    expect(await fx.count(`SELECT count(*) AS n FROM program_member WHERE person_id = (SELECT person_id FROM program_member WHERE id = $1)`, [id])).toBe(1);

    const moved = (await post(`${id}/move`, 'district_admin', { targetProgramId: talent8 }).expect(200)).body;
    expect(moved.member).toMatchObject({ status: 'moved', movedToMemberId: moved.target.id, leftOn: today });
    expect(moved.target).toMatchObject({ programId: talent8, status: 'active' });
    expect((await post(`${id}/move`, 'district_admin', { targetProgramId: talent8 }).expect(200)).body.target.id).toBe(moved.target.id);
    const roster = (await t.http().get(`/api/programs/${talent8}/cohort`).set(as('district_admin')).expect(200)).body;
    expect(roster.members).toEqual([expect.objectContaining({ id: moved.target.id, source: 'moved', status: 'active' })]);
  });

  it('promotes a completed member to the next tier of a later round, not an active one or a lower tier', async () => {
    const seed = (await fx.program({ tier: 'seed', round: 7, nameZh: '第七届种子计划' })).id;
    const talent8 = (await fx.program({ tier: 'talent', round: 8, nameZh: '第八届拔尖计划' })).id;
    const seedNext = (await fx.program({ tier: 'seed', round: 8, previousProgramId: seed, nameZh: '第八届种子计划（续）' })).id;
    const seedLater = (await fx.program({ tier: 'seed', round: 8, nameZh: '第八届种子计划（另）' })).id;
    const active = await fx.member(seed, 't00040');
    expect((await post(`${active}/promote`, 'district_admin', { targetProgramId: talent8 }).expect(409)).body.error.code).toBe('MEMBER_NOT_COMPLETED');

    const done = await fx.member(seed, 'teacher');
    await assess(done, { stage: 'final', result: 'pass' }).expect(200);
    expect((await post(`${done}/promote`, 'district_admin', { targetProgramId: seedLater }).expect(422)).body.error.code).toBe('PROMOTE_NOT_NEXT_TIER');
    const promoted = (await post(`${done}/promote`, 'district_admin', { targetProgramId: talent8 }).expect(200)).body;
    expect(promoted).toMatchObject({ changed: true, member: { status: 'completed' }, target: { programId: talent8, status: 'active' } });
    expect((await post(`${done}/promote`, 'district_admin', { targetProgramId: talent8 }).expect(200)).body).toMatchObject({ changed: false, target: { id: promoted.target.id } });
    // The program that names this one as its previous program takes its alumni too.
    expect((await post(`${done}/promote`, 'district_admin', { targetProgramId: seedNext }).expect(200)).body.target.programId).toBe(seedNext);
    const cohort = (await t.http().get(`/api/programs/${seed}/cohort`).set(as('district_admin')).expect(200)).body;
    const targets = cohort.promotionTargets.map((p: { id: string }) => p.id);
    expect(targets).toEqual(expect.arrayContaining([talent8, seedNext]));
    expect(targets).not.toContain(seedLater);
  });

  it('keeps alumni searchable by tier, round, name and kindergarten for district staff', async () => {
    const search = (query: string, username = 'district_admin') => t.http().get(`/api/programs/alumni?${query}`).set(as(username));
    const names = (body: { items: { fullName: string }[] }) => body.items.map((i) => i.fullName).sort();
    const [t2, t3, teacher] = await Promise.all(['t00002', 't00003', 'teacher'].map(async (u) =>
      (await t.db.pool.query(`SELECT full_name FROM person p JOIN app_user u ON u.person_id = p.id WHERE u.username = $1`, [u])).rows[0].full_name as string));
    expect(names((await search('').expect(200)).body)).toEqual([t2, t3, teacher].sort());
    expect(names((await search('tier=seed').expect(200)).body)).toEqual([t2, teacher].sort());
    expect(names((await search('tier=seed&round=7').expect(200)).body)).toEqual([teacher]);
    expect(names((await search(`q=${encodeURIComponent(t3.slice(0, 2))}`).expect(200)).body)).toContain(t3);
    const k002 = await fx.orgUnitId('SH-QP-K002');
    expect((await search(`kindergartenId=${k002}`).expect(200)).body.items).toEqual([]);
    expect((await search('round=abc').expect(400)).body.error.details.fields[0].field).toBe('round');
    await search('', 'teacher').expect(403);
    expect((await search('', otherAdmin).expect(200)).body.items).toEqual([]);

    const page = await (await t.signInPages('district_admin')).get('/programs/alumni?tier=seed').expect(200);
    expect(page.text).toContain(t2);
    expect(page.text).not.toContain(t3);
  });

  it('records an assessment from the cohort page and shows a refusal beside the member', async () => {
    const id = await fx.member(seed8, 't00003');
    const browser = await t.signInPages('district_admin');
    const page = await browser.get(`/programs/${seed8}/cohort`).expect(200);
    const failed = await browser.post(`/programs/${seed8}/cohort/members/${id}/assessment`).type('form')
      .send({ _csrf: csrfOf(page.text), stage: 'final', result: 'fail', comment: '' }).expect(400);
    expect(failed.text).toContain('data-testid="member-action-error"');
    expect((await member(id)).status).toBe('active');
    const done = await browser.post(`/programs/${seed8}/cohort/members/${id}/assessment`).type('form')
      .send({ _csrf: csrfOf(page.text), stage: 'final', result: 'pass', comment: '' }).expect(303);
    expect(done.headers.location).toBe(`/programs/${seed8}/cohort#member-${id}`);
    expect((await member(id)).status).toBe('completed');
  });
});
