import ExcelJS from 'exceljs';
import { csvText, parseCsv, readTable } from '../../common/spreadsheet.js';
import { rubricCsv, rubricFromRows, rubricXlsx } from './rubric-sheet.js';

const header = ['评价标准', '标准说明', '等级', '分值', '等级说明'];

describe('rubric sheets', () => {
  it('parses CSV by RFC 4180: quoted commas, quotes and line breaks, CRLF or LF, a byte-order mark', () => {
    expect(parseCsv('\uFEFFa,"b,c","say ""hi"""\r\n"two\nlines",,x\ny')).toEqual([['a', 'b,c', 'say "hi"'], ['two\nlines', '', 'x'], ['y']]);
    expect(parseCsv('a,b\r\n')).toEqual([['a', 'b']]);
    expect(csvText([['=1+1', 'a,b', 3], [null, '-x', 'line\nbreak']])).toBe('\uFEFF\'=1+1,"a,b",3\r\n,\'-x,"line\nbreak"\r\n');
  });

  it('reads a rubric with the criterion repeated or left blank, and Chinese or English headers', () => {
    const repeated = rubricFromRows([header, ['教学目标', '目标清楚', '待改进', '1', ''], ['教学目标', '', '优秀', '5', '具体可测']]);
    const blank = rubricFromRows([['Criterion', 'Criterion description', 'Level', 'Points', 'Level description'],
      ['教学目标', '目标清楚', '待改进', '1', ''], ['', '', '优秀', '5', '具体可测']]);
    for (const sheet of [repeated, blank]) {
      expect(sheet.problems).toEqual([]);
      expect(sheet.criteria).toEqual([{ id: 'c1', title: '教学目标', description: '目标清楚', levels: [
        { id: 'c1l1', title: '待改进', points: 1 }, { id: 'c1l2', title: '优秀', points: 5, description: '具体可测' }] }]);
      expect(sheet.maxPoints).toBe(5);
    }
  });

  it('lists the required columns a header lacks', () => {
    expect(rubricFromRows([['评价标准', '说明'], ['a', 'b']]).missing).toEqual(['等级', '分值']);
    expect(rubricFromRows([['评价标准'], ['a']], 'guide').missing).toEqual(['满分']);
    expect(rubricFromRows([]).missing).toEqual(['评价标准', '等级', '分值']);
  });

  it('reports every bad row with its row number and column', () => {
    const sheet = rubricFromRows([
      header,
      ['', '', '优秀', '5', ''],
      ['教学目标', '', '待改进', '', ''],
      ['', '', '合格', 'abc', ''],
      ['', '', '合格', '-2', ''],
      ['活动设计', '', '好', '3', ''],
    ]);
    expect(sheet.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, '评价标准', 'LEVEL_WITHOUT_CRITERION'],
      [3, '分值', 'POINTS_REQUIRED'],
      [4, '分值', 'POINTS_NOT_NUMBER'],
      [5, '等级', 'DUPLICATE_TITLE'],
      [5, '分值', 'POINTS_NEGATIVE'],
      [6, '等级', 'TOO_FEW_LEVELS'],
    ]);
  });

  it('tells a marking guide by its 满分 column', () => {
    const sheet = rubricFromRows([['评价标准', '标准说明', '满分'], ['教案', '目标清楚', '10'], ['反思', '', '0']]);
    expect(sheet.method).toBe('guide');
    expect(sheet.problems.map((p) => [p.row, p.column, p.code])).toEqual([[3, '满分', 'MAX_POINTS_NOT_POSITIVE']]);
  });

  it('round-trips through CSV and XLSX', async () => {
    const rubric = { method: 'rubric' as const, criteria: rubricFromRows([header,
      ['教学目标', '目标, "清楚"', '待改进', '1', '=不要计算'], ['', '', '优秀', '4.5', '多行\n说明']]).criteria };
    const fromCsv = rubricFromRows((await readTable(Buffer.from(rubricCsv(rubric))))!);
    expect(fromCsv.criteria).toEqual(rubric.criteria);
    const fromXlsx = rubricFromRows((await readTable(await rubricXlsx(rubric)))!);
    expect(fromXlsx.criteria).toEqual(rubric.criteria);
  });

  it('reads an XLSX made elsewhere (numbers, formulas, a title row above the header) and a GB18030 CSV', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('量规');
    sheet.addRow(['示范课评价量规']);
    sheet.addRow(['Criterion', 'Level', 'Points']);
    sheet.addRow(['反思', '一般', 2]);
    sheet.addRow(['反思', '深入', { formula: '2*2', result: 4 }]);
    const parsed = rubricFromRows((await readTable(Buffer.from(await workbook.xlsx.writeBuffer())))!);
    expect(parsed.problems).toEqual([]);
    expect(parsed.criteria[0].levels!.map((l) => [l.title, l.points])).toEqual([['一般', 2], ['深入', 4]]);

    const gb = Buffer.from([0xb5, 0xc8, 0xbc, 0xb6]); // 等级 in GB18030
    const table = await readTable(Buffer.concat([Buffer.from('a,'), gb, Buffer.from('\r\n')]));
    expect(table).toEqual([['a', '等级']]);
    // A damaged archive is refused before anything is unpacked (400 naming the file), not read as an empty sheet.
    await expect(readTable(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).rejects.toMatchObject({ status: 400 });
  });
});
