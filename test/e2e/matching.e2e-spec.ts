import { startTestApp, type TestApp } from '../support/test-app.js';
import { mentoringFixtures, type StaffPick } from '../support/mentoring-fixtures.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Suggestion = { personId: string; fullName: string; score: number; reasons: { factor: string; points: number; text: string }[] };

describe('matching suggestions: eligible mentors ranked by an explained score', () => {
  let t: TestApp;
  let fx: ReturnType<typeof mentoringFixtures>;
  const tokens: Record<string, string> = {};
  let mentee: StaffPick;
  let k2admin: StaffPick;
  const suggest = (token: string, query = '') =>
    t.http().get(`/api/mentoring/suggestions?menteePersonId=${mentee.personId}&limit=50${query}`).set(auth(token));

  beforeAll(async () => {
    t = await startTestApp();
    fx = mentoringFixtures(t.db.pool);
    mentee = (await fx.staff('K001', 'mentees'))[0];
    k2admin = (await fx.staff('K002', 'mentees'))[0];
    await fx.grantKindergartenAdmin(k2admin.username, 'K002');
    for (const u of ['kg_admin', 'teacher', k2admin.username]) tokens[u] = await t.token(u);
  });
  afterAll(() => t.close());

  it('answers only eligible mentors, best first, each score the sum of its explained reasons', async () => {
    const res = await suggest(tokens.kg_admin).expect(200);
    const items: Suggestion[] = res.body.items;
    expect(items.length).toBeGreaterThan(5);
    expect(items.map((i) => i.personId)).not.toContain(mentee.personId);
    expect(items.map((i) => i.score)).toEqual([...items.map((i) => i.score)].sort((a, b) => b - a));
    for (const item of items) expect(item.reasons.reduce((sum, r) => sum + r.points, 0)).toBe(item.score);
    const ids = items.map((i) => i.personId);
    const ineligible = await fx.count(
      `SELECT count(*) FROM person p WHERE p.id = ANY($1::uuid[]) AND (NOT (
         (SELECT t.title FROM title_record t WHERE t.person_id = p.id ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1) IN ('first','senior','professorial')
         OR EXISTS (SELECT 1 FROM person_honour h WHERE h.person_id = p.id AND h.honour <> 'other'))
         OR p.current_post NOT IN ('teacher','principal','vice_principal') OR p.teacher_stage IN ('novice'))`, [ids]);
    expect(ineligible).toBe(0);
    // The mentee's own kindergarten counts as nearest, with the reason in Chinese by default.
    const colleague = items.find((i) => i.reasons.some((r) => r.factor === 'proximity' && r.text === '同一所幼儿园'));
    expect(colleague).toBeDefined();
    const english = await suggest(tokens.kg_admin, '&lang=en').expect(200);
    expect(english.body.items[0].reasons.map((r: { text: string }) => r.text).join(' ')).toMatch(/[a-z]/);
  });

  it('ranks a mentor up for excellent past results and drops mentors who are already this mentee\'s or full', async () => {
    const before: Suggestion[] = (await suggest(tokens.kg_admin).expect(200)).body.items;
    const last = before.at(-1)!;
    // An ended pairing graded excellent for the lowest-ranked candidate.
    const other = (await fx.staff('K001', 'mentees'))[1];
    await t.db.pool.query(
      `WITH p AS (INSERT INTO mentor_pairing (district_id, kind, status, source, mentee_person_id, mentee_kindergarten_id, starts_on, ends_on, goals, final_grade)
                  SELECT district_id, 'standard', 'ended', 'admin', id, current_org_unit_id, '2024-09-01', '2025-08-31', '见习', 'excellent' FROM person WHERE id = $1 RETURNING id)
       INSERT INTO mentor_link (pairing_id, mentor_person_id, district_id, mentor_kindergarten_id, role)
       SELECT p.id, x.id, x.district_id, x.current_org_unit_id, 'lead' FROM p, person x WHERE x.id = $2`, [other.personId, last.personId]);
    const after: Suggestion[] = (await suggest(tokens.kg_admin).expect(200)).body.items;
    const lifted = after.find((i) => i.personId === last.personId)!;
    expect(lifted.score).toBe(last.score + 5);
    expect(lifted.reasons.find((r) => r.factor === 'past_results')!.text).toContain('优秀 1 次');

    const chosen = after[0];
    await t.http().post('/api/mentoring/pairings').set(auth(tokens.kg_admin))
      .send({ menteePersonId: mentee.personId, goals: '站稳讲台', mentors: [{ personId: chosen.personId, role: 'lead' }] }).expect(201);
    const without: Suggestion[] = (await suggest(tokens.kg_admin).expect(200)).body.items;
    expect(without.map((i) => i.personId)).not.toContain(chosen.personId);
  });

  it('is for admins over the mentee only', async () => {
    await suggest(tokens[k2admin.username]).expect(404);
    await suggest(tokens.teacher).expect(403);
    const bad = await t.http().get('/api/mentoring/suggestions?menteePersonId=nope').set(auth(tokens.kg_admin)).expect(400);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['menteePersonId']);
  });
});
