import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { readXlsxRows } from '../../src/common/spreadsheet.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, PHONE, sideScroll, signIn } from '../support/browser.js';

describe('exporting the staff list in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true, env: { EXPORT_INLINE_ROWS: '100' } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a kindergarten admin filters the staff list, clicks 导出 Excel and gets the filtered list with masked IDs', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'kg_admin');
    await page.goto(`${t.baseUrl}/people?post=teacher`);
    const shown = await page.locator('[data-testid=people-table] tbody tr').count();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=list-export-xlsx]')]);
    expect(download.suggestedFilename()).toMatch(/^教职工名单-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const [header, ...rows] = await readXlsxRows(await readFile((await download.path())!));
    expect(header[0]).toBe('姓名');
    expect(rows.length).toBe(shown);
    expect(new Set(rows.map((r) => r[4]))).toEqual(new Set(['专任教师']));
    expect(rows.every((r) => /\*/.test(r[8]))).toBe(true);
    await context.close();
  });

  it('district HR on a phone: a large export goes to 我的导出, which fits the screen and offers the file', async () => {
    const context = await browser.newContext({ ...PHONE, acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'district_admin');
    await page.goto(`${t.baseUrl}/people`);
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);
    await Promise.all([page.waitForURL(/\/exports$/), page.click('[data-testid=list-export-csv]')]);
    // The job renders in the background; the page refreshes itself until it is ready.
    const job = page.locator('[data-testid=export-job][data-status=ready]').first();
    await job.waitFor();
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);
    const [download] = await Promise.all([page.waitForEvent('download'), job.locator('[data-testid=export-download]').click()]);
    expect(download.suggestedFilename()).toMatch(/^教职工名单-.*\.csv$/);
    const text = await readFile((await download.path())!, 'utf8');
    expect(text.split('\r\n').length).toBeGreaterThan(100);
    await context.close();
  });
});
