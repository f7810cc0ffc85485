import { nationalIdCheckChar } from '../../common/national-id.js';
import { ageProblem, importSourceKey, parseCreditHistoryRow, sameName } from './credit-history-rows.js';

const TODAY = '2026-11-20';
const withCheck = (first17: string) => first17 + nationalIdCheckChar(first17);
const ID = withCheck('31011819900517002');
const row = (overrides: Record<string, string> = {}) => ({
  nationalId: ID, fullName: '张丽', title: '幼儿园游戏活动设计', hours: '30', credits: '3', category: '知识技能', level: '区级',
  occurredOn: '2023/6/30', importedSource: '上海市教师教育管理平台', ...overrides,
});
const codesOf = (problems: Array<{ field: string; code: string }>) => problems.map((p) => `${p.field}:${p.code}`);

describe('credit history rows', () => {
  it('reads an entry in the template words', () => {
    const { draft, problems } = parseCreditHistoryRow(row({ nationalId: ID.toLowerCase(), level: '园本（校本）', credits: '' }), TODAY);
    expect(problems).toEqual([]);
    expect(draft).toEqual({
      nationalId: ID, fullName: '张丽', title: '幼儿园游戏活动设计', hours: 30, credits: null, category: 'knowledge_skills', level: 'kindergarten',
      occurredOn: '2023-06-30', importedSource: '上海市教师教育管理平台', externalId: null,
    });
  });

  it('names each bad cell: checksum, unknown words, impossible and future dates, amounts the ledger refuses', () => {
    const wrongCheck = ID.slice(0, 17) + (ID[17] === '1' ? '2' : '1');
    expect(codesOf(parseCreditHistoryRow(row({ nationalId: wrongCheck, category: '体育', level: '国家级', occurredOn: '2023-02-30' }), TODAY).problems))
      .toEqual(['nationalId:NATIONAL_ID_CHECKSUM', 'category:UNKNOWN_VALUE', 'level:UNKNOWN_VALUE', 'occurredOn:INVALID_DATE']);
    expect(codesOf(parseCreditHistoryRow(row({ occurredOn: '2026-11-21', hours: '600', credits: '-1' }), TODAY).problems))
      .toEqual(['hours:AMOUNT_TOO_LARGE', 'credits:NEGATIVE_AMOUNT', 'occurredOn:DATE_IN_FUTURE']);
    expect(codesOf(parseCreditHistoryRow(row({ hours: '0', credits: '0', importedSource: '' }), TODAY).problems))
      .toEqual(['importedSource:REQUIRED', 'hours:AMOUNT_ZERO']);
  });

  it('refuses an entry dated before the person turned 16', () => {
    expect(ageProblem('2006-05-16', '1990-05-17')).toMatchObject({ field: 'occurredOn', code: 'BEFORE_AGE_16', params: { date: '2006-05-17' } });
    expect(ageProblem('2006-05-17', '1990-05-17')).toBeNull();
  });

  it('matches names without regard to spaces and full-width forms', () => {
    expect(sameName('张 丽', '张丽')).toBe(true);
    expect(sameName('阿依古丽·买买提', '阿依古丽买买提')).toBe(true);
    expect(sameName('张莉', '张丽')).toBe(false);
  });

  it('keys an entry by its original id when there is one, else by its content', () => {
    const { draft } = parseCreditHistoryRow(row(), TODAY);
    const withId = { ...draft, externalId: 'A-1' };
    expect(importSourceKey('d', 'h', withId)).toBe(importSourceKey('d', 'h', { ...withId, title: '另一个名称' }));
    expect(importSourceKey('d', 'h', withId)).not.toBe(importSourceKey('d', 'h', { ...withId, externalId: 'A-2' }));
    expect(importSourceKey('d', 'h', draft)).not.toBe(importSourceKey('d', 'h', { ...draft, hours: 31 }));
    expect(importSourceKey('d', 'h', draft)).not.toBe(importSourceKey('d', 'h', { ...draft, importedSource: '江西省教师教育网' }));
    expect(importSourceKey('d', 'h', draft)).toMatch(/^import:[0-9a-f]{64}$/);
  });
});
