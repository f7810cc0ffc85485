import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures, type CatalogFixtures } from '../support/catalog-fixtures.js';
import { assessmentFixtures, type AssessmentFixtures } from '../support/assessment-fixtures.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const binary = (res: { on(event: string, listener: (chunk?: Buffer) => void): unknown }, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
type Row = { enrollmentId: string; fullName: string; kindergarten: string; cells: Array<Record<string, unknown>>; totals: Record<string, number>; overall: string | null };
type Grid = { rows: Array<Omit<Row, 'cells'>>; cellFields: string[]; cells: unknown[][][] };
/** The answer's rows with their cells as objects: `cells[r][c]` is a tuple of the fields `cellFields` names. */
const rowsOf = (grid: Grid): Row[] => grid.rows.map((learner, r) => ({
  ...learner, cells: grid.cells[r].map((tuple) => Object.fromEntries(grid.cellFields.map((field, i) => [field, tuple[i]]))),
}));

describe('gradebook: learners × items with totals, pass/fail, filters and export', () => {
  let t: TestApp;
  let fx: CatalogFixtures;
  let ax: AssessmentFixtures;
  let offeringId: string;
  const tokens: Record<string, string> = {};
  const items: Record<string, string> = {};
  /** Learners by sign-in: a passes everything, b fails the essay and hands it in late, c has nothing, d completed and was observed only. */
  const learners: Record<string, { enrollmentId: string; personId: string; kindergarten: string }> = {};
  const book = (query = '', who = 'trainer') => t.http().get(`/api/offerings/${offeringId}/gradebook${query}`).set(auth(tokens[who]));
  const names = (rows: Array<{ enrollmentId: string }>) => rows.map((r) => Object.entries(learners).find(([, l]) => l.enrollmentId === r.enrollmentId)![0]).sort();

  beforeAll(async () => {
    t = await startTestApp();
    fx = catalogFixtures(t.db.pool);
    ax = assessmentFixtures(t.db.pool);
    await fx.createTrainer('trainer2');
    offeringId = await fx.createOffering(await fx.createCourse({ title: '幼儿园课程游戏化' }), { trainers: ['trainer'] });
    const { rows: people } = await t.db.pool.query(
      `SELECT DISTINCT ON (p.current_org_unit_id) u.username, k.name FROM app_user u JOIN person p ON p.id = u.person_id JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE u.username ~ '^t0[0-9]{4}$' ORDER BY p.current_org_unit_id, u.username LIMIT 2`);
    const { rows: more } = await t.db.pool.query(
      `SELECT u.username, k.name FROM app_user u JOIN person p ON p.id = u.person_id JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE u.username ~ '^t0[0-9]{4}$' AND p.current_org_unit_id = (SELECT current_org_unit_id FROM person p2 JOIN app_user u2 ON u2.person_id = p2.id WHERE u2.username = $1)
          AND u.username <> $1 ORDER BY u.username LIMIT 2`, [people[0].username]);
    const chosen = { a: people[0], b: more[0], c: more[1], d: people[1] };
    for (const [key, person] of Object.entries(chosen)) {
      learners[key] = { ...(await fx.enrolUser(offeringId, person.username, key === 'd' ? 'completed' : 'enrolled')), kindergarten: person.name };
    }
    const { rows: waiting } = await t.db.pool.query(`SELECT username FROM app_user WHERE username ~ '^t0[0-9]{4}$' AND username <> ALL($1) ORDER BY username DESC LIMIT 1`,
      [Object.values(chosen).map((p) => p.username)]);
    await fx.enrolUser(offeringId, waiting[0].username, 'waitlisted');

    const rubricId = await ax.createRubric();
    items.essay = await ax.createItem(offeringId, { title: '观察记录', position: 0, maxPoints: 100, passPoints: 60 });
    items.lesson = await ax.createItem(offeringId, { kind: 'offline', title: '展示活动', position: 1, submissionModes: [], gradingMethod: 'pass_fail', maxPoints: null, passPoints: null });
    items.survey = await ax.createItem(offeringId, { kind: 'survey', title: '课程评价', position: 2 });
    items.reflection = await ax.createItem(offeringId, { title: '反思', position: 3, rubricId, gradingMethod: 'rubric', maxPoints: 20, passPoints: null, secondMarking: true });
    const archived = await ax.createItem(offeringId, { title: '旧作业', position: 4 });
    await t.db.pool.query(`UPDATE assessment_item SET archived_at = now() WHERE id = $1`, [archived]);

    const { a, b, c, d } = learners;
    await ax.submit(items.essay, a.enrollmentId);
    await ax.submit(items.essay, b.enrollmentId, { late: true });
    await ax.submit(items.survey, a.enrollmentId, { answers: { q1: 5 } });
    await ax.submit(items.reflection, a.enrollmentId);
    await ax.submit(items.reflection, c.enrollmentId);
    await ax.grade(items.essay, a.enrollmentId, { points: 82.5, passed: true });
    await ax.grade(items.lesson, a.enrollmentId, { passed: true, released: false });
    await ax.grade(items.reflection, a.enrollmentId, { points: 15, passed: true, released: false });
    await ax.grade(items.essay, b.enrollmentId, { points: 40, passed: false });
    await ax.grade(items.lesson, d.enrollmentId, { passed: true });
    await t.db.pool.query(
      `INSERT INTO grade_mark (item_id, enrollment_id, marker_user_id, district_id, role, points, criteria, marked_at)
       SELECT $1, e.id, u.id, e.district_id, 'first', 12, '[]', now() FROM enrollment e, app_user u WHERE e.id = $2 AND u.username = 'trainer'`,
      [items.reflection, c.enrollmentId]);
    for (const who of ['trainer', 'trainer2', 'district_admin', 'kg_admin', 'teacher']) tokens[who] = await t.token(who);
  });
  afterAll(() => t?.close());

  it('lists enrolled and completed learners against the live items, with states, grades, totals and the overall result', async () => {
    const res = await book().expect(200);
    expect(res.body.offering).toMatchObject({ id: offeringId, courseTitle: '幼儿园课程游戏化' });
    expect(res.body.columns.map((c: { id: string }) => c.id)).toEqual([items.essay, items.lesson, items.survey, items.reflection]);
    expect(res.body.columns[0]).toMatchObject({ maxPoints: 100, passPoints: 60, hasThreshold: true });
    expect(res.body.columns[3]).toMatchObject({ maxPoints: 20, passPoints: null, hasThreshold: false, secondMarking: true });
    const rows = rowsOf(res.body);
    expect(names(rows)).toEqual(['a', 'b', 'c', 'd']);
    const row = (key: string) => rows.find((r) => r.enrollmentId === learners[key].enrollmentId)!;
    expect(row('a')).toMatchObject({ kindergarten: learners.a.kindergarten, totals: { points: 97.5, max: 120, possible: 120 }, overall: 'passed' });
    expect(row('a').cells.map((c) => [c.submission, c.released])).toEqual([
      ['submitted', true], [null, false], ['submitted', null], ['submitted', false]]);
    expect(row('b').cells[0]).toMatchObject({ submission: 'late', points: 40, passed: false, released: true });
    expect(row('b')).toMatchObject({ totals: { points: 40, max: 100, possible: 120 }, overall: 'failed' });
    expect(row('c')).toMatchObject({ totals: { points: 0, max: 0, possible: 120 }, overall: 'pending' });
    expect(row('c').cells[3]).toMatchObject({ submission: 'submitted', points: null, passed: null, released: null, marks: 1 });
    expect(row('d')).toMatchObject({ overall: 'pending' });
    expect(res.body.summary).toEqual([
      { itemId: items.essay, graded: 2, passed: 1, passRate: 0.5, average: 61.25 },
      { itemId: items.lesson, graded: 2, passed: 2, passRate: 1, average: null },
      { itemId: items.survey, graded: 0, passed: 0, passRate: null, average: null },
      { itemId: items.reflection, graded: 1, passed: 1, passRate: 1, average: 15 },
    ]);
  });

  it('answers a row per learner and their cells as a compact rows × columns matrix of tuples', async () => {
    const res = await book().expect(200);
    expect(res.body.rows.every((r: object) => !('cells' in r))).toBe(true);
    expect(res.body.cellFields).toEqual(['submission', 'submittedAt', 'points', 'passed', 'released', 'marks']);
    expect(res.body.cells).toHaveLength(res.body.rows.length);
    const b = res.body.rows.findIndex((l: { enrollmentId: string }) => l.enrollmentId === learners.b.enrollmentId);
    const c = res.body.rows.findIndex((l: { enrollmentId: string }) => l.enrollmentId === learners.c.enrollmentId);
    expect(res.body.cells[b].map((cell: unknown[]) => cell.length)).toEqual([6, 6, 6, 6]);
    const [late, lesson] = res.body.cells[b];
    expect(late).toEqual(['late', expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), 40, false, true, 0]);
    expect(lesson).toEqual([null, null, null, null, null, 0]);
    expect(res.body.cells[c][3]).toEqual(['submitted', expect.any(String), null, null, null, 1]);
    expect(res.body.rows[b]).toEqual({
      enrollmentId: learners.b.enrollmentId, personId: learners.b.personId, fullName: expect.any(String), kindergartenId: expect.any(String),
      kindergarten: learners.b.kindergarten, enrollmentStatus: 'enrolled', totals: { points: 40, max: 100, possible: 120 }, overall: 'failed',
    });
  });

  it('filters by status overall or per item, by kindergarten and by name', async () => {
    const rowsOf = async (query: string) => names((await book(query).expect(200)).body.rows);
    expect(await rowsOf('?status=passed')).toEqual(['a']);
    expect(await rowsOf('?status=failed')).toEqual(['b']);
    expect(await rowsOf('?status=missing')).toEqual(['b', 'c', 'd']);
    expect(await rowsOf('?status=ungraded')).toEqual(['b', 'c']);
    expect(await rowsOf(`?status=missing&item=${items.essay}`)).toEqual(['c', 'd']);
    expect(await rowsOf(`?status=ungraded&item=${items.reflection}`)).toEqual(['c']);
    expect(await rowsOf(`?status=passed&item=${items.lesson}`)).toEqual(['a', 'd']);
    const kindergartenId = (await t.db.pool.query(`SELECT kindergarten_id FROM enrollment WHERE id = $1`, [learners.d.enrollmentId])).rows[0].kindergarten_id;
    expect(await rowsOf(`?kindergarten=${kindergartenId}`)).toEqual(['d']);
    const fullName = (await t.db.pool.query(`SELECT full_name FROM person WHERE id = $1`, [learners.b.personId])).rows[0].full_name;
    expect(await rowsOf(`?q=${encodeURIComponent(fullName)}`)).toEqual(['b']);
    const filtered = await book(`?status=failed`).expect(200);
    expect(filtered.body.summary[0]).toMatchObject({ graded: 1, passed: 0, passRate: 0, average: 40 });
  });

  it('refuses bad filters naming the field', async () => {
    const other = await fx.createOffering(await fx.createCourse(), { trainers: ['trainer'] });
    const foreign = await ax.createItem(other, { title: '别的作业' });
    const res = await book(`?item=${foreign}`).expect(400);
    expect(res.body.error.details.fields[0]).toMatchObject({ field: 'item', code: 'ITEM_NOT_IN_OFFERING' });
    const status = await book('?status=great').expect(400);
    expect(status.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['status']);
  });

  it('is the offering trainers\' and catalog managers\' only', async () => {
    await book('', 'district_admin').expect(200);
    expect((await book('', 'trainer2').expect(404)).body.error.code).toBe('NOT_FOUND');
    await book('', 'kg_admin').expect(404);
    await book('', 'teacher').expect(403);
    await t.http().get(`/api/offerings/${offeringId}/gradebook/export?format=csv`).set(auth(tokens.trainer2)).expect(404);
  });

  it('exports the filtered rows as the bulk-import grade sheet (CSV with a byte-order mark, and XLSX)', async () => {
    const csv = await t.http().get(`/api/offerings/${offeringId}/gradebook/export?format=csv&status=missing`).set(auth(tokens.trainer))
      .buffer(true).parse(binary).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain('attachment');
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trim().split('\r\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(['报名编号', '姓名', '幼儿园', `观察记录 [${items.essay}]`, `展示活动 [${items.lesson}]`, `反思 [${items.reflection}]`]);
    expect(lines.slice(1).map((l) => l[0]).sort()).toEqual([learners.b.enrollmentId, learners.c.enrollmentId, learners.d.enrollmentId].sort());
    const d = lines.find((l) => l[0] === learners.d.enrollmentId)!;
    expect(d.slice(3)).toEqual(['', '通过', '']);

    const xlsx = await t.http().get(`/api/offerings/${offeringId}/gradebook/export?format=xlsx`).set(auth(tokens.trainer)).buffer(true).parse(binary).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(5);
    const rowOfA = sheet.getRows(2, 4)!.find((r) => r.getCell(1).value === learners.a.enrollmentId)!;
    expect([rowOfA.getCell(4).value, rowOfA.getCell(5).value, rowOfA.getCell(6).value]).toEqual([82.5, '通过', 15]);
    await t.http().get(`/api/offerings/${offeringId}/gradebook/export?format=pdf`).set(auth(tokens.trainer)).expect(400);
  });

  it('renders the page with links to grading and import, unreleased grades marked, and the table alone for htmx', async () => {
    const browser = await t.signInPages('trainer');
    const page = await browser.get(`/teaching/offerings/${offeringId}/gradebook`).expect(200);
    expect(page.text).toContain(`href="/teaching/offerings/${offeringId}/grades/import"`);
    expect(page.text).toContain(`href="/teaching/items/${items.essay}/grade/${learners.c.enrollmentId}"`);
    expect(page.text).not.toContain(`/teaching/items/${items.survey}/grade/`);
    expect((page.text.match(/data-testid="unreleased"/g) ?? []).length).toBe(2);
    expect(page.text).toContain('未发布');
    const partial = await browser.get(`/teaching/offerings/${offeringId}/gradebook?status=passed`).set('HX-Request', 'true').expect(200);
    expect(partial.text.trim().startsWith('<div id="gradebook-table"')).toBe(true);
    expect((partial.text.match(/data-testid="gradebook-row"/g) ?? []).length).toBe(1);
    const other = await t.signInPages('trainer2');
    await other.get(`/teaching/offerings/${offeringId}/gradebook`).expect(404);
  });
});
