import ExcelJS from 'exceljs';
import { STAFF_FIELDS } from '../../src/modules/imports/staff-rows.js';
import { binaryBody } from '../support/credit-fixtures.js';
import { compoundFile, zipArchive } from '../support/file-samples.js';
import { csvOf, settledImport, staffRow, staffTable, staffTableCounts, uploadImport, xlsxOf } from '../support/import-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const MAX_BYTES = 200_000;

/** A workbook whose sheet XML is broken (a closing tag that matches nothing): Excel from outside, unreadable inside. */
function brokenWorkbook(): Buffer {
  return zipArchive([
    ['[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
    ['xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="a" sheetId="1"/></sheets></workbook>'],
    ['xl/worksheets/sheet1.xml', '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>王</t></is></c></row></sheetData></sheet>'],
  ]);
}

describe('import files, encodings, the mapping step, templates and pages', () => {
  let t: TestApp;
  let hr: string;
  const jobCount = async () => (await t.db.pool.query(`SELECT (SELECT count(*)::int FROM import_job) AS jobs, (SELECT count(*)::int FROM stored_file) AS files`)).rows[0];

  beforeAll(async () => {
    t = await startTestApp({ env: { UPLOAD_MAX_BYTES: String(MAX_BYTES) } });
    hr = await t.token('district_admin');
  });
  afterAll(() => t.close());

  it('refuses a file it cannot use with one error naming `file`, and keeps nothing', async () => {
    const before = await jobCount();
    const header = staffTable([staffRow(1)]).slice(0, 1);
    const cases: Array<[string, Buffer, string, string]> = [
      ['a PDF', Buffer.from('%PDF-1.7\n%%EOF\n'), '名单.pdf', 'FILE_TYPE_NOT_ALLOWED'],
      ['an old .xls', compoundFile('Workbook'), '名单.xls', 'FILE_TYPE_NOT_ALLOWED'],
      ['a web page named .csv', Buffer.from('<html><script>alert(1)</script></html>'), '名单.csv', 'FILE_TYPE_NOT_ALLOWED'],
      ['an empty file', Buffer.alloc(0), '名单.csv', 'FILE_EMPTY'],
      ['a file over the limit', Buffer.concat([csvOf(header), Buffer.alloc(MAX_BYTES, 0x41)]), '名单.csv', 'FILE_TOO_LARGE'],
      ['a sheet with headers only', await xlsxOf(header), '名单.xlsx', 'FILE_EMPTY_SHEET'],
      ['an empty CSV sheet', Buffer.from('\uFEFF\r\n\r\n'), '名单.csv', 'FILE_EMPTY_SHEET'],
      ['a damaged workbook', brokenWorkbook(), '名单.xlsx', 'FILE_UNREADABLE'],
      ['a workbook cut short', (await xlsxOf(staffTable([staffRow(1)]))).subarray(0, 3000), '名单.xlsx', 'FILE_UNREADABLE'],
      ['a CSV with an unclosed quote', Buffer.from('姓名,身份证号\n"王丽,1\n'), '名单.csv', 'FILE_UNREADABLE'],
    ];
    for (const [what, bytes, name, code] of cases) {
      const res = await uploadImport(t, hr, 'staff', bytes, name);
      expect([what, res.status, res.body.error?.details?.fields]).toEqual([what, 400, [expect.objectContaining({ field: 'file', code })]]);
    }
    const noKind = await t.http().post('/api/imports').set(auth(hr)).attach('file', csvOf(staffTable([staffRow(1)])), 'a.csv').expect(400);
    expect(noKind.body.error.details.fields).toEqual([expect.objectContaining({ field: 'kind' })]);
    expect(await jobCount()).toEqual(before);
  });

  it('ends an import whose file breaks further down as failed, with the reason, writing nothing', async () => {
    const before = await staffTableCounts(t.db.pool);
    const readable = csvOf(staffTable([staffRow(30), staffRow(31)]));
    const job = await settledImport(t, hr, (await uploadImport(t, hr, 'staff', Buffer.concat([readable, Buffer.from('"王丽,未闭合\r\n')]), '断尾.csv').expect(201)).body.id);
    expect(job).toMatchObject({ status: 'failed', failure: { code: 'FILE_UNREADABLE' } });
    expect((await t.http().post(`/api/imports/${job.id}/confirm`).set(auth(hr)).expect(409)).body.error.code).toBe('IMPORT_NOT_READY');
    const page = await (await t.signInPages('district_admin')).get(`/imports/${job.id}`).expect(200);
    expect(page.text).toContain('文件无法读取，可能已损坏');
    expect(await staffTableCounts(t.db.pool)).toEqual(before);
  });

  it('reads CSV in GBK, in UTF-8 with and without byte-order mark, and XLSX alike', async () => {
    const table = staffTable([staffRow(1, { fullName: '欧阳娜娜' }), staffRow(2, { fullName: '钟淑慧', nationalId: '1' })]);
    const files: Array<[string, Buffer]> = [
      ['gbk.csv', csvOf(table, 'gbk')], ['bom.csv', csvOf(table, 'utf8bom')], ['plain.csv', csvOf(table, 'utf8')], ['book.xlsx', await xlsxOf(table)],
    ];
    for (const [name, bytes] of files) {
      const job = await settledImport(t, hr, (await uploadImport(t, hr, 'staff', bytes, name).expect(201)).body.id);
      expect([name, job.status, job.counts]).toEqual([name, 'validated', { create: 1, update: 0, unchanged: 0, error: 1 }]);
      const rows = (await t.http().get(`/api/imports/${job.id}/rows`).set(auth(hr)).expect(200)).body.items;
      expect([name, rows.map((r: { data: { fullName: string } }) => r.data.fullName)]).toEqual([name, ['欧阳娜娜', '钟淑慧']]);
    }
  });

  it('waits for the columns when required headers are not recognised, then checks again with the chosen ones', async () => {
    const rows = [staffRow(10), staffRow(11)];
    const file = csvOf(staffTable(rows, { nationalId: '证件号', kindergartenCode: '单位编号' }));
    const job = await settledImport(t, hr, (await uploadImport(t, hr, 'staff', file, '别的表头.csv').expect(201)).body.id);
    expect(job).toMatchObject({ status: 'validated', mappingNeeded: true, missingFields: ['nationalId', 'kindergartenCode'], counts: { create: 0 } });
    expect((await t.http().post(`/api/imports/${job.id}/confirm`).set(auth(hr)).expect(409)).body.error.code).toBe('IMPORT_MAPPING_NEEDED');

    const wrong = await t.http().put(`/api/imports/${job.id}/mapping`).set(auth(hr))
      .send({ mapping: { nationalId: '证件号', kindergartenCode: '园所' } }).expect(400);
    expect(wrong.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['mapping.kindergartenCode']);
    const before = await staffTableCounts(t.db.pool);
    const mapped = await t.http().put(`/api/imports/${job.id}/mapping`).set(auth(hr))
      .send({ mapping: { ...job.mapping as Record<string, string>, nationalId: '证件号', kindergartenCode: '单位编号' } }).expect(200);
    expect(mapped.body.mappingNeeded).toBe(false);
    const checked = await settledImport(t, hr, job.id);
    expect(checked).toMatchObject({ status: 'validated', mappingNeeded: false, counts: { create: 2, error: 0 } });
    expect(await staffTableCounts(t.db.pool)).toEqual(before);
  });

  it('gives templates with the Chinese headers and an example row that imports as it is', async () => {
    const xlsx = await t.http().get('/api/imports/templates/staff?format=xlsx').set(auth(hr)).buffer(true).parse(binaryBody).expect(200);
    expect(xlsx.headers['content-disposition']).toContain('attachment');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(STAFF_FIELDS.map((f) => f.headerZh));
    expect(sheet.getRow(2).getCell(4).value).toBe('110101199003074522');
    const guide = workbook.worksheets[1].getSheetValues().slice(2) as unknown[][];
    expect(guide.find((row) => row?.[1] === '学历')).toEqual([undefined, '学历', '是', '高中、中专/中师、大专、本科、硕士、博士']);
    const job = await settledImport(t, hr, (await uploadImport(t, hr, 'staff', xlsx.body as Buffer, '模板.xlsx').expect(201)).body.id);
    expect(job.counts).toEqual({ create: 1, update: 0, unchanged: 0, error: 0 });

    const csv = await t.http().get('/api/imports/templates/staff?format=csv').set(auth(hr)).buffer(true).parse(binaryBody).expect(200);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF姓名,性别,出生日期,身份证号')).toBe(true);
    await t.http().get('/api/imports/templates/payroll').set(auth(hr)).expect(400);
  });

  it('runs the whole flow on the pages: upload, problems with row numbers, the mapping form, confirm, history', async () => {
    const browser = await t.signInPages('district_admin');
    const index = await browser.get('/imports').expect(200);
    expect(index.text).toContain('/api/imports/templates/staff?format=xlsx');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(index.text)![1];

    const refused = await browser.post('/imports').field('_csrf', csrf).field('kind', 'staff').attach('file', Buffer.from('%PDF-1.7\n'), 'a.pdf').expect(400);
    expect(refused.text).toContain('只能上传 Excel（.xlsx）或 CSV 文件');

    const table = staffTable([staffRow(20), staffRow(21, { kindergartenCode: 'SH-QP-K999' })], { kindergartenCode: '单位编号' });
    const uploaded = await browser.post('/imports').field('_csrf', csrf).field('kind', 'staff').attach('file', csvOf(table), '页面导入.csv').expect(303);
    const path = uploaded.headers.location as string;
    const id = path.split('/').pop()!;
    await settledImport(t, hr, id);
    const mapping = await browser.get(path).expect(200);
    expect(mapping.text).toContain('data-testid="mapping"');
    expect(mapping.text).toContain('园所代码');
    const badMapping = await browser.post(`${path}/mapping`).type('form').send({ _csrf: csrf, 'mapping.fullName': '姓名', 'mapping.nationalId': '身份证号' }).expect(400);
    expect(badMapping.text).toContain('必填字段，请选择一列');
    const fields = Object.fromEntries(STAFF_FIELDS.map((f) => [`mapping.${f.key}`, table[0].includes(f.headerZh) ? f.headerZh : '']));
    await browser.post(`${path}/mapping`).type('form').send({ _csrf: csrf, ...fields, 'mapping.kindergartenCode': '单位编号' }).expect(303);
    await settledImport(t, hr, id);
    const detail = await browser.get(path).expect(200);
    expect(detail.text).toMatch(/data-testid="problem-row" data-row="3"/);
    expect(detail.text).toContain('单位编号');
    expect(detail.text).toContain('本区没有代码为 SH-QP-K999 的幼儿园');
    expect(detail.text).toContain('data-testid="confirm"');

    await browser.post(`${path}/confirm`).type('form').send({ _csrf: csrf }).expect(303);
    expect((await settledImport(t, hr, id)).status).toBe('applied');
    const done = await browser.get(`${path}?outcome=create`).expect(200);
    expect(done.text).toContain('已完成');
    expect(done.text).toContain('data-testid="result-xlsx"');
    expect((await browser.get('/imports').expect(200)).text).toContain('页面导入.csv');
    const kg = await t.signInPages('kg_admin');
    await kg.get('/imports').expect(403);
  });
});
