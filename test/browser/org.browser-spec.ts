import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn } from '../support/browser.js';

describe('org pages in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('finds a kindergarten by name, opens it, edits a field and sees the saved message', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, 'district_admin');
    await page.goto(`${t.baseUrl}/org`);
    expect(await page.textContent('h1')).toBe('组织机构');
    await page.fill('[data-testid=org-search]', '思源');
    await Promise.all([page.waitForURL(/q=/), page.click('[data-testid=org-search-submit]')]);
    const row = page.locator('[data-testid=org-table] tbody tr', { hasText: '上海市青浦区思源幼儿园' });
    expect(await row.count()).toBe(1);
    await Promise.all([page.waitForURL(/\/org\/[0-9a-f-]{36}$/), row.locator('a').first().click()]);
    expect(await page.textContent('[data-testid=org-name]')).toBe('上海市青浦区思源幼儿园');
    await page.fill('#f-childrenEnrolled', '288');
    await Promise.all([page.waitForURL(/\/org\/[0-9a-f-]{36}$/), page.click('[data-testid=org-save]')]);
    expect(await page.textContent('.alert-success')).toContain('已保存');
    expect(await page.inputValue('#f-childrenEnrolled')).toBe('288');
    await page.close();
  });

  it('shows the list and a unit on a phone screen', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true });
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'district_admin');
    await page.goto(`${t.baseUrl}/org?kind=kindergarten`);
    const table = page.locator('[data-testid=org-table]');
    expect(await table.isVisible()).toBe(true);
    const firstLink = table.locator('tbody tr a').first();
    expect(await firstLink.isVisible()).toBe(true);
    const box = await table.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.width).toBeLessThanOrEqual(375);
    await Promise.all([page.waitForURL(/\/org\/[0-9a-f-]{36}$/), firstLink.click()]);
    expect(await page.locator('[data-testid=org-edit-form]').isVisible()).toBe(true);
    await context.close();
  });
});
