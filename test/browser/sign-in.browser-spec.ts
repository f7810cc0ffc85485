import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, sideScroll } from '../support/browser.js';
import { DEMO_PASSWORD } from '../support/env.js';

describe('signing in with a browser', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows a Chinese sign-in page, rejects a wrong password, signs in, switches language and signs out', async () => {
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text()); });
    await page.goto(`${t.baseUrl}/audit`);
    await page.waitForURL(/\/login\?next=%2Faudit/);
    expect(await page.textContent('h1')).toBe('登录');
    await page.fill('#identifier', 'district_admin');
    await page.fill('#password', 'not-the-password1');
    await page.click('button[type=submit]');
    expect(await page.textContent('[data-testid=login-error]')).toContain('用户名或密码不正确');
    await page.fill('#identifier', 'district_admin');
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL(/\/audit$/), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toBe('审计日志');
    await page.goto(`${t.baseUrl}/`);
    expect(await page.textContent('h1')).toContain('欢迎');
    await page.click('[data-testid=lang-switch]');
    expect(await page.textContent('h1')).toContain('Welcome');
    await page.click('[data-testid=sign-out]');
    await page.waitForURL(/\/login/);
    await page.goto(`${t.baseUrl}/`);
    await page.waitForURL(/\/login/);
    expect(cspErrors).toEqual([]);
  });

  it('fits a phone screen: the menu collapses behind a toggle that opens it', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true });
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'teacher');
    const toggler = page.locator('.navbar-toggler');
    expect(await toggler.isVisible()).toBe(true);
    expect(await page.locator('[data-testid=sign-out]').isVisible()).toBe(false);
    await toggler.click();
    await page.locator('[data-testid=sign-out]').waitFor({ state: 'visible' });
    const overflow = await sideScroll(page);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});
