import { allocate, meetsByCirculation, type AllocationEntry, type AllocationInput, type AllocationRule } from './allocation.js';

/** A small deterministic generator, so a failing instance can be replayed by its seed. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
  return { int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!, chance: (p: number) => next() < p };
}

const inScope = (r: AllocationRule, level: string, category: string) => (!r.level || r.level === level) && (!r.category || r.category === category);

/**
 * Exhaustive answer over cell amounts z (an entry's counted amount matters only through its cell's
 * sum): `met` when some z ≤ available meets every rule; otherwise the least extra Σ max(0, z − available)
 * and, at that extra, the most real amount Σ min(z, available). Integers suffice: the constraint
 * matrix is a network matrix, so the optimum of the real-valued problem is integral.
 */
function bruteForce(input: AllocationInput, levels: string[], categories: string[]) {
  const cells = levels.flatMap((level) => categories.map((category) => ({
    level, category, available: input.entries.filter((e) => e.level === level && e.category === category).reduce((s, e) => s + e.amount, 0),
  })));
  const active = input.rules.filter((r) => r.level || r.category);
  const limit = Math.max(input.total + active.reduce((s, r) => s + r.min, 0), ...cells.map((c) => c.available));
  const valid = (z: number[]) => z.reduce((a, b) => a + b, 0) >= input.total && active.every((r) => {
    const sum = cells.reduce((s, c, i) => s + (inScope(r, c.level, c.category) ? z[i]! : 0), 0);
    return sum >= r.min && (r.max === null || sum <= r.max);
  });
  let met = false;
  let best: { extra: number; real: number } | null = null;
  const z = cells.map(() => 0);
  const walk = (i: number): void => {
    if (i === cells.length) {
      if (!valid(z)) return;
      const extra = cells.reduce((s, c, k) => s + Math.max(0, z[k]! - c.available), 0);
      const real = cells.reduce((s, c, k) => s + Math.min(z[k]!, c.available), 0);
      if (extra === 0) met = true;
      if (!best || extra < best.extra || (extra === best.extra && real > best.real)) best = { extra, real };
      return;
    }
    for (let v = 0; v <= limit; v++) {
      z[i] = v;
      walk(i + 1);
    }
  };
  walk(0);
  return { met, best: best as { extra: number; real: number } | null };
}

function randomInstance(seed: number) {
  const r = rng(seed);
  const levels = ['a', 'b', 'c'].slice(0, r.int(1, 2));
  const categories = ['x', 'y', 'z'].slice(0, levels.length === 1 ? r.int(1, 3) : 2);
  const entries: AllocationEntry[] = Array.from({ length: r.int(0, 6) }, (_, i) => ({ id: `e${i}`, level: r.pick(levels), category: r.pick(categories), amount: r.int(0, 3) }));
  const rules: AllocationRule[] = [];
  const targets = [
    ...levels.map((level) => ({ level })), ...categories.map((category) => ({ category })),
    ...levels.flatMap((level) => categories.map((category) => ({ level, category }))),
  ];
  for (const target of targets) {
    if (!r.chance(0.4)) continue;
    const min = r.int(0, 3);
    rules.push({ ...target, min, max: r.chance(0.35) ? min + r.int(0, 2) : null });
  }
  return { input: { total: r.int(0, 6), rules, entries, levels, categories }, levels, categories };
}

describe('allocation: exact against an exhaustive check', () => {
  it('agrees with brute force on 400 random small instances (met, least extra, most counted) and explains itself consistently', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const { input, levels, categories } = randomInstance(seed);
      const result = allocate(input);
      const brute = bruteForce(input, levels, categories);
      const context = `seed ${seed}: ${JSON.stringify(input)}`;

      expect({ context, met: result.met }).toEqual({ context, met: brute.met });
      expect({ context, met: meetsByCirculation(input) }).toEqual({ context, met: brute.met });
      expect({ context, unmeetable: result.unmeetable }).toEqual({ context, unmeetable: brute.best === null });
      if (brute.best) {
        expect({ context, needed: result.needed, real: result.total.earned }).toEqual({ context, needed: brute.best.extra, real: brute.best.real });
        expect(result.met).toBe(result.needed === 0);
        expect(result.neededAnywhere + result.neededByCell.reduce((sum, c) => sum + c.amount, 0)).toBe(result.needed);
      }
      // The explanation is an allocation: each entry counts once, at most its amount, the same number in every rule.
      for (const entry of input.entries) {
        const c = result.counted.get(entry.id) ?? 0;
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(entry.amount);
      }
      const countedIn = (scope: (l: string, c: string) => boolean) =>
        input.entries.filter((e) => scope(e.level, e.category)).reduce((s, e) => s + (result.counted.get(e.id) ?? 0), 0);
      expect(result.total.earned).toBe(countedIn(() => true));
      input.rules.forEach((rule, i) => {
        const status = result.rules[i]!;
        expect(status.earned).toBe(countedIn((l, c) => inScope(rule, l, c)));
        expect(status.counted.reduce((s, p) => s + p.amount, 0)).toBe(status.earned);
        if (rule.max !== null) expect(status.earned).toBeLessThanOrEqual(rule.max);
        expect(status.missing).toBe(Math.max(0, rule.min - status.earned));
        if (result.met) expect(status.met).toBe(true);
      });
      if (result.met) expect(result.total.met).toBe(true);
    }
  });
});

