import type { ComplianceResult, RuleStatus, SchemePeriodStatus } from './compliance.types.js';
import { categoryLevelGrid, courseFills, entriesByCategory, missingLines, neededLines, ringView, ruleLabel, worstStanding } from './transcript-views.js';
import type { TranscriptEntry } from './transcript.query.js';

const entry = (category: TranscriptEntry['category'], level: TranscriptEntry['level'], credits: number, title = 't'): TranscriptEntry =>
  ({ id: title, title, occurredOn: '2026-05-01', category, level, hours: credits * 10, credits, source: 'manual_adjustment' });

const rule = (partial: Partial<RuleStatus>): RuleStatus => ({
  kind: 'total', category: null, level: null, label: '合计', required: 36, maximum: null, earned: 0, missing: 36, met: false, counted: [], ...partial,
});

const period = (rules: RuleStatus[], extra: Partial<SchemePeriodStatus> = {}): SchemePeriodStatus => ({
  schemeId: 's', schemeCode: 'sh-teacher-36', schemeName: '上海', unit: 'credits', from: '2026-01-01', to: '2030-12-31', met: false, rules, ...extra,
});

describe('transcript views', () => {
  it('adds credits up by category and level, with row, column and grand totals', () => {
    const grid = categoryLevelGrid([entry('ethics', 'city', 2), entry('ethics', 'kindergarten', 1.5), entry('practice', 'city', 0.25)]);
    expect(grid.levels).toEqual(['city', 'district', 'kindergarten']);
    expect(grid.rows[0]).toMatchObject({ category: 'ethics', cells: [{ credits: '2' }, { empty: true }, { credits: '1.5' }], total: { credits: '3.5', hours: '35' } });
    expect(grid.totals.map((c) => c.credits)).toEqual(['2.25', '0', '1.5']);
    expect(grid.total.credits).toBe('3.75');
    expect(entriesByCategory([entry('practice', 'city', 1, 'a'), entry('ethics', 'city', 1, 'b')]).map((g) => g.category)).toEqual(['ethics', 'practice']);
  });

  it('names rules in the reader\'s language and draws each as a share of its requirement', () => {
    expect(ruleLabel(rule({}), 'zh-CN')).toBe('总量');
    expect(ruleLabel(rule({ kind: 'level_category', level: 'city', category: 'ethics' }), 'zh-CN')).toBe('市级·师德素养');
    expect(ruleLabel(rule({ kind: 'level', level: 'district' }), 'en')).toBe('District');
    expect(ringView(rule({ earned: 9, missing: 27 }), 'zh-CN')).toMatchObject({ percent: 25, dash: '25 75', earned: '9', required: '36', met: false });
    expect(ringView(rule({ earned: 40, missing: 0, met: true }), 'zh-CN')).toMatchObject({ percent: 100, dash: '100 0' });
    expect(ringView(rule({ kind: 'category', category: 'self_study', required: 4, maximum: 4, earned: 4, missing: 0, met: true }), 'zh-CN').exact).toBe(true);
  });

  it('says what is missing per unmet rule, and the least still needed only where the scheme has cells to place it', () => {
    const result = (periods: SchemePeriodStatus[]): ComplianceResult => ({ personId: 'p', cycle: null, asOf: '2026-11-22', periods, standing: 'behind' });
    const shanghai = period([rule({ missing: 4 }), rule({ kind: 'level_category', level: 'city', category: 'knowledge_skills', required: 4, missing: 4 }),
      rule({ kind: 'level', level: 'district', required: 10, earned: 10, missing: 0, met: true })],
    { needed: 4, neededByCell: [{ level: 'city', category: 'knowledge_skills', amount: 4 }] });
    expect(missingLines(result([shanghai]), 'zh-CN')).toEqual(['总量还差 4 学分', '市级·知识技能还差 4 学分']);
    expect(neededLines(result([shanghai]), 'zh-CN')).toEqual(['最少还需 4 学分，建议安排在：市级·知识技能 4']);
    const hours = period([rule({ required: 360, missing: 170 })], { unit: 'hours', needed: 170, neededByCell: [{ level: 'city', category: 'ethics', amount: 170 }] });
    expect(neededLines(result([hours]), 'zh-CN')).toEqual(['最少还需 170 学时']);
  });

  it('matches courses to rules and takes the worst standing over several schemes', () => {
    expect(courseFills({ category: 'ethics', level: null }, 'ethics', 'city')).toBe(true);
    expect(courseFills({ category: 'ethics', level: 'district' }, 'ethics', 'city')).toBe(false);
    expect(courseFills({ category: null, level: null }, 'practice', 'kindergarten')).toBe(true);
    expect(worstStanding([{ standing: 'met' }, { standing: 'behind' }, { standing: 'on_track' }])).toBe('behind');
    expect(worstStanding([{ standing: 'not_applicable' }])).toBe('not_applicable');
    expect(worstStanding([])).toBe('not_applicable');
  });
});
