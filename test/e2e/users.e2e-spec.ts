import { startTestApp, type TestApp } from '../support/test-app.js';

describe('users and scoped roles', () => {
  let t: TestApp;
  let admin: string;
  let kindergartens: { id: string; code: string }[];
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('district_admin');
    kindergartens = (await t.db.pool.query(`SELECT id, code FROM org_unit WHERE kind = 'kindergarten' ORDER BY code LIMIT 2`)).rows;
  });
  afterAll(() => t.close());
  const count = async (table: string) => Number((await t.db.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  it('creates an account with a kindergarten-admin role, audited, and the new admin sees only that kindergarten', async () => {
    const res = await t.http().post('/api/users').set('Authorization', `Bearer ${admin}`)
      .send({ username: 'kg2_admin', displayName: '二园管理员', password: 'Admin2026x', roles: [{ role: 'kindergarten_admin', orgUnitId: kindergartens[1].id }] })
      .expect(201);
    const audit = await t.db.pool.query(`SELECT action, entity_type, after FROM audit_log WHERE entity_type IN ('user','role_assignment') ORDER BY id`);
    expect(audit.rows.map((r) => `${r.action}:${r.entity_type}`)).toEqual(['create:user', 'grant:role_assignment']);
    expect(audit.rows[1].after).toMatchObject({ role: 'kindergarten_admin', orgUnitId: kindergartens[1].id });
    const token = await t.token('kg2_admin', 'Admin2026x');
    const me = await t.http().get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.roles).toEqual([{ role: 'kindergarten_admin', orgUnitId: kindergartens[1].id, groupId: null }]);
    const user = await t.http().get(`/api/users/${res.body.id}`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(user.body.roles[0].role).toBe('kindergarten_admin');
  });

  it('grants the same role twice as one assignment', async () => {
    const { rows } = await t.db.pool.query(`SELECT id FROM app_user WHERE username = 'trainer'`);
    const first = await t.http().post(`/api/users/${rows[0].id}/roles`).set('Authorization', `Bearer ${admin}`).send({ role: 'kindergarten_admin', orgUnitId: kindergartens[0].id }).expect(201);
    const again = await t.http().post(`/api/users/${rows[0].id}/roles`).set('Authorization', `Bearer ${admin}`).send({ role: 'kindergarten_admin', orgUnitId: kindergartens[0].id }).expect(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it('refuses bad grants naming the field and writes nothing', async () => {
    const before = await count('role_assignment');
    const { rows } = await t.db.pool.query(`SELECT id FROM app_user WHERE username = 'group_admin'`);
    const missing = await t.http().post(`/api/users/${rows[0].id}/roles`).set('Authorization', `Bearer ${admin}`).send({ role: 'district_admin' }).expect(400);
    expect(missing.body.error.details.fields[0].field).toBe('orgUnitId');
    const unknown = await t.http().post(`/api/users/${rows[0].id}/roles`).set('Authorization', `Bearer ${admin}`).send({ role: 'superuser', orgUnitId: kindergartens[0].id }).expect(400);
    expect(unknown.body.error.details.fields[0].field).toBe('role');
    const city = (await t.db.pool.query(`SELECT id FROM org_unit WHERE kind = 'city'`)).rows[0].id;
    const outside = await t.http().post(`/api/users/${rows[0].id}/roles`).set('Authorization', `Bearer ${admin}`).send({ role: 'district_admin', orgUnitId: city }).expect(400);
    expect(outside.body.error.details.fields[0].field).toBe('orgUnitId');
    const dup = await t.http().post('/api/users').set('Authorization', `Bearer ${admin}`).send({ username: 'TEACHER', displayName: 'x', password: 'Admin2026x' }).expect(409);
    expect(dup.body.error.code).toBe('USERNAME_TAKEN');
    expect(await count('role_assignment')).toBe(before);
  });

  it('denies kindergarten admins and teachers, and disabling revokes tokens', async () => {
    await t.http().get('/api/users').set('Authorization', `Bearer ${await t.token('kg_admin')}`).expect(403);
    const teacher = await t.token('teacher');
    await t.http().get('/api/users').set('Authorization', `Bearer ${teacher}`).expect(403);
    const { rows } = await t.db.pool.query(`SELECT id FROM app_user WHERE username = 'teacher'`);
    await t.http().post(`/api/users/${rows[0].id}/disable`).set('Authorization', `Bearer ${admin}`).expect(204);
    await t.http().get('/api/me').set('Authorization', `Bearer ${teacher}`).expect(401);
  });

  it('reads the audit log of its own district only', async () => {
    const res = await t.http().get('/api/audit?entityType=user').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(res.body.total).toBeGreaterThan(0);
    await t.http().get('/api/audit').set('Authorization', `Bearer ${await t.token('kg_admin')}`).expect(403);
  });
});
