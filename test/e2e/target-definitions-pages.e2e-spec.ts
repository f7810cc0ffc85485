import { startTestApp, type TestApp } from '../support/test-app.js';

describe('target definitions page (/targets/definitions): district HR changes thresholds and deadlines', () => {
  let t: TestApp;
  let districtId: string;
  const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)![1];
  const targetRows = async () => (await t.db.pool.query(
    `SELECT code, threshold::float AS threshold, deadline::text AS deadline, district_id FROM workforce_target ORDER BY code, district_id NULLS FIRST`)).rows;

  beforeAll(async () => {
    t = await startTestApp();
    districtId = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP'`)).rows[0].id;
  });
  afterAll(() => t.close());

  it('lists the targets, saves a changed threshold as the district override, and links from /targets', async () => {
    const browser = await t.signInPages('district_admin');
    expect((await browser.get('/targets').expect(200)).text).toContain('href="/targets/definitions"');
    const list = await browser.get('/targets/definitions').expect(200);
    const target = (await t.db.pool.query(
      `SELECT id, code FROM workforce_target WHERE district_id IS NULL AND unit = 'percent' AND archived_at IS NULL ORDER BY code LIMIT 1`)).rows[0];
    expect(list.text).toContain(`action="/targets/definitions/${target.id}"`);

    const saved = await browser.post(`/targets/definitions/${target.id}`).type('form')
      .send({ _csrf: csrfOf(list.text), threshold: '88.5', deadline: '2027-12-31' }).expect(303);
    expect(saved.headers.location).toBe('/targets/definitions');
    const override = (await t.db.pool.query(
      `SELECT threshold::float AS threshold, deadline::text AS deadline FROM workforce_target WHERE district_id = $1 AND code = $2`, [districtId, target.code])).rows;
    expect(override).toEqual([{ threshold: 88.5, deadline: '2027-12-31' }]);
    const after = await browser.get('/targets/definitions').expect(200);
    expect(after.text).toContain('value="88.5"');
  });

  it('re-renders 150% with the message beside the threshold and writes nothing', async () => {
    const browser = await t.signInPages('district_admin');
    const list = await browser.get('/targets/definitions').expect(200);
    const target = (await t.db.pool.query(
      `SELECT id FROM workforce_target WHERE district_id IS NULL AND unit = 'percent' AND archived_at IS NULL ORDER BY code DESC LIMIT 1`)).rows[0];
    const before = await targetRows();
    const page = await browser.post(`/targets/definitions/${target.id}`).type('form')
      .send({ _csrf: csrfOf(list.text), threshold: '150', deadline: '2027-12-31' }).expect(400);
    expect(page.text).toContain('<div class="invalid-feedback d-block" data-field-error="threshold">百分比目标值须在 0 到 100 之间</div>');
    expect(page.text).toContain('value="150"');
    expect(await targetRows()).toEqual(before);
  });

  it('refuses a kindergarten admin the page and the change', async () => {
    const browser = await t.signInPages('kg_admin');
    const home = await browser.get('/targets').expect(200);
    expect(home.text).not.toContain('href="/targets/definitions"');
    expect([403, 404]).toContain((await browser.get('/targets/definitions')).status);
    const target = (await t.db.pool.query(`SELECT id FROM workforce_target WHERE district_id IS NULL LIMIT 1`)).rows[0];
    const before = await targetRows();
    const refused = await browser.post(`/targets/definitions/${target.id}`).type('form').send({ _csrf: csrfOf(home.text), threshold: '50', deadline: '2027-12-31' });
    expect([403, 404]).toContain(refused.status);
    expect(await targetRows()).toEqual(before);
  });
});
