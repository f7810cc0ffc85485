import { agent as supertestAgent } from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO_PASSWORD } from '../support/env.js';

type Fields = { field: string; code: string }[];
const fieldsOf = (body: { error: { details: { fields: Fields } } }) => [...new Set(body.error.details.fields.map((f) => f.field))];

describe('org tree and groups over the API', () => {
  let t: TestApp;
  let admin: string;
  const ids = new Map<string, string>();

  const as = (token: string) => ({
    get: (url: string) => t.http().get(url).set('Authorization', `Bearer ${token}`),
    post: (url: string, body: object) => t.http().post(url).set('Authorization', `Bearer ${token}`).send(body),
    patch: (url: string, body: object) => t.http().patch(url).set('Authorization', `Bearer ${token}`).send(body),
    put: (url: string, body: object) => t.http().put(url).set('Authorization', `Bearer ${token}`).send(body),
  });
  const id = async (code: string): Promise<string> => {
    if (!ids.has(code)) ids.set(code, (await t.db.pool.query('SELECT id FROM org_unit WHERE code = $1', [code])).rows[0].id);
    return ids.get(code)!;
  };
  const unitCount = async () => (await t.db.pool.query('SELECT count(*)::int AS n FROM org_unit')).rows[0].n as number;
  const unitRow = async (code: string) => (await t.db.pool.query('SELECT * FROM org_unit WHERE code = $1', [code])).rows[0];

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('district_admin');
  });
  afterAll(() => t.close());

  it('lists the demo district to its admin: 11 towns, 39 operating and 19 planned kindergartens, 7 groups', async () => {
    const api = as(admin);
    expect((await api.get('/api/org-units?kind=town').expect(200)).body.total).toBe(11);
    expect((await api.get('/api/org-units?kind=kindergarten&status=operating').expect(200)).body.total).toBe(39);
    const planned = await api.get('/api/org-units?kind=kindergarten&status=planned&pageSize=5').expect(200);
    expect(planned.body).toMatchObject({ total: 19, page: 1, pageSize: 5 });
    expect(planned.body.items).toHaveLength(5);
    expect(planned.body.items.every((u: { openingYear: number }) => u.openingYear >= 2024)).toBe(true);
    const groups = await api.get('/api/groups').expect(200);
    expect(groups.body.total).toBe(7);
    expect(groups.body.items.every((g: { leads: unknown[] }) => g.leads.length >= 1 && g.leads.length <= 2)).toBe(true);
    const found = await api.get(`/api/org-units?q=${encodeURIComponent('淀山湖')}`).expect(200);
    expect(found.body.items.map((u: { name: string }) => u.name)).toEqual(['上海市青浦区淀山湖幼儿园']);
    const inTown = await api.get(`/api/org-units?parentId=${await id('SH-QP-T01')}`).expect(200);
    expect(inTown.body.total).toBeGreaterThan(0);
    expect(inTown.body.items.every((u: { parentId: string; parentName: string }) => u.parentName === '夏阳街道')).toBe(true);
  });

  it('answers the whole tree of the district in one nested answer', async () => {
    const { body } = await as(admin).get('/api/org-units/tree').expect(200);
    expect(body.roots).toHaveLength(1);
    const [district] = body.roots;
    expect(district).toMatchObject({ kind: 'district', name: '青浦区' });
    expect(district.children).toHaveLength(13);
    const kindergartens = district.children.flatMap((c: { children: { kind: string; grade: string }[] }) => c.children).filter((c: { kind: string }) => c.kind === 'kindergarten');
    expect(kindergartens).toHaveLength(58);
    expect(kindergartens[0]).toEqual(expect.objectContaining({ grade: expect.any(String), ownership: expect.any(String), status: expect.any(String) }));
  });

  it('shows a kindergarten with its breadcrumb and group, and hides other kindergartens from a kindergarten admin', async () => {
    const lead = await as(admin).get(`/api/org-units/${await id('SH-QP-K013')}`).expect(200);
    expect(lead.body.ancestors.map((a: { kind: string }) => a.kind)).toEqual(['city', 'district', 'town']);
    expect(lead.body.group).toMatchObject({ code: 'SH-QP-G01', isLead: true });
    const kg = as(await t.token('kg_admin'));
    const own = await kg.get('/api/org-units').expect(200);
    expect(own.body.items.map((u: { code: string }) => u.code)).toEqual(['SH-QP-K001']);
    await kg.get(`/api/org-units/${await id('SH-QP-K001')}`).expect(200);
    const other = await kg.get(`/api/org-units/${await id('SH-QP-K002')}`).expect(404);
    expect(other.body.error.code).toBe('NOT_FOUND');
    expect(JSON.stringify(other.body)).not.toContain('思源');
    await kg.post('/api/org-units', { kind: 'town', parentId: await id('SH-QP'), code: 'X-1', name: '某镇' }).expect(403);
    await as(await t.token('teacher')).get('/api/org-units').expect(403);
  });

  it('gives a group admin the group and its kindergartens only', async () => {
    const ga = as(await t.token('group_admin'));
    const groups = await ga.get('/api/groups').expect(200);
    expect(groups.body.items.map((g: { code: string }) => g.code)).toEqual(['SH-QP-G01']);
    expect((await ga.get('/api/org-units?kind=kindergarten').expect(200)).body.total).toBe(5);
    await ga.get(`/api/org-units/${await id('SH-QP-K001')}`).expect(404);
  });

  it('answers 400 for a malformed id and 404 for an unknown one, never 500', async () => {
    await as(admin).get('/api/org-units/not-a-uuid').expect(400);
    await as(admin).get('/api/org-units/00000000-0000-4000-8000-000000000000').expect(404);
    await as(admin).get('/api/groups/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('creates a town and a kindergarten in it, with path, depth, district and an audit entry', async () => {
    const district = await id('SH-QP');
    const town = await as(admin).post('/api/org-units', { kind: 'town', parentId: district, code: 'SH-QP-T99', name: '测试镇', nameEn: 'Test Town' }).expect(201);
    expect(town.body).toMatchObject({ kind: 'town', parentId: district, districtId: district, depth: 2, version: 1 });
    expect(town.body.path).toBe(`${(await unitRow('SH-QP')).path}${town.body.id}/`);
    const kg = await as(admin).post('/api/org-units', {
      kind: 'kindergarten', parentId: town.body.id, code: 'SH-QP-K999', name: '测试幼儿园', ownership: 'private', inclusive: true,
      grade: 'unrated', status: 'planned', openingYear: 2027, kindergartenClasses: 9, nurseryClasses: 2,
    }).expect(201);
    expect(kg.body).toMatchObject({ depth: 3, districtId: district, status: 'planned', openingYear: 2027 });
    const audit = await t.db.pool.query(`SELECT * FROM audit_log WHERE entity_type = 'org_unit' AND entity_id = $1`, [kg.body.id]);
    expect(audit.rows).toEqual([expect.objectContaining({ action: 'create', district_id: district, before: null })]);
    expect(audit.rows[0].after).toMatchObject({ code: 'SH-QP-K999', grade: 'unrated' });
  });

  it('refuses bad input with 400 naming each field, and writes nothing', async () => {
    const district = await id('SH-QP');
    const kindergarten = await id('SH-QP-K002');
    const before = await unitCount();
    const post = (body: object) => as(admin).post('/api/org-units', body).expect(400);
    const kg = { kind: 'kindergarten', parentId: district, code: 'SH-QP-BAD', name: '坏数据', ownership: 'public', inclusive: true, grade: 'first', status: 'operating' };
    expect(fieldsOf((await post({ ...kg, colour: 'red' })).body)).toEqual(['colour']);
    expect(fieldsOf((await post({ ...kg, kindergartenClasses: 'many', inclusive: 'yes' })).body).sort()).toEqual(['inclusive', 'kindergartenClasses']);
    const planned = await post({ ...kg, status: 'planned' });
    expect(planned.body.error.details.fields).toEqual([expect.objectContaining({ field: 'openingYear', code: 'ORG_OPENING_YEAR_REQUIRED' })]);
    expect(fieldsOf((await post({ ...kg, grade: undefined, ownership: undefined })).body).sort()).toEqual(['grade', 'ownership']);
    const nested = await post({ ...kg, parentId: kindergarten });
    expect(nested.body.error.details.fields).toEqual([expect.objectContaining({ field: 'parentId', code: 'ORG_KIND_NOT_ALLOWED' })]);
    expect(fieldsOf((await post({ kind: 'town', parentId: district, code: 'SH-QP-BAD', name: '镇', grade: 'first' })).body)).toEqual(['grade']);
    expect(fieldsOf((await post({ kind: 'city', parentId: district, code: 'has space', name: '' })).body).sort()).toEqual(['code', 'kind', 'name']);
    expect(fieldsOf((await as(admin).patch(`/api/org-units/${kindergarten}`, { status: 'planned' }).expect(400)).body)).toEqual(['openingYear']);
    expect(fieldsOf((await as(admin).patch(`/api/org-units/${kindergarten}`, { name: null, kind: 'town' }).expect(400)).body).sort()).toEqual(['kind', 'name']);
    expect(await unitCount()).toBe(before);
    expect((await unitRow('SH-QP-K002')).status).toBe('operating');
  });

  it('answers 409 ORG_CODE_TAKEN for a used code, and a double submit creates one row', async () => {
    const district = await id('SH-QP');
    const taken = await as(admin).post('/api/org-units', { kind: 'zone', parentId: district, code: 'SH-QP-T01', name: '重复' }).expect(409);
    expect(taken.body.error).toMatchObject({ code: 'ORG_CODE_TAKEN', details: { field: 'code' } });
    const body = { kind: 'zone', parentId: district, code: 'SH-QP-Z77', name: '双击片区' };
    const answers = await Promise.all([as(admin).post('/api/org-units', body), as(admin).post('/api/org-units', body)]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM org_unit WHERE code = 'SH-QP-Z77'`)).rows[0].n).toBe(1);
    const rename = await as(admin).patch(`/api/org-units/${await id('SH-QP-Z01')}`, { code: 'SH-QP-T02' }).expect(409);
    expect(rename.body.error.code).toBe('ORG_CODE_TAKEN');
  });

  it('updates with optimistic concurrency and records before and after in the audit log', async () => {
    const unit = await id('SH-QP-K003');
    const current = (await as(admin).get(`/api/org-units/${unit}`).expect(200)).body;
    const updated = await as(admin).patch(`/api/org-units/${unit}`, { childrenEnrolled: 321, address: '上海市青浦区盈浦街道 1 号', version: current.version }).expect(200);
    expect(updated.body).toMatchObject({ childrenEnrolled: 321, version: current.version + 1 });
    const stale = await as(admin).patch(`/api/org-units/${unit}`, { childrenEnrolled: 1, version: current.version }).expect(409);
    expect(stale.body.error.code).toBe('CONFLICT');
    expect((await unitRow('SH-QP-K003')).children_enrolled).toBe(321);
    const audit = await t.db.pool.query(`SELECT * FROM audit_log WHERE entity_type = 'org_unit' AND entity_id = $1 AND action = 'update'`, [unit]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].before).toEqual({ childrenEnrolled: current.childrenEnrolled, address: current.address });
    expect(audit.rows[0].after).toEqual({ childrenEnrolled: 321, address: '上海市青浦区盈浦街道 1 号' });
    expect(audit.rows[0].district_id).toBe(await id('SH-QP'));
  });

  it('refuses to move a unit under itself or under a unit below it', async () => {
    const district = await id('SH-QP');
    const town = await id('SH-QP-T03');
    const zone = (await as(admin).post('/api/org-units', { kind: 'zone', parentId: town, code: 'SH-QP-T03-Z1', name: '香花桥北片' }).expect(201)).body;
    const self = await as(admin).post(`/api/org-units/${town}/move`, { parentId: town }).expect(400);
    expect(self.body.error).toMatchObject({ code: 'ORG_MOVE_INTO_SELF', details: { field: 'parentId' } });
    const below = await as(admin).post(`/api/org-units/${town}/move`, { parentId: zone.id }).expect(400);
    expect(below.body.error.code).toBe('ORG_MOVE_INTO_SELF');
    const kind = await as(admin).post(`/api/org-units/${district}/move`, { parentId: town }).expect(400);
    expect(kind.body.error.details.fields[0].field).toBe('parentId');
    expect(fieldsOf((await as(admin).post(`/api/org-units/${town}/move`, { parentId: 'x' }).expect(400)).body)).toEqual(['parentId']);
    expect((await unitRow('SH-QP-T03')).parent_id).toBe(district);
  });

  it('moves a kindergarten to another town, and a zone with its kindergartens, rewriting the subtree paths', async () => {
    const kg = await id('SH-QP-K005');
    const target = await unitRow('SH-QP-T07');
    const moved = await as(admin).post(`/api/org-units/${kg}/move`, { parentId: target.id }).expect(200);
    expect(moved.body).toMatchObject({ parentId: target.id, path: `${target.path}${kg}/`, depth: target.depth + 1 });
    const zone = (await as(admin).post('/api/org-units', { kind: 'zone', parentId: await id('SH-QP'), code: 'SH-QP-Z50', name: '临时片区' }).expect(201)).body;
    await as(admin).post(`/api/org-units/${kg}/move`, { parentId: zone.id }).expect(200);
    await as(admin).post(`/api/org-units/${zone.id}/move`, { parentId: target.id }).expect(200);
    const rows = (await t.db.pool.query(`SELECT id, path, depth, parent_id FROM org_unit WHERE id = ANY($1)`, [[zone.id, kg]])).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(zone.id)).toMatchObject({ path: `${target.path}${zone.id}/`, depth: target.depth + 1, parent_id: target.id });
    expect(byId.get(kg)).toMatchObject({ path: `${target.path}${zone.id}/${kg}/`, depth: target.depth + 2, parent_id: zone.id });
    const stray = await t.db.pool.query(`SELECT count(*)::int AS n FROM org_unit c JOIN org_unit p ON p.id = c.parent_id WHERE c.path <> p.path || c.id || '/'`);
    expect(stray.rows[0].n).toBe(0);
    const audit = await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'move' AND entity_id = $1`, [kg]);
    expect(audit.rows[0].n).toBe(2);
  });

  it('keeps group rules: one or two leads, kindergartens of the district, one group per kindergarten', async () => {
    const district = await id('SH-QP');
    const [k8, k16, k13, n1] = await Promise.all(['SH-QP-K008', 'SH-QP-K016', 'SH-QP-K013', 'SH-QP-N001'].map(id));
    const post = (members: object[], code = 'SH-QP-G90') => as(admin).post('/api/groups', { code, name: '测试集团', districtId: district, members });
    const groupsBefore = (await t.db.pool.query('SELECT count(*)::int AS n FROM kindergarten_group')).rows[0].n;
    expect(fieldsOf((await post([{ kindergartenId: k8, isLead: false }]).expect(400)).body)).toEqual(['members']);
    const three = [k8, k16, n1].map((kindergartenId) => ({ kindergartenId, isLead: true }));
    expect(fieldsOf((await post(three).expect(400)).body)).toEqual(['members']);
    expect(fieldsOf((await post([{ kindergartenId: k8, isLead: true }, { kindergartenId: district, isLead: false }]).expect(400)).body)).toEqual(['members.1.kindergartenId']);
    const other = await post([{ kindergartenId: k8, isLead: true }, { kindergartenId: k13, isLead: false }]).expect(409);
    expect(other.body.error).toMatchObject({ code: 'KINDERGARTEN_IN_OTHER_GROUP', details: { field: 'members.1.kindergartenId' } });
    expect((await t.db.pool.query('SELECT count(*)::int AS n FROM kindergarten_group')).rows[0].n).toBe(groupsBefore);

    const created = await post([{ kindergartenId: k8, isLead: true }, { kindergartenId: k16, isLead: false }]).expect(201);
    expect(created.body).toMatchObject({ code: 'SH-QP-G90', leads: [{ id: k8 }], canWrite: true });
    expect((await post([{ kindergartenId: n1, isLead: true }]).expect(409)).body.error.code).toBe('GROUP_CODE_TAKEN');
    const replaced = await as(admin).put(`/api/groups/${created.body.id}/members`, { members: [{ kindergartenId: k16, isLead: true }, { kindergartenId: n1, isLead: true }] }).expect(200);
    expect(replaced.body.leads.map((l: { id: string }) => l.id).sort()).toEqual([k16, n1].sort());
    expect(replaced.body.members).toHaveLength(2);
    const audit = await t.db.pool.query(`SELECT before, after FROM audit_log WHERE entity_type = 'kindergarten_group' AND entity_id = $1 AND action = 'replace_members'`, [created.body.id]);
    expect(audit.rows[0].after.members).toHaveLength(2);
    await as(admin).patch(`/api/groups/${created.body.id}`, { name: '青浦区第八学前教育集团' }).expect(200);
    await as(await t.token('kg_admin')).put(`/api/groups/${created.body.id}/members`, { members: [] }).expect(403);
    await as(await t.token('group_admin')).get(`/api/groups/${created.body.id}`).expect(404);
  });
});

