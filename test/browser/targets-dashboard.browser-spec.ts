import type { Browser } from 'playwright-core';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { seniorCounts } from '../support/targets-fixtures.js';


describe('the title-coverage dashboard', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('draws the coverage chart and lists the kindergartens without a senior-title teacher, on a desktop and behind a toggle on a phone', async () => {
    const counts = await seniorCounts(t.db.pool, 'SH-QP');
    const uncovered = [...counts].filter(([, k]) => k.count === 0).map(([id]) => id).sort();

    const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desktop.newPage();
    await signIn(page, t.baseUrl, 'district_admin');
    await page.goto(`${t.baseUrl}/targets/title-coverage`);
    await page.locator('[data-testid="coverage-chart"] svg').first().waitFor({ state: 'visible' });
    // One bar per town for each of the two series.
    const { rows: towns } = await t.db.pool.query(
      `SELECT count(DISTINCT t.id)::int AS n FROM org_unit k JOIN org_unit t ON t.kind = 'town' AND k.path LIKE t.path || '%'
        WHERE k.kind = 'kindergarten' AND k.status = 'operating' AND k.ownership = 'public'`);
    expect(await page.locator('[data-testid="by-town"] tbody tr').count()).toBe(towns[0].n);
    const listed = await page.locator('[data-testid="gap"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-kindergarten-id')));
    expect(listed.sort()).toEqual(uncovered);
    expect(await page.locator('[data-testid="plan-action"]').count()).toBe(uncovered.length);
    await page.click('[data-chart-series="byGroup"]');
    expect(await page.locator('[data-chart-series="byGroup"].active').count()).toBe(1);
    await desktop.close();

    const phone = await browser.newContext(PHONE);
    const small = await phone.newPage();
    await signIn(small, t.baseUrl, 'district_admin');
    await small.goto(`${t.baseUrl}/targets/title-coverage`);
    expect(await small.locator('#coverage-chart-box').isVisible()).toBe(false);
    await small.click('[data-testid="chart-toggle"]');
    await small.locator('[data-testid="coverage-chart"] svg').first().waitFor({ state: 'visible' });
    const box = await small.locator('[data-testid="coverage-chart"] svg').first().boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.width).toBeLessThanOrEqual(375);
    expect(await small.locator('[data-testid="gap"]').count()).toBe(uncovered.length);
    // Nothing wider than the screen.
    expect(await sideScroll(small)).toBeLessThanOrEqual(0);
    await phone.close();
  });
});
