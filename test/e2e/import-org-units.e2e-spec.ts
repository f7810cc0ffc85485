import { DataSource } from 'typeorm';
import { ImportRunner } from '../../src/modules/imports/import-runner.service.js';
import { OrgUnitImporter } from '../../src/modules/imports/org-unit-importer.js';
import { ORG_UNIT_FIELDS } from '../../src/modules/imports/org-unit-rows.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  annexTowns, createDistrict, drainJobs, outcomesByRow, problemsByRow, qingpuKindergartenRows, rowsToApply, runContext, sourceRows, templateCsv, type TemplateRow,
} from '../support/import-kinds-fixtures.js';

describe('org unit import (kindergartens and groups)', () => {
  let t: TestApp;
  let importer: OrgUnitImporter;
  let qingpuId: string;
  let adminId: string;
  const counts = async () => (await t.db.pool.query(
    `SELECT (SELECT count(*)::int FROM org_unit) AS units, (SELECT count(*)::int FROM kindergarten_group) AS groups,
            (SELECT count(*)::int FROM kindergarten_group_member) AS members, (SELECT count(*)::int FROM audit_log) AS audits,
            (SELECT coalesce(sum(version), 0)::int FROM org_unit) AS versions`)).rows[0];
  const dryRun = async (rows: TemplateRow[], districtId = qingpuId, batch = 25) => {
    const source = sourceRows(rows);
    const context = runContext(districtId, adminId);
    const checked = [];
    for (let i = 0; i < source.length; i += batch) checked.push(...await importer.check(source.slice(i, i + batch), context));
    return { source, checked, outcomes: outcomesByRow(source, checked), problems: problemsByRow(source, checked) };
  };
  const apply = async (run: Awaited<ReturnType<typeof dryRun>>, districtId = qingpuId) =>
    t.app.get(DataSource).transaction((m) => importer.apply(rowsToApply(run.source, run.checked), { jobId: 'j', districtId, userId: adminId }, m));

  beforeAll(async () => {
    t = await startTestApp();
    importer = t.app.get(OrgUnitImporter);
    qingpuId = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP'`)).rows[0].id;
    adminId = (await t.db.pool.query(`SELECT id FROM app_user WHERE username = 'district_admin'`)).rows[0].id;
  });
  afterAll(() => t.close());

  it('finds the demo district’s own annex lists unchanged, and reports real edits as updates naming the fields', async () => {
    const before = await counts();
    const own = qingpuKindergartenRows('SH-QP');
    expect(own).toHaveLength(58);
    const run = await dryRun(own);
    expect(Object.values(run.outcomes).every((o) => o === 'unchanged')).toBe(true);

    const edited = own.map((row) => (row.code === 'SH-QP-N001' ? { ...row, kindergartenClasses: '12', town: '盈浦街道' }
      : row.code === 'SH-QP-K002' ? { ...row, name: `${row.name}（新址）`, address: '上海市青浦区盈浦街道新址路8号' } : row));
    const second = await dryRun(edited);
    const updates = second.checked.flatMap((row) => (row.outcome === 'update' ? [[row.matchKey, row.data.changed]] : []));
    expect(updates).toEqual([['SH-QP-K002', ['name', 'address']], ['SH-QP-N001', ['kindergartenClasses', 'town']]]);
    expect(await counts()).toEqual(before);
  });

  it('creates a new district’s whole list, writes nothing twice, and finds the same file unchanged afterwards', async () => {
    const district = await createDistrict(t.db.pool, 'SH-XN', '新城区', annexTowns());
    const list = qingpuKindergartenRows('SH-XN', { ownership: '公办', inclusive: '是', grade: '未评级' });
    const run = await dryRun(list, district.id);
    expect(run.problems).toEqual({});
    expect(Object.values(run.outcomes).filter((o) => o === 'create')).toHaveLength(58);

    await apply(run, district.id);
    const written = await counts();
    const { rows } = await t.db.pool.query(
      `SELECT k.code, k.status, k.opening_year, k.kindergarten_classes, town.name AS town, k.path LIKE d.path || '%' AS under_district
         FROM org_unit k JOIN org_unit town ON town.id = k.parent_id JOIN org_unit d ON d.id = k.district_id
        WHERE k.district_id = $1 AND k.kind = 'kindergarten' ORDER BY k.code`, [district.id]);
    expect(rows).toHaveLength(58);
    expect(rows.every((r) => r.under_district)).toBe(true);
    expect(rows.find((r) => r.code === 'SH-XN-N006')).toEqual({
      code: 'SH-XN-N006', status: 'planned', opening_year: 2024, kindergarten_classes: 15, town: '重固镇', under_district: true,
    });

    await apply(run, district.id);
    expect(await counts()).toEqual(written);
    const again = await dryRun(list, district.id);
    expect(Object.values(again.outcomes).every((o) => o === 'unchanged')).toBe(true);
  });

  it('lists every bad row by its number and reason, writing nothing in the dry run', async () => {
    const before = await counts();
    const fresh = { name: '上海市青浦区示例幼儿园', town: '夏阳街道', ownership: '公办', inclusive: '是', grade: '一级', status: '在办' };
    const run = await dryRun([
      { code: 'SH-QP-K901', ...fresh, groupCode: 'SH-QP-G08', groupName: '青浦区第八学前教育集团', groupLead: '是' },
      { code: 'sh-qp-k901', ...fresh },
      { code: 'SH-QP-K902', ...fresh, town: '火星镇' },
      { code: 'SH-QP-K903', ...fresh, grade: '四级' },
      { code: 'SH-QP-K904', ...fresh, status: '筹建' },
      { code: 'SH-XN-K001', ...fresh },
      { code: 'SH-QP-K009', name: '上海市青浦区徐和路幼儿园', groupCode: 'SH-QP-G01', groupLead: '是' },
      { code: 'SH-QP-K010', name: '上海市青浦区徐泾第三幼儿园', groupCode: 'SH-QP-G01', groupLead: '是' },
      { code: 'SH-QP-K001', name: '上海市青浦区淀山湖幼儿园', groupCode: 'SH-QP-G02' },
      { code: 'SH-QP-T01', ...fresh },
      { code: 'SH-QP-K905', ...fresh, foundedYear: '2020', openingYear: '2018' },
      { code: 'SH-QP-K906', ...fresh, groupCode: 'SH-QP-G08', groupName: '青浦区第八集团' },
      { code: 'SH-QP-K907', ...fresh, groupCode: 'SH-QP-G09' },
    ], qingpuId, 4);
    expect(run.outcomes).toEqual({
      2: 'create', 3: 'error', 4: 'error', 5: 'error', 6: 'error', 7: 'error', 8: 'update', 9: 'error', 10: 'error', 11: 'error', 12: 'error', 13: 'error', 14: 'error',
    });
    expect(run.problems).toEqual({
      3: ['code:DUPLICATE_IN_FILE'],
      4: ['town:ORG_TOWN_UNKNOWN'],
      5: ['grade:UNKNOWN_VALUE'],
      6: ['openingYear:ORG_OPENING_YEAR_REQUIRED'],
      7: ['code:ORG_CODE_OTHER_DISTRICT'],
      9: ['groupLead:GROUP_LEAD_COUNT'],
      10: ['groupCode:KINDERGARTEN_IN_OTHER_GROUP'],
      11: ['code:ORG_CODE_TAKEN'],
      12: ['openingYear:ORG_OPENING_BEFORE_FOUNDED'],
      13: ['groupName:GROUP_NAME_CONFLICT'],
      14: ['groupName:GROUP_NAME_REQUIRED'],
    });
    expect(run.checked[1].errors[0].params).toEqual({ row: 2 });
    expect(run.checked[11].errors[0].params).toEqual({ row: 2 });
    expect(run.checked[6].data.changed).toEqual(['groupLead']);
    expect(await counts()).toEqual(before);

    await apply(run);
    const after = await counts();
    const { rows: [created] } = await t.db.pool.query(
      `SELECT k.name, k.grade, k.ownership, town.name AS town, g.code AS group_code, g.name AS group_name, gm.is_lead
         FROM org_unit k JOIN org_unit town ON town.id = k.parent_id
         JOIN kindergarten_group_member gm ON gm.kindergarten_id = k.id JOIN kindergarten_group g ON g.id = gm.group_id
        WHERE k.code = 'SH-QP-K901'`);
    expect(created).toEqual({ name: '上海市青浦区示例幼儿园', grade: 'first', ownership: 'public', town: '夏阳街道', group_code: 'SH-QP-G08', group_name: '青浦区第八学前教育集团', is_lead: true });
    const { rows: leads } = await t.db.pool.query(
      `SELECT k.code FROM kindergarten_group_member gm JOIN org_unit k ON k.id = gm.kindergarten_id JOIN kindergarten_group g ON g.id = gm.group_id
        WHERE g.code = 'SH-QP-G01' AND gm.is_lead ORDER BY k.code`);
    expect(leads.map((r) => r.code)).toEqual(['SH-QP-K009', 'SH-QP-K013']);
    expect(after.units).toBe(before.units + 1);
    expect(after.groups).toBe(before.groups + 1);

    await apply(run);
    expect(await counts()).toEqual(after);
  });

  it('refuses at apply a row whose code was taken by another district after the dry run', async () => {
    const run = await dryRun([{ code: 'SH-QP-K950', name: '上海市青浦区迟到幼儿园', town: '赵巷镇', ownership: '民办', inclusive: '否', grade: '三级', status: '在办' }]);
    expect(run.outcomes).toEqual({ 2: 'create' });
    const xn = (await t.db.pool.query(`SELECT id, path, depth FROM org_unit WHERE code = 'SH-XN-T01'`)).rows[0];
    await t.db.pool.query(
      `INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name, ownership, inclusive, grade, status)
       SELECT x.id, 'kindergarten', $1, $2 || x.id || '/', $3, (SELECT district_id FROM org_unit WHERE id = $1), 'SH-QP-K950', '抢先幼儿园', 'public', true, 'first', 'operating'
         FROM (SELECT gen_random_uuid() AS id) x`, [xn.id, xn.path, xn.depth + 1]);
    const refused = await apply(run);
    expect(refused).toEqual([{ rowNumber: 2, errors: [expect.objectContaining({ field: 'code', code: 'ORG_CODE_TAKEN' })] }]);
    expect((await t.db.pool.query(`SELECT name FROM org_unit WHERE code = 'SH-QP-K950'`)).rows).toEqual([{ name: '抢先幼儿园' }]);
  });
  it('runs through the real upload, dry run and confirmation with a CSV of the template', async () => {
    const auth = { Authorization: `Bearer ${await t.token('district_admin')}` };
    t.app.get(ImportRunner).checkBatchSize = 10;
    const rows = [
      ...qingpuKindergartenRows('SH-QP').slice(0, 20),
      { code: 'SH-QP-K970', name: '上海市青浦区华新第二幼儿园', town: '华新镇', ownership: '公办', inclusive: '是', grade: '二级', status: '在办',
        foundedYear: '2019', kindergartenClasses: '9', groupCode: 'SH-QP-G03', groupLead: '否' },
      { code: 'SH-QP-K971', name: '上海市青浦区无名幼儿园', town: '火星镇', ownership: '公办', inclusive: '是', grade: '二级', status: '在办' },
    ];
    const file = templateCsv(ORG_UNIT_FIELDS, rows);
    const upload = (token: Record<string, string>) => t.http().post('/api/imports').set(token).field('kind', 'org_units')
      .attach('file', file, { filename: '园所名单.csv', contentType: 'text/csv' });
    expect((await upload({ Authorization: `Bearer ${await t.token('teacher')}` })).status).toBe(403);
    const before = await counts();

    const uploaded = await upload(auth);
    expect(uploaded.status).toBe(201);
    await drainJobs(t.app);
    const id = uploaded.body.id as string;
    const checked = await t.http().get(`/api/imports/${id}`).set(auth);
    expect(checked.body).toMatchObject({ status: 'validated', mappingNeeded: false, counts: { create: 1, update: 0, unchanged: 20, error: 1 }, canConfirm: true });
    const errors = await t.http().get(`/api/imports/${id}/rows?outcome=error`).set(auth);
    expect(errors.body.items.map((r: { rowNumber: number; errors: Array<{ field: string; code: string }> }) => [r.rowNumber, r.errors.map((e) => `${e.field}:${e.code}`)]))
      .toEqual([[23, ['town:ORG_TOWN_UNKNOWN']]]);
    expect(await counts()).toEqual(before);

    const confirmed = await t.http().post(`/api/imports/${id}/confirm`).set(auth);
    expect(confirmed.status).toBe(200);
    await drainJobs(t.app);
    expect((await t.http().get(`/api/imports/${id}`).set(auth)).body.status).toBe('applied');
    const { rows: [created] } = await t.db.pool.query(
      `SELECT k.grade, k.founded_year, g.code AS group_code, gm.is_lead FROM org_unit k
         JOIN kindergarten_group_member gm ON gm.kindergarten_id = k.id JOIN kindergarten_group g ON g.id = gm.group_id WHERE k.code = 'SH-QP-K970'`);
    expect(created).toEqual({ grade: 'second', founded_year: 2019, group_code: 'SH-QP-G03', is_lead: false });
    const applied = await counts();
    expect(applied.units).toBe(before.units + 1);

    // A double click on confirm, and the same file uploaded again, write nothing more.
    expect((await t.http().post(`/api/imports/${id}/confirm`).set(auth)).status).toBe(200);
    const again = await upload(auth);
    await drainJobs(t.app);
    expect((await t.http().get(`/api/imports/${again.body.id}`).set(auth)).body.counts).toEqual({ create: 0, update: 0, unchanged: 21, error: 1 });
    expect((await counts()).units).toBe(applied.units);
  });
});
