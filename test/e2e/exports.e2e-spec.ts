import { FieldCipher } from '../../src/common/field-cipher.js';
import { decodeText, parseCsv, readXlsxRows } from '../../src/common/spreadsheet.js';
import { ExportRenderJob } from '../../src/modules/reports/export-render-job.service.js';
import { assessmentFixtures } from '../support/assessment-fixtures.js';
import { catalogFixtures } from '../support/catalog-fixtures.js';
import { otherDistrict } from '../support/submission-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JobQueue } from '../../src/queue/job-queue.js';
import type { InlineJobQueue } from '../../src/queue/inline.driver.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const binary = (res: { on(event: string, listener: (chunk?: Buffer) => void): unknown }, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
const NATIONAL_ID = /^\d{17}[\dX]$/;
const FORMULA_NAME = '=HYPERLINK("http://evil.example","点我")';
/** Large exports (more rows than this) become jobs in this app. */
const INLINE_ROWS = 100;

type Person = { id: string; fullName: string; kindergartenName: string | null; nationalIdMasked: string; phoneMasked: string | null };

describe('exports of the list pages: same rows as the list, scope, masking, formulas, jobs', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const get = (who: string, path: string) => t.http().get(path).set(auth(tokens[who]));
  const file = (who: string, path: string) => get(who, path).buffer(true).parse(binary);
  /** The sheet of a CSV or XLSX answer, header first. */
  const table = async (res: { headers: Record<string, string>; body: Buffer }) =>
    (res.headers['content-type'].startsWith('text/csv') ? parseCsv(decodeText(res.body)) : await readXlsxRows(res.body));
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.pool.query(sql, params)).rows[0].n);
  const exportAudits = () => count(`SELECT count(*) AS n FROM audit_log WHERE entity_type = 'export' AND action = 'read_sensitive'`);
  const jobs = () => count(`SELECT count(*) AS n FROM export_job`);

  beforeAll(async () => {
    t = await startTestApp({ env: { EXPORT_INLINE_ROWS: String(INLINE_ROWS) } });
    const fx = catalogFixtures(t.db.pool);
    const ax = assessmentFixtures(t.db.pool);
    ids.k001 = await fx.orgUnitId('SH-QP-K001');
    ids.k002 = await fx.orgUnitId('SH-QP-K002');
    // A K001 teacher whose name a spreadsheet would run as a formula.
    const { rows: [victim] } = await t.db.pool.query(
      `UPDATE person SET full_name = $2 WHERE id = (SELECT p.id FROM person p WHERE p.current_org_unit_id = $1 AND p.current_post = 'teacher' ORDER BY p.id LIMIT 1) RETURNING id`,
      [ids.k001, FORMULA_NAME]);
    ids.victim = victim.id;

    ids.offering = await fx.createOffering(await fx.createCourse({ title: '户外游戏观察' }), { trainers: ['trainer'] });
    const { rows: learners } = await t.db.pool.query(`SELECT username FROM app_user WHERE username ~ '^t0[0-9]{4}$' ORDER BY username LIMIT 4`);
    const enrolled = [];
    for (const [i, l] of learners.entries()) enrolled.push(await fx.enrolUser(ids.offering, l.username, i === 3 ? 'waitlisted' : 'enrolled'));
    ids.essay = await ax.createItem(ids.offering, { title: '+观察记录', position: 0, maxPoints: 100, passPoints: 60 });
    ids.lesson = await ax.createItem(ids.offering, { kind: 'offline', title: '展示活动', position: 1, submissionModes: [], gradingMethod: 'pass_fail', maxPoints: null, passPoints: null });
    await ax.grade(ids.essay, enrolled[0].enrollmentId, { points: 82.5, passed: true });
    await ax.grade(ids.lesson, enrolled[0].enrollmentId, { passed: true });
    await ax.grade(ids.essay, enrolled[1].enrollmentId, { points: 40, passed: false });
    ids.passed = enrolled[0].enrollmentId;
    ids.failed = enrolled[1].enrollmentId;

    await otherDistrict(t.db.pool, 'SH-XH');
    ids.xhDistrict = await fx.orgUnitId('SH-XH');
    ids.xhOffering = await fx.createOffering(await fx.createCourse({ ownerCode: 'SH-XH', title: '徐汇区课程' }));
    for (const who of ['district_admin', 'kg_admin', 'group_admin', 'trainer', 'teacher']) tokens[who] = await t.token(who);
  });
  afterAll(() => t?.close());

  describe('people', () => {
    it('gives a kindergarten admin their kindergarten\'s staff as the list shows them, national IDs and phones masked, unaudited', async () => {
      const audits = await exportAudits();
      const list = (await get('kg_admin', '/api/people?pageSize=200').expect(200)).body;
      const res = await file('kg_admin', '/api/exports/people?format=csv').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.csv"; filename\*=UTF-8''%E6%95%99%E8%81%8C%E5%B7%A5%E5%90%8D%E5%8D%95-\d{4}-\d{2}-\d{2}\.csv$/);
      expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows] = await table(res);
      expect(header).toEqual(['姓名', '性别', '出生日期', '幼儿园', '岗位', '职称', '教师发展阶段', '园长发展阶段', '身份证号', '手机号']);
      const people = list.items as Person[];
      expect(people.length).toBe(list.total);
      expect(rows.map((r) => r[0])).toEqual(people.map((p) => (p.fullName === FORMULA_NAME ? `'${p.fullName}` : p.fullName)));
      expect(rows.map((r) => r[3])).toEqual(people.map((p) => p.kindergartenName ?? ''));
      expect(rows.map((r) => r[8])).toEqual(people.map((p) => p.nationalIdMasked));
      expect(rows.map((r) => r[9])).toEqual(people.map((p) => p.phoneMasked ?? ''));
      expect(rows.every((r) => !NATIONAL_ID.test(r[8]))).toBe(true);
      expect(await exportAudits()).toBe(audits);
    });

    it('keeps the list\'s filters: the same rows as the list API with them', async () => {
      const list = (await get('kg_admin', '/api/people?post=teacher&pageSize=200').expect(200)).body.items as Person[];
      const [, ...rows] = await table(await file('kg_admin', '/api/exports/people?format=xlsx&post=teacher&page=3').expect(200));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r[8])).toEqual(list.map((p) => p.nationalIdMasked));
      expect(new Set(rows.map((r) => r[4]))).toEqual(new Set(['专任教师']));
    });

    it('shows district HR the full national IDs and phones, and writes one audit entry naming the export, the count and the filter', async () => {
      const audits = await exportAudits();
      const list = (await get('district_admin', `/api/people?orgUnitId=${ids.k002}&pageSize=200`).expect(200)).body.items as Person[];
      const res = await file('district_admin', `/api/exports/people?format=xlsx&orgUnitId=${ids.k002}`).expect(200);
      expect(res.headers['content-type']).toMatch(/spreadsheetml/);
      const [, ...rows] = await table(res);
      const cipher = t.app.get(FieldCipher);
      const { rows: stored } = await t.db.pool.query(`SELECT id, national_id_enc, phone_enc FROM person WHERE id = ANY($1::uuid[])`, [list.map((p) => p.id)]);
      const byId = new Map(stored.map((s) => [s.id, s]));
      expect(rows.map((r) => r[8])).toEqual(list.map((p) => cipher.decrypt(byId.get(p.id).national_id_enc)));
      expect(rows.map((r) => r[9])).toEqual(list.map((p) => (byId.get(p.id).phone_enc ? cipher.decrypt(byId.get(p.id).phone_enc) : p.phoneMasked ?? '')));
      expect(rows.every((r) => NATIONAL_ID.test(r[8]))).toBe(true);
      expect(await exportAudits()).toBe(audits + 1);
      const { rows: [entry] } = await t.db.pool.query(
        `SELECT a.after, a.actor_user_id, u.username FROM audit_log a JOIN app_user u ON u.id = a.actor_user_id
          WHERE a.entity_type = 'export' AND a.action = 'read_sensitive' ORDER BY a.occurred_at DESC LIMIT 1`);
      expect(entry.username).toBe('district_admin');
      expect(entry.after).toMatchObject({ kind: 'people', format: 'xlsx', unmaskedPeople: list.length, rows: list.length, filter: { orgUnitId: ids.k002 } });
    });

    it('neutralises a name that a spreadsheet would run as a formula, in CSV and XLSX', async () => {
      const csv = await file('kg_admin', '/api/exports/people?format=csv').expect(200);
      expect(csv.body.toString('utf8')).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
      expect(csv.body.toString('utf8')).not.toMatch(/(^|\n|,)"?=HYPERLINK/);
      const xlsx = await table(await file('kg_admin', '/api/exports/people?format=xlsx').expect(200));
      expect(xlsx.map((r) => r[0])).toContain(`'${FORMULA_NAME}`);
    });

    it('refuses a teacher (403), an unknown kind (404), and bad format or filters (400 naming them), writing nothing', async () => {
      const before = await jobs();
      await get('teacher', '/api/exports/people?format=csv').expect(403);
      await get('district_admin', '/api/exports/salaries?format=csv').expect(404);
      const format = await get('district_admin', '/api/exports/people?format=pdf').expect(400);
      expect(format.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['format']);
      const filters = await get('district_admin', '/api/exports/people?format=csv&post=astronaut&colour=red').expect(400);
      expect(filters.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'post']);
      expect(await jobs()).toBe(before);
    });
  });

  describe('kindergartens, roster, gradebook, compliance, coverage', () => {
    it('exports the org list with its filters; a kindergarten admin gets only K001', async () => {
      const list = (await get('district_admin', '/api/org-units?kind=kindergarten&pageSize=200').expect(200)).body;
      const [header, ...rows] = await table(await file('district_admin', '/api/exports/kindergartens?format=csv&kind=kindergarten').expect(200));
      expect(header.slice(0, 3)).toEqual(['代码', '名称', '类型']);
      expect(rows.map((r) => r[0])).toEqual(list.items.map((u: { code: string }) => u.code));
      expect(rows.length).toBe(list.total);
      const [, ...mine] = await table(await file('kg_admin', '/api/exports/kindergartens?format=xlsx').expect(200));
      expect(mine.map((r) => r[0])).toEqual(['SH-QP-K001']);
    });

    it('exports an offering\'s roster for its trainer as the roster API lists it; another district\'s roster is not found', async () => {
      const roster = (await get('trainer', `/api/offerings/${ids.offering}/roster`).expect(200)).body.items;
      const [header, ...rows] = await table(await file('trainer', `/api/exports/roster?format=csv&offering=${ids.offering}`).expect(200));
      expect(header.slice(0, 3)).toEqual(['姓名', '幼儿园', '报名状态']);
      expect(rows.map((r) => [r[0], r[2], r[3]])).toEqual(roster.map((r: { personName: string; waitlistPosition: number | null; status: string }) =>
        [r.personName, r.status === 'waitlisted' ? '候补中' : '已录取', r.waitlistPosition === null ? '' : String(r.waitlistPosition)]));
      const [, ...waitlisted] = await table(await file('trainer', `/api/exports/roster?format=csv&offering=${ids.offering}&status=waitlisted`).expect(200));
      expect(waitlisted.length).toBe(1);
      await get('district_admin', `/api/exports/roster?format=csv&offering=${ids.xhOffering}`).expect(404);
      await get('teacher', `/api/exports/roster?format=csv&offering=${ids.offering}`).expect(403);
      const missing = await get('trainer', '/api/exports/roster?format=csv').expect(400);
      expect(missing.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['offering']);
    });

    it('exports the gradebook as shown (grades, total, overall) with its filters, item titles defused', async () => {
      const book = (await get('trainer', `/api/offerings/${ids.offering}/gradebook`).expect(200)).body;
      const [header, ...rows] = await table(await file('trainer', `/api/exports/gradebook?format=xlsx&offering=${ids.offering}`).expect(200));
      expect(header).toEqual(['姓名', '幼儿园', "'+观察记录 (100)", '展示活动', '总分', '总评']);
      expect(rows.map((r) => r[0])).toEqual(book.rows.map((r: { fullName: string }) => r.fullName));
      const byName = new Map(rows.map((r) => [r[0], r.slice(2)]));
      const nameOf = (enrollmentId: string) => book.rows.find((r: { enrollmentId: string }) => r.enrollmentId === enrollmentId).fullName;
      expect(byName.get(nameOf(ids.passed))).toEqual(['82.5', '通过', '82.5', '通过']);
      expect(byName.get(nameOf(ids.failed))).toEqual(['40', '', '40', '未通过']);
      const failed = (await get('trainer', `/api/offerings/${ids.offering}/gradebook?status=failed`).expect(200)).body.rows;
      const [, ...filtered] = await table(await file('trainer', `/api/exports/gradebook?format=csv&offering=${ids.offering}&status=failed`).expect(200));
      expect(filtered.map((r) => r[0])).toEqual(failed.map((r: { fullName: string }) => r.fullName));
      await get('trainer', `/api/exports/gradebook?format=csv&offering=${ids.xhOffering}`).expect(404);
    });

    it('exports the compliance report\'s people with their standing, as the report\'s drill-down shows them', async () => {
      const report = (await get('kg_admin', `/api/credits/report?unit=${ids.k001}`).expect(200)).body;
      const [header, ...rows] = await table(await file('kg_admin', `/api/exports/compliance?format=csv&unit=${ids.k001}`).expect(200));
      expect(header).toEqual(['姓名', '幼儿园', '园所', '达标情况', '尚缺']);
      expect(rows.map((r) => r[0])).toEqual(report.people.map((p: { fullName: string }) => (p.fullName === FORMULA_NAME ? `'${p.fullName}` : p.fullName)));
      const [, ...all] = await table(await file('kg_admin', '/api/exports/compliance?format=csv').expect(200));
      expect(all.length).toBe(report.totals.total);
      await get('kg_admin', `/api/exports/compliance?format=csv&unit=${ids.k002}`).expect(404);
    });

    it('exports title coverage per kindergarten as the report lists it; another district\'s unit is not found', async () => {
      const report = (await get('district_admin', '/api/reports/title-coverage').expect(200)).body;
      const [header, ...rows] = await table(await file('district_admin', '/api/exports/coverage?format=csv').expect(200));
      expect(header.slice(0, 2)).toEqual(['代码', '名称']);
      expect(rows.map((r) => [r[0], Number(r[4]), r[6]])).toEqual(
        report.kindergartens.map((k: { code: string; seniorCount: number; covered: boolean }) => [k.code, k.seniorCount, k.covered ? '是' : '否']));
      await get('district_admin', `/api/exports/coverage?format=csv&orgUnit=${ids.xhDistrict}`).expect(404);
    });
  });

  describe('large exports as jobs', () => {
    let exportId: string;

    it('answers 202 with a job, and the same request again (a double click) answers the same job', async () => {
      const before = await jobs();
      const first = await t.http().post('/api/exports/people?format=xlsx').set(auth(tokens.district_admin)).send({}).expect(202);
      const again = await t.http().post('/api/exports/people').set(auth(tokens.district_admin)).send({ format: 'xlsx' }).expect(202);
      exportId = first.body.exportId;
      expect(again.body.exportId).toBe(exportId);
      expect(await jobs()).toBe(before + 1);
      expect(['queued', 'running', 'ready']).toContain(first.body.status);
    });

    it('makes one job of two identical requests arriving at once', async () => {
      const before = await jobs();
      const post = () => t.http().post('/api/exports/compliance?format=csv').set(auth(tokens.district_admin)).send({ groupBy: 'town' }).expect(202);
      const [a, b] = await Promise.all([post(), post()]);
      expect(a.body.exportId).toBe(b.body.exportId);
      expect(await jobs()).toBe(before + 1);
      await (t.app.get(JobQueue) as InlineJobQueue).drain();
      const job = (await get('district_admin', `/api/exports/jobs/${a.body.exportId}`).expect(200)).body;
      expect(job).toMatchObject({ kind: 'compliance', format: 'csv', status: 'ready', filters: { groupBy: 'town' }, unmasked: false });
      const [header, ...rows] = await table(await file('district_admin', job.fileUrl).expect(200));
      expect(header[2]).toBe('街镇');
      expect(rows.length).toBe(job.rowCount);
    });

    it('renders the job: ready with the row count, the owner downloads the file, nobody else can', async () => {
      const total = (await get('district_admin', '/api/people?pageSize=1').expect(200)).body.total as number;
      expect(total).toBeGreaterThan(INLINE_ROWS);
      await (t.app.get(JobQueue) as InlineJobQueue).drain();
      const job = (await get('district_admin', `/api/exports/jobs/${exportId}`).expect(200)).body;
      expect(job).toMatchObject({ id: exportId, kind: 'people', format: 'xlsx', status: 'ready', rowCount: total, unmasked: true });
      const mine = (await get('district_admin', '/api/exports').expect(200)).body;
      expect(mine.items.map((j: { id: string }) => j.id)).toContain(exportId);

      const res = await file('district_admin', `/api/exports/jobs/${exportId}/file`).expect(200);
      expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%E6%95%99%E8%81%8C%E5%B7%A5");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const [header, ...rows] = await table(res);
      expect(header[8]).toBe('身份证号');
      expect(rows.length).toBe(total);
      expect(rows.every((r) => NATIONAL_ID.test(r[8]))).toBe(true);
      expect(rows.map((r) => r[0])).toContain(`'${FORMULA_NAME}`);

      await get('kg_admin', `/api/exports/jobs/${exportId}`).expect(404);
      await get('kg_admin', `/api/exports/jobs/${exportId}/file`).expect(404);
      expect((await get('kg_admin', '/api/exports').expect(200)).body.items.map((j: { id: string }) => j.id)).not.toContain(exportId);
      expect(await count(`SELECT count(*) AS n FROM audit_log WHERE entity_type = 'export' AND entity_id = $1`, [exportId])).toBe(1);
      expect(await count(`SELECT count(*) AS n FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'district_admin' AND n.kind = 'export.ready' AND n.dedupe_key = $1`, [`export-ready:${exportId}`])).toBe(1);
    });

    it('changes nothing when the job is delivered again', async () => {
      const snapshot = async () => (await t.db.pool.query(
        `SELECT j.file_id, j.row_count, j.status, (SELECT count(*) FROM stored_file WHERE purpose = 'export') AS files,
                (SELECT count(*) FROM audit_log WHERE entity_id = j.id::text) AS audits, (SELECT count(*) FROM notification WHERE kind LIKE 'export.%') AS notices
           FROM export_job j WHERE j.id = $1`, [exportId])).rows[0];
      const before = await snapshot();
      await t.app.get(ExportRenderJob).render(exportId);
      expect(await snapshot()).toEqual(before);
    });

    it('queues again at start an export that a stopped process saved but never queued', async () => {
      const { rows: [job] } = await t.db.pool.query(
        `INSERT INTO export_job (user_id, kind, format, params, status) SELECT id, 'roster', 'csv', $1, 'queued' FROM app_user WHERE username = 'district_admin' RETURNING id`,
        [JSON.stringify({ filters: { offering: ids.offering }, locale: 'zh-CN' })]);
      t.app.get(ExportRenderJob).onApplicationBootstrap();
      await t.app.get(ExportRenderJob).resubmitted;
      await (t.app.get(JobQueue) as InlineJobQueue).drain();
      const view = (await get('district_admin', `/api/exports/jobs/${job.id}`).expect(200)).body;
      expect(view).toMatchObject({ status: 'ready', kind: 'roster' });
      await file('district_admin', view.fileUrl).expect(200);
      // A second start finds nothing left to do.
      const files = await count(`SELECT count(*) AS n FROM stored_file WHERE purpose = 'export'`);
      t.app.get(ExportRenderJob).onApplicationBootstrap();
      await t.app.get(ExportRenderJob).resubmitted;
      await (t.app.get(JobQueue) as InlineJobQueue).drain();
      expect(await count(`SELECT count(*) AS n FROM stored_file WHERE purpose = 'export'`)).toBe(files);
    });

    it('fails a queued export whose owner no longer reaches the records, and tells them', async () => {
      const { rows: [job] } = await t.db.pool.query(
        `INSERT INTO export_job (user_id, kind, format, params, status) SELECT id, 'roster', 'csv', $1, 'queued' FROM app_user WHERE username = 'kg_admin' RETURNING id`,
        [JSON.stringify({ filters: { offering: ids.xhOffering }, locale: 'zh-CN' })]);
      await t.app.get(ExportRenderJob).render(job.id);
      const view = (await get('kg_admin', `/api/exports/jobs/${job.id}`).expect(200)).body;
      expect(view).toMatchObject({ status: 'failed', fileUrl: null });
      expect(view.failureMessage).toMatch(/^NOT_FOUND/);
      await get('kg_admin', `/api/exports/jobs/${job.id}/file`).expect(409);
      expect(await count(`SELECT count(*) AS n FROM notification WHERE kind = 'export.failed' AND dedupe_key = $1`, [`export-failed:${job.id}`])).toBe(1);
    });
  });

  describe('pages', () => {
    it('puts export buttons carrying the page\'s filters on the list pages', async () => {
      const pages = await t.signInPages('district_admin');
      const people = await pages.get(`/people?post=teacher&orgUnitId=${ids.k001}`).expect(200);
      const form = /<form[^>]*action="\/exports\/people"[\s\S]*?<\/form>/.exec(people.text)![0];
      expect(form).toContain('name="post" value="teacher"');
      expect(form).toContain(`name="orgUnitId" value="${ids.k001}"`);
      expect(form).not.toContain('name="q"');
      for (const [path, kind] of [['/org', 'kindergartens'], [`/courses/offerings/${ids.offering}/roster`, 'roster'], [`/teaching/offerings/${ids.offering}/gradebook`, 'gradebook'],
        ['/credits/report', 'compliance'], ['/targets/title-coverage', 'coverage']]) {
        expect((await pages.get(path).expect(200)).text).toContain(`action="/exports/${kind}"`);
      }
    });

    it('downloads a small export from the page form at once; a large one goes to 我的导出 with its download link', async () => {
      const kg = await t.signInPages('kg_admin');
      const list = await kg.get('/people').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)![1];
      const small = await kg.post('/exports/people').type('form').send({ _csrf: csrf, format: 'csv', post: 'teacher' }).buffer(true).parse(binary).expect(200);
      expect(small.headers['content-disposition']).toContain('attachment');
      expect((await table(small)).length).toBeGreaterThan(1);
      await kg.post('/exports/people').type('form').send({ format: 'csv' }).expect(403);

      const hr = await t.signInPages('district_admin');
      const token = /name="_csrf" value="([^"]+)"/.exec((await hr.get('/people').expect(200)).text)![1];
      const large = await hr.post('/exports/people').type('form').send({ _csrf: token, format: 'csv' }).expect(303);
      expect(large.headers.location).toBe('/exports');
      const page = await hr.get('/exports').expect(200);
      expect(page.text).toContain('教职工名单');
      expect(page.text).toMatch(/href="\/api\/exports\/jobs\/[0-9a-f-]{36}\/file"/);
    });
  });
});
