import { amountProblem, deliveryOf, ledgerInputProblems, occurredOnProblem, type LedgerInput } from './ledger-rules.js';

describe('ledger rules', () => {
  const today = '2026-11-22';
  const award: LedgerInput = {
    personId: 'p', hours: 6, category: 'ethics', level: 'district', source: 'contest', title: '师德演讲比赛', occurredOn: '2026-11-22', recordedBy: null,
  };
  const fields = (input: Partial<LedgerInput>) => ledgerInputProblems({ ...award, ...input }, today).map((p) => `${p.field}:${p.code}`);

  it('accepts an ordinary award, today included', () => {
    expect(fields({})).toEqual([]);
    expect(fields({ hours: 0, credits: 2 })).toEqual([]);
  });

  it('names the field of negative, absurd, over-precise or empty amounts', () => {
    expect(fields({ hours: -1 })).toEqual(['hours:min']);
    expect(fields({ hours: 500.5 })).toEqual(['hours:AMOUNT_TOO_LARGE']);
    expect(fields({ credits: 50.01 })).toEqual(['credits:AMOUNT_TOO_LARGE']);
    expect(fields({ hours: 1.25 })).toEqual(['hours:isNumber']);
    expect(fields({ credits: 0.125 })).toEqual(['credits:isNumber']);
    expect(fields({ hours: Number.NaN })).toEqual(['hours:isNumber']);
    expect(fields({ hours: 0, credits: 0 })).toEqual(['hours:AMOUNT_ZERO']);
    expect(amountProblem('hours', 500)).toBeNull();
  });

  it('refuses dates after today in Shanghai, before 2000, or not on the calendar', () => {
    expect(occurredOnProblem('2026-11-23', today)?.code).toBe('DATE_IN_FUTURE');
    expect(occurredOnProblem('1999-12-31', today)?.code).toBe('DATE_TOO_EARLY');
    expect(occurredOnProblem('2026-02-29', today)?.code).toBe('isCalendarDate');
    expect(occurredOnProblem('2000-01-01', today)).toBeNull();
  });

  it('lists every bad field at once', () => {
    expect(fields({ category: 'fun' as never, level: 'nation' as never, title: ' ', occurredOn: '2030-01-01' }))
      .toEqual(['category:isIn', 'level:isIn', 'title:isLength', 'occurredOn:DATE_IN_FUTURE']);
  });

  it('converts organised training at the centralised rate and the rest at the other rate', () => {
    expect(['course_completion', 'lecture_series', 'contest'].map((s) => deliveryOf(s as never))).toEqual(['centralised', 'centralised', 'centralised']);
    expect(['external_training', 'mentoring', 'program', 'manual_adjustment'].map((s) => deliveryOf(s as never))).toEqual(['other', 'other', 'other', 'other']);
  });
});
