import { startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENV } from '../support/env.js';
import { FieldCipher } from '../../src/common/field-cipher.js';
import { nationalIdCheckChar } from '../../src/common/national-id.js';

/** A valid ID of someone born in Beijing (110105), outside the demo's Qingpu range, so it never collides. */
function nationalId(birth: string, male: boolean, serial: number): string {
  const first17 = `110105${birth.replaceAll('-', '')}${String(serial).padStart(2, '0')}${male ? 1 : 2}`;
  return first17 + nationalIdCheckChar(first17);
}

describe('people: district staff and kindergarten admins manage people', () => {
  let t: TestApp;
  let admin: string;
  let kgAdmin: string;
  let k001: string;
  let other: string;
  const cipher = new FieldCipher({ encryptionKeys: new Map([['k1', Buffer.from(TEST_ENV.DATA_ENCRYPTION_KEY, 'base64')]]), currentKeyId: 'k1' });
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.pool.query(sql, params)).rows[0].count);
  const fields = (res: { body: { error: { details: { fields: { field: string }[] } } } }) => res.body.error.details.fields.map((f) => f.field);
  const body = (id: string, orgUnitId: string, extra: Record<string, unknown> = {}) => ({
    fullName: '林晓雨', nationalId: id, phone: '13900001111', educationLevel: 'bachelor', preschoolMajor: true, hireDate: '2020-08-25',
    employment: { orgUnitId, post: 'teacher', startDate: '2020-09-01' }, ...extra,
  });
  const firstTeacherAt = async (orgUnitId: string) =>
    (await t.db.pool.query(`SELECT id FROM person WHERE current_org_unit_id = $1 AND current_post = 'teacher' ORDER BY full_name LIMIT 1`, [orgUnitId])).rows[0].id as string;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, kgAdmin] = await Promise.all([t.token('district_admin'), t.token('kg_admin')]);
    k001 = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP-K001'`)).rows[0].id;
    other = (await t.db.pool.query(`SELECT id FROM org_unit WHERE kind = 'kindergarten' AND status = 'operating' AND code <> 'SH-QP-K001' ORDER BY code LIMIT 1`)).rows[0].id;
  });
  afterAll(() => t.close());

  it('lists the whole district for the district admin and only their kindergarten for a kindergarten admin', async () => {
    const district = await t.http().get('/api/people?pageSize=5').set(auth(admin)).expect(200);
    expect(district.body.total).toBe(await count(`SELECT count(*) FROM person p JOIN org_unit d ON d.id = p.district_id WHERE d.code = 'SH-QP'`));
    expect(district.body.total).toBeGreaterThan(900);
    expect(district.body.items).toHaveLength(5);
    expect(district.body.items[0].nationalIdMasked).toMatch(/^\d{3}\*+\d{3}[\dX]$/);
    expect(district.body.items[0]).not.toHaveProperty('nationalIdEnc');

    const own = await t.http().get('/api/people?pageSize=200').set(auth(kgAdmin)).expect(200);
    expect(own.body.total).toBe(await count('SELECT count(*) FROM person WHERE current_org_unit_id = $1', [k001]));
    expect(new Set(own.body.items.map((p: { kindergartenId: string }) => p.kindergartenId))).toEqual(new Set([k001]));
    const principals = await t.http().get('/api/people?post=principal').set(auth(kgAdmin)).expect(200);
    expect(principals.body.items.map((p: { post: string }) => p.post)).toEqual(['principal']);

    const group = await t.http().get('/api/people?pageSize=1').set(auth(await t.token('group_admin'))).expect(200);
    expect(group.body.total).toBe(await count(`SELECT count(*) FROM person p JOIN kindergarten_group_member m ON m.kindergarten_id = p.current_org_unit_id
      JOIN kindergarten_group g ON g.id = m.group_id JOIN app_user u ON u.username = 'group_admin' JOIN role_assignment r ON r.user_id = u.id AND r.group_id = g.id`));
  });

  it('finds a person by exact national ID or phone through the lookup hash, and by part of the name', async () => {
    const { rows } = await t.db.pool.query('SELECT id, full_name, national_id_enc, phone_enc FROM person WHERE current_org_unit_id = $1 LIMIT 1', [other]);
    const [person] = rows;
    for (const q of [cipher.decrypt(person.national_id_enc), cipher.decrypt(person.phone_enc), person.full_name.slice(1)]) {
      const res = await t.http().get('/api/people').query({ q }).set(auth(admin)).expect(200);
      expect(res.body.items.map((p: { id: string }) => p.id)).toContain(person.id);
    }
    const outside = await t.http().get('/api/people').query({ q: cipher.decrypt(person.national_id_enc) }).set(auth(kgAdmin)).expect(200);
    expect(outside.body.total).toBe(0);
  });

  it('keeps other kindergartens\' people invisible to a kindergarten admin (404) and the list closed to teachers (403)', async () => {
    const stranger = await firstTeacherAt(other);
    await t.http().get(`/api/people/${stranger}`).set(auth(kgAdmin)).expect(404);
    const patch = await t.http().patch(`/api/people/${stranger}`).set(auth(kgAdmin)).send({ fullName: '改名' }).expect(404);
    expect(patch.body.error.code).toBe('NOT_FOUND');
    await t.http().post(`/api/people/${stranger}/titles`).set(auth(kgAdmin)).send({ title: 'first', effectiveDate: '2025-01-01', approvingBody: 'x' }).expect(404);
    const teacher = await t.token('teacher');
    expect((await t.http().get('/api/people').set(auth(teacher)).expect(403)).body.error.code).toBe('FORBIDDEN');
    const me = await t.http().get('/api/me/profile').set(auth(teacher)).expect(200);
    const own = (await t.db.pool.query(`SELECT p.full_name FROM person p JOIN app_user u ON u.person_id = p.id WHERE u.username = 'teacher'`)).rows[0];
    expect(me.body).toMatchObject({ fullName: own.full_name, currentOrgUnit: { id: k001 }, sensitiveRevealed: false });
    expect(me.body.nationalId).toContain('*');
    expect(me.body.employments.length).toBeGreaterThan(0);
    await t.http().get('/api/me/profile').set(auth(admin)).expect(404);
  });

  it('masks the national ID for a kindergarten admin, shows it to district HR and audits that read', async () => {
    const person = await firstTeacherAt(k001);
    const stored = (await t.db.pool.query('SELECT national_id_enc FROM person WHERE id = $1', [person])).rows[0].national_id_enc;
    const plain = cipher.decrypt(stored);
    expect(stored).not.toContain(plain);
    const masked = await t.http().get(`/api/people/${person}`).set(auth(kgAdmin)).expect(200);
    expect(masked.body.nationalId).not.toBe(plain);
    expect(masked.body.nationalId).toMatch(/\*{11}/);
    expect(masked.body.phone).toMatch(/\*{4}/);
    expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'read_sensitive' AND entity_id = $1`, [person])).toBe(0);
    const full = await t.http().get(`/api/people/${person}`).set(auth(admin)).expect(200);
    expect(full.body).toMatchObject({ nationalId: plain, sensitiveRevealed: true });
    const audit = await t.db.pool.query(
      `SELECT a.district_id, u.username FROM audit_log a JOIN app_user u ON u.id = a.actor_user_id WHERE a.action = 'read_sensitive' AND a.entity_id = $1`, [person]);
    expect(audit.rows).toEqual([{ district_id: full.body.districtId, username: 'district_admin' }]);
  });

  it('creates a person with their first employment once, encrypted at rest; the same request again answers 409 with the id', async () => {
    const id = nationalId('1995-03-14', false, 11);
    const before = await count('SELECT count(*) FROM person');
    const res = await t.http().post('/api/people').set(auth(kgAdmin)).send(body(id, k001)).expect(201);
    expect(res.body).toMatchObject({ fullName: '林晓雨', gender: 'female', birthDate: '1995-03-14', currentPost: 'teacher', currentOrgUnit: { id: k001 } });
    expect(res.body.nationalId).toBe(`110***********${id.slice(14)}`);
    expect(res.body.employments).toEqual([expect.objectContaining({ orgUnitId: k001, startDate: '2020-09-01', endDate: null })]);
    const again = await t.http().post('/api/people').set(auth(kgAdmin)).send(body(id, k001)).expect(409);
    expect(again.body.error).toMatchObject({ code: 'PERSON_EXISTS', details: { personId: res.body.id } });
    expect(await count('SELECT count(*) FROM person')).toBe(before + 1);
    const row = (await t.db.pool.query('SELECT * FROM person WHERE id = $1', [res.body.id])).rows[0];
    expect(JSON.stringify(row)).not.toContain(id);
    expect(JSON.stringify(row)).not.toContain('13900001111');
    expect(cipher.decrypt(row.national_id_enc)).toBe(id);
    const audit = await t.db.pool.query(`SELECT entity_type, district_id, after::text AS after FROM audit_log WHERE action = 'create' AND entity_type IN ('person','employment') ORDER BY id`);
    expect(audit.rows.map((r) => r.entity_type)).toEqual(['person', 'employment']);
    expect(audit.rows.every((r) => r.district_id === row.district_id && !r.after.includes(id))).toBe(true);

    const racing = nationalId('1990-07-01', true, 12);
    const answers = await Promise.all([1, 2].map(() => t.http().post('/api/people').set(auth(admin)).send(body(racing, other))));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(await count('SELECT count(*) FROM person WHERE national_id_hash = $1', [cipher.lookupHash(racing)])).toBe(1);
  });

  it('refuses bad input with 400 naming the field and writes nothing', async () => {
    const id = nationalId('1993-05-20', false, 21);
    const bad = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    const cases: Array<[string, Record<string, unknown>]> = [
      ['salary', body(id, k001, { salary: 9000 })],
      ['fullName', body(id, k001, { fullName: 5 })],
      ['preschoolMajor', body(id, k001, { preschoolMajor: 'yes' })],
      ['nationalId', body(bad, k001)],
      ['birthDate', body(id, k001, { birthDate: '1993-05-21' })],
      ['gender', body(id, k001, { gender: 'male' })],
      ['hireDate', body(id, k001, { hireDate: '1990-01-01' })],
      ['employment.orgUnitId', body(id, other)],
      ['employment.startDate', body(id, k001, { employment: { orgUnitId: k001, post: 'teacher', startDate: '2020-02-30' } })],
    ];
    const people = await count('SELECT count(*) FROM person');
    const employments = await count('SELECT count(*) FROM employment');
    for (const [field, payload] of cases) {
      const res = await t.http().post('/api/people').set(auth(kgAdmin)).send(payload);
      expect([res.status, res.body.error.code, fields(res)]).toEqual([400, 'VALIDATION_FAILED', expect.arrayContaining([field])]);
    }
    expect(await count('SELECT count(*) FROM person')).toBe(people);
    expect(await count('SELECT count(*) FROM employment')).toBe(employments);
  });

  it('refuses an employment ending before it starts', async () => {
    const person = await firstTeacherAt(k001);
    const { rows } = await t.db.pool.query(`SELECT id, to_char(start_date, 'YYYY-MM-DD') AS start FROM employment WHERE person_id = $1 AND end_date IS NULL`, [person]);
    const res = await t.http().patch(`/api/people/${person}/employments/${rows[0].id}`).set(auth(kgAdmin)).send({ endDate: '2001-01-01' }).expect(400);
    expect(fields(res)).toEqual(['endDate']);
    expect(await count('SELECT count(*) FROM employment WHERE id = $1 AND end_date IS NULL', [rows[0].id])).toBe(1);
    const move = await t.http().post(`/api/people/${person}/employments`).set(auth(admin)).send({ orgUnitId: other, post: 'teacher', startDate: rows[0].start }).expect(400);
    expect(fields(move)).toEqual(['startDate']);
  });

  it('lets titles only go up unless recorded as a correction with a reason', async () => {
    const person = (await t.http().post('/api/people').set(auth(kgAdmin)).send(body(nationalId('1992-11-02', false, 31), k001)).expect(201)).body.id;
    const add = (payload: Record<string, unknown>) => t.http().post(`/api/people/${person}/titles`).set(auth(kgAdmin)).send(payload);
    await add({ title: 'second', effectiveDate: '2021-09-01', approvingBody: '上海市青浦区教育局' }).expect(201);
    await add({ title: 'first', effectiveDate: '2024-09-01', approvingBody: '上海市青浦区教育局' }).expect(201);
    const titles = await count('SELECT count(*) FROM title_record WHERE person_id = $1', [person]);
    const down = await add({ title: 'second', effectiveDate: '2025-01-01', approvingBody: '上海市青浦区教育局' }).expect(400);
    expect(down.body.error.details.fields).toEqual([expect.objectContaining({ field: 'title', code: 'TITLE_NOT_HIGHER' })]);
    expect(fields(await add({ title: 'first', effectiveDate: '2025-01-01', approvingBody: 'x' }).expect(400))).toEqual(['title']);
    expect(fields(await add({ title: 'senior', effectiveDate: '2023-01-01', approvingBody: 'x' }).expect(400))).toEqual(['effectiveDate']);
    expect(fields(await add({ title: 'second', effectiveDate: '2025-01-01', approvingBody: 'x', isCorrection: true }).expect(400))).toEqual(['correctionReason']);
    expect(await count('SELECT count(*) FROM title_record WHERE person_id = $1', [person])).toBe(titles);
    const corrected = await add({ title: 'second', effectiveDate: '2025-01-01', approvingBody: '上海市青浦区教育局', isCorrection: true, correctionReason: '一级评审结果录入有误' }).expect(201);
    expect(corrected.body).toMatchObject({ title: 'second', isCorrection: true, correctionReason: '一级评审结果录入有误' });
    const record = await t.http().get(`/api/people/${person}`).set(auth(kgAdmin)).expect(200);
    expect(record.body.currentTitle).toBe('second');
    expect(record.body.titles.map((r: { title: string }) => r.title)).toEqual(['second', 'first', 'second']);
  });

  it('moves a person to another kindergarten keeping the whole history', async () => {
    const person = await firstTeacherAt(k001);
    const before = await count('SELECT count(*) FROM employment WHERE person_id = $1', [person]);
    const move = { orgUnitId: other, post: 'teacher', startDate: '2025-09-01', note: '柔性流动' };
    const res = await t.http().post(`/api/people/${person}/employments`).set(auth(admin)).send(move).expect(201);
    expect(res.body).toMatchObject({ orgUnitId: other, startDate: '2025-09-01', endDate: null });
    expect((await t.http().post(`/api/people/${person}/employments`).set(auth(admin)).send(move).expect(201)).body.id).toBe(res.body.id);
    const record = await t.http().get(`/api/people/${person}`).set(auth(admin)).expect(200);
    expect(record.body.employments).toHaveLength(before + 1);
    expect(record.body.employments[0]).toMatchObject({ orgUnitId: other, endDate: null });
    expect(record.body.employments[1]).toMatchObject({ orgUnitId: k001, endDate: '2025-08-31' });
    const row = (await t.db.pool.query('SELECT current_org_unit_id, current_post FROM person WHERE id = $1', [person])).rows[0];
    expect(row).toEqual({ current_org_unit_id: other, current_post: 'teacher' });
    await t.http().get(`/api/people/${person}`).set(auth(kgAdmin)).expect(404);
  });

  it('audits updates with before and after and refuses a stale version', async () => {
    const person = await firstTeacherAt(k001);
    const current = await t.http().get(`/api/people/${person}`).set(auth(kgAdmin)).expect(200);
    const res = await t.http().patch(`/api/people/${person}`).set(auth(kgAdmin)).send({ fullName: '王改名', phone: '13700002222', version: current.body.version }).expect(200);
    expect(res.body).toMatchObject({ fullName: '王改名', phone: '137****2222', version: current.body.version + 1 });
    const audit = await t.db.pool.query(`SELECT before, after, district_id FROM audit_log WHERE action = 'update' AND entity_type = 'person' AND entity_id = $1`, [person]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({
      before: { fullName: current.body.fullName, phoneMasked: current.body.phone }, after: { fullName: '王改名', phoneMasked: '137****2222' }, district_id: current.body.districtId,
    });
    expect(JSON.stringify(audit.rows[0])).not.toMatch(/Enc|Hash|13700002222/);
    expect(fields(await t.http().patch(`/api/people/${person}`).set(auth(kgAdmin)).send({ hireDate: '1950-01-01' }).expect(400))).toEqual(['hireDate']);
    await t.http().patch(`/api/people/${person}`).set(auth(kgAdmin)).send({}).expect(200);
    expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'update' AND entity_type = 'person' AND entity_id = $1`, [person])).toBe(1);
    const stale = await t.http().patch(`/api/people/${person}`).set(auth(kgAdmin)).send({ fullName: '再改', version: current.body.version }).expect(409);
    expect(stale.body.error.code).toBe('CONFLICT');
    const changeId = await t.http().patch(`/api/people/${person}`).set(auth(kgAdmin)).send({ nationalId: nationalId('1990-01-01', false, 1) }).expect(403);
    expect(changeId.body.error.code).toBe('FORBIDDEN');
  });

  it('records certificates, honours and stages, with configurable stage definitions', async () => {
    const person = await firstTeacherAt(k001);
    const cert = { kind: 'teacher_qualification', number: '20253100001', issuer: '上海市教育委员会', issuedOn: '2019-06-30' };
    await t.http().post(`/api/people/${person}/certificates`).set(auth(kgAdmin)).send(cert).expect(201);
    expect((await t.http().post(`/api/people/${person}/certificates`).set(auth(kgAdmin)).send(cert).expect(409)).body.error.code).toBe('CERTIFICATE_EXISTS');
    expect(fields(await t.http().post(`/api/people/${person}/certificates`).set(auth(kgAdmin)).send({ ...cert, number: 'B2', expiresOn: '2019-01-01' }).expect(400))).toEqual(['expiresOn']);
    expect(fields(await t.http().post(`/api/people/${person}/honours`).set(auth(kgAdmin)).send({ honour: 'other', awardedOn: '2024-09-10' }).expect(400))).toEqual(['name']);
    const honour = { honour: 'district_backbone', awardedOn: '2024-09-10', awardedBy: '青浦区教育局' };
    const first = await t.http().post(`/api/people/${person}/honours`).set(auth(kgAdmin)).send(honour).expect(201);
    expect((await t.http().post(`/api/people/${person}/honours`).set(auth(kgAdmin)).send(honour).expect(201)).body.id).toBe(first.body.id);

    const teacher = await t.token('teacher');
    expect((await t.http().get('/api/stages?kind=teacher').set(auth(teacher)).expect(200)).body.map((s: { code: string }) => s.code)).toEqual(['novice', 'competent', 'backbone']);
    await t.http().post('/api/stages').set(auth(kgAdmin)).send({ kind: 'teacher', code: 'expert', nameZh: '专家型', nameEn: 'Expert' }).expect(403);
    const created = await t.http().post('/api/stages').set(auth(admin)).send({ kind: 'teacher', code: 'expert', nameZh: '专家型', nameEn: 'Expert' }).expect(201);
    expect(created.body.sortOrder).toBe(4);
    await t.http().post('/api/stages').set(auth(admin)).send({ kind: 'teacher', code: 'expert', nameZh: '专家型', nameEn: 'Expert' }).expect(409);
    await t.http().patch('/api/stages/teacher/expert').set(auth(admin)).send({ nameZh: '专家型教师', active: false }).expect(200);
    const inactive = await t.http().post(`/api/people/${person}/stages`).set(auth(kgAdmin)).send({ kind: 'teacher', stage: 'expert', effectiveDate: '2025-09-01' }).expect(400);
    expect(fields(inactive)).toEqual(['stage']);
    await t.http().post(`/api/people/${person}/stages`).set(auth(kgAdmin)).send({ kind: 'teacher', stage: 'backbone', effectiveDate: '2099-09-01' }).expect(201);
    const record = await t.http().get(`/api/people/${person}`).set(auth(kgAdmin)).expect(200);
    expect(record.body.teacherStage).toBe('backbone');
    expect(record.body.honours).toEqual(expect.arrayContaining([expect.objectContaining({ honour: 'district_backbone', awardedOn: '2024-09-10' })]));
    expect(record.body.certificates).toEqual(expect.arrayContaining([expect.objectContaining({ number: '20253100001' })]));
  });

  describe('pages', () => {
    const signIn = (username: string) => t.signInPages(username);
    const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)![1];

    it('renders the staff list in Chinese for the district admin, with filters and masked phones', async () => {
      const browser = await signIn('district_admin');
      const page = await browser.get('/people?post=principal&orgUnitId=').expect(200);
      expect(page.text).toContain('<html lang="zh-CN">');
      expect(page.text).toMatch(/<h1[^>]*>教职工<\/h1>/);
      expect(page.text).toContain('园长');
      expect(page.text).toMatch(/1\d{2}\*{4}\d{4}/);
      expect(page.text).not.toContain('专任教师</td>');
      const teacher = await firstTeacherAt(k001);
      const record = await browser.get(`/people/${teacher}`).expect(200);
      expect(record.text).toContain('任职经历');
      expect(record.text).toMatch(/data-testid="national-id">\d{3}\*{11}/);
      const revealed = await browser.get(`/people/${teacher}?reveal=1`).expect(200);
      expect(revealed.text).toMatch(/data-testid="national-id">\d{17}[\dX]</);
    });

    it('keeps entered values and shows the error next to the field, then saves with a flash and a 303', async () => {
      const browser = await signIn('kg_admin');
      const person = (await t.db.pool.query(`SELECT p.id FROM person p WHERE p.current_org_unit_id = $1
        AND EXISTS (SELECT 1 FROM title_record r WHERE r.person_id = p.id AND r.title <> 'third')
        AND NOT EXISTS (SELECT 1 FROM title_record r WHERE r.person_id = p.id AND r.title = 'professorial') LIMIT 1`, [k001])).rows[0].id as string;
      const csrf = csrfOf((await browser.get(`/people/${person}`).expect(200)).text);
      const titles = await count('SELECT count(*) FROM title_record WHERE person_id = $1', [person]);
      const wrong = await browser.post(`/people/${person}/titles`).type('form')
        .send({ _csrf: csrf, title: 'third', effectiveDate: '2099-01-01', approvingBody: '录入测试机关', correctionReason: '' }).expect(400);
      expect(wrong.text).toContain('data-field-error="title"');
      expect(wrong.text).toContain('不高于现职称');
      expect(wrong.text).toContain('value="录入测试机关"');
      expect(await count('SELECT count(*) FROM title_record WHERE person_id = $1', [person])).toBe(titles);
      const saved = await browser.post(`/people/${person}/titles`).type('form')
        .send({ _csrf: csrf, title: 'professorial', effectiveDate: '2099-01-01', approvingBody: '上海市人力资源和社会保障局' }).expect(303);
      expect(saved.headers.location).toBe(`/people/${person}`);
      expect((await browser.get(`/people/${person}`).expect(200)).text).toContain('职称记录已添加');

      const created = await browser.post('/people').type('form').send({
        _csrf: csrf, fullName: '周新', nationalId: nationalId('1999-12-31', true, 41), gender: '', birthDate: '', phone: '',
        educationLevel: 'junior_college', hireDate: '2021-08-20', orgUnitId: k001, post: 'caregiver', startDate: '2021-09-01',
      }).expect(303);
      expect((await browser.get(created.headers.location).expect(200)).text).toContain('周新');
      const bad = await browser.post('/people').type('form').send({ _csrf: csrf, fullName: '', nationalId: '123', orgUnitId: k001, post: 'teacher', startDate: '' }).expect(400);
      expect(bad.text).toContain('data-field-error="nationalId"');
      expect(bad.text).toContain('data-field-error="fullName"');
    });

    it('shows a teacher their own record on /me and refuses them the staff list', async () => {
      const browser = await signIn('teacher');
      const me = await browser.get('/me').expect(200);
      expect(me.text).toContain('我的档案');
      expect(me.text).not.toContain('data-testid="record-forms"');
      expect((await browser.get('/people').expect(403)).text).toContain('FORBIDDEN');
    });
  });
});
