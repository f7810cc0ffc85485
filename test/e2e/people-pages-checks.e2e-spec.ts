import { startTestApp, type TestApp } from '../support/test-app.js';
import { nationalIdCheckChar } from '../../src/common/national-id.js';
import { shanghaiDate } from '../../src/common/dates.js';

/** A valid ID of someone born in Beijing (110105), outside the demo's Qingpu range. */
function nationalId(birth: string, serial: number): string {
  const first17 = `110105${birth.replaceAll('-', '')}${String(serial).padStart(2, '0')}2`;
  return first17 + nationalIdCheckChar(first17);
}

describe('people pages: a hire refused for its background check shows the reason beside the start date', () => {
  let t: TestApp;
  let k001: string;
  const count = async (sql: string) => Number((await t.db.pool.query(sql)).rows[0].count);
  const written = async () => [await count('SELECT count(*) FROM person'), await count('SELECT count(*) FROM employment')];

  beforeAll(async () => {
    t = await startTestApp();
    k001 = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP-K001'`)).rows[0].id;
  });
  afterAll(() => t.close());

  it('re-renders /people/new with the message at the start date, keeps the entries, and writes nothing', async () => {
    const browser = await t.signInPages('kg_admin');
    const csrf = /name="csrf-token" content="([^"]+)"/.exec((await browser.get('/people/new').expect(200)).text)![1];
    const before = await written();
    const page = await browser.post('/people').type('form').send({
      _csrf: csrf, fullName: '周新人', nationalId: nationalId('1999-03-04', 61), educationLevel: 'bachelor',
      orgUnitId: k001, post: 'teacher', startDate: shanghaiDate(),
    }).expect(422);
    expect(page.text).toMatch(/<div class="invalid-feedback d-block" data-field-error="startDate">任职开始前须由区人事部门登记结果为“无记录”的入职查询<\/div>/);
    expect(page.text).toContain('value="周新人"');
    expect(page.text).toMatch(/id="startDate"[^>]*is-invalid|is-invalid[^>]*id="startDate"/);
    expect(await written()).toEqual(before);
  });
});
