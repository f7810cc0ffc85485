import { awardOf, itemState, judge, needsSurvey, ruleProblems, type ItemFacts, type LearnerFacts, type RuleTerms } from './completion-rules.js';

const ITEM = 'a0000000-0000-4000-8000-000000000001';
const OTHER = 'a0000000-0000-4000-8000-000000000002';
const terms = (over: Partial<RuleTerms> = {}): RuleTerms => ({
  minAttendanceShare: 0.8, requiredItemIds: [], requireEvaluation: false, combine: 'all', partialCreditFloor: null, ...over,
});
const item = (over: Partial<ItemFacts> = {}): ItemFacts => ({
  itemId: ITEM, title: '示范课', kind: 'assignment', archived: false, passPoints: 60, submitted: true, grade: null, ...over,
});
const facts = (over: Partial<LearnerFacts> = {}): LearnerFacts => ({
  attendedHours: 8, scheduledHours: 8, items: new Map(), evaluationSubmittedAt: null, offeringEnded: false, ...over,
});

describe('completion rules', () => {
  it('judges attendance against the share of all meeting hours, saying how many hours are needed', () => {
    const short = judge(terms(), facts({ attendedHours: 6 }));
    expect(short.outcome).toBe('incomplete');
    expect(short.conditions).toEqual([{ kind: 'attendance', met: false, detail: { attendedHours: 6, scheduledHours: 8, requiredHours: 6.4, share: 0.75, minShare: 0.8 } }]);
    expect(judge(terms(), facts({ attendedHours: 6.4 })).outcome).toBe('complete');
    expect(judge(terms(), facts({ attendedHours: 0, scheduledHours: 0 })).outcome).toBe('incomplete');
  });

  it('tells each required item\'s state: not submitted, not graded, not released, failed, passed', () => {
    expect(itemState(item({ submitted: false }))).toBe('not_submitted');
    expect(itemState(item({ kind: 'offline', submitted: false }))).toBe('not_graded');
    expect(itemState(item())).toBe('not_graded');
    expect(itemState(item({ grade: { points: 90, passed: true, released: false } }))).toBe('not_released');
    expect(itemState(item({ grade: { points: 55, passed: false, released: true } }))).toBe('failed');
    expect(itemState(item({ grade: { points: 90, passed: true, released: true } }))).toBe('passed');
    const failed = judge(terms({ requiredItemIds: [ITEM] }), facts({ items: new Map([[ITEM, item({ grade: { points: 55, passed: false, released: true } })]]) }));
    expect(failed.outcome).toBe('incomplete');
    expect(failed.conditions[1]).toEqual({ kind: 'item', itemId: ITEM, met: false, detail: { title: '示范课', state: 'failed', points: 55, passPoints: 60 } });
    // An unreleased grade says nothing of its points.
    const hidden = judge(terms({ requiredItemIds: [ITEM] }), facts({ items: new Map([[ITEM, item({ grade: { points: 90, passed: true, released: false } })]]) }));
    expect(hidden.conditions[1].detail).toMatchObject({ state: 'not_released', points: null });
  });

  it('needs every condition with "all" and one with "any"; the evaluation counts once submitted', () => {
    const rule = terms({ requiredItemIds: [ITEM], requireEvaluation: true });
    const passed = new Map([[ITEM, item({ grade: { points: 80, passed: true, released: true } })]]);
    expect(judge(rule, facts({ items: passed })).outcome).toBe('incomplete');
    expect(judge(rule, facts({ items: passed, evaluationSubmittedAt: new Date() })).outcome).toBe('complete');
    expect(judge({ ...rule, combine: 'any' }, facts({ attendedHours: 0, items: passed })).outcome).toBe('complete');
    expect(judge({ ...rule, combine: 'any' }, facts({ attendedHours: 0, items: new Map([[ITEM, item()]]) })).outcome).toBe('incomplete');
  });

  it('a rule that asks nothing completes once the offering has ended; an archived item no longer counts', () => {
    const none = terms({ minAttendanceShare: 0 });
    expect(judge(none, facts({ attendedHours: 0 }))).toEqual({ conditions: [], outcome: 'incomplete', share: 0 });
    expect(judge(none, facts({ attendedHours: 0, offeringEnded: true })).outcome).toBe('complete');
    expect(judge(terms({ requiredItemIds: [ITEM] }), facts({ items: new Map([[ITEM, item({ archived: true })]]) })).outcome).toBe('complete');
  });

  it('gives partial credit only after the end, from the floor, with the other conditions met', () => {
    const rule = terms({ partialCreditFloor: 0.5, requireEvaluation: true });
    const base = { attendedHours: 5, scheduledHours: 8, evaluationSubmittedAt: new Date() };
    expect(judge(rule, facts(base)).outcome).toBe('incomplete');
    expect(judge(rule, facts({ ...base, offeringEnded: true })).outcome).toBe('partial');
    expect(judge(rule, facts({ ...base, offeringEnded: true, attendedHours: 3.9 })).outcome).toBe('incomplete');
    expect(judge(rule, facts({ ...base, offeringEnded: true, evaluationSubmittedAt: null })).outcome).toBe('incomplete');
    expect(awardOf('partial', { hours: 8, credits: 1.5 }, 5, 8)).toEqual({ hours: 5, credits: 0.9, partial: true });
    expect(awardOf('complete', { hours: 8, credits: 1.5 }, 5, 8)).toEqual({ hours: 8, credits: 1.5, partial: false });
  });

  it('checks a new rule against the offering, naming each field', () => {
    const context = { items: [{ id: ITEM, kind: 'assignment' as const, archived: false }, { id: OTHER, kind: 'survey' as const, archived: false }],
      inForceFrom: new Date('2026-03-01T00:00:00Z'), takenDates: [new Date('2026-03-01T00:00:00Z'), new Date('2026-09-01T00:00:00Z')] };
    const rule = { ...terms({ requiredItemIds: [ITEM, OTHER, 'nope', ITEM], partialCreditFloor: 0.8 }), effectiveFrom: new Date('2026-02-01T00:00:00Z') };
    expect(ruleProblems(rule, context).map((p) => [p.field, p.code])).toEqual([
      ['requiredItemIds[1]', 'ITEM_IS_SURVEY'], ['requiredItemIds[2]', 'ITEM_NOT_IN_OFFERING'], ['requiredItemIds[3]', 'duplicate'],
      ['partialCreditFloor', 'FLOOR_NOT_BELOW_MINIMUM'], ['effectiveFrom', 'BEFORE_RULE_IN_FORCE'],
    ]);
    expect(ruleProblems({ ...terms(), effectiveFrom: new Date('2026-09-01T00:00:00Z') }, context).map((p) => p.code)).toEqual(['DATE_TAKEN']);
    expect(ruleProblems({ ...terms({ partialCreditFloor: 0 }), effectiveFrom: new Date('2026-04-01T00:00:00Z') }, context)).toEqual([]);
    expect(needsSurvey(terms({ requireEvaluation: true }), { ...context, items: context.items.slice(0, 1) })).toBe(true);
    expect(needsSurvey(terms({ requireEvaluation: true }), context)).toBe(false);
  });
});
