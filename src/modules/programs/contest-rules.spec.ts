import { entryWindow, honourNameOf, parseResults, scoreScale } from './contest-rules.js';

const ID = '6f1c2a4e-0b7d-4c55-9a51-1f0e2d3c4b5a';
const OTHER = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';

describe('contest rules', () => {
  const opensAt = new Date('2026-05-01T00:00:00Z');
  const closesAt = new Date('2026-05-31T00:00:00Z');
  const at = (iso: string) => new Date(iso);

  it('opens entries only inside the window of a published contest', () => {
    expect(entryWindow({ status: 'published', applicationsOpenAt: opensAt, applicationsCloseAt: closesAt }, at('2026-04-30T23:59:59Z'))).toBe('not_yet_open');
    expect(entryWindow({ status: 'published', applicationsOpenAt: opensAt, applicationsCloseAt: closesAt }, opensAt)).toBe('open');
    expect(entryWindow({ status: 'published', applicationsOpenAt: opensAt, applicationsCloseAt: closesAt }, closesAt)).toBe('open');
    expect(entryWindow({ status: 'published', applicationsOpenAt: opensAt, applicationsCloseAt: closesAt }, at('2026-05-31T00:00:01Z'))).toBe('closed');
    expect(entryWindow({ status: 'draft', applicationsOpenAt: opensAt, applicationsCloseAt: closesAt }, at('2026-05-10T00:00:00Z'))).toBe('not_yet_open');
    expect(entryWindow({ status: 'closed', applicationsOpenAt: opensAt, applicationsCloseAt: closesAt }, at('2026-05-10T00:00:00Z'))).toBe('closed');
  });

  it('scores out of 100, or out of the criteria maxima when there are criteria', () => {
    expect(scoreScale([])).toBe(100);
    expect(scoreScale([{ code: 'a', nameZh: '理论', nameEn: 'Theory', maxScore: 40, weight: 1 }, { code: 'b', nameZh: '实操', nameEn: 'Practice', maxScore: 110, weight: 1 }])).toBe(150);
  });

  it('names the honour after the contest, or its honour name', () => {
    expect(honourNameOf({ nameZh: '2026年青浦区保育员技能大赛', honourName: null }, 'first')).toBe('2026年青浦区保育员技能大赛 一等奖');
    expect(honourNameOf({ nameZh: 'x', honourName: '青浦区保育技能标兵' }, 'excellence')).toBe('青浦区保育技能标兵 优秀奖');
  });

  it('checks every line of a results sheet and names each problem', () => {
    const { results, problems } = parseResults([
      { entryId: ID.toUpperCase(), score: 88.25, award: 'first' },
      { entryId: OTHER, award: 'none' },
      { entryId: ID, award: 'second' },
      { entryId: 'x', score: 101, award: 'gold', note: 'n' },
      { entryId: OTHER.replace('0a', '1a'), score: 1.234, award: 'third' },
      'line',
    ], 100);
    expect(results).toEqual([{ index: 0, entryId: ID, score: 88.25, award: 'first' }, { index: 1, entryId: OTHER, score: null, award: 'none' }]);
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      'results[2].entryId:duplicate',
      'results[3].note:unknown_field', 'results[3].entryId:isUuid', 'results[3].award:isIn', 'results[3].score:outOfScale',
      'results[4].score:isNumber',
      'results[5]:isObject',
    ]);
    expect(parseResults([], 100).problems.map((p) => p.field)).toEqual(['results']);
    expect(parseResults([{ entryId: ID, score: 1.15, award: 'third' }], 100).problems).toEqual([]);
  });
});