describe('org pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function signedIn(username: string) {
    const browser = supertestAgent(t.app.getHttpServer());
    const login = await browser.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1];
    await browser.post('/login').type('form').send({ _csrf: csrf, identifier: username, password: DEMO_PASSWORD, next: '/' }).expect(303);
    return browser;
  }
  const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)![1];

  it('lists the units in Chinese for a district admin, with search, filters and town navigation', async () => {
    const browser = await signedIn('district_admin');
    const page = await browser.get('/org').expect(200);
    expect(page.text).toContain('<h1 class="h3 mb-0 me-auto">组织机构</h1>');
    expect(page.text).toContain('夏阳街道');
    expect(page.text).toContain('data-testid="org-nav"');
    const search = await browser.get(`/org?q=${encodeURIComponent('淀山湖')}&kind=&grade=&ownership=&status=`).expect(200);
    expect(search.text).toContain('上海市青浦区淀山湖幼儿园');
    expect(search.text).toContain('共 1 条');
    const english = await browser.get('/org?kind=kindergarten&status=planned&lang=en').redirects(1).expect(200);
    expect(english.text).toContain('Planned');
    expect(english.text).toContain('19 in total');
  });

  it('shows a unit, keeps typed values with errors next to the fields, and saves with a flash', async () => {
    const browser = await signedIn('district_admin');
    const unit = (await t.db.pool.query(`SELECT id, version FROM org_unit WHERE code = 'SH-QP-K004'`)).rows[0];
    const page = await browser.get(`/org/${unit.id}`).expect(200);
    expect(page.text).toContain('上海市青浦区秀涓幼儿园');
    expect(page.text).toContain('赵巷镇');
    const csrf = csrfOf(page.text);
    const form = { _csrf: csrf, version: String(unit.version), code: 'SH-QP-K004', name: '', nameEn: '', ownership: 'public', inclusive: 'true', grade: 'first', status: 'operating', foundedYear: '1999', openingYear: '', kindergartenClasses: 'twelve', nurseryClasses: '1', childrenEnrolled: '300', address: '赵巷镇' };
    const bad = await browser.post(`/org/${unit.id}`).type('form').send(form).expect(400);
    expect(bad.text).toContain('data-field-error="name"');
    expect(bad.text).toContain('data-field-error="kindergartenClasses"');
    expect(bad.text).toContain('value="twelve"');
    expect(bad.text).toContain('此项为必填项');
    const good = await browser.post(`/org/${unit.id}`).type('form').send({ ...form, name: '上海市青浦区秀涓幼儿园', kindergartenClasses: '12' }).expect(303);
    expect(good.headers.location).toBe(`/org/${unit.id}`);
    const after = await browser.get(`/org/${unit.id}`).expect(200);
    expect(after.text).toContain('已保存');
    expect((await t.db.pool.query(`SELECT kindergarten_classes FROM org_unit WHERE id = $1`, [unit.id])).rows[0].kindergarten_classes).toBe(12);
  });

  it('creates a town through the form and edits group members', async () => {
    const browser = await signedIn('district_admin');
    const district = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP'`)).rows[0].id;
    const form = await browser.get(`/org/new?parentId=${district}&kind=town`).expect(200);
    const created = await browser.post('/org').type('form').send({ _csrf: csrfOf(form.text), kind: 'town', parentId: district, code: 'SH-QP-T40', name: '新城镇', nameEn: '' }).expect(303);
    expect(created.headers.location).toMatch(/^\/org\/[0-9a-f-]{36}$/);
    const group = (await t.db.pool.query(`SELECT id FROM kindergarten_group WHERE code = 'SH-QP-G01'`)).rows[0].id;
    const groupPage = await browser.get(`/groups/${group}`).expect(200);
    expect(groupPage.text).toContain('data-testid="group-members-form"');
    const noLead = await browser.post(`/groups/${group}/members`).type('form').send({ _csrf: csrfOf(groupPage.text), member: [] }).expect(400);
    expect(noLead.text).toContain('每个集团须有一至两所引领园');
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM kindergarten_group_member WHERE group_id = $1`, [group])).rows[0].n).toBe(5);
    const list = await browser.get('/groups').expect(200);
    expect(list.text).toContain('青浦区第一学前教育集团');
  });

  it('lets a kindergarten admin read only its own kindergarten, without edit forms', async () => {
    const browser = await signedIn('kg_admin');
    const list = await browser.get('/org').expect(200);
    expect(list.text).toContain('共 1 条');
    const own = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP-K001'`)).rows[0].id;
    const page = await browser.get(`/org/${own}`).expect(200);
    expect(page.text).not.toContain('data-testid="org-edit-form"');
    const other = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP-K002'`)).rows[0].id;
    await browser.get(`/org/${other}`).expect(404);
  });
});
