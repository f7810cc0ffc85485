import type { Browser } from 'playwright-core';
import { launchBrowser, PHONE, sideScroll, signIn } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the principal reports on a phone', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the ladder with stage counts, filters a stage, and opens the 双证 report', async () => {
    const { rows: [ladder] } = await t.db.pool.query(
      `SELECT count(*)::int AS total, (count(*) FILTER (WHERE p.principal_stage = 'reserve'))::int AS reserve
         FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE k.path LIKE (SELECT path FROM org_unit WHERE code = 'SH-QP') || '%'
          AND (p.current_post IN ('principal', 'vice_principal') OR p.principal_stage IS NOT NULL)`);
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'district_admin');
    await page.goto(`${t.baseUrl}/principals`);
    expect(await page.locator('[data-testid=ladder-row]').count()).toBe(ladder.total);
    expect(await page.getAttribute('[data-testid=stage-count][data-stage=reserve]', 'data-count')).toBe(String(ladder.reserve));
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);

    await page.locator('[data-testid=stage-count][data-stage=reserve]').tap();
    await page.waitForURL(/stage=reserve/);
    expect(await page.locator('[data-testid=ladder-row]').count()).toBe(ladder.reserve);
    expect(await page.locator('[data-testid=ladder-row]:not([data-stage=reserve])').count()).toBe(0);
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);

    await page.locator('[data-testid=to-two-certificates]').tap();
    await page.waitForURL(/\/principals\/two-certificates/);
    const api = (await t.http().get('/api/principals/two-certificates').set({ Authorization: `Bearer ${await t.token('district_admin')}` }).expect(200)).body;
    expect(await page.getAttribute('[data-figure=atAppointment]', 'data-count')).toBe(String(api.heldAtAppointment.count));
    expect(await page.textContent('[data-figure=now] [data-testid=figure-share]')).toContain(`${api.heldNow.share}%`);
    expect(await page.locator('[data-testid=gap-row]').count()).toBe(api.gaps.length);
    expect(await page.textContent('h1')).toContain('双证');
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('keeps a kindergarten admin to their kindergarten', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'kg_admin');
    await page.goto(`${t.baseUrl}/principals`);
    const { rows: [k001] } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE k.code = 'SH-QP-K001' AND (p.current_post IN ('principal', 'vice_principal') OR p.principal_stage IS NOT NULL)`);
    expect(await page.locator('[data-testid=ladder-row]').count()).toBe(k001.n);
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);
    await context.close();
  });
});
