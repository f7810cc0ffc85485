import { startTestApp, type TestApp } from '../support/test-app.js';
import { dayFromToday } from '../support/mentoring-work-fixtures.js';
import { peopleWithTitle, percentOf, promote, seniorCounts, unitId } from '../support/targets-fixtures.js';

interface Row { id: string; code: string; seniorCount: number; covered: boolean; groups: Array<{ id: string }>; town: { id: string } | null }
interface Bucket { id: string | null; total: number; covered: number; share: number }

describe('title coverage and gap planning', () => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const coverage = async (query = '', username = 'district_admin') =>
    (await t.http().get(`/api/reports/title-coverage${query}`).set(as(username)).expect(200)).body;
  const gaps = async (query: string, username = 'district_admin') =>
    (await t.http().get(`/api/reports/title-coverage/gaps${query}`).set(as(username)).expect(200)).body;
  let district: string;

  beforeAll(async () => {
    t = await startTestApp();
    district = await unitId(t.db.pool, 'SH-QP');
    for (const name of ['district_admin', 'kg_admin', 'group_admin', 'teacher']) tokens.set(name, await t.token(name));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers each public kindergarten\'s senior-title count and the share covered, as the record has it', async () => {
    const expected = await seniorCounts(t.db.pool, 'SH-QP');
    const report = await coverage(`?orgUnit=${district}`);
    const covered = [...expected.values()].filter((k) => k.count > 0).length;
    expect(report).toMatchObject({ total: expected.size, covered, share: percentOf(covered, expected.size), ownership: 'public' });
    expect(new Map(report.kindergartens.map((k: Row) => [k.id, { code: k.code, count: k.seniorCount }]))).toEqual(expected);
    expect(report.kindergartens.every((k: Row) => k.covered === k.seniorCount > 0)).toBe(true);
    // The demo district: some public kindergartens are without one, which is what the plan is for.
    expect(covered).toBeLessThan(expected.size);

    for (const buckets of [report.byTown, report.byGroup] as Bucket[][]) {
      expect(buckets.every((b) => b.share === percentOf(b.covered, b.total))).toBe(true);
    }
    expect(report.byTown.reduce((n: number, b: Bucket) => n + b.total, 0)).toBe(expected.size);
    const town = report.byTown[0] as Bucket;
    const inTown = report.kindergartens.filter((k: Row) => k.town?.id === town.id);
    expect([town.total, town.covered]).toEqual([inTown.length, inTown.filter((k: Row) => k.covered).length]);

    const all = await coverage(`?orgUnit=${district}&ownership=all`);
    expect(all.total).toBe((await seniorCounts(t.db.pool, 'SH-QP', null)).size);
  });

  it('changes when the record changes: a promotion, and a rotation counted at the host', async () => {
    const before = await coverage();
    const open = before.kindergartens.filter((k: Row) => !k.covered) as Row[];
    const withFirst = [];
    for (const k of open) if ((await peopleWithTitle(t.db.pool, k.id, 'first')).length) withFirst.push(k);
    const target = withFirst[0] ?? open[0];
    const person = (await peopleWithTitle(t.db.pool, target.id, 'first'))[0] ?? (await peopleWithTitle(t.db.pool, target.id, 'second'))[0];
    await promote(t.db.pool, person, 'senior');
    const after = await coverage();
    expect(after.covered).toBe(before.covered + 1);
    expect(after.kindergartens.find((k: Row) => k.id === target.id)).toMatchObject({ seniorCount: 1, covered: true });

    // A senior-title teacher of a kindergarten with two or more serves another one, counted at the host.
    const donor = after.kindergartens.find((k: Row) => k.seniorCount >= 2) as Row;
    const host = after.kindergartens.find((k: Row) => !k.covered) as Row;
    const [mover] = await peopleWithTitle(t.db.pool, donor.id, 'senior');
    await t.http().post('/api/rotations').set(as('district_admin'))
      .send({ personId: mover, hostKindergartenId: host.id, kind: 'support', startsOn: dayFromToday(-1), endsOn: dayFromToday(60), countAt: 'host' }).expect(201);
    const rotated = await coverage();
    expect(rotated.covered).toBe(after.covered + 1);
    expect(rotated.kindergartens.find((k: Row) => k.id === host.id)).toMatchObject({ seniorCount: 1, covered: true });
    expect(rotated.kindergartens.find((k: Row) => k.id === donor.id).seniorCount).toBe(donor.seniorCount - 1);
  });

  it('counts a rotation at both ends when it says so, not at the host when it counts at home, and not below 高级', async () => {
    const before = await coverage();
    const rows = before.kindergartens as Array<Row & { seniors: Array<{ personId: string; rotatedFrom: string | null }> }>;
    const [home, other] = rows.filter((k) => k.seniorCount >= 1 && k.seniors.every((h) => !h.rotatedFrom));
    const host = rows.find((k) => !k.covered) as Row;
    const rotate = (personId: string, countAt: string) => t.http().post('/api/rotations').set(as('district_admin'))
      .send({ personId, hostKindergartenId: host.id, kind: 'exchange', startsOn: dayFromToday(-1), endsOn: dayFromToday(30), countAt }).expect(201);
    const both = home.seniors[0].personId;
    const atHome = other.seniors[0].personId;
    const below = (await peopleWithTitle(t.db.pool, home.id, 'first'))[0] ?? (await peopleWithTitle(t.db.pool, other.id, 'first'))[0];
    await rotate(both, 'both');
    await rotate(atHome, 'home');
    expect(below).toBeDefined();
    await rotate(below, 'host');

    const after = await coverage();
    const at = (id: string) => after.kindergartens.find((k: Row) => k.id === id);
    expect(at(host.id)).toMatchObject({ seniorCount: 1, covered: true, seniors: [{ personId: both, rotatedFrom: home.id, post: null }] });
    expect(at(home.id).seniors).toEqual(home.seniors);
    expect(at(other.id).seniors).toEqual(other.seniors);
    expect(after.covered).toBe(before.covered + 1);
    const town = after.byTown.find((b: Bucket) => b.id === host.town?.id) as Bucket;
    expect(town.covered).toBe((before.byTown.find((b: Bucket) => b.id === host.town?.id) as Bucket).covered + 1);
    expect(town.share).toBe(percentOf(town.covered, town.total));
  });

  it('plans promotions and rotations that cover what can be covered by a date, and lists the rest', async () => {
    const report = await coverage();
    const far = await gaps('?by=2040-12-31');
    const open = report.kindergartens.filter((k: Row) => !k.covered) as Row[];
    expect(far.gaps.map((g: Row) => g.id).sort()).toEqual(open.map((k) => k.id).sort());
    const byId = new Map(report.kindergartens.map((k: Row) => [k.id, k]));

    for (const gap of far.gaps) {
      // Candidates are the kindergarten's own 一级 teachers; rotation options come from its groups' kindergartens with two or more.
      expect(gap.candidates.map((c: { personId: string }) => c.personId).sort()).toEqual((await peopleWithTitle(t.db.pool, gap.id, 'first')).sort());
      for (const option of gap.rotationOptions) {
        const donor = byId.get(option.kindergartenId) as Row;
        expect(donor.seniorCount).toBeGreaterThanOrEqual(2);
        expect(donor.groups.some((g) => gap.groups.some((h: { id: string }) => h.id === g.id))).toBe(true);
      }
    }
    const plan = far.plan;
    for (const p of plan.promotions) {
      const candidate = far.gaps.find((g: Row) => g.id === p.kindergartenId).candidates.find((c: { personId: string }) => c.personId === p.personId);
      expect(candidate.eligibleOn <= '2040-12-31').toBe(true);
    }
    const given = new Map<string, number>();
    for (const r of plan.rotations) given.set(r.fromKindergartenId, (given.get(r.fromKindergartenId) ?? 0) + 1);
    for (const [donorId, n] of given) expect(n).toBeLessThanOrEqual((byId.get(donorId) as Row).seniorCount - 1);
    expect(new Set(plan.rotations.map((r: { personId: string }) => r.personId)).size).toBe(plan.rotations.length);
    expect(plan.covers + plan.uncovered.length).toBe(far.gaps.length);
    expect(plan.coveredAfter).toBe(report.covered + plan.covers);
    expect(plan.covers).toBeGreaterThan(0);

    // Nothing is eligible in the past: by yesterday only rotations can help, and what they cannot cover is listed.
    const near = await gaps(`?by=${dayFromToday(-1)}`);
    expect(near.plan.promotions.every((p: { eligibleOn: string }) => p.eligibleOn <= dayFromToday(-1))).toBe(true);
    expect(near.plan.covers).toBeLessThanOrEqual(plan.covers);
    expect(near.plan.uncovered.map((u: { kindergartenId: string }) => u.kindergartenId).every((id: string) => open.some((k) => k.id === id))).toBe(true);

    // A kindergarten taken out of its group has no rotation option left: unless one of its own teachers is eligible, the plan lists it as uncovered.
    const lonely = far.gaps.find((g: { candidates: Array<{ eligibleByDate: boolean }> }) => !g.candidates.some((c) => c.eligibleByDate));
    await t.db.pool.query('DELETE FROM kindergarten_group_member WHERE kindergarten_id = $1', [lonely.id]);
    const replanned = await gaps('?by=2040-12-31');
    expect(replanned.gaps.find((g: Row) => g.id === lonely.id).rotationOptions).toEqual([]);
    expect(replanned.plan.uncovered).toContainEqual({ kindergartenId: lonely.id, kindergartenName: lonely.name, reason: lonely.candidates.length ? 'not_eligible_by_date' : 'no_options' });
    expect(replanned.plan.covers).toBe(plan.covers - 1);
  });

  it('keeps each admin to their scope', async () => {
    const own = await coverage('', 'kg_admin');
    const k001 = await unitId(t.db.pool, 'SH-QP-K001');
    expect(own.kindergartens.map((k: Row) => k.id)).toEqual([k001]);
    await t.http().get(`/api/reports/title-coverage?orgUnit=${await unitId(t.db.pool, 'SH-QP-K002')}`).set(as('kg_admin')).expect(404);
    await t.http().get(`/api/reports/title-coverage/gaps?orgUnit=${district}`).set(as('kg_admin')).expect(404);

    const group = await coverage('', 'group_admin');
    const { rows } = await t.db.pool.query(
      `SELECT m.kindergarten_id FROM kindergarten_group_member m JOIN kindergarten_group g ON g.id = m.group_id JOIN org_unit k ON k.id = m.kindergarten_id
        WHERE g.code = 'SH-QP-G01' AND k.ownership = 'public' AND k.status = 'operating'`);
    expect(group.kindergartens.map((k: Row) => k.id).sort()).toEqual(rows.map((r) => r.kindergarten_id).sort());
    await t.http().get(`/api/reports/title-coverage?orgUnit=${district}`).set(as('group_admin')).expect(404);
    await t.http().get('/api/reports/title-coverage').set(as('teacher')).expect(403);
    await t.http().get('/api/reports/title-coverage').expect(401);

    // The page follows the same scope.
    const page = await (await t.signInPages('group_admin')).get('/targets/title-coverage').expect(200);
    const uncovered = group.kindergartens.filter((k: Row) => !k.covered).length;
    expect(page.text.match(/data-testid="gap"/g)?.length ?? 0).toBe(uncovered);
    await (await t.signInPages('kg_admin')).get('/targets/title-coverage').expect(200);
  });

  it('names the bad field of a malformed query', async () => {
    const unit = await t.http().get('/api/reports/title-coverage?orgUnit=K001').set(as('district_admin')).expect(400);
    expect(unit.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['orgUnit']);
    const by = await t.http().get('/api/reports/title-coverage/gaps?by=2026-02-30').set(as('district_admin')).expect(400);
    expect(by.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['by']);
    const ownership = await t.http().get('/api/reports/title-coverage?ownership=some').set(as('district_admin')).expect(400);
    expect(ownership.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['ownership']);
  });
});
