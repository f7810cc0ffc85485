import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE } from '../support/browser.js';
import { mentoringFixtures, type StaffPick } from '../support/mentoring-fixtures.js';


describe('proposing a pairing from the suggestions on a phone', () => {
  let t: TestApp;
  let browser: Browser;
  let mentee: StaffPick;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
    mentee = (await mentoringFixtures(t.db.pool).staff('K001', 'mentees'))[0];
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the admin finds the mentee, reads why each mentor is suggested, picks the best as lead and the pairing is active', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'kg_admin');
    await page.goto(`${t.baseUrl}/mentoring/pairings`);
    await page.getByTestId('new-pairing').click();
    await page.getByTestId('mentee-search').fill(mentee.fullName);
    await page.getByTestId('mentee-search-go').click();
    await page.getByTestId('mentee-result').filter({ hasText: mentee.fullName }).first().click();
    await page.getByTestId('chosen-mentee').filter({ hasText: mentee.fullName }).waitFor();

    const first = page.getByTestId('suggestion').first();
    const mentorName = (await first.getByTestId('suggestion-name').textContent())!.trim();
    await first.getByTestId('suggestion-reasons').filter({ hasText: '职称' }).waitFor();
    await first.getByTestId('suggestion-role').selectOption('lead');
    await page.getByTestId('goals').fill('一年内能独立设计并组织集体教学活动');
    await page.getByTestId('propose').click();

    await page.waitForURL(/\/mentoring\/pairings\/[0-9a-f-]{36}$/);
    await page.getByTestId('detail-status').filter({ hasText: '进行中' }).waitFor();
    const people = await page.getByTestId('pairing-person').allTextContents();
    expect(people.join(' ')).toContain(mentorName);
    expect(people.join(' ')).toContain('主带教师傅');
    expect(await page.getByTestId('goals').textContent()).toBe('一年内能独立设计并组织集体教学活动');

    await page.goto(`${t.baseUrl}/mentoring/pairings`);
    expect(await page.getByTestId('pairing-mentee').allTextContents()).toContain(mentee.fullName);
    await context.close();
  });
});
