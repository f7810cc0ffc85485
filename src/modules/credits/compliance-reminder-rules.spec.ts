import { addMonths, dueReminder, thresholdFor } from './compliance-reminder-rules.js';
import type { ComplianceResult } from './compliance.types.js';

describe('cycle-end reminder rules', () => {
  it('adds months on the calendar, keeping to the end of shorter months', () => {
    expect(addMonths('2030-01-15', 12)).toBe('2031-01-15');
    expect(addMonths('2030-08-31', 6)).toBe('2031-02-28');
    expect(addMonths('2031-08-31', 6)).toBe('2032-02-29');
    expect(addMonths('2030-10-31', 3)).toBe('2031-01-31');
  });

  it('answers the tightest threshold the cycle end falls within, and none outside a year or after the end', () => {
    expect(thresholdFor('2029-12-30', '2030-12-31')).toBeNull();
    expect(thresholdFor('2029-12-31', '2030-12-31')).toBe(12);
    expect(thresholdFor('2030-06-30', '2030-12-31')).toBe(12);
    expect(thresholdFor('2030-07-01', '2030-12-31')).toBe(6);
    expect(thresholdFor('2030-09-30', '2030-12-31')).toBe(6);
    expect(thresholdFor('2030-10-01', '2030-12-31')).toBe(3);
    expect(thresholdFor('2030-12-31', '2030-12-31')).toBe(3);
    expect(thresholdFor('2031-01-01', '2030-12-31')).toBeNull();
  });

  const result = (standing: ComplianceResult['standing']): ComplianceResult => ({
    personId: 'p', asOf: '2030-07-01', standing,
    cycle: { code: '2026-2030', name: '“十五五”周期', nameEn: '15th', startsOn: '2026-01-01', endsOn: '2030-12-31' },
    periods: [
      { schemeId: 'old', schemeCode: 'a', schemeName: '旧方案', unit: 'credits', from: '2026-01-01', to: '2027-12-31', met: false, rules: [] },
      { schemeId: 'new', schemeCode: 'b', schemeName: '新方案', schemeNameEn: 'New', unit: 'credits', from: '2028-01-01', to: '2030-12-31', met: false, rules: [] },
    ],
  });

  it('reminds only those behind or at risk, of the scheme in force at the cycle end', () => {
    expect(dueReminder(result('at_risk'), '2030-07-01')).toEqual({
      months: 6, schemeId: 'new', cycleEndsOn: '2030-12-31',
      schemeName: { 'zh-CN': '新方案', en: 'New' }, cycleName: { 'zh-CN': '“十五五”周期', en: '15th' },
    });
    expect(dueReminder(result('behind'), '2030-07-01')?.months).toBe(6);
    expect(dueReminder(result('on_track'), '2030-07-01')).toBeNull();
    expect(dueReminder(result('met'), '2030-07-01')).toBeNull();
    expect(dueReminder({ ...result('behind'), cycle: null }, '2030-07-01')).toBeNull();
  });
});
