import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO_PASSWORD } from '../support/env.js';

describe('sign-in over the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' } });
  });
  afterAll(() => t.close());

  it('answers an access token for a valid username and password, usable as a bearer token', async () => {
    const res = await t.http().post('/api/auth/login').send({ identifier: 'district_admin', password: DEMO_PASSWORD }).expect(200);
    expect(res.body.accessToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const me = await t.http().get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body.username).toBe('district_admin');
    expect(me.body.roles).toEqual([expect.objectContaining({ role: 'district_admin' })]);
  });

  it('signs in by phone number as well as username', async () => {
    const { rows } = await t.db.pool.query(`SELECT u.username, p.phone_enc FROM app_user u JOIN person p ON p.id = u.person_id WHERE u.username = 'teacher'`);
    expect(rows).toHaveLength(1);
    const { FieldCipher } = await import('../../src/common/field-cipher.js');
    const { TEST_ENV } = await import('../support/env.js');
    const cipher = new FieldCipher({ encryptionKeys: new Map([['k1', Buffer.from(TEST_ENV.DATA_ENCRYPTION_KEY, 'base64')]]), currentKeyId: 'k1' });
    const phone = cipher.decrypt(rows[0].phone_enc);
    const res = await t.http().post('/api/auth/login').send({ identifier: phone, password: DEMO_PASSWORD }).expect(200);
    const me = await t.http().get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body.username).toBe('teacher');
  });

  it('refuses a wrong password with a stable code and stores no password in clear', async () => {
    const res = await t.http().post('/api/auth/login').send({ identifier: 'trainer', password: 'wrong-password1' }).expect(401);
    expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    const { rows } = await t.db.pool.query(`SELECT password_hash FROM app_user WHERE username = 'trainer'`);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('throttles repeated failures for an account, even with the right password afterwards', async () => {
    for (let i = 0; i < 3; i++) {
      await t.http().post('/api/auth/login').send({ identifier: 'expert', password: 'nope-nope-1' }).expect(401);
    }
    const res = await t.http().post('/api/auth/login').send({ identifier: 'expert', password: DEMO_PASSWORD }).expect(429);
    expect(res.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rejects unknown fields and wrong types, naming each field', async () => {
    const res = await t.http().post('/api/auth/login').send({ identifier: 5, password: 'x', admin: true }).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const fields = res.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['identifier', 'admin']));
  });

  it('answers 401 without a token and for a revoked token', async () => {
    await t.http().get('/api/me').expect(401);
    const token = (await t.http().post('/api/auth/login').send({ identifier: 'group_admin', password: DEMO_PASSWORD })).body.accessToken;
    await t.http().post('/api/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
    const res = await t.http().get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('stops a disabled user\'s tokens at once', async () => {
    const token = (await t.http().post('/api/auth/login').send({ identifier: 't00002', password: DEMO_PASSWORD }).expect(200)).body.accessToken;
    await t.http().get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    await t.db.pool.query(`UPDATE app_user SET disabled_at = now() WHERE username = 't00002'`);
    await t.http().get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('reads the roles with the session on every request: a group admin reaches the group\'s kindergartens, and a role taken away stops at once', async () => {
    const token = (await t.http().post('/api/auth/login').send({ identifier: 'group_admin', password: DEMO_PASSWORD }).expect(200)).body.accessToken;
    const as = { Authorization: `Bearer ${token}` };
    const me = await t.http().get('/api/me').set(as).expect(200);
    expect(me.body.roles).toEqual([expect.objectContaining({ role: 'group_admin', orgUnitId: null, groupId: expect.any(String) })]);
    const { rows: [member] } = await t.db.pool.query(
      `SELECT k.id, k.code FROM kindergarten_group_member m JOIN org_unit k ON k.id = m.kindergarten_id WHERE m.group_id = $1 ORDER BY k.code LIMIT 1`, [me.body.roles[0].groupId]);
    const coverage = await t.http().get(`/api/reports/title-coverage?orgUnit=${member.id}&ownership=all`).set(as).expect(200);
    expect(coverage.body.kindergartens.map((k: { code: string }) => k.code)).toEqual([member.code]);

    const { rows: taken } = await t.db.pool.query(
      `DELETE FROM role_assignment WHERE user_id = (SELECT id FROM app_user WHERE username = 'group_admin') RETURNING *`);
    await t.http().get(`/api/reports/title-coverage?orgUnit=${member.id}`).set(as).expect(403);
    expect((await t.http().get('/api/me').set(as).expect(200)).body.roles).toEqual([]);
    for (const r of taken) {
      await t.db.pool.query(`INSERT INTO role_assignment (id, user_id, role, org_unit_id, group_id, granted_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [r.id, r.user_id, r.role, r.org_unit_id, r.group_id, r.granted_by, r.created_at]);
    }
    await t.http().get(`/api/reports/title-coverage?orgUnit=${member.id}`).set(as).expect(200);
  });

  it('changes the password, keeps the current session and signs out the others', async () => {
    const first = (await t.http().post('/api/auth/login').send({ identifier: 't00003', password: DEMO_PASSWORD })).body.accessToken;
    const second = (await t.http().post('/api/auth/login').send({ identifier: 't00003', password: DEMO_PASSWORD })).body.accessToken;
    const weak = await t.http().post('/api/auth/password').set('Authorization', `Bearer ${first}`).send({ currentPassword: DEMO_PASSWORD, newPassword: 'short' }).expect(400);
    expect(weak.body.error.details.fields[0].field).toBe('newPassword');
    const wrong = await t.http().post('/api/auth/password').set('Authorization', `Bearer ${first}`).send({ currentPassword: 'Wrong@2026', newPassword: 'Better2026x' }).expect(400);
    expect(wrong.body.error.code).toBe('WRONG_PASSWORD');
    await t.http().post('/api/auth/password').set('Authorization', `Bearer ${first}`).send({ currentPassword: DEMO_PASSWORD, newPassword: 'Better2026x' }).expect(204);
    await t.http().get('/api/me').set('Authorization', `Bearer ${first}`).expect(200);
    await t.http().get('/api/me').set('Authorization', `Bearer ${second}`).expect(401);
    await t.http().post('/api/auth/login').send({ identifier: 't00003', password: DEMO_PASSWORD }).expect(401);
    await t.http().post('/api/auth/login').send({ identifier: 't00003', password: 'Better2026x' }).expect(200);
  });
});

describe('web session', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function signIn(agent: ReturnType<typeof import('supertest').agent>, username: string) {
    const page = await agent.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    return agent.post('/login').type('form').send({ _csrf: csrf, identifier: username, password: DEMO_PASSWORD, next: '/' });
  }

  it('redirects an anonymous page visit to the sign-in page, in Chinese by default', async () => {
    const res = await t.http().get('/').expect(303);
    expect(res.headers.location).toBe('/login?next=%2F');
    const login = await t.http().get('/login').expect(200);
    expect(login.text).toContain('<html lang="zh-CN">');
    expect(login.text).toContain('用户名或手机号');
    const switched = await t.http().get('/login?lang=en&next=%2Faudit').expect(303);
    expect(switched.headers.location).toBe('/login?next=%2Faudit');
    const cookie = ([] as string[]).concat(switched.headers['set-cookie'] ?? []).find((c) => c.startsWith('tgp_lang=en'))!;
    const english = await t.http().get('/login').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(english.text).toContain('Username or phone');
  });

  it('sets an httpOnly session cookie and refuses a form without the CSRF token', async () => {
    const { agent } = await import('supertest');
    const browser = agent(t.app.getHttpServer());
    const res = await signIn(browser, 'kg_admin');
    expect(res.status).toBe(303);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('tgp_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    const home = await browser.get('/').expect(200);
    expect(home.text).toContain('园所管理员');
    const forged = await browser.post('/logout').type('form').send({}).expect(403);
    expect(forged.text).toContain('CSRF_INVALID');
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(home.text)![1];
    await browser.post('/logout').type('form').send({ _csrf: csrf }).expect(303);
    await browser.get('/').expect(303);
  });

  it('refuses the sign-in form without its token', async () => {
    const res = await t.http().post('/login').type('form').send({ identifier: 'kg_admin', password: DEMO_PASSWORD, _csrf: 'x' }).expect(403);
    expect(res.text).toContain('CSRF_INVALID');
  });

  it('stops an expired session at once, and sends security headers with a policy that allows no inline script', async () => {
    const res = await t.http().post('/api/auth/login').send({ identifier: 'group_admin', password: DEMO_PASSWORD }).expect(200);
    const auth = { Authorization: `Bearer ${res.body.accessToken}` };
    const page = await t.http().get('/api/me').set(auth).expect(200);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const login = await t.http().get('/login').expect(200);
    const policy = login.headers['content-security-policy'] as string;
    const scripts = /script-src ([^;]+)/.exec(policy)?.[1] ?? /default-src ([^;]+)/.exec(policy)![1];
    expect(scripts).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(policy).toMatch(/frame-ancestors 'none'|frame-ancestors 'self'/);
    await t.db.pool.query(`UPDATE auth_session SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM app_user WHERE username = 'group_admin')`);
    await t.http().get('/api/me').set(auth).expect(401);
  });

  it('reports health and serves the OpenAPI document', async () => {
    const health = await t.http().get('/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', database: { status: 'up' }, queue: { status: 'up', driver: 'inline' } });
    const doc = await t.http().get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/me']));
  });
});
