import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, sideScroll } from '../support/browser.js';

const TITLE_LABELS: Record<string, string> = { third: '三级', second: '二级', first: '一级', senior: '高级', professorial: '正高级' };

describe('a teacher\'s own record in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let own: { fullName: string; kindergarten: string; title: string | null };
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
    const { rows } = await t.db.pool.query(
      `SELECT p.full_name, k.name AS kindergarten,
              (SELECT r.title FROM title_record r WHERE r.person_id = p.id ORDER BY r.effective_date DESC, r.created_at DESC LIMIT 1) AS title
         FROM app_user u JOIN person p ON p.id = u.person_id JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE u.username = 'teacher'`);
    own = { fullName: rows[0].full_name, kindergarten: rows[0].kindergarten, title: rows[0].title };
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in, sees 我的档案 with name, kindergarten and title, and cannot open the staff list', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, 'teacher');
    await page.click('a.nav-link[href="/me"]');
    await page.waitForURL(/\/me$/);
    expect(await page.textContent('[data-testid=person-name]')).toBe(own.fullName);
    expect(await page.textContent('[data-testid=person-kindergarten]')).toBe(own.kindergarten);
    if (own.title) expect(await page.textContent('[data-testid=person-title]')).toBe(TITLE_LABELS[own.title]);
    expect(await page.textContent('[data-testid=national-id]')).toMatch(/^\d{3}\*{11}\d{3}[\dX]$/);
    expect(await page.locator('[data-testid=record-forms]').count()).toBe(0);
    expect(await page.locator('a.nav-link[href="/people"]').count()).toBe(0);
    const denied = await page.goto(`${t.baseUrl}/people`);
    expect(denied?.status()).toBe(403);
    expect(await page.textContent('[data-testid=error-message]')).toBe('您没有执行此操作的权限');
    await page.close();
  });

  it('is readable on a phone: nothing wider than the screen, history stacked under the personal data', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true });
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'teacher');
    await page.goto(`${t.baseUrl}/me`);
    expect(await page.locator('[data-testid=person-name]').isVisible()).toBe(true);
    const overflow = await sideScroll(page);
    expect(overflow).toBeLessThanOrEqual(0);
    const personal = await page.locator('[data-testid=national-id]').boundingBox();
    const history = await page.locator('[data-testid=employments]').boundingBox();
    expect(personal && history && history.y > personal.y && history.x < 60).toBe(true);
    expect(await page.locator('[data-testid=employments] li').first().isVisible()).toBe(true);
    await context.close();
  });
});
