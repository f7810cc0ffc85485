import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { semesters } from '../support/lecture-fixtures.js';
import { shanghaiDate } from '../../src/common/dates.js';

describe('filing a lecture-series schedule on a phone, and the city seeing it', () => {
  let t: TestApp;
  let browser: Browser;
  const s = semesters(shanghaiDate());

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the district starts the coming semester, adds a session with a demonstration-kindergarten principal, files it; the city sees it filed', async () => {
    const district = await browser.newContext(PHONE);
    const page = await district.newPage();
    await signIn(page, t.baseUrl, 'district_admin');
    await page.goto(`${t.baseUrl}/lectures`);
    const coming = page.locator(`[data-testid="semester"][data-semester="${s.next}"]`);
    await coming.getByTestId('countdown').waitFor();
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);
    await coming.getByTestId('create-series').click();
    await page.waitForURL(/\/lectures\/series\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('series-title').textContent()).toContain('青浦区示范园园长大课堂');

    // First a mistake: the end before the start is named beside the field, and the input stays.
    const month = s.nextMonths[1];
    await page.selectOption('#month', month);
    await page.fill('#topic', '幼儿园课程领导力的实践与反思');
    const speaker = page.locator('#speakerPersonId option').filter({ hasText: '园长' }).nth(0);
    await page.selectOption('#speakerPersonId', (await speaker.getAttribute('value'))!);
    await page.fill('#date', `${month}-12`);
    await page.fill('#startTime', '14:00');
    await page.fill('#endTime', '13:00');
    await page.getByTestId('save-session').click();
    await page.locator('[data-field-error="endTime"]').waitFor();
    expect(await page.inputValue('#topic')).toBe('幼儿园课程领导力的实践与反思');
    await page.fill('#endTime', '16:30');
    await page.getByTestId('save-session').click();
    await page.getByTestId('session').filter({ hasText: '幼儿园课程领导力的实践与反思' }).waitFor();
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);

    await page.getByTestId('file-series').click();
    await page.getByTestId('filed-at').waitFor();
    expect(await page.getByTestId('filing-state').textContent()).toBe('已按时报送');
    await district.close();

    const city = await browser.newContext(PHONE);
    const cityPage = await city.newPage();
    await signIn(cityPage, t.baseUrl, 'city_admin');
    await cityPage.goto(`${t.baseUrl}/lectures/city?semester=${s.next}`);
    const row = cityPage.getByTestId('district-row').filter({ hasText: '青浦区' });
    expect(await row.getAttribute('data-state')).toBe('filed_on_time');
    expect(await row.getByTestId('session-count').textContent()).toBe('1');
    expect(await cityPage.getByTestId('total-filed_on_time').textContent()).toContain('1');
    expect(await sideScroll(cityPage)).toBeLessThanOrEqual(0);
    await city.close();
  });
});
