import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { catalogFixtures } from '../support/catalog-fixtures.js';
import { assessmentFixtures } from '../support/assessment-fixtures.js';


describe('the gradebook on a phone', () => {
  let t: TestApp;
  let browser: Browser;
  let offeringId: string;
  let essayId: string;
  const enrollments: string[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
    const fx = catalogFixtures(t.db.pool);
    const ax = assessmentFixtures(t.db.pool);
    offeringId = await fx.createOffering(await fx.createCourse({ title: '幼儿园户外游戏' }), { trainers: ['trainer'] });
    for (const username of ['t00201', 't00202', 't00203']) enrollments.push((await fx.enrolUser(offeringId, username)).enrollmentId);
    essayId = await ax.createItem(offeringId, { title: '游戏观察记录', position: 0 });
    // Enough items that the table is wider than a phone and must scroll sideways.
    for (let i = 1; i <= 5; i++) await ax.createItem(offeringId, { title: `作业${i}`, position: i });
    await ax.submit(essayId, enrollments[0]);
    await ax.submit(essayId, enrollments[1]);
    await ax.grade(essayId, enrollments[0], { points: 88, passed: true });
    await ax.grade(essayId, enrollments[1], { points: 30, passed: false, released: false });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('scrolls the table with the learner column fixed, filters in place, and links each cell to its grading page', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'trainer');
    await page.goto(`${t.baseUrl}/teaching/offerings/${offeringId}/gradebook`);
    expect(await page.locator('[data-testid=gradebook-row]').count()).toBe(3);
    // The page itself does not scroll sideways; the table does, inside its frame.
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);
    const frame = page.locator('.table-responsive');
    const name = page.locator('[data-testid=learner-name]').first();
    const before = (await name.boundingBox())!;
    await frame.evaluate((el) => { el.scrollLeft = 400; });
    expect(await frame.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    const after = (await name.boundingBox())!;
    expect(Math.abs(after.x - before.x)).toBeLessThan(1);
    await frame.evaluate((el) => { el.scrollLeft = 0; });

    expect(await page.locator('[data-testid=unreleased]').count()).toBe(1);
    await page.selectOption('[data-testid=filter-status]', 'failed');
    await page.waitForURL(/status=failed/);
    await page.locator('[data-testid=gradebook-row]').nth(1).waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=gradebook-row]').count()).toBe(1);
    expect(await page.locator('[data-testid=gradebook-row]').getAttribute('data-enrollment-id')).toBe(enrollments[1]);
    expect(await page.textContent('[data-testid=learner-count]')).toContain('1');

    const link = page.locator(`[data-testid=gradebook-row] a[href="/teaching/items/${essayId}/grade/${enrollments[1]}"]`);
    expect(await link.textContent()).toContain('未发布');
    await context.close();
  });
});
