import { startTestApp, type TestApp } from '../support/test-app.js';

describe('title rules page (/titles/rules): district HR reads the rules in force and adds an effective-dated version', () => {
  let t: TestApp;
  const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)![1];
  const rules = async () => (await t.db.pool.query(
    `SELECT region_code, title, effective_from::text AS "effectiveFrom", conditions FROM title_rule ORDER BY created_at, id`)).rows;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lists every title with the rule in force in words, and adds a version for the district through the form', async () => {
    const browser = await t.signInPages('district_admin');
    const page = await browser.get('/titles/rules').expect(200);
    expect(page.text).toContain('SH-QP');
    for (const title of ['third', 'second', 'first', 'senior', 'professorial']) expect(page.text).toContain(`data-title="${title}"`);
    expect((page.text.match(/data-in-force="true"/g) ?? []).length).toBe(5);
    expect(page.text).toContain('学历不低于');

    const before = (await rules()).length;
    const saved = await browser.post('/titles/rules').type('form').send(
      `_csrf=${encodeURIComponent(csrfOf(page.text))}&title=senior&effectiveFrom=2030-09-01&minEducation=bachelor`
      + `&years.bachelor=4&years.doctorate=2&creditsComplete=on&certificates=teacher_qualification`).expect(303);
    expect(saved.headers.location).toBe('/titles/rules');
    const all = await rules();
    expect(all).toHaveLength(before + 1);
    expect(all.at(-1)).toEqual({
      region_code: 'SH-QP', title: 'senior', effectiveFrom: '2030-09-01',
      conditions: expect.objectContaining({ fromTitle: 'first', minEducation: 'bachelor', yearsAtPrevious: { bachelor: 4, doctorate: 2 }, creditsComplete: true, certificates: ['teacher_qualification'] }),
    });
    const after = await browser.get('/titles/rules').expect(200);
    expect(after.text).toContain('2030-09-01 起生效');
  });

  it('re-renders bad input with the message beside the field and writes nothing', async () => {
    const browser = await t.signInPages('district_admin');
    const page = await browser.get('/titles/rules').expect(200);
    const before = await rules();
    const refused = await browser.post('/titles/rules').type('form').send(
      `_csrf=${encodeURIComponent(csrfOf(page.text))}&title=first&effectiveFrom=2030-09-01&minEducation=junior_college&years.bachelor=40`).expect(400);
    expect(refused.text).toContain('<div class="invalid-feedback d-block" data-field-error="years.bachelor">年限须为 0 到 30 之间的数字</div>');
    expect(refused.text).toMatch(/id="years-bachelor"[^>]*value="40"/);
    const noTitle = await browser.post('/titles/rules').type('form').send(
      `_csrf=${encodeURIComponent(csrfOf(page.text))}&effectiveFrom=2030-09-01&minEducation=junior_college&years.bachelor=4`).expect(400);
    expect(noTitle.text).toContain('data-field-error="title"');
    expect(await rules()).toEqual(before);
  });

  it('refuses a kindergarten admin the page and the form', async () => {
    const browser = await t.signInPages('kg_admin');
    const home = await browser.get('/').expect(200);
    expect([403, 404]).toContain((await browser.get('/titles/rules')).status);
    const before = await rules();
    const refused = await browser.post('/titles/rules').type('form').send(
      `_csrf=${encodeURIComponent(csrfOf(home.text))}&title=senior&effectiveFrom=2031-09-01&minEducation=bachelor&years.bachelor=4`);
    expect([403, 404]).toContain(refused.status);
    expect(await rules()).toEqual(before);
  });
});
