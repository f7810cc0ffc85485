import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';


describe('a mutual request from my mentoring on a phone', () => {
  let t: TestApp;
  let browser: Browser;

  async function pageFor(username: string) {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, username);
    await page.goto(`${t.baseUrl}/me/mentoring`);
    return page;
  }

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the mentee finds a mentor by name and asks; the mentor signs from their own page', async () => {
    const mentorName = (await t.db.pool.query(`SELECT p.full_name FROM person p JOIN app_user u ON u.person_id = p.id WHERE u.username = 't00022'`)).rows[0].full_name as string;
    const mentee = await pageFor('t00003');
    await mentee.getByTestId('request-pairing').click();
    await mentee.getByTestId('request-side').selectOption('mentee');
    await mentee.getByTestId('people-search').fill(mentorName);
    await mentee.getByTestId('people-search-go').click();
    const found = mentee.getByTestId('person').filter({ hasText: mentorName });
    await found.getByTestId('person-role').selectOption('lead');
    await mentee.getByTestId('goals').fill('一年内能独立组织区域活动');
    expect(await sideScroll(mentee)).toBeLessThanOrEqual(0);
    await mentee.getByTestId('send-request').click();
    await mentee.waitForURL(/\/mentoring\/pairings\/[0-9a-f-]{36}$/);
    await mentee.getByTestId('detail-status').filter({ hasText: '待确认' }).waitFor();

    const mentor = await pageFor('t00022');
    const card = mentor.getByTestId('my-pairing').filter({ has: mentor.getByTestId('sign') });
    expect(await card.count()).toBe(1);
    expect(await sideScroll(mentor)).toBeLessThanOrEqual(0);
    await card.getByTestId('sign').click();
    await mentor.waitForURL(/\/mentoring\/pairings\/[0-9a-f-]{36}$/);
    await mentor.goto(`${t.baseUrl}/me/mentoring`);
    expect(await mentor.getByTestId('sign').count()).toBe(0);
  });
});
