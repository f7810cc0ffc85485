import { startTestApp, type TestApp } from '../support/test-app.js';
import { sessionTokens, teachers } from '../support/offering-fixtures.js';

interface Rule { kind: string; level: string | null; category: string | null; required: number; maximum: number | null; earned: number; missing: number; met: boolean; counted: Array<{ entryId: string; amount: number }> }
interface Period { schemeCode: string; from: string; to: string; met: boolean; share: number; post: string | null; rules: Rule[]; needed: number; neededByCell: unknown[] }
interface Result { standing: string; schemeCode: string; unit: string; periods: Period[]; cycle: { code: string } | null; needed: number; required: number }

const AS_OF = '2026-11-22';

describe('compliance with the Shanghai 36-credit scheme', () => {
  let t: TestApp;
  let subjects: Array<{ username: string; personId: string; kindergartenId: string }>;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });

  /** A ledger line written straight into the table (the ledger service is not under test here); 10 学时 per 学分. */
  const credit = async (personId: string, level: string, category: string, credits: number, occurredOn = '2026-03-15') =>
    (await t.db.pool.query(
      `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, title, occurred_on)
       SELECT id, district_id, $4::numeric * 10, $4, $3, $2, 'manual_adjustment', $2 || '·' || $3, $5 FROM person WHERE id = $1 RETURNING id`,
      [personId, level, category, credits, occurredOn])).rows[0].id as string;
  const reverse = (entryId: string) => t.db.pool.query(
    `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, title, occurred_on, reverses_entry_id, reason)
     SELECT person_id, district_id, -hours, -credits, category, level, 'manual_adjustment', title, occurred_on, id, '重复录入' FROM credit_entry WHERE id = $1`, [entryId]);
  /** Every rule at its minimum, which adds up to exactly 36 (园本 师德与素养 ≥ 4 is 师德 2 + 素养 2). */
  const exactly = async (personId: string) => {
    const ids: Record<string, string> = {};
    for (const [level, category, amount] of [
      ['city', 'ethics', 2], ['city', 'knowledge_skills', 4], ['city', 'practice', 1],
      ['district', 'ethics', 2], ['district', 'knowledge_skills', 6], ['district', 'practice', 2],
      ['kindergarten', 'ethics', 4], ['kindergarten', 'practice', 11], ['kindergarten', 'self_study', 4],
    ] as const) ids[`${level}.${category}`] = await credit(personId, level, category, amount);
    return ids;
  };
  const compliance = (personId: string, query: Record<string, string> = {}, username = 'district_admin') =>
    t.http().get(`/api/people/${personId}/compliance`).query({ asOf: AS_OF, ...query }).set(as(username));
  const shanghai = async (personId: string): Promise<Result> => {
    const res = await compliance(personId, { scheme: 'sh-teacher-36' }).expect(200);
    expect(res.body.items).toHaveLength(1);
    return res.body.items[0];
  };
  const rule = (period: Period, level: string | null, category: string | null) => period.rules.find((r) => r.level === level && r.category === category && r.kind !== 'total')!;

  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ['district_admin', 'kg_admin']) tokens.set(name, await t.token(name));
    // Teachers outside the demo kindergarten admin's kindergarten, serving as teachers all through 2026, with no principal stage.
    subjects = await teachers(t.db.pool, 6, `p.current_post = 'teacher' AND p.hire_date < '2019-01-01' AND p.principal_stage IS NULL
      AND p.current_org_unit_id <> (SELECT id FROM org_unit WHERE code = 'SH-QP-K001')
      AND NOT EXISTS (SELECT 1 FROM stage_record s WHERE s.person_id = p.id AND s.kind = 'principal')
      AND NOT EXISTS (SELECT 1 FROM employment e WHERE e.person_id = p.id AND (e.start_date > '2026-01-01' OR e.end_date >= '2026-01-01'))`);
    for (const [name, token] of await sessionTokens(t.db.pool, subjects.map((s) => s.username))) tokens.set(name, token);
  });
  afterAll(() => t.close());

  it('meets the scheme with every rule at its minimum, and counts a 区级 师德 entry in 师德, in 区级 and in 区级·师德 at once', async () => {
    const [subject] = subjects;
    const ids = await exactly(subject.personId);
    const result = await shanghai(subject.personId);
    expect(result).toMatchObject({ standing: 'met', schemeCode: 'sh-teacher-36', unit: 'credits', cycle: { code: '2026-2030' }, needed: 0 });
    const [period] = result.periods;
    expect(period).toMatchObject({ schemeCode: 'sh-teacher-36', from: '2026-01-01', to: '2030-12-31', share: 1, met: true });
    expect(period.rules[0]).toMatchObject({ kind: 'total', required: 36, earned: 36, missing: 0, met: true });
    expect(period.rules.every((r) => r.met)).toBe(true);
    const districtEthics = ids['district.ethics'];
    for (const [level, category] of [[null, 'ethics'], ['district', null], ['district', 'ethics']] as const) {
      expect(rule(period, level, category).counted).toContainEqual(expect.objectContaining({ entryId: districtEthics, amount: 2 }));
    }
    expect(period.rules[0].counted).toContainEqual(expect.objectContaining({ entryId: districtEthics, amount: 2 }));
    expect(rule(period, null, 'ethics')).toMatchObject({ required: 8, earned: 8 });
    expect(rule(period, 'district', null)).toMatchObject({ required: 10, earned: 10 });

    // Without the scheme filter both of the teacher's requirements are answered: the credits and the whole-staff 360 hours.
    const all = await compliance(subject.personId).expect(200);
    expect(all.body.items.map((r: Result) => r.periods[0].schemeCode).sort()).toEqual(['national-staff-360h', 'sh-teacher-36']);
    expect(all.body.items.find((r: Result) => r.unit === 'hours').periods[0].rules[0]).toMatchObject({ required: 360, earned: 360, met: true });
  });

  it('does not meet it with 40 credits when 市级 师德 is missing: 2 short there (and so in 师德), 2 needed', async () => {
    const subject = subjects[1];
    const ids = await exactly(subject.personId);
    await reverse(ids['city.ethics']);
    await credit(subject.personId, 'city', 'knowledge_skills', 2);
    await credit(subject.personId, 'district', 'practice', 2);
    await credit(subject.personId, 'district', 'knowledge_skills', 2);
    const result = await shanghai(subject.personId);
    const [period] = result.periods;
    expect(period.rules[0]).toMatchObject({ kind: 'total', earned: 40, met: true });
    expect(period.met).toBe(false);
    expect(rule(period, 'city', 'ethics')).toMatchObject({ required: 2, earned: 0, missing: 2, met: false, counted: [] });
    // 师德 as a whole is short by the same 2; one 2-credit 市级 师德 entry would mend both, so 2 is what is needed.
    expect(period.rules.filter((r) => !r.met).map((r) => [r.level, r.category, r.missing])).toEqual([[null, 'ethics', 2], ['city', 'ethics', 2]]);
    expect(result).toMatchObject({ needed: 2, standing: 'on_track' });
    expect(period.neededByCell).toEqual([{ level: 'city', category: 'ethics', amount: 2 }]);
  });

  it('nets a reversal out: neither the entry nor its reversal counts anywhere', async () => {
    const subject = subjects[1];
    const [period] = (await shanghai(subject.personId)).periods;
    const { rows } = await t.db.pool.query(`SELECT id FROM credit_entry WHERE person_id = $1 AND reverses_entry_id IS NOT NULL`, [subject.personId]);
    const reversed = (await t.db.pool.query(`SELECT reverses_entry_id FROM credit_entry WHERE id = $1`, [rows[0].id])).rows[0].reverses_entry_id;
    const countedIds = period.rules.flatMap((r) => r.counted.map((c) => c.entryId));
    expect(countedIds).not.toContain(reversed);
    expect(countedIds).not.toContain(rows[0].id);
    expect(rule(period, null, 'ethics')).toMatchObject({ earned: 6, missing: 2 });
  });

  it('counts at most 4 self-study credits, none of the rest toward the total', async () => {
    const subject = subjects[2];
    await credit(subject.personId, 'kindergarten', 'self_study', 25);
    await credit(subject.personId, 'district', 'self_study', 15, '2026-05-01');
    const [period] = (await shanghai(subject.personId)).periods;
    expect(rule(period, null, 'self_study')).toMatchObject({ required: 4, maximum: 4, earned: 4, met: true });
    expect(period.rules[0]).toMatchObject({ kind: 'total', required: 36, earned: 4, missing: 32, met: false });
    expect(period.rules[0].counted.reduce((sum, c) => sum + c.amount, 0)).toBe(4);
  });

  it('judges a teacher made vice principal mid-cycle by two periods, each against the scheme in force, pro-rated', async () => {
    const subject = subjects[3];
    const db = t.db.pool;
    await db.query(`UPDATE employment SET end_date = '2026-06-30' WHERE person_id = $1 AND end_date IS NULL`, [subject.personId]);
    await db.query(`INSERT INTO employment (person_id, org_unit_id, district_id, post, start_date)
      SELECT id, current_org_unit_id, district_id, 'vice_principal', '2026-07-01' FROM person WHERE id = $1`, [subject.personId]);
    await db.query(`INSERT INTO stage_record (person_id, kind, stage, effective_date) VALUES ($1, 'principal', 'new', '2026-07-01')`, [subject.personId]);
    await db.query(`UPDATE person SET current_post = 'vice_principal', principal_stage = 'new' WHERE id = $1`, [subject.personId]);
    const before = await credit(subject.personId, 'district', 'knowledge_skills', 4, '2026-03-10');
    const after = await credit(subject.personId, 'city', 'knowledge_skills', 6, '2026-09-10');

    const hours: Result = (await compliance(subject.personId, { scheme: 'national-principal-360h' }).expect(200)).body.items[0];
    // 181 of the cycle's 1826 days as a teacher, 1645 as vice principal: 360 × share, rounded up to 0.5.
    expect(hours.periods.map((p) => [p.schemeCode, p.from, p.to, p.post, p.rules[0].required, p.rules[0].earned])).toEqual([
      ['national-staff-360h', '2026-01-01', '2026-06-30', 'teacher', 36, 40],
      ['national-principal-360h', '2026-07-01', '2030-12-31', 'vice_principal', 324.5, 60],
    ]);
    expect(hours.periods[0].rules[0].counted.map((c) => c.entryId)).toEqual([before]);
    expect(hours.periods[1].rules[0].counted.map((c) => c.entryId)).toEqual([after]);
    expect(hours.required).toBe(360.5);

    const credits: Result = (await compliance(subject.personId, { scheme: 'sh-teacher-36' }).expect(200)).body.items[0];
    expect(credits.periods.map((p) => [p.schemeCode, p.to, p.rules[0].required, p.rules[0].earned])).toEqual([
      ['sh-teacher-36', '2026-06-30', 4, 4],
      ['principal-stage-new', '2030-12-31', 32.5, 6],
    ]);
    expect(rule(credits.periods[0], null, 'ethics')).toMatchObject({ required: 1, earned: 0, missing: 1 });
    expect(rule(credits.periods[0], null, 'self_study')).toMatchObject({ required: 0.5, maximum: 0.5 });
    // The teacher part is over and short: it can no longer be made up, so the track is at risk whatever comes after.
    expect(credits.standing).toBe('at_risk');
  });

  it('answers the person themself and staff over their kindergarten; anyone else is told "not found"', async () => {
    const [a, b] = subjects;
    const own = await t.http().get('/api/me/compliance').query({ asOf: AS_OF }).set(as(a.username)).expect(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect((await compliance(a.personId, {}, a.username)).status).toBe(200);
    const other = await compliance(b.personId, {}, a.username);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('NOT_FOUND');
    expect((await compliance(a.personId, {}, 'kg_admin')).status).toBe(404);
    const teacherAtK001 = (await t.db.pool.query(`SELECT person_id FROM app_user WHERE username = 'teacher'`)).rows[0].person_id;
    expect((await compliance(teacherAtK001, {}, 'kg_admin')).status).toBe(200);
  });

  it('refuses an unknown scheme or cycle naming the parameter, and says when a scheme does not apply', async () => {
    const [a] = subjects;
    const bad = await compliance(a.personId, { scheme: 'no-such-scheme' }).expect(400);
    expect(bad.body.error.details.fields).toEqual([expect.objectContaining({ field: 'scheme', code: 'SCHEME_NOT_FOUND' })]);
    const badCycle = await compliance(a.personId, { cycle: '1999-2003' }).expect(400);
    expect(badCycle.body.error.details.fields[0].field).toBe('cycle');
    expect((await compliance(a.personId, { asOf: '2026-02-30' }).expect(400)).body.error.details.fields[0].field).toBe('asOf');
    const principal = await compliance(a.personId, { scheme: 'national-principal-360h' }).expect(200);
    expect(principal.body.items).toEqual([expect.objectContaining({ standing: 'not_applicable', periods: [] })]);
  });

  it('judges a whole district in one batch, the same as one by one', async () => {
    const { ComplianceService } = await import('../../src/modules/credits/compliance.service.js');
    const service = t.app.get(ComplianceService);
    const { rows } = await t.db.pool.query(`SELECT p.id FROM person p JOIN org_unit d ON d.id = p.district_id WHERE d.code = 'SH-QP'`);
    const all = await service.standings(rows.map((r) => r.id as string), { asOf: AS_OF });
    expect(all.size).toBe(rows.length);
    for (const subject of subjects.slice(0, 4)) {
      expect(all.get(subject.personId)).toEqual(await service.compliance(subject.personId, { asOf: AS_OF }));
    }
  });
});
