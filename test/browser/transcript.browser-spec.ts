import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { catalogFixtures } from '../support/catalog-fixtures.js';
import { teachers } from '../support/offering-fixtures.js';


describe('我的学分 in the browser', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows a teacher on a phone their progress rings, what is missing, and an open offering that fills it', async () => {
    const fixtures = catalogFixtures(t.db.pool);
    const [{ username, personId, kindergartenId }] = await teachers(t.db.pool, 1, `p.current_post = 'teacher' AND p.hire_date < '2025-01-01'`);
    const { rows: [kindergarten] } = await t.db.pool.query('SELECT code FROM org_unit WHERE id = $1', [kindergartenId]);
    await t.db.pool.query(
      `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, title, occurred_on)
       SELECT id, district_id, 20, 2, 'ethics', 'district', 'manual_adjustment', '区级师德专题研修', '2026-04-20' FROM person WHERE id = $1`, [personId]);
    const courseId = await fixtures.createCourse({ ownerCode: kindergarten.code, title: '幼儿园园本实践：晨间活动组织', level: 'kindergarten', category: 'practice', hours: 30, credits: 3 });
    const offeringId = await fixtures.createOffering(courseId, { enrolClosesAt: new Date(Date.now() + 86_400_000) });

    const page = await (await browser.newContext(PHONE)).newPage();
    await signIn(page, t.baseUrl, username);
    await page.click('.navbar-toggler');
    await Promise.all([page.waitForURL((url) => url.pathname === '/me/transcript'), page.click('a.nav-link:has-text("我的学分")')]);

    expect(await page.textContent('h1')).toContain('我的学分');
    const ethics = page.locator('[data-scheme="sh-teacher-36"] [data-testid=ring][data-rule="区级·师德素养"]');
    expect(await ethics.getAttribute('data-percent')).toBe('100');
    expect(await ethics.textContent()).toContain('2 / 2 学分');
    expect(await page.locator('[data-scheme="sh-teacher-36"] [data-testid=ring][data-rule="园本·实践体验"]').getAttribute('data-percent')).toBe('0');
    expect(await page.locator('[data-testid=missing-line]', { hasText: '园本·实践体验还差 11 学分' }).count()).toBe(1);
    expect(await page.textContent('[data-testid=entry]')).toContain('区级师德专题研修');
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);

    const suggestion = page.locator(`[data-testid=suggestion][data-offering-id="${offeringId}"]`);
    expect(await suggestion.textContent()).toContain('可补：园本·实践体验');
    await Promise.all([page.waitForURL((url) => url.pathname === `/offerings/${offeringId}`), suggestion.click()]);
    expect(await page.textContent('[data-testid=course-title]')).toBe('幼儿园园本实践：晨间活动组织');
    await page.context().close();
  });
});
