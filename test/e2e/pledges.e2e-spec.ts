import { startTestApp, type TestApp } from '../support/test-app.js';
import { shanghaiDate } from '../../src/common/dates.js';

describe('integrity pledges (师德承诺) and the yearly ethics study', () => {
  let t: TestApp;
  let k001: string;
  let signer: { personId: string; username: string };
  let other: { personId: string; username: string };
  const year = Number(shanghaiDate().slice(0, 4));
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const status = async (username: string, expected: number) => t.http().get('/api/pledges/status').set(auth(await t.token(username))).expect(expected);
  type Kindergarten = { kindergartenId: string; staff: number; pledged: number; studyDone: number; missing: Array<{ personId: string; pledged: boolean; studyDone: boolean }> };

  beforeAll(async () => {
    t = await startTestApp();
    k001 = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP-K001'`)).rows[0].id;
    [signer, other] = (await t.db.pool.query(
      `SELECT p.id AS "personId", u.username FROM person p JOIN app_user u ON u.person_id = p.id
        WHERE p.current_org_unit_id = $1 AND u.username ~ '^t[0-9]{5}$' ORDER BY u.username LIMIT 2`, [k001])).rows;
  });
  afterAll(() => t.close());

  it('signs this year once: a second signature answers the first; another year or a user without a person record is refused', async () => {
    const token = await t.token(signer.username);
    const first = await t.http().post(`/api/me/pledges/${year}`).set(auth(token)).expect(200);
    const again = await t.http().post(`/api/me/pledges/${year}`).set(auth(token)).expect(200);
    expect(again.body).toEqual(first.body);
    const rows = await t.db.pool.query('SELECT count(*)::int AS n FROM integrity_pledge WHERE person_id = $1', [signer.personId]);
    expect(rows.rows[0].n).toBe(1);
    const wrong = await t.http().post(`/api/me/pledges/${year - 1}`).set(auth(token)).expect(400);
    expect(wrong.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['year']);
    await t.http().post('/api/me/pledges/20x6').set(auth(token)).expect(400);
    await t.http().post(`/api/me/pledges/${year}`).set(auth(await t.token('district_admin'))).expect(404);
  });

  it('shows admins per kindergarten who has not signed or studied, within their scope only', async () => {
    await t.db.pool.query(
      `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, title, occurred_on)
       SELECT id, district_id, 12, 2, 'ethics', 'district', 'manual_adjustment', '师德专题培训', make_date($2, 3, 1) FROM person WHERE id = $1`, [signer.personId, year]);
    const res = await status('kg_admin', 200);
    expect(res.body.kindergartens.map((k: Kindergarten) => k.kindergartenId)).toEqual([k001]);
    const [k] = res.body.kindergartens as Kindergarten[];
    const staff = Number((await t.db.pool.query('SELECT count(*) FROM person WHERE current_org_unit_id = $1', [k001])).rows[0].count);
    expect(k.staff).toBe(staff);
    expect(k.pledged).toBe(1);
    expect(k.missing.find((m) => m.personId === signer.personId)).toBeUndefined();
    expect(k.missing.find((m) => m.personId === other.personId)).toMatchObject({ pledged: false });
    // Everyone else has not signed, so everyone but the signer is missing something.
    expect(k.missing).toHaveLength(staff - 1);

    const district = await status('district_admin', 200);
    expect(district.body.kindergartens.length).toBeGreaterThan(30);
    await status('teacher', 403);
    const group = await status('group_admin', 200);
    const inGroup = (await t.db.pool.query(
      `SELECT count(DISTINCT m.kindergarten_id)::int AS n FROM kindergarten_group_member m JOIN role_assignment r ON r.group_id = m.group_id
         JOIN app_user u ON u.id = r.user_id AND u.username = 'group_admin' JOIN person p ON p.current_org_unit_id = m.kindergarten_id`)).rows[0].n;
    expect(group.body.kindergartens).toHaveLength(inGroup);
  });

  it('judges the ethics study against the configurable yearly minimum', async () => {
    const mine = async () => (await t.http().get(`/api/me/pledges/${year}`).set(auth(await t.token(signer.username))).expect(200)).body;
    expect(await mine()).toMatchObject({ pledged: true, ethicsCredits: 2, ethicsMinimum: 1.5, studyDone: true });
    await t.db.pool.query(`INSERT INTO ethics_study_rule (region_code, effective_from, min_credits) VALUES ('SH-QP', make_date($1, 1, 1), 4)`, [year]);
    expect(await mine()).toMatchObject({ ethicsCredits: 2, ethicsMinimum: 4, studyDone: false });
    const [k] = (await status('kg_admin', 200)).body.kindergartens as Kindergarten[];
    expect(k.missing.find((m) => m.personId === signer.personId)).toMatchObject({ pledged: true, studyDone: false });
  });

  it('renders the pledge page for the person and the overview for admins', async () => {
    const page = await t.signInPages(other.username);
    const before = await page.get('/me/pledge').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(before.text)![1];
    await page.post('/me/pledge').type('form').send({ _csrf: csrf }).expect(303);
    expect((await page.get('/me/pledge').expect(200)).text).toContain('data-testid="pledge-signed"');
    const overview = await (await t.signInPages('kg_admin')).get('/titles/ethics-overview').expect(200);
    expect(overview.text).toContain(`data-kindergarten="${k001}"`);
    await (await t.signInPages(other.username)).get('/titles/ethics-overview').expect(403);
  });
});