describe('allocation: the Shanghai 36-credit scheme', () => {
  const H = 100;
  const rules: AllocationRule[] = [
    { category: 'ethics', min: 8 * H, max: null }, { category: 'knowledge_skills', min: 10 * H, max: null },
    { category: 'practice', min: 14 * H, max: null }, { category: 'self_study', min: 4 * H, max: 4 * H },
    { level: 'city', min: 7 * H, max: null }, { level: 'city', category: 'ethics', min: 2 * H, max: null },
    { level: 'city', category: 'knowledge_skills', min: 4 * H, max: null }, { level: 'city', category: 'practice', min: 1 * H, max: null },
    { level: 'district', min: 10 * H, max: null }, { level: 'district', category: 'ethics', min: 2 * H, max: null },
    { level: 'district', category: 'knowledge_skills', min: 6 * H, max: null }, { level: 'district', category: 'practice', min: 2 * H, max: null },
    { level: 'kindergarten', min: 15 * H, max: null }, { level: 'kindergarten', category: 'ethics', min: 4 * H, max: null },
    { level: 'kindergarten', category: 'practice', min: 11 * H, max: null },
  ];
  const levels = ['city', 'district', 'kindergarten'];
  const categories = ['ethics', 'knowledge_skills', 'practice', 'self_study'];
  let n = 0;
  const entry = (level: string, category: string, credits: number): AllocationEntry => ({ id: `e${n++}`, level, category, amount: Math.round(credits * H) });
  const exactly = () => [
    entry('city', 'ethics', 2), entry('city', 'knowledge_skills', 4), entry('city', 'practice', 1),
    entry('district', 'ethics', 2), entry('district', 'knowledge_skills', 6), entry('district', 'practice', 2),
    entry('kindergarten', 'ethics', 4), entry('kindergarten', 'practice', 11),
    entry('kindergarten', 'self_study', 4),
  ];
  const run = (entries: AllocationEntry[]) => allocate({ total: 36 * H, rules, entries, levels, categories });

  it('meets it with every rule at its minimum, which adds up to exactly 36', () => {
    const result = run(exactly());
    expect(result.met).toBe(true);
    expect(result.needed).toBe(0);
    expect(result.total.earned).toBe(36 * H);
  });

  it('counts a 区级 师德 credit in 师德 and in 区级 at once', () => {
    const entries = exactly();
    const result = run(entries);
    const districtEthics = entries.find((e) => e.level === 'district' && e.category === 'ethics')!;
    for (const i of [0, 8, 9]) expect(result.rules[i]!.counted.map((p) => p.entryId)).toContain(districtEthics.id);
    expect(result.counted.get(districtEthics.id)).toBe(2 * H);
  });

  it('counts at most 4 of self-study, so 6 more self-study credits do not make up a missing total', () => {
    const entries = exactly().filter((e) => e.category !== 'practice' || e.level !== 'kindergarten');
    entries.push(entry('kindergarten', 'practice', 9), entry('kindergarten', 'self_study', 6));
    const result = run(entries);
    expect(result.rules[3]).toMatchObject({ required: 4 * H, maximum: 4 * H, earned: 4 * H, met: true });
    expect(result.met).toBe(false);
    expect(result.rules[14]).toMatchObject({ earned: 9 * H, missing: 2 * H });
    expect(result.needed).toBe(2 * H);
  });

  it('finds 40 credits without 市级 师德 short by exactly the 2 missing in that cell', () => {
    const entries = exactly().filter((e) => !(e.level === 'city' && e.category === 'ethics'));
    entries.push(entry('city', 'knowledge_skills', 2), entry('district', 'practice', 2), entry('district', 'knowledge_skills', 2));
    const result = run(entries);
    expect(result.total.earned).toBe(40 * H);
    expect(result.total.met).toBe(true);
    expect(result.met).toBe(false);
    expect(result.rules[5]).toMatchObject({ required: 2 * H, earned: 0, missing: 2 * H, met: false });
    expect(result.needed).toBe(2 * H);
    expect(result.neededByCell).toEqual([{ level: 'city', category: 'ethics', amount: 2 * H }]);
  });

  it('with nothing recorded needs exactly the total, every credit of it wanted by some minimum', () => {
    const result = run([]);
    expect(result.needed).toBe(36 * H);
    expect(result.total).toMatchObject({ earned: 0, missing: 36 * H });
    // The 8 cells' 32 and 4 自主研修.
    expect(result.neededAnywhere).toBe(0);
  });

  it('leaves extra that only makes up the total to any cell, and names cells only where a minimum wants them', () => {
    const entries = exactly().filter((e) => !(e.level === 'city' && e.category === 'ethics'));
    const result = allocate({ total: 40 * H, rules, entries, levels, categories });
    expect(result.neededByCell).toEqual([{ level: 'city', category: 'ethics', amount: 2 * H }]);
    expect(result.neededAnywhere).toBe(4 * H);
    expect(allocate({ total: 10 * H, rules: [], entries: [entry('city', 'ethics', 3)] })).toMatchObject({ needed: 7 * H, neededAnywhere: 7 * H, neededByCell: [] });
  });

  it('takes entries of a capped cell oldest first and counts the rest as zero', () => {
    const result = allocate({ total: 0, rules: [{ category: 's', min: 0, max: 150 }], entries: [
      { id: 'old', level: 'l', category: 's', amount: 100 }, { id: 'mid', level: 'l', category: 's', amount: 100 }, { id: 'new', level: 'l', category: 's', amount: 100 },
    ] });
    expect([...result.counted]).toEqual([['old', 100], ['mid', 50], ['new', 0]]);
    expect(result.rules[0]!.counted).toEqual([{ entryId: 'old', amount: 100 }, { entryId: 'mid', amount: 50 }]);
  });
});
