import { decodeText, parseCsv } from '../../common/spreadsheet.js';
import { buildGradeSheet, parseGradeSheet, readCell, sniffSheetFormat, type SheetItem, type SheetLearner } from './grade-sheet.js';

const ITEMS: SheetItem[] = [
  { id: '11111111-1111-4111-8111-111111111111', title: '观察记录', gradingMethod: 'points', maxPoints: 100 },
  { id: '22222222-2222-4222-8222-222222222222', title: '示范课', gradingMethod: 'pass_fail', maxPoints: null },
];
const LEARNERS: SheetLearner[] = [
  { enrollmentId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', fullName: '王小丽', kindergarten: '青浦区实验幼儿园', grades: { [ITEMS[0].id]: { points: 86.5, passed: true }, [ITEMS[1].id]: { points: null, passed: false } } },
  { enrollmentId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', fullName: '=李"明"', kindergarten: null, grades: {} },
];

describe('the grade sheet', () => {
  it.each(['csv', 'xlsx'] as const)('reads back what it writes (%s): headers, points, pass/fail words and blanks', async (format) => {
    const bytes = await buildGradeSheet({ items: ITEMS, learners: LEARNERS }, format);
    expect(sniffSheetFormat(bytes)).toBe(format);
    const sheet = await parseGradeSheet(bytes, format);
    expect(sheet.problems).toEqual([]);
    expect(sheet.columns.map((c) => [c.header, c.itemId])).toEqual([
      [`观察记录 [${ITEMS[0].id}]`, ITEMS[0].id], [`示范课 [${ITEMS[1].id}]`, ITEMS[1].id],
    ]);
    expect(sheet.rows.map((r) => [r.row, r.enrollmentId, r.cells.map((c) => [c.column.itemId, c.text])])).toEqual([
      [2, LEARNERS[0].enrollmentId, [[ITEMS[0].id, '86.5'], [ITEMS[1].id, '不通过']]],
      [3, LEARNERS[1].enrollmentId, []],
    ]);
  });

  it('writes CSV with a BOM for Excel and defuses a name that looks like a formula', async () => {
    const text = (await buildGradeSheet({ items: ITEMS, learners: LEARNERS }, 'csv')).toString('utf8');
    expect(text.startsWith('\uFEFF报名编号,姓名,幼儿园,观察记录 [')).toBe(true);
    expect(text).toContain(`${LEARNERS[1].enrollmentId},"'=李""明""",,,\r\n`);
  });

  it('names unknown and missing columns, and skips blank lines', async () => {
    const csv = `姓名,备注,观察记录 [${ITEMS[0].id}]\r\n王小丽,,80\r\n\r\n`;
    expect((await parseGradeSheet(Buffer.from(csv), 'csv')).problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [1, '报名编号', 'missing_column'], [1, '备注', 'unknown_column'],
    ]);
    const ok = `报名编号,观察记录 [${ITEMS[0].id}],观察记录 [${ITEMS[0].id}]\n${LEARNERS[0].enrollmentId},80,\n,,\n`;
    const sheet = await parseGradeSheet(Buffer.from(ok), 'csv');
    expect(sheet.problems.map((p) => p.code)).toEqual(['duplicate_column']);
    expect(sheet.rows).toHaveLength(1);
  });

  it('says a broken file is unreadable instead of throwing', async () => {
    const sheet = await parseGradeSheet(Buffer.from('PK\u0003\u0004 not really a zip'), 'xlsx');
    expect(sheet.problems.map((p) => p.code)).toEqual(['unreadable']);
    expect((await parseGradeSheet(Buffer.from('报名编号,"open'), 'csv')).problems.map((p) => p.code)).toEqual(['unreadable']);
  });

  it('reads Excel\'s GB18030 CSV as well as UTF-8', () => {
    const gbk = Buffer.from([0xb1, 0xa8, 0xc3, 0xfb, 0xb1, 0xe0, 0xba, 0xc5]); // 报名编号 in GB18030
    expect(decodeText(gbk)).toBe('报名编号');
    expect(decodeText(Buffer.from('\uFEFF姓名', 'utf8'))).toBe('姓名');
  });

  it('parses quoted fields with separators, quotes and line breaks, and semicolon-separated files', () => {
    expect(parseCsv('a,"b,c","d ""e""","f\ng"\r\n1,2,3,4')).toEqual([['a', 'b,c', 'd "e"', 'f\ng'], ['1', '2', '3', '4']]);
    expect(parseCsv('a;b;c\n1;2,5;3')).toEqual([['a', 'b', 'c'], ['1', '2,5', '3']]);
  });

  describe('cells', () => {
    const points = { gradingMethod: 'points' as const, maxPoints: 20 };
    it.each([
      ['18', { value: { points: 18 } }], [' 7.25 ', { value: { points: 7.25 } }], ['20', { value: { points: 20 } }], ['0', { value: { points: 0 } }],
    ])('reads %j as points', (text, expected) => expect(readCell(text, points)).toEqual(expected));
    it.each([
      ['21', 'above_maximum'], ['-1', 'out_of_range'], ['十八', 'not_a_number'], ['18分', 'not_a_number'], ['1.005', 'precision'],
    ])('refuses %j (%s)', (text, code) => expect(readCell(text, points)).toMatchObject({ code }));
    it.each([['通过', true], ['合格', true], ['Pass', true], ['不通过', false], ['不合格', false], ['fail', false]])('reads %j as passed=%s', (text, passed) => {
      expect(readCell(text, { gradingMethod: 'pass_fail', maxPoints: null })).toEqual({ value: { passed } });
    });
    it('refuses a pass/fail word it does not know', () => {
      expect(readCell('良好', { gradingMethod: 'pass_fail', maxPoints: null })).toMatchObject({ code: 'not_pass_fail' });
    });
  });
});
