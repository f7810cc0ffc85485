import { sessionTokens, teachers } from '../support/offering-fixtures.js';
import { closeWindow, createExpert, makeApplicant, programBody, programCounts, userId } from '../support/program-fixtures.js';
import { csrfOf, otherDistrict } from '../support/submission-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Person = { username: string; personId: string; kindergartenId: string };
type BoardRow = { id: string; personId: string; status: string; score: number | null; position: number; reserveRank: number | null };

describe('talent programs: expert review, selection within quotas and closing the round', () => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const fields = (res: { body: { error: { details: { fields: Array<{ field: string }> } } } }) => res.body.error.details.fields.map((f) => f.field).sort();
  let counts: ReturnType<typeof programCounts>;
  let k001: Person[];
  let others: Person[];
  let programId: string;
  /** Application id by applicant username. */
  const app = new Map<string, string>();
  const experts: Record<string, string> = {};

  const score = (applicationId: string, username: string, scores: object, comment?: string) =>
    t.http().put(`/api/program-reviews/${applicationId}`).set(as(username)).send({ scores, ...(comment ? { comment } : {}) });
  const decide = (applicationId: string, decision: string) =>
    t.http().post(`/api/program-applications/${applicationId}/decision`).set(as('district_admin')).send({ decision });
  const board = async () => (await t.http().get(`/api/programs/${programId}/selection`).set(as('district_admin')).expect(200)).body;
  const statuses = async () => Object.fromEntries((await board()).rows.map((r: BoardRow) => [r.id, r.status]));

  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ['district_admin', 'kg_admin', 'teacher', 'expert']) tokens.set(name, await t.token(name));
    experts.expert = await userId(t.db.pool, 'expert');
    experts.expert2 = await createExpert(t.db.pool, 'expert2');
    experts.expert3 = await createExpert(t.db.pool, 'expert3', '第三位专家');
    for (const name of ['expert2', 'expert3']) tokens.set(name, await t.token(name));
    k001 = await teachers(t.db.pool, 2, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K001') AND u.username <> 'kg_admin'`);
    // One applicant per other kindergarten, so only K001 tests the per-kindergarten quota.
    others = (await t.db.pool.query(
      `SELECT DISTINCT ON (p.current_org_unit_id) u.username, p.id AS "personId", p.current_org_unit_id AS "kindergartenId"
         FROM app_user u JOIN person p ON p.id = u.person_id JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE u.username ~ '^t[0-9]{5}$' AND k.code <> 'SH-QP-K001' ORDER BY p.current_org_unit_id, u.username LIMIT 3`)).rows;
    for (const [name, token] of await sessionTokens(t.db.pool, [...k001, ...others].map((p) => p.username))) tokens.set(name, token);
    counts = programCounts(t.db.pool);

    const program = (await t.http().post('/api/programs').set(as('district_admin'))
      .send(programBody({ districtQuota: 3, kindergartenQuota: 1, reserveSize: 1, trimFromReviewers: 3 })).expect(201)).body;
    programId = program.id;
    await t.http().post(`/api/programs/${programId}/publish`).set(as('district_admin')).expect(200);
    for (const p of [...k001, ...others]) {
      await makeApplicant(t.db.pool, p.personId, 30);
      app.set(p.username, (await t.http().post(`/api/programs/${programId}/applications`).set(as(p.username)).send({ statement: '申报陈述' }).expect(201)).body.id);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('assigns reviewers in bulk, only reviewers of the district, each pair once', async () => {
    const all = [...app.values()];
    const assign = (body: object, username = 'district_admin') => t.http().post(`/api/programs/${programId}/review-assignments`).set(as(username)).send(body);
    await assign({ applicationIds: all, reviewerUserIds: [experts.expert] }, 'teacher').expect(403);
    await assign({ applicationIds: all, reviewerUserIds: [experts.expert] }, 'kg_admin').expect(403);
    const teacherUser = await userId(t.db.pool, 'teacher');
    expect(fields(await assign({ applicationIds: [all[0], '00000000-0000-4000-8000-000000000000'], reviewerUserIds: [teacherUser] }).expect(400)))
      .toEqual(['applicationIds[1]', 'reviewerUserIds[0]']);
    expect((await assign({ applicationIds: all, reviewerUserIds: [experts.expert, experts.expert2] }).expect(200)).body).toEqual({ assigned: 10 });
    expect((await assign({ applicationIds: all, reviewerUserIds: [experts.expert, experts.expert2] }).expect(200)).body).toEqual({ assigned: 0 });
    // The third expert reviews only the first K001 applicant.
    await assign({ applicationIds: [app.get(k001[0]!.username)], reviewerUserIds: [experts.expert3] }).expect(200);
    const reviewers = (await t.http().get(`/api/programs/${programId}/reviewers`).set(as('district_admin')).expect(200)).body.items;
    expect(reviewers.map((r: { username: string }) => r.username)).toEqual(expect.arrayContaining(['expert', 'expert2', 'expert3', 'district_admin']));
    expect((await t.http().get('/api/program-reviews').set(as('expert')).expect(200)).body.items).toHaveLength(5);
    expect((await t.http().get('/api/program-reviews').set(as('expert3')).expect(200)).body.items).toHaveLength(1);
  });

  it('takes scores within each criterion’s scale from assigned reviewers only, and lets them revise', async () => {
    const first = app.get(k001[0]!.username)!;
    const second = app.get(k001[1]!.username)!;
    const before = await counts.scores();
    expect(fields(await score(first, 'expert', { ethics: 21, teaching: -1 }).expect(400))).toEqual(['scores.ethics', 'scores.teaching']);
    expect(fields(await score(first, 'expert', { ethics: 18 }).expect(400))).toEqual(['scores.teaching']);
    expect(fields(await score(first, 'expert', { ethics: 18, teaching: 30, research: 5 }).expect(400))).toEqual(['scores.research']);
    await score(second, 'expert3', { ethics: 18, teaching: 30 }).expect(404);
    await t.http().get(`/api/program-reviews/${second}`).set(as('expert3')).expect(404);
    await t.http().get(`/api/program-reviews/${second}`).set(as('teacher')).expect(403);
    await score(second, 'teacher', { ethics: 18, teaching: 30 }).expect(403);
    expect(await counts.scores()).toBe(before);

    const scored = (await score(first, 'expert', { ethics: 15, teaching: 30 }, '课题扎实').expect(200)).body;
    expect(scored.myScore).toMatchObject({ total: 75, comment: '课题扎实' });
    const revised = (await score(first, 'expert', { ethics: 16, teaching: 30 }).expect(200)).body;
    expect(revised.myScore.total).toBe(76);
    expect(await counts.scores()).toBe(before + 1);

    const unassign = (applicationId: string, reviewer: string) =>
      t.http().delete(`/api/program-applications/${applicationId}/reviewers/${reviewer}`).set(as('district_admin'));
    expect((await unassign(first, experts.expert!).expect(409)).body.error.code).toBe('REVIEW_SCORED');
    await unassign(second, experts.expert3!).expect(404);
    await unassign(second, experts.expert2!).expect(204);
    expect((await t.http().get('/api/program-reviews').set(as('expert2')).expect(200)).body.items).toHaveLength(4);
    await t.http().post(`/api/programs/${programId}/review-assignments`).set(as('district_admin'))
      .send({ applicationIds: [second], reviewerUserIds: [experts.expert2] }).expect(200);
  });

  it('keeps each reviewer blind to the others’ scores; the board ranks by the (trimmed) mean', async () => {
    const totals: Record<string, [number, number]> = {
      // [ethics, teaching] per applicant for expert and expert2; weighted total = ethics + 2 × teaching.
      [k001[1]!.username]: [20, 40], [others[0]!.username]: [18, 35], [others[1]!.username]: [16, 30], [others[2]!.username]: [10, 20],
    };
    for (const [username, [ethics, teaching]] of Object.entries(totals)) {
      await score(app.get(username)!, 'expert', { ethics, teaching }).expect(200);
      await score(app.get(username)!, 'expert2', { ethics, teaching }).expect(200);
    }
    const first = app.get(k001[0]!.username)!;
    await score(first, 'expert2', { ethics: 20, teaching: 40 }).expect(200);
    await score(first, 'expert3', { ethics: 10, teaching: 10 }).expect(200);
    const seen = (await t.http().get(`/api/program-reviews/${first}`).set(as('expert')).expect(200)).body;
    expect(seen.scores.map((s: { reviewerName: string }) => s.reviewerName)).toEqual(['学前教育专家']);
    expect(seen.application.score).toBeNull();

    const rows: BoardRow[] = (await board()).rows;
    // 76, 100 and 30 from three reviewers: the highest and lowest are dropped.
    expect(rows.find((r) => r.id === first)!.score).toBe(76);
    // 76 twice: who applied first ranks first.
    expect(rows.map((r) => r.id)).toEqual([k001[1]!, others[0]!, k001[0]!, others[1]!, others[2]!].map((p) => app.get(p.username)));
  });

  it('selects within every quota: over one answers 409 naming it and writes nothing; decisions serialise', async () => {
    const [a, b] = k001.map((p) => app.get(p.username)!);
    await decide(a!, 'selected').expect(200);
    const before = await statuses();
    const over = await decide(b!, 'selected').expect(409);
    expect(over.body.error).toMatchObject({ code: 'PROGRAM_QUOTA_EXCEEDED', details: { quota: 'kindergarten', limit: 1, count: 2 } });
    expect(over.body.error.message).toContain('超出每园名额');
    expect(await statuses()).toEqual(before);
    await decide(a!, 'submitted').expect(200);

    const [x, y] = await Promise.all([decide(a!, 'selected'), decide(b!, 'selected')]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const afterRace = await statuses();
    expect([afterRace[a!], afterRace[b!]].filter((s) => s === 'selected')).toHaveLength(1);

    const put = (body: object) => t.http().put(`/api/programs/${programId}/selection`).set(as('district_admin')).send(body);
    const ids = others.map((p) => app.get(p.username)!);
    expect((await put({ selected: [...ids, a] }).expect(409)).body.error.details.quota).toBe('district');
    expect((await put({ selected: [a], reserve: [ids[0], ids[1]] }).expect(409)).body.error.code).toBe('RESERVE_FULL');
    expect(fields(await put({ selected: [a], reserve: [a] }).expect(400))).toEqual(['reserve[0]']);
    // By rank within the quotas: K001's second applicant waits on the reserve list behind its first.
    expect((await board()).suggestion).toEqual({ selected: [b, ids[0], ids[1]], reserve: [a] });
    const chosen = (await put({ selected: [b, ids[0], ids[1]], reserve: [a], notSelected: [ids[2]] }).expect(200)).body;
    expect(chosen.quotas.district).toEqual({ used: 3, limit: 3, over: false });
    expect(chosen.rows.find((r: BoardRow) => r.id === a).reserveRank).toBe(1);

    // Before the round closes the applicant sees only that the application is in.
    const mine = (await t.http().get('/api/me/program-applications').set(as(k001[1]!.username)).expect(200)).body.items[0];
    expect(mine).toMatchObject({ status: 'submitted', score: null, reserveRank: null });
  });

  it('closes the round once the window has closed: results frozen, members created, applicants told once', async () => {
    expect((await t.http().post(`/api/programs/${programId}/close-selection`).set(as('district_admin')).expect(409)).body.error.code).toBe('APPLICATION_WINDOW_OPEN');
    await closeWindow(t.db.pool, programId);
    await t.http().post(`/api/programs/${programId}/close-selection`).set(as('teacher')).expect(403);
    const closed = (await t.http().post(`/api/programs/${programId}/close-selection`).set(as('district_admin')).expect(200)).body;
    expect(closed).toMatchObject({ program: { status: 'selection_closed' }, selected: 3, reserve: 1, notSelected: 1 });

    const members = (await t.db.pool.query(
      `SELECT m.person_id AS "personId", m.status, m.team_id AS "teamId", m.joined_on::text AS "joinedOn", p.starts_on::text AS "startsOn"
         FROM program_member m JOIN program p ON p.id = m.program_id WHERE m.program_id = $1`, [programId])).rows;
    expect(members).toHaveLength(3);
    for (const m of members) expect(m).toMatchObject({ status: 'active', teamId: null, joinedOn: m.startsOn });
    const winner = await userId(t.db.pool, k001[1]!.username);
    expect(await counts.notifications(winner, 'programs.result.selected')).toBe(1);
    await t.http().post(`/api/programs/${programId}/close-selection`).set(as('district_admin')).expect(200);
    expect(await counts.notifications(winner, 'programs.result.')).toBe(1);

    const mine = (await t.http().get('/api/me/program-applications').set(as(k001[0]!.username)).expect(200)).body.items[0];
    expect(mine).toMatchObject({ status: 'reserve', reserveRank: 1 });
    const first = app.get(k001[0]!.username)!;
    expect((await score(first, 'expert', { ethics: 1, teaching: 1 }).expect(409)).body.error.code).toBe('ROUND_CLOSED');
    expect((await decide(first, 'selected').expect(409)).body.error.code).toBe('ROUND_CLOSED');
    const seen = (await t.http().get(`/api/program-reviews/${first}`).set(as('expert')).expect(200)).body;
    expect(seen.scores).toHaveLength(3);
    expect(seen.canScore).toBe(false);
  });

  it('moves the reserve up when a selected applicant steps back before the start', async () => {
    // The K001 place frees up: the K001 reserve fits the per-kindergarten quota again.
    const leaving = app.get(k001[1]!.username)!;
    await t.http().post(`/api/program-applications/${leaving}/withdraw`).set(as(k001[1]!.username)).expect(200);
    const reserve = app.get(k001[0]!.username)!;
    const rows: BoardRow[] = (await board()).rows;
    expect(rows.find((r) => r.id === reserve)).toMatchObject({ status: 'selected', reserveRank: null });
    const member = (await t.db.pool.query('SELECT status, exit_reason FROM program_member WHERE program_id = $1 AND person_id = $2', [programId, k001[1]!.personId])).rows[0];
    expect(member.status).toBe('exited');
    expect((await t.db.pool.query('SELECT status FROM program_member WHERE program_id = $1 AND person_id = $2', [programId, k001[0]!.personId])).rows[0].status)
      .toBe('active');
    expect(await counts.notifications(await userId(t.db.pool, k001[0]!.username), 'programs.result.selected')).toBe(1);

    const started = (await t.http().post(`/api/programs/${programId}/start`).set(as('district_admin')).expect(200)).body;
    expect(started.status).toBe('running');
    expect((await t.http().post(`/api/program-applications/${reserve}/withdraw`).set(as(k001[0]!.username)).expect(409)).body.error.code)
      .toBe('APPLICATION_WINDOW_CLOSED');
    const page = await (await t.signInPages(k001[0]!.username)).get(`/programs/${programId}`).expect(200);
    expect(page.text).toContain('data-testid="my-status">入选');
    expect(page.text).toContain(`href="/programs/${programId}/cohort"`);
  });

  describe('pages', () => {
    it('gives the expert an inbox and a scoring form that keeps what was typed when a score is out of range', async () => {
      const open = (await t.http().post('/api/programs').set(as('district_admin')).send(programBody()).expect(201)).body;
      await t.http().post(`/api/programs/${open.id}/publish`).set(as('district_admin')).expect(200);
      const applicant = others[0]!;
      const applicationId = (await t.http().post(`/api/programs/${open.id}/applications`).set(as(applicant.username)).send({ statement: '页面评分' }).expect(201)).body.id;
      await t.http().post(`/api/programs/${open.id}/review-assignments`).set(as('district_admin'))
        .send({ applicationIds: [applicationId], reviewerUserIds: [experts.expert] }).expect(200);

      const expert = await t.signInPages('expert');
      const inbox = await expert.get('/program-reviews').expect(200);
      expect(inbox.text).toContain(`data-application-id="${applicationId}" data-scored="no"`);
      const page = await expert.get(`/program-reviews/${applicationId}`).expect(200);
      expect(page.text).toContain('data-testid="dossier"');
      const before = await counts.scores();
      const wrong = await expert.post(`/program-reviews/${applicationId}`).type('form')
        .send({ _csrf: csrfOf(page.text), 'score.ethics': '25', 'score.teaching': '33', comment: '表达清晰' }).expect(400);
      expect(wrong.text).toContain('data-field-error="ethics"');
      expect(wrong.text).toMatch(/name="score.teaching"[^>]*value="33"/);
      expect(wrong.text).toContain('表达清晰');
      expect(await counts.scores()).toBe(before);
      await expert.post(`/program-reviews/${applicationId}`).type('form')
        .send({ _csrf: csrfOf(page.text), 'score.ethics': '19', 'score.teaching': '33' }).expect(303);
      expect((await expert.get('/program-reviews').expect(200)).text).toContain(`data-application-id="${applicationId}" data-scored="yes"`);

      const admin = await t.signInPages('district_admin');
      const selection = await admin.get(`/programs/${open.id}/selection`).expect(200);
      expect(selection.text).toContain(`data-application-id="${applicationId}" data-status="submitted"`);
      expect(selection.text).toContain('85');
      const closeEarly = await admin.post(`/programs/${open.id}/selection/close`).type('form').send({ _csrf: csrfOf(selection.text) }).expect(409);
      expect(closeEarly.text).toContain('申报尚未截止');
      await (await t.signInPages(applicant.username)).get(`/programs/${open.id}/selection`).expect(403);
    });

    it('answers 404 for another district’s board', async () => {
      const other = (await t.http().post('/api/programs').set(as('district_admin')).send(programBody()).expect(201)).body;
      await t.db.pool.query('UPDATE program SET district_id = $2 WHERE id = $1', [other.id, await otherDistrict(t.db.pool)]);
      const admin = await t.signInPages('district_admin');
      await admin.get(`/programs/${other.id}/selection`).expect(404);
    });
  });
});
