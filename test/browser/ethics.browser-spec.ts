import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, sideScroll } from '../support/browser.js';

describe('recording an ethics sanction in the browser, on a phone', () => {
  let t: TestApp;
  let browser: Browser;
  let person: { id: string; fullName: string };
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
    const { rows } = await t.db.pool.query(
      `SELECT p.id, p.full_name AS "fullName" FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id WHERE k.code = 'SH-QP-K002' ORDER BY p.full_name LIMIT 1`);
    person = rows[0];
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the field error for an end before the decision, then records a warning with its 24-month block, and revokes it with a reason', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true });
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'district_admin');
    await page.goto(`${t.baseUrl}/people/${person.id}/ethics`);
    expect(await page.textContent('[data-testid=person-name]')).toBe(person.fullName);
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);

    await page.selectOption('#kind', 'warning');
    await page.fill('#decidedOn', '2026-03-01');
    await page.fill('#sanctionUntil', '2026-02-01');
    await page.fill('#reason', '体罚幼儿');
    await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=sanction-form] button[type=submit]')]);
    expect(await page.textContent('[data-field-error=sanctionUntil]')).toBe('结束日期不能早于决定日期');
    expect(await page.inputValue('#reason')).toBe('体罚幼儿');
    expect(await page.locator('[data-testid=sanction]').count()).toBe(0);

    await page.fill('#sanctionUntil', '');
    await Promise.all([page.waitForURL(`${t.baseUrl}/people/${person.id}/ethics`), page.click('[data-testid=sanction-form] button[type=submit]')]);
    const sanction = page.locator('[data-testid=sanction]');
    expect(await sanction.count()).toBe(1);
    expect(await sanction.getAttribute('data-status')).toBe('active');
    expect(await sanction.locator('[data-testid=blocks-until]').textContent()).toBe('2028-03-01');

    await sanction.locator('summary').click();
    await sanction.locator('input[name=reason]').fill('复议撤销');
    await Promise.all([page.waitForURL(`${t.baseUrl}/people/${person.id}/ethics`), sanction.locator('button[type=submit]').click()]);
    expect(await page.locator('[data-testid=sanction]').getAttribute('data-status')).toBe('revoked');
    await context.close();
  });
});
