import type { TierRow } from './blue-book-programs.query.js';
import { cohortTable, programFigures } from './blue-book-program-views.js';

const tier = (over: Partial<TierRow>): TierRow => ({
  tier: 'seed', nameZh: null, nameEn: null, programs: 0, applications: 0, selected: 0, activeMembers: 0, completed: 0, credits: 0, outputs: 0,
  outputsByKind: new Map(), ...over,
});
const noLectures = { series: 0, sessions: 0, enrolments: 0, completions: 0 };

describe('blue book: programs, contests and lectures', () => {
  it('says nothing is recorded when the year has nothing, still naming the three tiers', () => {
    const f = programFigures([], [], noLectures, 'zh-CN');
    expect(f.recorded).toBe(false);
    expect(f.cohorts.recorded).toBe(false);
    expect(f.contests.recorded).toBe(false);
    expect(f.lectures.recorded).toBe(false);
    expect(f.cohorts.tiers.map((x) => [x.tier, x.label, x.programs])).toEqual([['seed', '种子计划', 0], ['talent', '拔尖计划', 0], ['navigator', '领航计划', 0]]);
  });

  it('lists the district\'s own tiers after the built-in ones, with their names, and totals every figure', () => {
    const f = programFigures([
      tier({ tier: 'talent', programs: 1, activeMembers: 4, outputs: 1, outputsByKind: new Map([['public_lesson', 1]]) }),
      tier({ tier: 'rural', nameZh: '乡村骨干计划', nameEn: 'Rural backbone', programs: 1, completed: 2, credits: 12.5 }),
      tier({ tier: 'seed', applications: 3, selected: 2, outputs: 2, outputsByKind: new Map([['paper', 1], ['public_lesson', 1]]) }),
    ], [], noLectures, 'en');
    expect(f.cohorts.tiers.map((x) => x.label)).toEqual(['Seed', 'Talent', 'Navigator', 'Rural backbone']);
    expect(f.cohorts.total).toEqual({ programs: 2, applications: 3, selected: 2, activeMembers: 4, completed: 2, credits: 12.5, outputs: 3 });
    expect(f.cohorts.outputsByKind.filter((k) => k.count).map((k) => [k.key, k.count])).toEqual([['public_lesson', 2], ['paper', 1]]);
    expect(f.recorded).toBe(true);

    const table = cohortTable(f.cohorts, 'en');
    expect(table.head).toEqual(['Item', 'Seed', 'Talent', 'Navigator', 'Rural backbone', 'Total']);
    expect(table.widths.split(',')).toHaveLength(6);
    expect(table.rows.find((r) => r.key === 'activeMembers')!.cells).toEqual([0, 4, 0, 0, 4]);
    // Output kinds with none in the year are left out of the table.
    expect(table.rows.filter((r) => r.sub).map((r) => [r.label, r.cells])).toEqual([['Public lesson', [1, 1, 0, 0, 2]], ['Paper', [1, 0, 0, 0, 1]]]);
  });

  it('counts contest prizes by level, leaving out "no prize"', () => {
    const f = programFigures([], [
      { id: 'c1', nameZh: '保育员技能大赛', nameEn: 'Caregiver contest', startsOn: '2026-12-01', published: true, entries: 5, awards: new Map([['first', 1], ['third', 2], ['none', 2]]) },
      { id: 'c2', nameZh: '营养员技能大赛', nameEn: 'Nutrition contest', startsOn: '2026-12-02', published: false, entries: 2, awards: new Map() },
    ], { series: 1, sessions: 3, enrolments: 40, completions: 35 }, 'zh-CN');
    expect(f.contests).toMatchObject({ recorded: true, held: 2, entries: 7, prizes: 3 });
    expect(f.contests.byAward.map((a) => [a.label, a.count])).toEqual([['一等奖', 1], ['二等奖', 0], ['三等奖', 2], ['优秀奖', 0]]);
    expect(f.contests.list[0].awards.map((a) => a.key)).toEqual(['first', 'second', 'third', 'excellence']);
    expect(f.lectures).toEqual({ series: 1, sessions: 3, enrolments: 40, completions: 35, recorded: true });
    expect(f.cohorts.recorded).toBe(false);
    expect(f.recorded).toBe(true);
  });
});
