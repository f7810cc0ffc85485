import { beforePostTracks, cycleFor, cycleTracks, probationTracks, proRated, type Window } from './compliance-periods.js';
import type { CycleRow, PersonFacts, SchemeRow } from './compliance.query.js';

const scheme = (code: string, extra: Partial<SchemeRow> = {}): SchemeRow => ({
  id: code, code, nameZh: code, nameEn: code, regionCode: null, posts: [], teacherStages: [], principalStages: [], unit: 'credits',
  cycleKind: 'region_cycle', total: 36, rules: [], effectiveFrom: '2011-01-01', effectiveTo: null, editable: false, version: 1, updatedAt: new Date(0), ...extra,
});
const SCHEMES = [
  scheme('sh-teacher-36', { regionCode: 'SH', posts: ['teacher'] }),
  scheme('staff-360h', { unit: 'hours', posts: ['teacher', 'caregiver'], total: 360 }),
  scheme('principal-360h', { unit: 'hours', posts: ['principal', 'vice_principal'], total: 360 }),
  scheme('principal-new', { principalStages: ['new'] }),
  scheme('probation-120h', { unit: 'hours', cycleKind: 'probation_year', posts: ['teacher'], total: 120 }),
  scheme('qualification-300h', { unit: 'hours', cycleKind: 'before_post', principalStages: ['reserve'], total: 300 }),
];
const CYCLE: Window = { code: '2026-2030', name: '十五五', nameEn: '15th', startsOn: '2026-01-01', endsOn: '2030-12-31' };
const person = (extra: Partial<PersonFacts> = {}): PersonFacts => ({
  id: 'p', hireDate: '2010-08-01', currentPost: 'teacher', teacherStage: 'competent', principalStage: null, regionCodes: ['SH', 'SH-QP', 'SH-QP-K001'],
  employments: [{ post: 'teacher', startDate: '2010-08-01', endDate: null }], stages: [], ...extra,
});
const shape = (tracks: ReturnType<typeof cycleTracks>) => tracks.map((t) => t.periods.map((p) => `${p.scheme.code} ${p.from}..${p.to}`));

