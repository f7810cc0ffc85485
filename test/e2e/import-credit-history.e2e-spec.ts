import { DataSource } from 'typeorm';
import { FieldCipher } from '../../src/common/field-cipher.js';
import { nationalIdCheckChar } from '../../src/common/national-id.js';
import { xlsxBuffer } from '../../src/common/spreadsheet.js';
import { CreditHistoryImporter } from '../../src/modules/imports/credit-history-importer.js';
import { CREDIT_HISTORY_FIELDS } from '../../src/modules/imports/credit-history-rows.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  addPerson, createDistrict, drainJobs, outcomesByRow, problemsByRow, rowsToApply, runContext, sourceRows, staffIdentities, type StaffIdentity, type TemplateRow,
} from '../support/import-kinds-fixtures.js';

const withCheck = (first17: string) => first17 + nationalIdCheckChar(first17);
const PLATFORM = '上海市教师教育管理平台';

describe('credit history import', () => {
  let t: TestApp;
  let importer: CreditHistoryImporter;
  let qingpuId: string;
  let adminId: string;
  let young: StaffIdentity;
  let other: StaffIdentity;
  let elsewhereId: string;
  const entryCount = async () => (await t.db.pool.query(`SELECT count(*)::int AS n FROM credit_entry`)).rows[0].n as number;
  const entry = (who: StaffIdentity, overrides: TemplateRow = {}): TemplateRow => ({
    nationalId: who.nationalId, fullName: who.fullName, title: '幼儿园游戏活动设计与指导', hours: '30', credits: '3', category: '知识技能',
    level: '区级', occurredOn: '2023-06-30', importedSource: PLATFORM, ...overrides,
  });
  const dryRun = async (rows: TemplateRow[], batch = 3) => {
    const source = sourceRows(rows);
    const context = runContext(qingpuId, adminId);
    const checked = [];
    for (let i = 0; i < source.length; i += batch) checked.push(...await importer.check(source.slice(i, i + batch), context));
    return { source, checked, outcomes: outcomesByRow(source, checked), problems: problemsByRow(source, checked) };
  };
  const apply = (run: Awaited<ReturnType<typeof dryRun>>) =>
    t.app.get(DataSource).transaction((m) => importer.apply(rowsToApply(run.source, run.checked), { jobId: 'j', districtId: qingpuId, userId: adminId }, m));

  beforeAll(async () => {
    t = await startTestApp();
    importer = t.app.get(CreditHistoryImporter);
    const cipher = t.app.get(FieldCipher);
    qingpuId = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP'`)).rows[0].id;
    adminId = (await t.db.pool.query(`SELECT id FROM app_user WHERE username = 'district_admin'`)).rows[0].id;
    // Born after 1984, so the day before their 16th birthday is still a date the ledger takes (2000 or later).
    [young, other] = await staffIdentities(t.db.pool, cipher, qingpuId, 2, `p.birth_date >= '1986-01-01' AND p.current_org_unit_id IS NOT NULL`);
    const district = await createDistrict(t.db.pool, 'SH-JD', '嘉定区', ['嘉定镇街道']);
    elsewhereId = withCheck('31011419880312004');
    await addPerson(t.db.pool, cipher, district.id, elsewhereId, '李娜');
  });
  afterAll(() => t.close());

  it('lists every bad row by number and reason, then writes the good ones once as imported entries naming their source', async () => {
    const sixteenth = `${Number(young.birthDate.slice(0, 4)) + 16}${young.birthDate.slice(4)}`;
    const dayBefore = new Date(Date.parse(`${sixteenth}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const wrongCheck = young.nationalId.slice(0, 17) + (young.nationalId[17] === '1' ? '2' : '1');
    const rows = [
      entry(young, { externalId: 'SHJS-2023-0001' }),
      entry(other, { title: '师德师风专题学习', hours: '20', credits: '', category: '师德素养', level: '园本', occurredOn: '2024/3/15' }),
      entry(young, { externalId: 'SHJS-2023-0001', title: '同一条记录再次出现' }),
      entry(young, { nationalId: wrongCheck }),
      entry(young, { nationalId: withCheck('31011819950101002') }),
      entry(other, { fullName: '王小明' }),
      entry(young, { occurredOn: '2099-01-01' }),
      entry(young, { occurredOn: dayBefore }),
      entry(young, { category: '体育' }),
      entry(young, { importedSource: '' }),
      { ...entry(young), nationalId: elsewhereId, fullName: '李娜' },
    ];
    const before = await entryCount();
    const run = await dryRun(rows);
    expect(run.outcomes).toEqual({ 2: 'create', 3: 'create', 4: 'error', 5: 'error', 6: 'error', 7: 'error', 8: 'error', 9: 'error', 10: 'error', 11: 'error', 12: 'error' });
    expect(run.problems).toEqual({
      4: ['externalId:DUPLICATE_IN_FILE'],
      5: ['nationalId:NATIONAL_ID_CHECKSUM'],
      6: ['nationalId:PERSON_NOT_FOUND'],
      7: ['fullName:NAME_MISMATCH'],
      8: ['occurredOn:DATE_IN_FUTURE'],
      9: ['occurredOn:BEFORE_AGE_16'],
      10: ['category:UNKNOWN_VALUE'],
      11: ['importedSource:REQUIRED'],
      12: ['nationalId:PERSON_NOT_FOUND'],
    });
    expect(run.checked[2].errors[0].params).toEqual({ row: 2 });
    // No full national ID is kept in the dry run's rows.
    expect(JSON.stringify(run.checked)).not.toContain(young.nationalId);
    expect(run.checked[1].data).toMatchObject({ credits: 2, creditsConverted: true, fullName: other.fullName });
    expect(await entryCount()).toBe(before);

    await apply(run);
    const { rows: written } = await t.db.pool.query(
      `SELECT e.person_id, e.source, e.imported_source, e.source_id, e.title, e.hours::float, e.credits::float, e.category, e.level,
              to_char(e.occurred_on, 'YYYY-MM-DD') AS occurred_on, c.code AS cycle, e.recorded_by, e.district_id
         FROM credit_entry e LEFT JOIN credit_cycle c ON c.id = e.cycle_id WHERE e.source = 'import' ORDER BY e.occurred_on`);
    expect(written).toEqual([
      { person_id: young.personId, source: 'import', imported_source: PLATFORM, source_id: 'SHJS-2023-0001', title: '幼儿园游戏活动设计与指导', hours: 30, credits: 3,
        category: 'knowledge_skills', level: 'district', occurred_on: '2023-06-30', cycle: '2021-2025', recorded_by: adminId, district_id: qingpuId },
      // Credits left empty are converted by Shanghai's rule (10 学时 per 学分).
      { person_id: other.personId, source: 'import', imported_source: PLATFORM, source_id: null, title: '师德师风专题学习', hours: 20, credits: 2,
        category: 'ethics', level: 'kindergarten', occurred_on: '2024-03-15', cycle: '2021-2025', recorded_by: adminId, district_id: qingpuId },
    ]);

    await apply(run);
    expect(await entryCount()).toBe(before + 2);
    const again = await dryRun(rows.slice(0, 2));
    expect(again.outcomes).toEqual({ 2: 'unchanged', 3: 'unchanged' });
  });

  it('keeps entries from two platforms apart, and an entry without an original id by its content', async () => {
    const before = await entryCount();
    const run = await dryRun([
      entry(young, { externalId: 'SHJS-2023-0001', importedSource: '江西省教师教育网' }),
      entry(young, { title: '保育员技能培训', occurredOn: '2022-10-10' }),
      entry(young, { title: '保育员技能培训', occurredOn: '2022-10-10', hours: '31' }),
      entry(young, { title: '保育员技能培训', occurredOn: '2022-10-10' }),
    ]);
    expect(run.outcomes).toEqual({ 2: 'create', 3: 'create', 4: 'create', 5: 'error' });
    expect(run.problems).toEqual({ 5: ['title:DUPLICATE_IN_FILE'] });
    await apply(run);
    expect(await entryCount()).toBe(before + 3);
  });

  it('writes a large batch in one go and skips entries recorded meanwhile', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => entry(i % 2 ? young : other, { externalId: `BULK-${i}`, hours: String(1 + (i % 40)), credits: '' }));
    const run = await dryRun(rows, 200);
    expect(Object.values(run.outcomes).every((o) => o === 'create')).toBe(true);
    const before = await entryCount();
    // Half of the file is applied first (a crash after the first batch); the whole file then writes only the rest.
    await t.app.get(DataSource).transaction((m) => importer.apply(rowsToApply(run.source, run.checked).slice(0, 200), { jobId: 'j', districtId: qingpuId, userId: adminId }, m));
    expect(await entryCount()).toBe(before + 200);
    await apply(run);
    expect(await entryCount()).toBe(before + 400);
    const { rows: [sum] } = await t.db.pool.query(`SELECT sum(credits)::float AS credits FROM credit_entry WHERE source_id LIKE 'BULK-%'`);
    expect(sum.credits).toBeCloseTo(rows.reduce((total, r) => total + Number(r.hours) / 10, 0), 2);
  });
  it('runs through the real upload, dry run and confirmation with an Excel workbook of the template', async () => {
    const auth = { Authorization: `Bearer ${await t.token('district_admin')}` };
    const template = await t.http().get('/api/imports/templates/credit_history?format=csv').set(auth);
    expect(template.status).toBe(200);
    expect(template.text).toContain('来源平台');

    const headers = CREDIT_HISTORY_FIELDS.map((f) => f.headerZh);
    const line = (who: StaffIdentity, title: string, hours: number, credits: number | null, externalId: string) =>
      [who.nationalId, who.fullName, title, hours, credits, '实践体验', '市级', '2025-05-20', '江西省教师教育网', externalId];
    const workbook = await xlsxBuffer('学分', [
      headers,
      line(young, '跟岗研修', 40, 4, 'JX-1'),
      line(other, '跟岗研修', 40, null, 'JX-2'),
      line(other, '跟岗研修', 40, null, 'JX-2'),
    ], headers.map(() => 16));
    const before = await entryCount();
    const uploaded = await t.http().post('/api/imports').set(auth).field('kind', 'credit_history')
      .attach('file', workbook, { filename: '学分记录.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(uploaded.status).toBe(201);
    await drainJobs(t.app);
    const id = uploaded.body.id as string;
    expect((await t.http().get(`/api/imports/${id}`).set(auth)).body).toMatchObject({ status: 'validated', counts: { create: 2, unchanged: 0, error: 1 } });
    const errors = await t.http().get(`/api/imports/${id}/rows?outcome=error`).set(auth);
    expect(errors.body.items).toEqual([expect.objectContaining({ rowNumber: 4, errors: [expect.objectContaining({ field: 'externalId', code: 'DUPLICATE_IN_FILE', params: { row: 3 } })] })]);
    expect(await entryCount()).toBe(before);

    expect((await t.http().post(`/api/imports/${id}/confirm`).set(auth)).status).toBe(200);
    await drainJobs(t.app);
    expect((await t.http().get(`/api/imports/${id}`).set(auth)).body.status).toBe('applied');
    const { rows } = await t.db.pool.query(
      `SELECT source_id, credits::float, imported_source, recorded_by FROM credit_entry WHERE source_id LIKE 'JX-%' ORDER BY source_id`);
    expect(rows).toEqual([
      { source_id: 'JX-1', credits: 4, imported_source: '江西省教师教育网', recorded_by: adminId },
      { source_id: 'JX-2', credits: 4, imported_source: '江西省教师教育网', recorded_by: adminId },
    ]);
    // The person's ledger statement lists the imported entries.
    const statement = await t.http().get(`/api/people/${other.personId}/credits`).set(auth);
    expect(statement.status).toBe(200);
    expect(statement.body.items.map((e: { source: string; title: string }) => `${e.source}:${e.title}`)).toContain('import:跟岗研修');
    expect(statement.body.items.find((e: { source: string }) => e.source === 'import')).toMatchObject({ importedSource: '江西省教师教育网', sourceId: 'JX-2' });
  });
});
