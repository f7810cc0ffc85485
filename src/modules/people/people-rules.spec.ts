import { dayBefore, districtLevelPaths, personInScope, revealsSensitive, searchTerms, titleEntryProblems } from './people-rules.js';

const CITY = '/c/';
const DISTRICT = '/c/d/';
const KG = '/c/d/t/k1/';
const OTHER_KG = '/c/d/t/k2/';

describe('title ordering', () => {
  const birth = '1990-01-01';
  const current = { title: 'first' as const, effectiveDate: '2020-09-01' };
  const codes = (problems: { field: string; code: string }[]) => problems.map((p) => `${p.field}:${p.code}`);

  it('accepts any first title and any higher title on or after the current one', () => {
    expect(titleEntryProblems(null, { title: 'third', effectiveDate: '2012-09-01' }, birth)).toEqual([]);
    expect(titleEntryProblems(current, { title: 'senior', effectiveDate: '2020-09-01' }, birth)).toEqual([]);
    expect(titleEntryProblems(current, { title: 'professorial', effectiveDate: '2030-01-01' }, birth)).toEqual([]);
  });

  it('refuses an equal or lower title unless it is a correction with a reason', () => {
    expect(codes(titleEntryProblems(current, { title: 'first', effectiveDate: '2024-01-01' }, birth))).toEqual(['title:TITLE_NOT_HIGHER']);
    expect(codes(titleEntryProblems(current, { title: 'second', effectiveDate: '2024-01-01' }, birth))).toEqual(['title:TITLE_NOT_HIGHER']);
    expect(codes(titleEntryProblems(current, { title: 'second', effectiveDate: '2024-01-01', isCorrection: true, correctionReason: '  ' }, birth)))
      .toEqual(['correctionReason:CORRECTION_REASON_REQUIRED']);
    expect(titleEntryProblems(current, { title: 'second', effectiveDate: '2024-01-01', isCorrection: true, correctionReason: '录入错误' }, birth)).toEqual([]);
  });

  it('refuses an effective date before the current title\'s or before birth, even for a correction', () => {
    expect(codes(titleEntryProblems(current, { title: 'senior', effectiveDate: '2020-08-31' }, birth))).toEqual(['effectiveDate:TITLE_DATE_BEFORE_CURRENT']);
    expect(codes(titleEntryProblems(current, { title: 'second', effectiveDate: '2019-01-01', isCorrection: true, correctionReason: 'x' }, birth)))
      .toEqual(['effectiveDate:TITLE_DATE_BEFORE_CURRENT']);
    expect(codes(titleEntryProblems(null, { title: 'third', effectiveDate: '1989-01-01' }, birth))).toEqual(['effectiveDate:BEFORE_BIRTH']);
  });
});

describe('scope and masking decisions', () => {
  it('reaches a person through their current kindergarten', () => {
    expect(personInScope([KG], KG, DISTRICT)).toBe(true);
    expect(personInScope([OTHER_KG], KG, DISTRICT)).toBe(false);
    expect(personInScope([DISTRICT], KG, DISTRICT)).toBe(true);
    expect(personInScope([], KG, DISTRICT)).toBe(false);
  });

  it('reaches people between posts only from a district-wide scope', () => {
    expect(districtLevelPaths([CITY, DISTRICT, KG])).toEqual([CITY, DISTRICT]);
    expect(personInScope([DISTRICT], null, DISTRICT)).toBe(true);
    expect(personInScope([CITY], null, DISTRICT)).toBe(true);
    expect(personInScope([KG], null, DISTRICT)).toBe(false);
    expect(personInScope(['/c/x/'], null, DISTRICT)).toBe(false);
  });

  it('shows full identifiers only on the HR record to people.sensitive holders over the person', () => {
    expect(revealsSensitive('record', [DISTRICT], KG, DISTRICT)).toBe(true);
    expect(revealsSensitive('record', [], KG, DISTRICT)).toBe(false);
    expect(revealsSensitive('record', ['/c/other/'], KG, DISTRICT)).toBe(false);
    expect(revealsSensitive('self', [DISTRICT], KG, DISTRICT)).toBe(false);
    expect(revealsSensitive('write', [DISTRICT], KG, DISTRICT)).toBe(false);
  });
});

describe('search terms', () => {
  it('reads an ID number or a phone for exact matching, and always the name', () => {
    expect(searchTerms('  ')).toBeNull();
    expect(searchTerms('11010519950314111x')).toEqual({ name: '11010519950314111x', nationalId: '11010519950314111X', phone: null });
    expect(searchTerms('139 0000 1111')).toEqual({ name: '139 0000 1111', nationalId: null, phone: '13900001111' });
    expect(searchTerms('+8613900001111')?.phone).toBe('13900001111');
    expect(searchTerms('王')).toEqual({ name: '王', nationalId: null, phone: null });
  });
});

describe('dates', () => {
  it('answers the day before, across months and leap days', () => {
    expect(dayBefore('2025-09-01')).toBe('2025-08-31');
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
    expect(dayBefore('2025-01-01')).toBe('2024-12-31');
  });
});