describe('which schemes apply over which periods', () => {
  it('gives a teacher serving all cycle long one whole-cycle period per scheme, joined across moves between kindergartens', () => {
    const moved = person({ employments: [{ post: 'teacher', startDate: '2010-08-01', endDate: '2027-08-31' }, { post: 'teacher', startDate: '2027-09-01', endDate: null }] });
    const tracks = cycleTracks(moved, SCHEMES, CYCLE);
    expect(shape(tracks)).toEqual([['sh-teacher-36 2026-01-01..2030-12-31'], ['staff-360h 2026-01-01..2030-12-31']]);
    expect(tracks.map((t) => t.periods[0].share)).toEqual([1, 1]);
  });

  it('applies a regional scheme only under its region', () => {
    expect(shape(cycleTracks(person({ regionCodes: ['BJ', 'BJ-CY'] }), SCHEMES, CYCLE))).toEqual([['staff-360h 2026-01-01..2030-12-31']]);
  });

  it('hands a teacher made vice principal from the teachers\' scheme to the principals\' of the same unit', () => {
    const promoted = person({
      employments: [{ post: 'teacher', startDate: '2010-08-01', endDate: '2026-06-30' }, { post: 'vice_principal', startDate: '2026-07-01', endDate: null }],
      stages: [{ kind: 'principal', stage: 'new', effectiveDate: '2026-07-01' }],
    });
    const tracks = cycleTracks(promoted, SCHEMES, CYCLE);
    expect(shape(tracks)).toEqual([
      ['sh-teacher-36 2026-01-01..2026-06-30', 'principal-new 2026-07-01..2030-12-31'],
      ['staff-360h 2026-01-01..2026-06-30', 'principal-360h 2026-07-01..2030-12-31'],
    ]);
    expect(tracks[1].periods[1]).toMatchObject({ post: 'vice_principal', principalStage: 'new' });
    expect(tracks[1].periods.map((p) => Math.round(p.share * 1826))).toEqual([181, 1645]);
  });

  it('starts a teacher hired mid-cycle at the hire, so the requirement is pro-rated', () => {
    const hired = person({ hireDate: '2028-09-01', employments: [{ post: 'teacher', startDate: '2028-09-01', endDate: null }] });
    const [credits] = cycleTracks(hired, SCHEMES, CYCLE);
    expect(credits.periods).toHaveLength(1);
    expect(credits.periods[0]).toMatchObject({ from: '2028-09-01', to: '2030-12-31' });
    expect(proRated(3600, credits.periods[0], CYCLE)).toBe(1700); // 36 × 852/1826 = 16.8, rounded up to 17
  });

  it('follows a scheme replaced from a date by its successor', () => {
    const replaced = [scheme('old', { posts: ['teacher'], effectiveTo: '2026-12-31' }), scheme('new', { posts: ['teacher'], effectiveFrom: '2027-01-01' })];
    expect(shape(cycleTracks(person(), replaced, CYCLE))).toEqual([['old 2026-01-01..2026-12-31', 'new 2027-01-01..2030-12-31']]);
  });

  it('rounds a pro-rated amount up to the next half', () => {
    const period = { share: 0.5, from: '2026-01-01', to: '2026-06-30' };
    expect(proRated(36000, period, CYCLE)).toBe(3600); // 360 × 181/1826 = 35.68 → 36
    expect(proRated(800, period, CYCLE)).toBe(100); // 8 × 181/1826 = 0.79 → 1
    expect(proRated(3600, { ...period, share: 1 }, CYCLE)).toBe(3600);
  });

  it('finds the region\'s own cycle before the national one', () => {
    const cycles: CycleRow[] = [
      { code: '2026-2030', regionCode: null, nameZh: 'n', nameEn: 'n', startsOn: '2026-01-01', endsOn: '2030-12-31' },
      { code: 'sh-2025-2029', regionCode: 'SH', nameZh: 's', nameEn: 's', startsOn: '2025-09-01', endsOn: '2029-08-31' },
    ];
    expect(cycleFor(person(), cycles, '2026-11-22')?.code).toBe('sh-2025-2029');
    expect(cycleFor(person({ regionCodes: ['BJ'] }), cycles, '2026-11-22')?.code).toBe('2026-2030');
    expect(cycleFor(person(), cycles, '2026-11-22', '2026-2030')?.code).toBe('2026-2030');
    expect(cycleFor(person(), cycles, '2031-01-01')).toBeNull();
  });

  it('gives new teachers their probation year, and reserve principals everything before the post', () => {
    const fresh = person({ hireDate: '2026-08-03', employments: [{ post: 'teacher', startDate: '2026-08-03', endDate: null }] });
    expect(probationTracks(fresh, SCHEMES, CYCLE, '2026-11-22').map((t) => [t.periods[0].scheme.code, t.periods[0].from, t.dueOn])).toEqual([['probation-120h', '2026-08-03', '2027-08-02']]);
    expect(probationTracks(person(), SCHEMES, CYCLE, '2026-11-22')).toEqual([]);

    const reserve = person({ principalStage: 'reserve' });
    expect(beforePostTracks(reserve, SCHEMES, '2026-11-22', '2012-03-01').map((t) => [t.periods[0].from, t.periods[0].to, t.dueOn])).toEqual([['2010-08-01', '2026-11-22', null]]);
    const appointed = person({
      principalStage: 'new', stages: [{ kind: 'principal', stage: 'reserve', effectiveDate: '2020-01-01' }, { kind: 'principal', stage: 'new', effectiveDate: '2024-09-01' }],
      employments: [{ post: 'teacher', startDate: '2010-08-01', endDate: '2024-08-31' }, { post: 'principal', startDate: '2024-09-01', endDate: null }],
    });
    expect(beforePostTracks(appointed, SCHEMES, '2026-11-22', null).map((t) => [t.periods[0].to, t.dueOn])).toEqual([['2024-08-31', '2024-08-31']]);
    expect(beforePostTracks(person(), SCHEMES, '2026-11-22', null)).toEqual([]);
  });
});
