import { jest } from '@jest/globals';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { shanghaiDate } from '../../src/common/dates.js';
import { FieldCipher } from '../../src/common/field-cipher.js';
import { parseCsv } from '../../src/common/spreadsheet.js';
import { ImportRunner } from '../../src/modules/imports/import-runner.service.js';
import { StaffImporter } from '../../src/modules/imports/staff-importer.js';
import { PeopleBulkWriter } from '../../src/modules/people/people-bulk-writer.js';
import { dayBefore } from '../../src/modules/people/people-rules.js';
import { InlineJobQueue } from '../../src/queue/inline.driver.js';
import { JobQueue } from '../../src/queue/job-queue.js';
import {
  csvOf, otherDistrict, problemsOf, settledImport, staffRow, staffTable, staffTableCounts, uploadImport, withWrongCheckDigit, xlsxOf,
  type StaffCells,
} from '../support/import-fixtures.js';
import { binaryBody } from '../support/credit-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('staff import: dry run, apply, resume, access', () => {
  let t: TestApp;
  let hr: string;
  let elsewhere: { districtId: string; kindergartenId: string };
  let existing: { id: string; row: StaffCells; currentStart: string };

  /** A demo teacher of SH-QP-K001 below the senior titles, as a file row that changes her phone, moves her to K002 and promotes her. */
  async function demoTeacher() {
    const { rows: [p] } = await t.db.pool.query(
      `SELECT p.id, p.full_name, p.national_id_enc, p.education_level, e.start_date::text AS start,
              (SELECT t.title FROM title_record t WHERE t.person_id = p.id ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1) AS title,
              (SELECT max(t.effective_date)::text FROM title_record t WHERE t.person_id = p.id) AS title_date
         FROM person p JOIN employment e ON e.person_id = p.id AND e.end_date IS NULL JOIN org_unit k ON k.id = e.org_unit_id
        WHERE k.code = 'SH-QP-K001' AND e.post = 'teacher' AND e.start_date < current_date - 30
          AND NOT EXISTS (SELECT 1 FROM title_record t WHERE t.person_id = p.id AND t.title IN ('senior', 'professorial'))
        ORDER BY p.id LIMIT 1`);
    const education: Record<string, string> = { high_school: '高中', secondary_vocational: '中专', junior_college: '大专', bachelor: '本科', master: '硕士', doctorate: '博士' };
    const today = shanghaiDate();
    return {
      id: p.id as string, currentStart: p.start as string,
      row: {
        fullName: p.full_name, nationalId: t.app.get(FieldCipher).decrypt(p.national_id_enc), phone: '13700001111', educationLevel: education[p.education_level],
        kindergartenCode: 'SH-QP-K002', post: '专任教师', postStartDate: dayBefore(today), title: '高级', titleDate: dayBefore(today),
      } as StaffCells,
    };
  }

  beforeAll(async () => {
    t = await startTestApp();
    hr = await t.token('district_admin');
    elsewhere = await otherDistrict(t.db.pool, 'SH-JD');
    existing = await demoTeacher();
  });
  afterAll(() => t.close());

  /** Rows 2–14 of the bad-input file: each problem the issue names, on its own row, and the rows that are fine. */
  function mixedFile(): StaffCells[] {
    const first = staffRow(1);
    const dup = staffRow(1, { fullName: '重复者', teacherCertificate: 'DUP-CERT-1' });
    return [
      first, // 2: create
      staffRow(2, { nationalId: withWrongCheckDigit(staffRow(2).nationalId) }), // 3
      dup, // 4: the ID of row 2 again
      staffRow(4, { kindergartenCode: 'SH-QP-K999' }), // 5
      staffRow(5, { kindergartenCode: 'SH-JD-K001' }), // 6: a kindergarten of another district
      staffRow(6, { title: '特级', post: '司机' }), // 7
      staffRow(7, { hireDate: '1980-09-01', postStartDate: '1980-09-01' }), // 8: hired at 5 (born 1982)
      staffRow(8, { birthDate: '1983-01-01' }), // 9
      staffRow(9, { titleDate: '2005-09-01' }), // 10: a title before the hire (2006-09-01)
      staffRow(10, { educationLevel: '' }), // 11
      staffRow(11, { teacherCertificate: staffRow(1).teacherCertificate }), // 12: row 2's certificate number
      existing.row, // 13: update
      staffRow(13), // 14: create
    ];
  }

  it('lists every bad row of a dry run with its row number, field and reason, and writes nothing', async () => {
    const before = await staffTableCounts(t.db.pool);
    // Batches of two rows: the duplicates are found across batches checked while the next ones are read.
    const runner = t.app.get(ImportRunner);
    runner.checkBatchSize = 2;
    const up = await uploadImport(t, hr, 'staff', await xlsxOf(staffTable(mixedFile())), '教职工花名册.xlsx').expect(201);
    expect(up.body).toMatchObject({ kind: 'staff', originalName: '教职工花名册.xlsx', mappingNeeded: false });
    const job = await settledImport(t, hr, up.body.id).finally(() => { runner.checkBatchSize = 1000; });
    expect(job).toMatchObject({ status: 'validated', totalRows: 13, rowsDone: 13, errorCount: 10, counts: { create: 2, update: 1, unchanged: 0, error: 10 } });
    expect(job.progress).toMatchObject({ phase: 'done', percent: 100 });
    expect(await problemsOf(t, hr, job.id)).toEqual({
      3: ['nationalId:NATIONAL_ID_CHECKSUM'],
      4: ['nationalId:DUPLICATE_IN_FILE'],
      5: ['kindergartenCode:UNKNOWN_KINDERGARTEN'],
      6: ['kindergartenCode:UNKNOWN_KINDERGARTEN'],
      7: ['post:UNKNOWN_VALUE', 'title:UNKNOWN_VALUE'],
      8: ['hireDate:BEFORE_AGE_16', 'postStartDate:BEFORE_AGE_16'],
      9: ['birthDate:BIRTH_DATE_MISMATCH'],
      10: ['titleDate:BEFORE_HIRE'],
      11: ['educationLevel:REQUIRED'],
      12: ['teacherCertificate:DUPLICATE_IN_FILE'],
    });
    const duplicate = await t.http().get(`/api/imports/${job.id}/rows?outcome=error&pageSize=1`).set(auth(hr)).expect(200);
    expect(duplicate.body.total).toBe(10);
    const row4 = (await t.http().get(`/api/imports/${job.id}/rows?outcome=error&page=2&pageSize=1`).set(auth(hr)).expect(200)).body.items[0];
    expect(row4).toMatchObject({ rowNumber: 4, errors: [{ field: 'nationalId', code: 'DUPLICATE_IN_FILE', params: { row: 2 } }] });
    const update = await t.http().get(`/api/imports/${job.id}/rows?outcome=update`).set(auth(hr)).expect(200);
    expect(update.body.items).toEqual([expect.objectContaining({ rowNumber: 13, data: expect.objectContaining({ changes: ['phone', 'kindergartenCode', 'title'] }) })]);
    // The stored rows keep the national ID encrypted and masked, never in plain text.
    const { rows: [stored] } = await t.db.pool.query(`SELECT count(*)::int AS n FROM import_row WHERE job_id = $1 AND data::text LIKE '%' || $2 || '%'`, [job.id, staffRow(1).nationalId]);
    expect(stored.n).toBe(0);
    expect(await staffTableCounts(t.db.pool)).toEqual(before);
  });

  it('confirming writes exactly the creates and updates (once, whatever the clicks); the same file again finds everything unchanged', async () => {
    const file = await xlsxOf(staffTable(mixedFile()));
    const job = await settledImport(t, hr, (await uploadImport(t, hr, 'staff', file, '教职工花名册.xlsx').expect(201)).body.id);
    const before = await staffTableCounts(t.db.pool);
    const audits = async () => (await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'import_job' AND entity_id = $1`, [job.id])).rows[0].n;
    const [first, second] = await Promise.all([
      t.http().post(`/api/imports/${job.id}/confirm`).set(auth(hr)), t.http().post(`/api/imports/${job.id}/confirm`).set(auth(hr)),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const done = await settledImport(t, hr, job.id);
    expect(done).toMatchObject({ status: 'applied', counts: { create: 2, update: 1, error: 10 } });
    expect((await t.http().post(`/api/imports/${job.id}/confirm`).set(auth(hr)).expect(200)).body.status).toBe('applied');
    const after = await staffTableCounts(t.db.pool);
    // Two new people (employment, title and certificate each); the moved teacher: a new employment and a title.
    expect(after).toMatchObject({ people: before.people + 2, employments: before.employments + 3, titles: before.titles + 3, certificates: before.certificates + 2 });
    expect(await audits()).toBe(1);

    const cipher = t.app.get(FieldCipher);
    const { rows: [created] } = await t.db.pool.query(
      `SELECT p.full_name, p.gender, p.birth_date::text AS birth, p.education_level, p.preschool_major, p.phone_masked, k.code, p.current_post,
              e.start_date::text AS start, t.title, t.effective_date::text AS title_date, c.number
         FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id JOIN employment e ON e.person_id = p.id
         JOIN title_record t ON t.person_id = p.id JOIN person_certificate c ON c.person_id = p.id
        WHERE p.national_id_hash = $1`, [cipher.lookupHash(staffRow(1).nationalId)]);
    const row = staffRow(1);
    expect(created).toEqual({
      full_name: row.fullName, gender: 'female', birth: row.birthDate, education_level: 'bachelor', preschool_major: true, phone_masked: '139****0001',
      code: 'SH-QP-K001', current_post: 'teacher', start: row.postStartDate, title: 'second', title_date: row.titleDate, number: row.teacherCertificate,
    });
    const { rows: moves } = await t.db.pool.query(
      `SELECT k.code, e.start_date::text AS start, e.end_date::text AS end FROM employment e JOIN org_unit k ON k.id = e.org_unit_id
        WHERE e.person_id = $1 AND (e.end_date IS NULL OR e.end_date >= $2::date - 1) ORDER BY e.start_date`, [existing.id, existing.row.postStartDate]);
    expect(moves).toEqual([
      { code: 'SH-QP-K001', start: existing.currentStart, end: dayBefore(existing.row.postStartDate) },
      { code: 'SH-QP-K002', start: existing.row.postStartDate, end: null },
    ]);
    const { rows: [moved] } = await t.db.pool.query(
      `SELECT k.code, p.phone_masked, (SELECT title FROM title_record WHERE person_id = p.id ORDER BY effective_date DESC LIMIT 1) AS title
         FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id WHERE p.id = $1`, [existing.id]);
    expect(moved).toEqual({ code: 'SH-QP-K002', phone_masked: '137****1111', title: 'senior' });

    const again = await settledImport(t, hr, (await uploadImport(t, hr, 'staff', file, '教职工花名册.xlsx').expect(201)).body.id);
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 3, error: 10 });
    await t.http().post(`/api/imports/${again.id}/confirm`).set(auth(hr)).expect(200);
    expect((await settledImport(t, hr, again.id)).status).toBe('applied');
    expect(await staffTableCounts(t.db.pool)).toEqual(after);
  });

  it('resumes an apply that died after its first batch, writing the rest once and nothing twice', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => staffRow(100 + i));
    const job = await settledImport(t, hr, (await uploadImport(t, hr, 'staff', csvOf(staffTable(rows)), 'batch.csv').expect(201)).body.id);
    expect(job.counts.create).toBe(5);
    const runner = t.app.get(ImportRunner);
    const importer = t.app.get(StaffImporter);
    const realApply = importer.apply.bind(importer);
    runner.applyBatchSize = 2;
    // The first batch commits; then the worker "dies" in every batch after it, through all the queue's retries.
    const crash = jest.spyOn(importer, 'apply').mockImplementationOnce(realApply).mockRejectedValue(new Error('worker killed'));
    const before = await staffTableCounts(t.db.pool);
    try {
      await t.http().post(`/api/imports/${job.id}/confirm`).set(auth(hr)).expect(200);
      await (t.app.get(JobQueue) as InlineJobQueue).drain();
      const stalled = (await t.http().get(`/api/imports/${job.id}`).set(auth(hr)).expect(200)).body;
      expect(stalled).toMatchObject({ status: 'applying', rowsDone: 2, progress: { phase: 'applying', done: 2, total: 5, percent: 40 } });
      expect((await staffTableCounts(t.db.pool)).people).toBe(before.people + 2);
    } finally {
      crash.mockRestore();
    }
    // The job delivered again (a worker restart): it picks up at row 4 of the file.
    await runner.apply(job.id);
    await runner.apply(job.id);
    runner.applyBatchSize = 1000;
    expect((await settledImport(t, hr, job.id)).status).toBe('applied');
    const hashes = rows.map((r) => t.app.get(FieldCipher).lookupHash(r.nationalId));
    const { rows: [written] } = await t.db.pool.query(
      `SELECT count(DISTINCT p.id)::int AS people, count(e.id)::int AS employments FROM person p JOIN employment e ON e.person_id = p.id
        WHERE p.national_id_hash = ANY($1)`, [hashes]);
    expect(written).toEqual({ people: 5, employments: 5 });
    expect((await staffTableCounts(t.db.pool)).people).toBe(before.people + 5);
    const { rows: [marks] } = await t.db.pool.query(`SELECT count(*)::int AS n FROM import_row WHERE job_id = $1 AND applied_at IS NOT NULL`, [job.id]);
    expect(marks.n).toBe(5);
  });

  it('turns a row whose person moved to another district since the dry run into an error instead of writing it', async () => {
    const row = staffRow(200);
    const job = await settledImport(t, hr, (await uploadImport(t, hr, 'staff', csvOf(staffTable([row, staffRow(201)])), 'late.csv').expect(201)).body.id);
    await t.db.pool.query(
      `INSERT INTO person (national_id_hash, national_id_enc, national_id_masked, district_id, full_name, gender, birth_date, education_level)
       VALUES ($1, 'x', 'x', $2, '别区的人', 'female', $3, 'bachelor')`, [t.app.get(FieldCipher).lookupHash(row.nationalId), elsewhere.districtId, row.birthDate]);
    await t.http().post(`/api/imports/${job.id}/confirm`).set(auth(hr)).expect(200);
    const done = await settledImport(t, hr, job.id);
    expect(done).toMatchObject({ status: 'applied', counts: { create: 1, error: 1 } });
    expect(await problemsOf(t, hr, job.id)).toEqual({ 2: ['nationalId:PERSON_IN_OTHER_DISTRICT'] });
  });

  it('lists every row in the result file (CSV and XLSX), with reasons in Chinese and formula-looking text defused', async () => {
    const rows = [staffRow(300, { fullName: '=HYPERLINK("http://x")' }), staffRow(301, { nationalId: '123' })];
    const job = await settledImport(t, hr, (await uploadImport(t, hr, 'staff', csvOf(staffTable(rows)), '结果.csv').expect(201)).body.id);
    await t.http().post(`/api/imports/${job.id}/confirm`).set(auth(hr)).expect(200);
    await settledImport(t, hr, job.id);
    const csv = await t.http().get(`/api/imports/${job.id}/result?format=csv`).set(auth(hr)).buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const table = parseCsv((csv.body as Buffer).toString('utf8'));
    expect(table[0]).toEqual(['行号', '结果', '已写入', '姓名', '身份证号（隐去中间位）', '园所代码', '变更内容', '问题']);
    expect(table.slice(1).filter((r) => r.length > 1).map((r) => [r[0], r[1], r[2], r[3], r[7]])).toEqual([
      ['2', '新增', '是', `'=HYPERLINK("http://x")`, ''],
      ['3', '错误', '否', '导入测试301', '身份证号: 身份证号应为18位（末位可为X）'],
    ]);
    const xlsx = await t.http().get(`/api/imports/${job.id}/result?format=xlsx`).set(auth(hr)).buffer(true)
      .parse(binaryBody)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(3).getCell(2).value).toBe('错误');
  });

  it('keeps imports to district HR: 403 without the permission, 404 for another district’s import', async () => {
    const kg = await t.token('kg_admin');
    await t.http().get('/api/imports').set(auth(kg)).expect(403);
    await uploadImport(t, kg, 'staff', csvOf(staffTable([staffRow(400)])), 'x.csv').expect(403);
    await t.http().get('/api/imports/templates/staff').set(auth(await t.token('teacher'))).expect(403);

    const { rows: [file] } = await t.db.pool.query(
      `INSERT INTO stored_file (district_id, purpose, original_name, content_type, size_bytes, sha256, storage_key)
       VALUES ($1, 'import', 'jd.csv', 'text/csv', 1, repeat('a', 64), 'import/none') RETURNING id`, [elsewhere.districtId]);
    const { rows: [foreign] } = await t.db.pool.query(
      `INSERT INTO import_job (district_id, kind, status, file_id, original_name, created_by)
       VALUES ($1, 'staff', 'validated', $2, 'jd.csv', (SELECT id FROM app_user WHERE username = 'district_admin')) RETURNING id`,
      [elsewhere.districtId, file.id]);
    for (const [method, path] of [['get', ''], ['get', '/rows'], ['get', '/result?format=csv'], ['post', '/confirm'], ['post', '/cancel']] as const) {
      const res = await t.http()[method](`/api/imports/${foreign.id}${path}`).set(auth(hr));
      expect([path, res.status]).toEqual([path, 404]);
    }
    await t.http().put(`/api/imports/${foreign.id}/mapping`).set(auth(hr)).send({ mapping: {} }).expect(404);
    const list = await t.http().get('/api/imports?pageSize=100').set(auth(hr)).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(foreign.id);
    const { rows: [unchanged] } = await t.db.pool.query(`SELECT status FROM import_job WHERE id = $1`, [foreign.id]);
    expect(unchanged.status).toBe('validated');
  });

  it('the people module’s bulk writer writes a batch given twice only once', async () => {
    const writer = t.app.get(PeopleBulkWriter);
    const cipher = t.app.get(FieldCipher);
    const { rows: [k] } = await t.db.pool.query(`SELECT id, district_id FROM org_unit WHERE code = 'SH-QP-K003'`);
    const hash = cipher.lookupHash(staffRow(600).nationalId);
    const batch = {
      newPeople: [{ nationalIdHash: hash, nationalIdEnc: cipher.encrypt(staffRow(600).nationalId), nationalIdMasked: 'm', districtId: k.district_id,
        fullName: '批量写入', gender: 'female' as const, birthDate: staffRow(600).birthDate, phone: null, educationLevel: 'bachelor' as const, preschoolMajor: true, hireDate: null }],
      changes: [],
      employments: [{ nationalIdHash: hash, orgUnitId: k.id, districtId: k.district_id, post: 'teacher' as const, startDate: '2020-09-01' }],
      titles: [{ nationalIdHash: hash, title: 'second' as const, effectiveDate: '2021-09-01', approvingBody: '区教育局' }],
      certificates: [{ nationalIdHash: hash, kind: 'caregiver' as const, number: 'BY-600', issuedOn: '2019-01-01' }],
    };
    const dataSource = t.app.get(DataSource);
    expect(await dataSource.transaction((m) => writer.write(m, batch))).toEqual({ createdPeople: 1 });
    const once = await staffTableCounts(t.db.pool);
    expect(await dataSource.transaction((m) => writer.write(m, batch))).toEqual({ createdPeople: 0 });
    expect(await staffTableCounts(t.db.pool)).toEqual(once);
    const state = (await writer.currentState([hash])).get(hash);
    expect(state).toMatchObject({ fullName: '批量写入', employment: { orgUnitId: k.id, post: 'teacher', startDate: '2020-09-01' },
      title: { title: 'second', effectiveDate: '2021-09-01' }, certificates: [{ kind: 'caregiver', number: 'BY-600' }] });
  });

  it('cancels an import before it is written; a cancelled import cannot be confirmed', async () => {
    const job = await settledImport(t, hr, (await uploadImport(t, hr, 'staff', csvOf(staffTable([staffRow(500)])), 'c.csv').expect(201)).body.id);
    const before = await staffTableCounts(t.db.pool);
    expect((await t.http().post(`/api/imports/${job.id}/cancel`).set(auth(hr)).expect(200)).body.status).toBe('cancelled');
    const refused = await t.http().post(`/api/imports/${job.id}/confirm`).set(auth(hr)).expect(409);
    expect(refused.body.error.code).toBe('IMPORT_NOT_READY');
    expect(await staffTableCounts(t.db.pool)).toEqual(before);
  });
});
