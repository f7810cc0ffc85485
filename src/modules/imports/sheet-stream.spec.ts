import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { CsvStreamParser, detectEncoding, sheetRows, SheetUnreadable } from './sheet-stream.js';

const chunked = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

function parseInChunks(text: string, size: number): string[][] {
  const parser = new CsvStreamParser();
  return [...chunked(text, size).flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

describe('CsvStreamParser', () => {
  const text = '\uFEFF姓名,备注\r\n"王丽","说""你好"",\n换行"\r\n李四,\r\n张三,"末行"';
  const expected = [['姓名', '备注'], ['王丽', '说"你好",\n换行'], ['李四', ''], ['张三', '末行']];

  it('reads quoted fields, doubled quotes, line breaks inside quotes and a last line without a break', () => {
    expect(parseInChunks(text, text.length)).toEqual(expected);
  });

  it('gives the same records whatever the chunk boundaries (a quote pair or CRLF split across chunks)', () => {
    for (const size of [1, 2, 3, 5, 7, 11]) expect(parseInChunks(text, size)).toEqual(expected);
  });

  it('takes the separator the header uses (semicolon, tab)', () => {
    expect(parseInChunks('a;b\n1;2,5\n', 4)).toEqual([['a', 'b'], ['1', '2,5']]);
    expect(parseInChunks('a\tb\n1\t2\n', 3)).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('refuses an unclosed quote', () => {
    const parser = new CsvStreamParser();
    parser.push('a,b\n"open,2\n');
    expect(() => parser.end()).toThrow(SheetUnreadable);
  });
});

describe('sheetRows', () => {
  const open = (bytes: Buffer) => async () => Readable.from([bytes.subarray(0, 7), bytes.subarray(7)]);

  it('reads GBK when the bytes are not UTF-8, and skips empty rows keeping the row numbers', async () => {
    // 姓名,性别 / 王丽,女 in GBK, with an empty line between.
    const gbk = Buffer.from('d0d5c3fb2cd0d4b1f00d0a0d0acdf5c0f62cc5ae0d0a', 'hex');
    const encoding = await detectEncoding(open(gbk));
    expect(encoding).toBe('gb18030');
    const rows = [];
    for await (const row of sheetRows(open(gbk), 'csv', encoding)) rows.push(row);
    expect(rows).toEqual([{ rowNumber: 1, cells: ['姓名', '性别'] }, { rowNumber: 3, cells: ['王丽', '女'] }]);
  });

  it('reads the first worksheet of a workbook, date cells as dates', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('教职工');
    sheet.addRow(['姓名', '出生日期']);
    sheet.addRow([]);
    sheet.addRow(['王丽', new Date(Date.UTC(1990, 2, 7))]).getCell(2).numFmt = 'yyyy-mm-dd';
    workbook.addWorksheet('说明').addRow(['不读']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const rows = [];
    for await (const row of sheetRows(open(bytes), 'xlsx')) rows.push(row);
    expect(rows).toEqual([{ rowNumber: 1, cells: ['姓名', '出生日期'] }, { rowNumber: 3, cells: ['王丽', '1990-03-07T00:00:00.000Z'] }]);
  });

  it('answers SheetUnreadable for a damaged workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('a').addRow(['x']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const read = async () => { for await (const _ of sheetRows(open(bytes.subarray(0, bytes.length / 2)), 'xlsx')) { /* reading */ } };
    await expect(read()).rejects.toBeInstanceOf(SheetUnreadable);
  });
});
