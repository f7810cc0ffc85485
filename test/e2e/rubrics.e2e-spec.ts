import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures, type CatalogFixtures } from '../support/catalog-fixtures.js';
import { assessmentFixtures, type AssessmentFixtures } from '../support/assessment-fixtures.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Criterion = { id: string; title: string; description?: string; levels?: Array<{ id: string; title: string; points: number; description?: string }>; maxPoints?: number };
const LESSON = [
  { title: '教学目标', description: '目标清楚、具体', levels: [{ title: '待改进', points: 1 }, { title: '合格', points: 3 }, { title: '优秀', points: 5, description: '目标可观察' }] },
  { title: '师幼互动', levels: [{ title: '待改进', points: 0 }, { title: '优秀', points: 4.5 }] },
];
const csv = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
/** Criteria without ids, to compare what two rubrics score. */
const shape = (criteria: Criterion[]) => criteria.map((c) => ({ title: c.title, description: c.description ?? '', maxPoints: c.maxPoints ?? null,
  levels: (c.levels ?? []).map((l) => ({ title: l.title, points: l.points, description: l.description ?? '' })) }));

describe('rubrics: district-wide reuse, editing rules and spreadsheet import/export', () => {
  let t: TestApp;
  let fx: CatalogFixtures;
  let ax: AssessmentFixtures;
  const tokens: Record<string, string> = {};
  const count = async () => Number((await t.db.pool.query(`SELECT count(*) FROM rubric`)).rows[0].count);
  const create = (who: string, body: object) => t.http().post('/api/rubrics').set(auth(tokens[who])).send(body);
  const importSheet = (who: string, file: Buffer, fields: Record<string, string>, name = 'sheet.csv') => {
    const req = t.http().post('/api/rubrics/import').set(auth(tokens[who]));
    for (const [key, value] of Object.entries(fields)) req.field(key, value);
    return req.attach('file', file, name);
  };

  beforeAll(async () => {
    t = await startTestApp();
    fx = catalogFixtures(t.db.pool);
    ax = assessmentFixtures(t.db.pool);
    await fx.createTrainer('trainer2');
    // An expert listed on no offering yet: their reach comes only from the offerings they train.
    await t.db.pool.query(
      `WITH u AS (INSERT INTO app_user (username, display_name, password_hash, locale)
                  SELECT 'expert2', '新专家', password_hash, 'zh-CN' FROM app_user WHERE username = 'expert' RETURNING id)
       INSERT INTO role_assignment (user_id, role) SELECT id, 'expert' FROM u`);
    for (const who of ['trainer', 'trainer2', 'district_admin', 'kg_admin', 'teacher', 'expert2']) tokens[who] = await t.token(who);
  });
  afterAll(() => t?.close());

  describe('creating and reading', () => {
    let rubricId: string;

    it('creates a rubric with server ids and the sum of the highest levels; a repeated request makes no second one', async () => {
      const before = await count();
      const res = await create('trainer', { name: '示范课评价量规', method: 'rubric', criteria: LESSON }).expect(201);
      rubricId = res.body.id;
      expect(res.body).toMatchObject({ method: 'rubric', maxPoints: 9.5, canEdit: true, inUse: false, version: 1 });
      expect(res.body.criteria.map((c: Criterion) => [c.id, c.levels!.map((l) => l.id)])).toEqual([['c1', ['c1l1', 'c1l2', 'c1l3']], ['c2', ['c2l1', 'c2l2']]]);
      const again = await create('trainer', { name: '示范课评价量规', method: 'rubric', criteria: LESSON }).expect(201);
      expect(again.body.id).toBe(rubricId);
      expect(await count()).toBe(before + 1);
    });

    it('refuses bad criteria naming each field, and writes nothing', async () => {
      const before = await count();
      const res = await create('trainer', { name: '坏量规', method: 'rubric', criteria: [
        { title: '目标', levels: [{ title: '好', points: -1 }, { title: '好', points: 'x' }] },
        { title: '', levels: [{ title: '一', points: 1 }] },
      ] }).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([
        'criteria[0].levels[0].points', 'criteria[0].levels[1].title', 'criteria[0].levels[1].points', 'criteria[1].title', 'criteria[1].levels',
      ]);
      const guide = await create('trainer', { name: '坏指南', method: 'guide', criteria: [{ title: '教案', maxPoints: 0 }] }).expect(400);
      expect(guide.body.error.details.fields).toEqual([expect.objectContaining({ field: 'criteria[0].maxPoints', code: 'MAX_POINTS_NOT_POSITIVE' })]);
      await create('trainer', { name: '', method: 'quiz', criteria: [] }).expect(400);
      expect(await count()).toBe(before);
    });

    it('is read by everyone teaching in the district, edited only by its owner or a catalog manager', async () => {
      const other = await t.http().get(`/api/rubrics/${rubricId}`).set(auth(tokens.trainer2)).expect(200);
      expect(other.body).toMatchObject({ name: '示范课评价量规', canEdit: false });
      const kindergarten = await t.http().get(`/api/rubrics/${rubricId}`).set(auth(tokens.kg_admin)).expect(200);
      expect(kindergarten.body.canEdit).toBe(false);
      const refused = await t.http().patch(`/api/rubrics/${rubricId}`).set(auth(tokens.trainer2)).send({ version: 1, name: '改名' }).expect(403);
      expect(refused.body.error.code).toBe('RUBRIC_NOT_EDITABLE');
      await t.http().post(`/api/rubrics/${rubricId}/archive`).set(auth(tokens.trainer2)).expect(403);
      const admin = await t.http().patch(`/api/rubrics/${rubricId}`).set(auth(tokens.district_admin)).send({ version: 1, description: '区级示范课通用' }).expect(200);
      expect(admin.body).toMatchObject({ description: '区级示范课通用', version: 2, canEdit: true });
      await t.http().get(`/api/rubrics/${rubricId}`).set(auth(tokens.teacher)).expect(403);
      await t.http().get('/api/rubrics').set(auth(tokens.teacher)).expect(403);
    });

    it('hides another district\'s rubrics (404) and shows an expert only the districts they train in', async () => {
      const { rows } = await t.db.pool.query(
        `WITH n AS (SELECT gen_random_uuid() AS id), c AS (SELECT id, path FROM org_unit WHERE kind = 'city' LIMIT 1)
         INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name)
         SELECT n.id, 'district', c.id, c.path || n.id || '/', 1, n.id, 'SH-JD', '嘉定区' FROM n, c RETURNING id`);
      expect(rows).toHaveLength(1);
      const elsewhere = await ax.createRubric({ districtCode: 'SH-JD', name: '嘉定量规', ownerUsername: 'district_admin' });
      const res = await t.http().get(`/api/rubrics/${elsewhere}`).set(auth(tokens.trainer)).expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      await t.http().post(`/api/rubrics/${elsewhere}/copy`).set(auth(tokens.trainer)).expect(404);
      await t.http().get(`/api/rubrics/${elsewhere}/export?format=csv`).set(auth(tokens.trainer)).expect(404);
      const list = await t.http().get('/api/rubrics?pageSize=200').set(auth(tokens.trainer)).expect(200);
      expect(list.body.items.map((r: { id: string }) => r.id)).not.toContain(elsewhere);

      await t.http().get(`/api/rubrics/${rubricId}`).set(auth(tokens.expert2)).expect(404);
      const refused = await create('expert2', { name: '专家量规', method: 'rubric', criteria: LESSON }).expect(400);
      expect(refused.body.error.details.fields[0]).toMatchObject({ field: 'districtId', code: 'DISTRICT_REQUIRED' });
      const offeringId = await fx.createOffering(await fx.createCourse(), { trainers: ['expert2'] });
      expect(offeringId).toBeTruthy();
      await t.http().get(`/api/rubrics/${rubricId}`).set(auth(tokens.expert2)).expect(200);
    });

    it('searches by name and kind, pages, and leaves archived ones out unless asked', async () => {
      const guide = await create('trainer2', { name: '观察记录评分指南', method: 'guide', criteria: [{ title: '记录', maxPoints: 10 }, { title: '分析', maxPoints: 5 }] }).expect(201);
      expect(guide.body.maxPoints).toBe(15);
      const found = await t.http().get('/api/rubrics?q=观察&method=guide').set(auth(tokens.trainer)).expect(200);
      expect(found.body.items.map((r: { name: string }) => r.name)).toEqual(['观察记录评分指南']);
      expect(found.body.items[0]).toMatchObject({ criteriaCount: 2, ownerName: '另一位培训者', itemCount: 0 });
      const paged = await t.http().get('/api/rubrics?pageSize=1').set(auth(tokens.trainer)).expect(200);
      const inDistrict = Number((await t.db.pool.query(
        `SELECT count(*) FROM rubric WHERE archived_at IS NULL AND district_id = (SELECT id FROM org_unit WHERE code = 'SH-QP')`)).rows[0].count);
      expect(inDistrict).toBeGreaterThan(1);
      expect(paged.body).toMatchObject({ total: inDistrict, page: 1, pageSize: 1 });
      expect(paged.body.items).toHaveLength(1);

      await t.http().post(`/api/rubrics/${guide.body.id}/archive`).set(auth(tokens.trainer2)).expect(200);
      const active = await t.http().get('/api/rubrics?q=观察').set(auth(tokens.trainer)).expect(200);
      expect(active.body.total).toBe(0);
      const all = await t.http().get('/api/rubrics?q=观察&archived=true').set(auth(tokens.trainer)).expect(200);
      expect(all.body.items[0].archivedAt).not.toBeNull();
      const edit = await t.http().patch(`/api/rubrics/${guide.body.id}`).set(auth(tokens.trainer2)).send({ version: 2, name: 'x' }).expect(409);
      expect(edit.body.error.code).toBe('RUBRIC_ARCHIVED');
    });
  });

  describe('editing', () => {
    it('keeps the ids of kept criteria, refuses a stale version, and freezes the scoring once graded', async () => {
      const created = await create('trainer', { name: '反思评价', method: 'rubric', criteria: LESSON }).expect(201);
      const id = created.body.id;
      const [first, second] = created.body.criteria as Criterion[];
      const edited = await t.http().patch(`/api/rubrics/${id}`).set(auth(tokens.trainer)).send({ version: 1, criteria: [
        { title: '反思深度', levels: [{ title: '浅', points: 0 }, { title: '深', points: 2 }] },
        { id: second.id, title: second.title, levels: second.levels },
        { id: first.id, title: first.title, levels: first.levels },
      ] }).expect(200);
      expect(edited.body.criteria.map((c: Criterion) => c.id)).toEqual(['c3', 'c2', 'c1']);
      expect(edited.body).toMatchObject({ maxPoints: 11.5, version: 2 });
      const stale = await t.http().patch(`/api/rubrics/${id}`).set(auth(tokens.trainer)).send({ version: 1, name: '旧的' }).expect(409);
      expect(stale.body.error.code).toBe('CONFLICT');

      const offeringId = await fx.createOffering(await fx.createCourse(), { trainers: ['trainer'] });
      const { enrollmentId } = await fx.enrolUser(offeringId, 't00001');
      const itemId = await ax.createItem(offeringId, { rubricId: id, gradingMethod: 'rubric', maxPoints: 11.5, passPoints: 6 });
      await ax.grade(itemId, enrollmentId, { points: 8, passed: true });

      const criteria = edited.body.criteria as Criterion[];
      const rescored = await t.http().patch(`/api/rubrics/${id}`).set(auth(tokens.trainer))
        .send({ version: 2, criteria: criteria.slice(1) }).expect(409);
      expect(rescored.body.error.code).toBe('RUBRIC_IN_USE');
      const reworded = await t.http().patch(`/api/rubrics/${id}`).set(auth(tokens.trainer)).send({
        version: 2, name: '反思评价（修订）', criteria: criteria.map((c) => ({ ...c, description: '说明更清楚' })),
      }).expect(200);
      expect(reworded.body).toMatchObject({ name: '反思评价（修订）', inUse: true, maxPoints: 11.5, version: 3 });
      expect(reworded.body.criteria.every((c: Criterion) => c.description === '说明更清楚')).toBe(true);
      const stored = (await t.db.pool.query(`SELECT max_points::float8 AS max FROM assessment_item WHERE id = $1`, [itemId])).rows[0];
      expect(stored.max).toBe(11.5);
    });

    it('copies into a new rubric the caller owns and may edit', async () => {
      const source = await create('trainer', { name: '游戏观察量规', method: 'rubric', criteria: LESSON }).expect(201);
      const copy = await t.http().post(`/api/rubrics/${source.body.id}/copy`).set(auth(tokens.trainer2)).expect(201);
      expect(copy.body).toMatchObject({ name: '游戏观察量规 (副本)', canEdit: true, inUse: false, maxPoints: 9.5 });
      expect(copy.body.id).not.toBe(source.body.id);
      expect(shape(copy.body.criteria)).toEqual(shape(source.body.criteria));
      const again = await t.http().post(`/api/rubrics/${source.body.id}/copy`).set(auth(tokens.trainer2)).expect(201);
      expect(again.body.id).toBe(copy.body.id);
    });
  });

  describe('spreadsheets', () => {
    it('exports CSV with a byte-order mark and imports it back to the same criteria', async () => {
      const source = await create('trainer', { name: '教案评价', method: 'rubric', criteria: [
        ...LESSON, { title: '延伸, "拓展"', description: '多行\n说明', levels: [{ title: '无', points: 0 }, { title: '有', points: 2, description: '-可选' }] },
      ] }).expect(201);
      const exported = await t.http().get(`/api/rubrics/${source.body.id}/export?format=csv`).set(auth(tokens.trainer)).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(exported.headers['content-type']).toMatch(/^text\/csv/);
      expect(exported.headers['content-disposition']).toContain('attachment');
      const bytes = exported.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.toString('utf8').split('\r\n')[0]).toBe('\uFEFF评价标准,标准说明,等级,分值,等级说明');

      const imported = await importSheet('trainer2', bytes, { name: '教案评价（导入）', dryRun: 'false' }).expect(201);
      expect(imported.body).toMatchObject({ name: '教案评价（导入）', method: 'rubric', maxPoints: source.body.maxPoints });
      expect(shape(imported.body.criteria)).toEqual(shape(source.body.criteria));
    });

    it('exports XLSX and a dry run of it answers the same rubric without writing', async () => {
      const source = await create('trainer', { name: '说课评分指南', method: 'guide', criteria: [{ title: '教材分析', description: '准确', maxPoints: 10 }, { title: '教法', maxPoints: 15 }] }).expect(201);
      const exported = await t.http().get(`/api/rubrics/${source.body.id}/export?format=xlsx`).set(auth(tokens.trainer)).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(exported.body as unknown as ArrayBuffer);
      expect(workbook.worksheets[0].getRow(1).values).toEqual([undefined, '评价标准', '标准说明', '满分']);
      const before = await count();
      const dry = await importSheet('trainer', exported.body as Buffer, {}, '说课.xlsx').expect(200);
      expect(dry.body).toMatchObject({ dryRun: true, name: '说课', method: 'guide', maxPoints: 25, problems: [] });
      expect(shape(dry.body.criteria)).toEqual(shape(source.body.criteria));
      expect(await count()).toBe(before);
    });

    it('answers 400 listing the missing columns, and writes nothing', async () => {
      const before = await count();
      const res = await importSheet('trainer', csv(['评价标准,说明', '教学目标,清楚']), { dryRun: 'true' }).expect(400);
      expect(res.body.error.code).toBe('RUBRIC_SHEET_COLUMNS_MISSING');
      expect(res.body.error.details.missing).toEqual(['等级', '分值']);
      expect(res.body.error.message).toContain('等级');
      await importSheet('trainer', csv(['评价标准,说明', '教学目标,清楚']), { dryRun: 'false' }).expect(400);
      expect(await count()).toBe(before);
    });

    it('lists every bad row in the dry run; applying the same sheet is refused with the same problems and writes nothing', async () => {
      const sheet = csv([
        '评价标准,标准说明,等级,分值,等级说明',
        ',,优秀,5,',
        '教学目标,,待改进,,',
        ',,合格,三分,',
        ',,合格,-1,',
        '活动设计,,好,3,',
        '活动设计,,很好,"4,5",',
      ]);
      const before = await count();
      const dry = await importSheet('trainer', sheet, {}).expect(200);
      expect(dry.body.problems.map((p: { row: number; column: string; code: string }) => [p.row, p.column, p.code])).toEqual([
        [2, '评价标准', 'LEVEL_WITHOUT_CRITERION'],
        [3, '分值', 'POINTS_REQUIRED'],
        [4, '分值', 'POINTS_NOT_NUMBER'],
        [5, '等级', 'DUPLICATE_TITLE'],
        [5, '分值', 'POINTS_NEGATIVE'],
        [7, '分值', 'POINTS_NOT_NUMBER'],
      ]);
      expect(dry.body.problems[1].message).toBe('缺少分值');
      expect(dry.body.rows.map((r: { row: number }) => r.row)).toEqual([2, 3, 4, 5, 6, 7]);
      const applied = await importSheet('trainer', sheet, { dryRun: 'false' }).expect(400);
      expect(applied.body.error.code).toBe('RUBRIC_SHEET_INVALID');
      expect(applied.body.error.details.problems).toEqual(dry.body.problems);
      expect(await count()).toBe(before);
    });

    it('refuses a missing or unreadable file', async () => {
      const none = await t.http().post('/api/rubrics/import').set(auth(tokens.trainer)).field('dryRun', 'true').expect(400);
      expect(none.body.error.details.fields[0]).toMatchObject({ field: 'file', code: 'FILE_REQUIRED' });
      const broken = await importSheet('trainer', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]), {}, 'x.xlsx').expect(400);
      expect(broken.body.error.details.fields[0]).toMatchObject({ field: 'file', code: 'FILE_UNREADABLE' });
      await importSheet('teacher', csv(['评价标准,等级,分值']), {}).expect(403);
    });
  });

  describe('pages', () => {
    it('lists, adds a level without saving, shows field errors in place, and saves', async () => {
      const browser = await t.signInPages('trainer');
      const list = await browser.get('/rubrics').expect(200);
      expect(list.text).toContain('示范课评价量规');
      const form = await browser.get('/rubrics/new?method=rubric').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
      const base = { _csrf: csrf, method: 'rubric', name: '页面量规', 'criteria[0][title]': '目标',
        'criteria[0][levels][0][title]': '低', 'criteria[0][levels][0][points]': '1', 'criteria[0][levels][1][title]': '高', 'criteria[0][levels][1][points]': 'abc' };
      const added = await browser.post('/rubrics').type('form').send({ ...base, op: 'addLevel:0' }).expect(200);
      expect((added.text.match(/data-testid="level"/g) ?? []).length).toBe(3);
      const before = await count();
      const refused = await browser.post('/rubrics').type('form').send({ ...base, op: 'save' }).expect(400);
      expect(refused.text).toContain('分值应为数字');
      expect(await count()).toBe(before);
      const saved = await browser.post('/rubrics').type('form').send({ ...base, 'criteria[0][levels][1][points]': '4', op: 'save' }).expect(303);
      expect(saved.headers.location).toMatch(/^\/rubrics\/[0-9a-f-]{36}$/);
      const page = await browser.get(saved.headers.location).expect(200);
      expect(page.text).toContain('满分 4');
      expect(page.text).not.toContain('data-testid="read-only"');

      const other = await t.signInPages('trainer2');
      const readOnly = await other.get(`${saved.headers.location}?lang=en`).redirects(1).expect(200);
      expect(readOnly.text).toContain('data-testid="read-only"');
      expect(readOnly.text).toContain('Only its owner or a catalog manager');
      expect(readOnly.text).toMatch(/<fieldset disabled>/);
    });

    it('imports through a dry-run page that keeps the file for the apply step', async () => {
      const browser = await t.signInPages('trainer');
      const form = await browser.get('/rubrics/import').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
      const sheet = csv(['Criterion,Level,Points', '倾听,一般,1', '倾听,专注,3']);
      const preview = await browser.post('/rubrics/import').field('_csrf', csrf).field('name', '倾听量规').attach('file', sheet, 'listen.csv').expect(200);
      expect(preview.text).toContain('data-testid="apply"');
      // Handlebars escapes '=' in the page; the browser reads it back as '='.
      const fileData = /name="fileData" value="([^"]+)"/.exec(preview.text)![1].replace(/&#x3D;/g, '=');
      const before = await count();
      const applied = await browser.post('/rubrics/import').type('form')
        .send({ _csrf: csrf, fileData, fileName: 'listen.csv', name: '倾听量规', method: 'rubric', dryRun: 'false' }).expect(303);
      expect(await count()).toBe(before + 1);
      const page = await browser.get(applied.headers.location).expect(200);
      expect(page.text).toContain('倾听量规');

      const bad = await browser.post('/rubrics/import').field('_csrf', csrf).attach('file', csv(['Criterion,Level,Points', '倾听,一般,x']), 'bad.csv').expect(200);
      expect(bad.text).toContain('data-testid="fix-and-retry"');
      expect(bad.text).not.toContain('data-testid="apply"');
    });
  });
});
