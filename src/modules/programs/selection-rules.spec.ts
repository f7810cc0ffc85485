import { quotaBreach, quotaUsage, rank, suggestSelection, type Candidate } from './selection-rules.js';

let serial = 0;
const app = (kindergartenId: string, groupId: string | null, score: number | null): Candidate =>
  ({ id: `a${++serial}`, kindergartenId, groupId, score, createdAt: new Date(Date.UTC(2026, 0, 1, 0, serial)) });

describe('selection within quotas', () => {
  it('ranks by score, unscored last, ties by who applied first', () => {
    const [a, b, c, d] = [app('k1', null, 80), app('k1', null, null), app('k2', null, 90), app('k2', null, 80)];
    expect(rank([b, d, a, c]).map((x) => x.id)).toEqual([c!.id, a!.id, d!.id, b!.id]);
  });

  it('names the quota a selection goes over', () => {
    const quotas = { district: 3, kindergarten: 1, group: 2 };
    const [a, b, c, d] = [app('k1', 'g1', 1), app('k2', 'g1', 1), app('k3', 'g1', 1), app('k1', null, 1)];
    expect(quotaBreach([a!, b!], quotas)).toBeNull();
    expect(quotaBreach([a!, d!], quotas)).toEqual({ quota: 'kindergarten', limit: 1, count: 2, unitId: 'k1' });
    expect(quotaBreach([a!, b!, c!], quotas)).toEqual({ quota: 'group', limit: 2, count: 3, unitId: 'g1' });
    expect(quotaBreach([a!, b!, c!, d!], { district: 3, kindergarten: null, group: null })).toEqual({ quota: 'district', limit: 3, count: 4, unitId: null });
    expect(quotaBreach([a!, b!, c!, d!], { district: null, kindergarten: null, group: null })).toBeNull();
  });

  it('reports usage per kindergarten and group', () => {
    const usage = quotaUsage([app('k1', 'g1', 1), app('k1', 'g1', 1)], { district: 5, kindergarten: 1, group: null });
    expect(usage.district).toEqual({ used: 2, limit: 5, over: false });
    expect(usage.kindergartens).toEqual([{ unitId: 'k1', used: 2, limit: 1, over: true }]);
    expect(usage.groups).toEqual([{ unitId: 'g1', used: 2, limit: null, over: false }]);
  });

  it('suggests the best within quotas and the next best as the reserve list', () => {
    const best = app('k1', null, 95);
    const sameKindergarten = app('k1', null, 90);
    const second = app('k2', null, 85);
    const third = app('k3', null, 80);
    const fourth = app('k4', null, 70);
    const unscored = app('k5', null, null);
    const proposal = suggestSelection([fourth, unscored, third, second, sameKindergarten, best], { district: 3, kindergarten: 1, group: null }, 2);
    expect(proposal).toEqual({ selected: [best.id, second.id, third.id], reserve: [sameKindergarten.id, fourth.id] });
  });
});
