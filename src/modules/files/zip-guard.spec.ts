import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { officeDocument } from '../../../test/support/file-samples.js';
import { MIB, bombWorkbook, workbookWith, zerosDeflated, zipOf } from '../../../test/support/zip-bombs.js';
import { readTable, readXlsxRows, writeSheet } from '../../common/spreadsheet.js';
import { ValidationFailed } from '../../common/errors.js';
import { sheetRows, SheetUnreadable } from '../imports/sheet-stream.js';
import { sniffType } from './file-types.js';
import { checkZip, ZIP_LIMITS, zipProblem } from './zip-guard.js';

async function staffWorkbook(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('教职工');
  sheet.addRow(['姓名', '幼儿园代码', '入职日期', '岗位']);
  for (let i = 0; i < rows; i++) sheet.addRow([`教师${i}`, `SH-QP-K${String(i % 100).padStart(3, '0')}`, `2020-01-${(i % 28) + 1}`, '教师']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function streamedWorkbook(rows: number): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeSheet(sink, 'xlsx', { name: '导出', columns: [{ header: '姓名', width: 10 }], batches: [Array.from({ length: rows }, (_, i) => [`教师${i}`])] });
  return Buffer.concat(chunks);
}

const refusal = (bytes: Buffer) => {
  const verdict = checkZip(bytes);
  return verdict.ok ? 'ok' : verdict.reason;
};

describe('zip-bomb guard', () => {
  it('accepts real workbooks and documents, also a 20,000-row sheet and one written with data descriptors', async () => {
    const big = await staffWorkbook(20_000);
    expect(checkZip(big)).toMatchObject({ ok: true });
    expect((checkZip(big) as { inflatedBytes: number }).inflatedBytes).toBeGreaterThan(big.length * 3);
    expect(refusal(await streamedWorkbook(500))).toBe('ok');
    expect(refusal(officeDocument('word'))).toBe('ok');
    expect(refusal(officeDocument('ppt'))).toBe('ok');
    expect(await readXlsxRows(await staffWorkbook(3))).toHaveLength(4);
  });

  it('refuses an archive that declares more than the limit, before inflating it', () => {
    const bomb = bombWorkbook(150 * MIB);
    expect(bomb.length).toBeLessThan(400_000);
    expect(sniffType(bomb)).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const verdict = checkZip(bomb);
    expect(verdict).toMatchObject({ ok: false, reason: 'too_large' });
    expect(zipProblem(bomb, 'file')).toMatchObject({ field: 'file', code: 'FILE_ARCHIVE_TOO_LARGE' });
  });

  it('refuses one big entry with an absurd compression ratio even under the total limit', () => {
    const bomb = bombWorkbook(20 * MIB);
    expect(checkZip(bomb)).toMatchObject({ ok: false, reason: 'ratio' });
    // Small parts may compress as they like: 500 KB of zeros is harmless.
    expect(refusal(bombWorkbook(500 * 1024))).toBe('ok');
  });

  it('refuses an archive whose sizes lie, in both directories or only in one, by inflating no more than it declares', () => {
    expect(checkZip(bombWorkbook(200 * MIB, { says: 1000 }))).toMatchObject({ ok: false, reason: 'too_large' });
    expect(refusal(workbookWith({ deflated: zerosDeflated(200 * MIB), centralSays: 1000 }))).toBe('too_large');
    // Only the local header lies: the central directory's honest 200 MB is over the limit anyway …
    expect(refusal(workbookWith({ deflated: zerosDeflated(200 * MIB), localSays: 1000 }))).toBe('too_large');
    // … and a data descriptor that lies is caught the same way.
    expect(refusal(workbookWith({ deflated: zerosDeflated(60 * MIB), centralSays: 1000, localSays: 1000, descriptor: true }))).toBe('too_large');
  });

  it('refuses an entry hidden from the central directory that a streaming reader would still inflate', () => {
    const hidden = workbookWith({ data: '<worksheet/>' }, [], [{ name: 'xl/worksheets/sheet2.xml', deflated: zerosDeflated(60 * MIB), localSays: 10 }]);
    expect(refusal(hidden)).toBe('too_large');
  });

  it('refuses more than 10,000 entries', () => {
    const many = zipOf(Array.from({ length: ZIP_LIMITS.maxEntries + 1 }, (_, i) => ({ name: `x/${i}.xml`, data: 'a' })));
    expect(checkZip(many)).toMatchObject({ ok: false, reason: 'too_many_entries' });
    expect(refusal(zipOf(Array.from({ length: 50 }, (_, i) => ({ name: `x/${i}.xml`, data: 'a' }))))).toBe('ok');
  });

  it('answers a damaged archive as unreadable, not as a crash', () => {
    const whole = bombWorkbook(1000);
    expect(refusal(whole.subarray(0, whole.length - 30))).toBe('unreadable');
    expect(zipProblem(whole.subarray(0, 40), 'files[0]')).toMatchObject({ field: 'files[0]', code: 'FILE_UNREADABLE' });
  });

  it('makes the spreadsheet readers refuse a bomb as a 400 naming file', async () => {
    const bomb = bombWorkbook(200 * MIB, { says: 1000 });
    await expect(readXlsxRows(bomb)).rejects.toBeInstanceOf(ValidationFailed);
    const error = await readTable(bomb).catch((e: ValidationFailed) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).problems).toEqual([expect.objectContaining({ field: 'file', code: 'FILE_ARCHIVE_TOO_LARGE' })]);
  });

  it('makes the import engine\'s streaming reader stop before inflating a bomb whose directory lies', async () => {
    const bomb = bombWorkbook(200 * MIB, { says: 1000, descriptor: true });
    const rows = sheetRows(async () => Readable.from([bomb]), 'xlsx');
    const error = await rows.next().catch((e: Error) => e);
    expect(error).toBeInstanceOf(SheetUnreadable);
    expect((error as Error).message).toMatch(/too much data/);
    const good = sheetRows(async () => Readable.from([await staffWorkbook(2)]), 'xlsx');
    const read: string[][] = [];
    for await (const row of good) read.push(row.cells);
    expect(read[1]).toEqual(['教师0', 'SH-QP-K000', '2020-01-1', '教师']);
  });
});
