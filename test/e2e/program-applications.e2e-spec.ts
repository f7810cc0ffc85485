import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, shanghaiDate } from '../../src/common/dates.js';
import { sessionTokens, teachers } from '../support/offering-fixtures.js';
import { closeWindow, makeApplicant, programBody, programCounts, userId } from '../support/program-fixtures.js';
import { HTML, PDF, csrfOf, otherDistrict } from '../support/submission-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addSanction } from '../support/title-fixtures.js';

type Person = { username: string; personId: string; kindergartenId: string };

describe('talent programs: definitions, applications and nominations', () => {
  let t: TestApp;
  let dataDir: string;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const fields = (res: { body: { error: { details: { fields: Array<{ field: string }> } } } }) => res.body.error.details.fields.map((f) => f.field).sort();
  let counts: ReturnType<typeof programCounts>;
  let k001: Person[];
  let elsewhere: Person;

  const create = (body: object, username = 'district_admin') => t.http().post('/api/programs').set(as(username)).send(body);
  const apply = (programId: string, username: string, body: object = { statement: '从教八年，主持园本课题一项。' }) =>
    t.http().post(`/api/programs/${programId}/applications`).set(as(username)).send(body);
  async function published(overrides: Record<string, unknown> = {}): Promise<string> {
    const program = (await create(programBody(overrides)).expect(201)).body;
    await t.http().post(`/api/programs/${program.id}/publish`).set(as('district_admin')).expect(200);
    return program.id;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tgp-programs-'));
    t = await startTestApp({ env: { DATA_DIR: dataDir } });
    for (const name of ['district_admin', 'kg_admin', 'teacher', 'expert']) tokens.set(name, await t.token(name));
    k001 = await teachers(t.db.pool, 4, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K001') AND u.username <> 'kg_admin'`);
    [elsewhere] = (await teachers(t.db.pool, 1, `p.current_org_unit_id <> (SELECT id FROM org_unit WHERE code = 'SH-QP-K001')`)) as Person[];
    for (const [name, token] of await sessionTokens(t.db.pool, [...k001.map((p) => p.username), elsewhere!.username])) tokens.set(name, token);
    for (const p of [...k001, elsewhere!]) await makeApplicant(t.db.pool, p.personId, 32);
    counts = programCounts(t.db.pool);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets district staff define a program, checked as a whole, and keeps drafts from everyone else', async () => {
    const before = await counts.programs();
    const bad = await create(programBody({
      tier: 'backbone', eligibility: { maxAge: 200, posts: ['teacher', 'pilot'] }, criteria: [{ code: 'ethics', nameZh: '师德', nameEn: 'Ethics', maxScore: 0, weight: 1 }],
      applicationsCloseAt: addDays(new Date(), -3).toISOString(), kindergartenQuota: 0,
    })).expect(400);
    expect(fields(bad)).toEqual(['applicationsCloseAt', 'criteria[0].maxScore', 'eligibility.maxAge', 'eligibility.posts[1]', 'kindergartenQuota', 'tierNameEn', 'tierNameZh']);
    await create(programBody(), 'teacher').expect(403);
    await create(programBody(), 'kg_admin').expect(403);
    expect(await counts.programs()).toBe(before);

    const body = programBody();
    const draft = (await create(body).expect(201)).body;
    expect(draft).toMatchObject({ status: 'draft', kind: 'cohort', tier: 'seed', cycleYears: 3, round: 8, eligibility: { maxAge: 40, noEthicsBlock: true }, reserveSize: 0 });
    const [y, m, d] = body.startsOn.split('-').map(Number) as [number, number, number];
    expect(draft.endsOn).toBe(new Date(Date.UTC(y + 3, m - 1, d - 1)).toISOString().slice(0, 10));
    expect((await create({ ...programBody(), code: body.code.toLowerCase() }).expect(409)).body.error.code).toBe('PROGRAM_CODE_TAKEN');
    await t.http().get(`/api/programs/${draft.id}`).set(as('teacher')).expect(404);
    expect((await t.http().get('/api/programs').set(as('teacher')).expect(200)).body.items.map((p: { id: string }) => p.id)).not.toContain(draft.id);

    const custom = (await create(programBody({ tier: 'backbone', tierNameZh: '骨干提升计划', tierNameEn: 'Backbone programme', districtQuota: 30 })).expect(201)).body;
    const edited = (await t.http().patch(`/api/programs/${custom.id}`).set(as('district_admin')).send({ kindergartenQuota: 2, reserveSize: 3 }).expect(200)).body;
    expect(edited).toMatchObject({ tier: 'backbone', districtQuota: 30, kindergartenQuota: 2, reserveSize: 3, version: custom.version + 1 });
    expect(fields(await t.http().patch(`/api/programs/${custom.id}`).set(as('district_admin')).send({ tierNameEn: null, colour: 'red' }).expect(400)))
      .toEqual(['colour', 'tierNameEn']);
    await t.http().patch(`/api/programs/${custom.id}`).set(as('teacher')).send({ reserveSize: 1 }).expect(403);
    const list = (await t.http().get('/api/programs?tier=backbone').set(as('district_admin')).expect(200)).body.items;
    expect(list.map((p: { id: string }) => p.id)).toEqual([custom.id]);
  });

  it('takes a contest as a light program with the posts that may enter, and no applications', async () => {
    const noPosts = await create(programBody({ kind: 'contest', tier: 'contest', criteria: [] })).expect(400);
    expect(fields(noPosts)).toEqual(['contestPosts']);
    const contest = (await create(programBody({ kind: 'contest', tier: 'contest', criteria: [], contestPosts: ['caregiver', 'health', 'nutrition'] })).expect(201)).body;
    expect(contest).toMatchObject({ kind: 'contest', contestPosts: ['caregiver', 'health', 'nutrition'] });
    await t.http().post(`/api/programs/${contest.id}/publish`).set(as('district_admin')).expect(200);
    expect((await apply(contest.id, k001[0]!.username).expect(409)).body.error.code).toBe('PROGRAM_IS_CONTEST');
  });

  it('takes one application per person with a dossier and attachments; a second click answers the first', async () => {
    const programId = await published();
    const p = k001[0]!;
    const before = { files: await counts.files() };
    const badFile = await t.http().post(`/api/programs/${programId}/applications`).set(as(p.username))
      .field('statement', '申报陈述').attach('files', HTML, { filename: 'x.html', contentType: 'application/pdf' }).expect(400);
    expect(fields(badFile)).toEqual(['files[0]']);
    expect(fields(await apply(programId, p.username, { statement: '  ' }).expect(400))).toEqual(['statement']);
    expect(await counts.applications(programId)).toBe(0);
    expect(await counts.files()).toBe(before.files);

    const created = await t.http().post(`/api/programs/${programId}/applications`).set(as(p.username))
      .field('statement', '从教八年，主持园本课题一项。').attach('files', PDF, { filename: '课题结题报告.pdf', contentType: 'application/pdf' }).expect(201);
    expect(created.body).toMatchObject({ status: 'submitted', source: 'self', personId: p.personId, attachments: [{ id: expect.any(String), name: '课题结题报告.pdf' }] });
    expect(created.body.dossier).toMatchObject({ person: { fullName: expect.any(String) }, eligibility: null });
    expect(Array.isArray(created.body.dossier.titleHistory)).toBe(true);
    await t.http().get(`/api/files/${created.body.attachments[0].id}`).set(as('kg_admin')).expect(200);
    await t.http().get(`/api/files/${created.body.attachments[0].id}`).set(as(k001[1]!.username)).expect(404);

    const again = await apply(programId, p.username).expect(409);
    expect(again.body.error).toMatchObject({ code: 'APPLICATION_EXISTS', details: { applicationId: created.body.id } });
    const q = k001[1]!;
    const [a, b] = await Promise.all([apply(programId, q.username), apply(programId, q.username)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await counts.applications(programId)).toBe(2);
    const mine = (await t.http().get('/api/me/program-applications').set(as(q.username)).expect(200)).body.items;
    expect(mine).toEqual([expect.objectContaining({ programId, status: 'submitted' })]);
  });

  it('refuses an ineligible person with every reason in the reader’s language, writing nothing', async () => {
    const programId = await published({ eligibility: { maxAge: 40, minTitle: 'professorial' } });
    const p = k001[2]!;
    await makeApplicant(t.db.pool, p.personId, 45);
    await addSanction(t.db.pool, p.personId, shanghaiDate(addDays(new Date(), -30)), shanghaiDate(addDays(new Date(), 700)));
    const zh = await apply(programId, p.username).expect(422);
    expect(zh.body.error.code).toBe('PROGRAM_INELIGIBLE');
    expect(zh.body.error.details.reasons.map((r: { code: string }) => r.code)).toEqual(['age_above_max', 'title_below_min', 'ethics_blocked']);
    expect(zh.body.error.details.reasons[0].message).toBe('年龄 45 周岁，超过上限 40 周岁');
    expect(zh.body.error.details.reasons[1].message).toBe('职称未达 正高级');
    const en = await t.http().post(`/api/programs/${programId}/applications?lang=en`).set(as(p.username)).send({ statement: 'I teach.' }).expect(422);
    expect(en.body.error.details.reasons[0].message).toBe('You are 45, above the limit of 40');
    expect(en.body.error.message).toContain('Not eligible: You are 45, above the limit of 40; Your title is below Professorial teacher');
    expect(await counts.applications(programId)).toBe(0);
    const eligibility = (await t.http().get(`/api/programs/${programId}/eligibility`).set(as(p.username)).expect(200)).body;
    expect(eligibility).toMatchObject({ eligible: false, reasons: [{ code: 'age_above_max' }, { code: 'title_below_min' }, { code: 'ethics_blocked' }] });
  });

  it('lets a kindergarten admin nominate their own staff only; the nominee hears of it', async () => {
    const programId = await published();
    const nominee = k001[3]!;
    const nomineeUser = await userId(t.db.pool, nominee.username);
    const nominated = (await apply(programId, 'kg_admin', { personId: nominee.personId, statement: '推荐理由：教学扎实，积极参与教研。' }).expect(201)).body;
    expect(nominated).toMatchObject({ source: 'nomination', personId: nominee.personId, nominatedByName: expect.any(String) });
    expect(await counts.notifications(nomineeUser, 'programs.nominated')).toBe(1);
    expect((await apply(programId, nominee.username).expect(409)).body.error.details.applicationId).toBe(nominated.id);

    await apply(programId, 'kg_admin', { personId: elsewhere.personId, statement: '推荐' }).expect(404);
    await apply(programId, k001[0]!.username, { personId: k001[1]!.personId, statement: '推荐' }).expect(404);
    expect(await counts.applications(programId)).toBe(1);
    const ours = (await t.http().get(`/api/programs/${programId}/applications`).set(as('kg_admin')).expect(200)).body.items;
    expect(ours.map((a: { id: string }) => a.id)).toEqual([nominated.id]);
    await t.http().get(`/api/programs/${programId}/applications`).set(as('teacher')).expect(404);
  });

  it('opens and closes with the window: applying outside it and withdrawing after it are refused', async () => {
    const later = await published({ applicationsOpenAt: addDays(new Date(), 2).toISOString(), applicationsCloseAt: addDays(new Date(), 9).toISOString() });
    expect((await apply(later, elsewhere.username).expect(409)).body.error.code).toBe('APPLICATION_WINDOW_CLOSED');

    const programId = await published();
    const first = (await apply(programId, elsewhere.username).expect(201)).body;
    const withdrawn = (await t.http().post(`/api/program-applications/${first.id}/withdraw`).set(as(elsewhere.username)).expect(200)).body;
    expect(withdrawn.status).toBe('withdrawn');
    await t.http().post(`/api/program-applications/${first.id}/withdraw`).set(as(elsewhere.username)).expect(200);
    await t.http().post(`/api/program-applications/${first.id}/withdraw`).set(as(k001[0]!.username)).expect(404);
    const second = (await apply(programId, elsewhere.username).expect(201)).body;
    expect(second.id).not.toBe(first.id);

    await closeWindow(t.db.pool, programId);
    expect((await apply(programId, k001[0]!.username).expect(409)).body.error.code).toBe('APPLICATION_WINDOW_CLOSED');
    expect((await t.http().post(`/api/program-applications/${second.id}/withdraw`).set(as(elsewhere.username)).expect(409)).body.error.code)
      .toBe('APPLICATION_WINDOW_CLOSED');
  });

  it('answers 404 for another district’s program, to its staff and teachers alike', async () => {
    const district = await otherDistrict(t.db.pool);
    const programId = await published();
    await t.db.pool.query('UPDATE program SET district_id = $2 WHERE id = $1', [programId, district]);
    await t.http().get(`/api/programs/${programId}`).set(as('district_admin')).expect(404);
    await t.http().get(`/api/programs/${programId}`).set(as('teacher')).expect(404);
    await t.http().patch(`/api/programs/${programId}`).set(as('district_admin')).send({ reserveSize: 2 }).expect(404);
    await apply(programId, k001[0]!.username).expect(404);
    await t.http().get(`/api/programs/${programId}/selection`).set(as('district_admin')).expect(404);
  });

  describe('pages', () => {
    it('shows a teacher the open program with the apply form, and an ineligible one every reason', async () => {
      const programId = await published({ nameZh: '页面测试种子计划' });
      const eligible = await t.signInPages(k001[1]!.username);
      const list = await eligible.get('/programs').expect(200);
      expect(list.text).toContain('页面测试种子计划');
      const page = await eligible.get(`/programs/${programId}`).expect(200);
      expect(page.text).toContain('data-testid="apply-form"');
      expect(page.text).toContain('40 周岁及以下');
      const empty = await eligible.post(`/programs/${programId}/apply`).field('_csrf', csrfOf(page.text)).field('statement', '').expect(400);
      expect(empty.text).toContain('data-field-error="statement"');
      expect(await counts.applications(programId)).toBe(0);

      const older = await t.signInPages(k001[2]!.username);
      const refused = await older.get(`/programs/${programId}`).expect(200);
      expect(refused.text).toContain('data-testid="ineligible-reasons"');
      expect(refused.text).toContain('年龄 45 周岁，超过上限 40 周岁');
      expect(refused.text).not.toContain('data-testid="apply-form"');
    });

    it('lets district staff create a program through the form, keeping what was typed when a field is wrong', async () => {
      const admin = await t.signInPages('district_admin');
      const form = await admin.get('/programs/new').expect(200);
      expect(form.text).toMatch(/name="maxAge"[^>]*value="40"/);
      const csrf = csrfOf(form.text);
      const typed = {
        _csrf: csrf, tier: 'talent', code: 'QP-TALENT-8', nameZh: '第八届拔尖计划', nameEn: 'Talent 8', round: '8', cycleYears: '3', startsOn: '2026-09-01',
        applicationsOpenAt: '2026-05-01T09:00', applicationsCloseAt: '2026-04-01T17:00', maxAge: '', minTitle: 'first', posts: 'teacher', noEthicsBlock: 'on',
        'criteria.0.code': 'ethics', 'criteria.0.nameZh': '师德', 'criteria.0.nameEn': 'Ethics', 'criteria.0.maxScore': '20', 'criteria.0.weight': '1',
        trimFromReviewers: '5', reserveSize: '2', kindergartenQuota: '1', credits: '20', hours: '120', creditCategory: 'practice', creditLevel: 'district',
      };
      const before = await counts.programs();
      const wrong = await admin.post('/programs/new').type('form').send(typed).expect(400);
      expect(wrong.text).toContain('data-field-error="applicationsCloseAt"');
      expect(wrong.text).toContain('value="第八届拔尖计划"');
      expect(await counts.programs()).toBe(before);
      const saved = await admin.post('/programs/new').type('form').send({ ...typed, applicationsCloseAt: '2026-05-31T17:00' }).expect(303);
      const programId = saved.headers.location!.split('/').pop()!;
      const program = (await t.http().get(`/api/programs/${programId}`).set(as('district_admin')).expect(200)).body;
      expect(program).toMatchObject({ tier: 'talent', eligibility: { minTitle: 'first', posts: ['teacher'], noEthicsBlock: true }, kindergartenQuota: 1, reserveSize: 2 });
      expect(program.applicationsOpenAt).toBe('2026-05-01T01:00:00.000Z');
      await (await t.signInPages('teacher')).get('/programs/new').expect(403);

      const detail = await admin.get(`/programs/${programId}?lang=en`).redirects(1).expect(200);
      expect(detail.text).toContain('Who may apply');
      expect(detail.text).not.toMatch(/programs\.[a-z]+\.[a-zA-Z_.]+/);
      await admin.post(`/programs/${programId}/publish`).type('form').send({ _csrf: csrf }).expect(303);
      expect((await t.http().get(`/api/programs/${programId}`).set(as('district_admin')).expect(200)).body.status).toBe('published');
      const edit = await admin.get(`/programs/${programId}/edit`).expect(200);
      expect(edit.text).toMatch(/name="kindergartenQuota"[^>]*value="1"/);
      await admin.post(`/programs/${programId}/edit`).type('form').send({ ...typed, applicationsCloseAt: '2026-05-31T17:00', kindergartenQuota: '' }).expect(303);
      expect((await t.http().get(`/api/programs/${programId}`).set(as('district_admin')).expect(200)).body.kindergartenQuota).toBeNull();
    });

    it('lists a kindergarten admin’s staff for nomination, each with whether they may be nominated', async () => {
      const programId = await published({ nameZh: '推荐测试计划' });
      const admin = await t.signInPages('kg_admin');
      const page = await admin.get(`/programs/${programId}`).expect(200);
      expect(page.text).toContain('data-testid="nominate-form"');
      expect(page.text).toContain(`value="${k001[3]!.personId}"`);
      expect(page.text).toMatch(new RegExp(`value="${k001[2]!.personId}"[^>]*disabled[^<]*年龄 45 周岁`));
      expect(page.text).not.toContain(`value="${elsewhere.personId}"`);
      await admin.post(`/programs/${programId}/apply`).field('_csrf', csrfOf(page.text)).field('personId', k001[3]!.personId)
        .field('statement', '推荐理由：班级管理细致。').expect(303);
      const after = await admin.get(`/programs/${programId}`).expect(200);
      expect(after.text).toContain('data-testid="nominated"');
      expect(await counts.applications(programId)).toBe(1);
    });
  });
});
