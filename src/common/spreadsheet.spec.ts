import ExcelJS from 'exceljs';
import { csvLine, defuse, isZip, readXlsxRows, sheetBytes, xlsxBuffer, type SheetCell } from './spreadsheet.js';

describe('credit export CSV lines', () => {
  it('quotes what needs quoting, keeps numbers as numbers and ends lines with CRLF', () => {
    expect(csvLine(['310101199001011234', '张三', null, 12.5, -1, '说明,含逗号', '含"引号"'])).toBe('310101199001011234,张三,,12.5,-1,"说明,含逗号","含""引号"""\r\n');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(csvLine(['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)'])).toBe(`"'=HYPERLINK(""http://x"")",'+1,'-2,'@SUM(A1)\r\n`);
  });
});

describe('defusing and the streaming sheet writer', () => {
  const spec = (batches: SheetCell[][][]) => ({
    name: '名单: 2026/05', columns: [{ header: '姓名', width: 10 }, { header: '分值', width: 8 }], batches,
  });

  it('marks every text a spreadsheet would run, tab and carriage return included, and leaves the rest', () => {
    expect(['=1+1', '+86', '-x', '@A1', '\t=1', '\r=1', '张三', ' =1', '1-2'].map(defuse))
      .toEqual(["'=1+1", "'+86", "'-x", "'@A1", "'\t=1", "'\r=1", '张三', ' =1', '1-2']);
  });

  it('writes CSV with a byte-order mark, the header, and every batch in order, defused', async () => {
    const bytes = await sheetBytes('csv', spec([[['=HYPERLINK("http://x","点我")', 3]], [], [['李四', -1.5]]]));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe('\uFEFF姓名,分值\r\n"\'=HYPERLINK(""http://x"",""点我"")",3\r\n李四,-1.5\r\n');
  });

  it('writes XLSX through the streaming writer: header first, numbers stay numbers, formulas arrive as text', async () => {
    async function* batches() {
      yield [['@SUM(A1:A2)', 1], ['王五', null]] as SheetCell[][];
      yield [['+1', 2]] as SheetCell[][];
    }
    const bytes = await sheetBytes('xlsx', { ...spec([]), batches: batches() });
    expect(isZip(bytes)).toBe(true);
    expect(await readXlsxRows(bytes)).toEqual([['姓名', '分值'], ["'@SUM(A1:A2)", '1'], ['王五'], ["'+1", '2']]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(book.worksheets[0].name).toBe('名单  2026 05');
    expect(book.worksheets[0].getCell('B2').value).toBe(1);
  });

  it('defuses the in-memory XLSX writer too', async () => {
    const bytes = await xlsxBuffer('x', [['标题'], ['=cmd|calc']], [10]);
    expect(await readXlsxRows(bytes)).toEqual([['标题'], ["'=cmd|calc"]]);
  });
});
