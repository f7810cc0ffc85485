import { calendarDate, wholeNumber, yearsAfter, yesNo } from './import-kinds-cells.js';
import { changedFields, mergedProblems, parseKindergartenRow } from './org-unit-rows.js';

const codesOf = (problems: Array<{ field: string; code: string }>) => problems.map((p) => `${p.field}:${p.code}`);

describe('kindergarten import rows', () => {
  it('reads the template words (full-width brackets, 是/否, whole numbers) into the org unit values', () => {
    const { draft, problems } = parseKindergartenRow({
      code: ' SH-QP-K101 ', name: '上海市青浦区示例幼儿园', town: '夏阳街道', ownership: '民办', inclusive: '是', grade: '示范园（区级）',
      status: '筹建', openingYear: '2026', kindergartenClasses: '15', nurseryClasses: '1', childrenEnrolled: '0', groupCode: 'SH-QP-G01', groupLead: '否',
    });
    expect(problems).toEqual([]);
    expect(draft).toEqual({
      code: 'SH-QP-K101', name: '上海市青浦区示例幼儿园', town: '夏阳街道', ownership: 'private', inclusive: true, grade: 'district_demonstration',
      status: 'planned', openingYear: 2026, kindergartenClasses: 15, nurseryClasses: 1, childrenEnrolled: 0, groupCode: 'SH-QP-G01', groupLead: false,
    });
  });

  it('names every bad cell by its field', () => {
    const { problems } = parseKindergartenRow({
      code: 'SH QP K1', name: '某园', grade: '四级', inclusive: '也许', status: '营业中', foundedYear: '1850', kindergartenClasses: '-2', groupLead: '是',
    });
    expect(codesOf(problems)).toEqual([
      'code:ORG_CODE_FORMAT', 'inclusive:UNKNOWN_VALUE', 'grade:UNKNOWN_VALUE', 'status:UNKNOWN_VALUE', 'foundedYear:ORG_YEAR_INVALID',
      'kindergartenClasses:ORG_COUNT_INVALID', 'groupCode:GROUP_CODE_REQUIRED',
    ]);
    expect(codesOf(parseKindergartenRow({}).problems)).toEqual(['code:REQUIRED', 'name:REQUIRED']);
  });

  it('checks the kindergarten as it will be: required fields, a planned one’s opening year, years in order', () => {
    expect(codesOf(mergedProblems({ ownership: 'public', inclusive: true, grade: 'first' }))).toEqual(['status:REQUIRED_FOR_NEW']);
    expect(codesOf(mergedProblems({ ownership: 'public', inclusive: true, grade: 'unrated', status: 'planned' }))).toEqual(['openingYear:ORG_OPENING_YEAR_REQUIRED']);
    expect(codesOf(mergedProblems({ ownership: 'public', inclusive: true, grade: 'unrated', status: 'operating', foundedYear: 2020, openingYear: 2018 })))
      .toEqual(['openingYear:ORG_OPENING_BEFORE_FOUNDED']);
  });

  it('lists as changed only the fields the row gives with another value', () => {
    const current = { name: '甲园', ownership: 'public', inclusive: true, grade: 'first', status: 'operating', foundedYear: 1990, openingYear: null,
      kindergartenClasses: 10, nurseryClasses: 1, childrenEnrolled: 300, address: null };
    expect(changedFields(current, { code: 'K', name: '甲园', grade: 'first', kindergartenClasses: 12 })).toEqual(['kindergartenClasses']);
    expect(changedFields(current, { code: 'K', name: '乙园' })).toEqual(['name']);
  });
});

describe('spreadsheet cells', () => {
  it('reads dates as people type them and as Excel stores them', () => {
    expect(['2023-06-30', '2023/6/30', '2023.6.30', '2023年6月30日', '20230630', '2023-06-30T00:00:00.000Z', '45107'].map(calendarDate))
      .toEqual(Array(7).fill('2023-06-30'));
    expect(['2023-02-30', '30/06/2023', '昨天', '2023-06-30T08:00:00.000Z'].map(calendarDate)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('reads yes/no words and whole numbers, refusing the rest', () => {
    expect(['是', 'Y', '否', '0', '也许'].map(yesNo)).toEqual([true, true, false, false, undefined]);
    expect(['1,200', '１２', '12.0', '12.5', 'abc'].map(wholeNumber)).toEqual([1200, 12, 12, undefined, undefined]);
  });

  it('counts whole years, with 29 February falling to 28 February', () => {
    expect(yearsAfter('1990-05-17', 16)).toBe('2006-05-17');
    expect(yearsAfter('2000-02-29', 16)).toBe('2016-02-29');
    expect(yearsAfter('2000-02-29', 17)).toBe('2017-02-28');
  });
});
