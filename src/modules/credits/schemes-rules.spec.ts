import { checkSchemeRules, describeRule } from './schemes-rules.js';

const SHANGHAI = [
  { category: 'ethics', min: 8 }, { category: 'knowledge_skills', min: 10 }, { category: 'practice', min: 14 }, { category: 'self_study', min: 4, max: 4 },
  { level: 'city', min: 7 }, { level: 'city', category: 'ethics', min: 2 }, { level: 'city', category: 'knowledge_skills', min: 4 }, { level: 'city', category: 'practice', min: 1 },
  { level: 'district', min: 10 }, { level: 'district', category: 'ethics', min: 2 }, { level: 'district', category: 'knowledge_skills', min: 6 }, { level: 'district', category: 'practice', min: 2 },
  { level: 'kindergarten', min: 15 }, { level: 'kindergarten', category: 'ethics', min: 4 }, { level: 'kindergarten', category: 'practice', min: 11 },
];
const fields = (total: number, rules: unknown) => checkSchemeRules(total, rules).problems.map((p) => `${p.field} ${p.code}`);

describe('scheme rules', () => {
  it('accepts the shipped Shanghai scheme as it is', () => {
    expect(checkSchemeRules(36, SHANGHAI)).toEqual({ rules: SHANGHAI, problems: [] });
  });

  it('names the rule where the category or level minima pass the total', () => {
    expect(fields(30, SHANGHAI)).toEqual(['rules[2].min SCHEME_MINIMA_EXCEED_TOTAL', 'rules[12].min SCHEME_MINIMA_EXCEED_TOTAL']);
    expect(fields(36, [{ level: 'city', min: 3 }, { level: 'city', category: 'ethics', min: 2 }, { level: 'city', category: 'practice', min: 2 }]))
      .toEqual(['rules[2].min SCHEME_MINIMA_EXCEED_TOTAL']);
    expect(fields(3, [{ level: 'city', category: 'ethics', min: 2 }, { level: 'city', category: 'practice', min: 2 }])).toEqual(['rules[1].min SCHEME_MINIMA_EXCEED_TOTAL']);
  });

  it('refuses maxima below their minima, repeated targets and rules that contradict each other', () => {
    expect(fields(36, [{ category: 'ethics', min: 4, max: 2 }, { category: 'ethics', min: 1 }])).toEqual(['rules[0].max SCHEME_MAX_BELOW_MIN', 'rules[1].category SCHEME_RULE_DUPLICATE']);
    expect(fields(36, [{ category: 'self_study', max: 4 }, { level: 'city', max: 10 }, { level: 'city', category: 'self_study', min: 5 }])).toEqual(['rules[2].min SCHEME_RULES_CONTRADICT']);
    expect(fields(36, [{ level: 'city', max: 3 }, { level: 'city', category: 'ethics', min: 2 }, { level: 'city', category: 'practice', min: 2 }])).toEqual(['rules[2].min SCHEME_RULES_CONTRADICT']);
  });

  it('names every badly shaped rule', () => {
    expect(fields(36, 'x')).toEqual(['rules isArray']);
    expect(fields(36, [null, { category: 'ethics', min: -1 }, { category: 'ethics', min: 1.234 }, { level: 'moon', max: 1 }, { category: 'practice' }, {}, { level: 'city', min: 1, extra: 1 }]))
      .toEqual(['rules[0] isObject', 'rules[1].min min', 'rules[2].min isNumber', 'rules[3].level isIn', 'rules[4].min SCHEME_RULE_NEEDS_BOUND',
        'rules[5].category SCHEME_RULE_NEEDS_TARGET', 'rules[5].min SCHEME_RULE_NEEDS_BOUND', 'rules[6].extra unknown_field', 'rules[2].category SCHEME_RULE_DUPLICATE']);
  });

  it('says a rule in words', () => {
    expect(describeRule(null, 36, 'credits', 'zh-CN')).toBe('合计 ≥ 36 学分');
    expect(describeRule({ category: 'ethics', min: 8 }, 36, 'credits', 'zh-CN')).toBe('师德素养 ≥ 8 学分');
    expect(describeRule({ level: 'city', category: 'knowledge_skills', min: 4 }, 36, 'credits', 'zh-CN')).toBe('市级·知识技能 ≥ 4 学分');
    expect(describeRule({ category: 'self_study', min: 4, max: 4 }, 36, 'credits', 'zh-CN')).toBe('自主研修 = 4 学分');
    expect(describeRule({ level: 'district', min: 2, max: 6.5 }, 36, 'hours', 'en')).toBe('District 2–6.5 hours');
    expect(describeRule({ category: 'practice', max: 6 }, 36, 'credits', 'en')).toBe('Practice ≤ 6 credits');
  });
});
