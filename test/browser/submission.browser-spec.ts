import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { catalogFixtures } from '../support/catalog-fixtures.js';
import { assessmentFixtures } from '../support/assessment-fixtures.js';
import { PDF } from '../support/submission-fixtures.js';


describe('handing in an assignment on a phone', () => {
  let t: TestApp;
  let browser: Browser;
  let offeringId: string;
  let itemId: string;
  let pdfPath: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
    const fx = catalogFixtures(t.db.pool);
    offeringId = await fx.createOffering(await fx.createCourse({ title: '区域游戏观察' }), { trainers: ['trainer'] });
    await fx.enrolUser(offeringId, 'teacher');
    itemId = await assessmentFixtures(t.db.pool).createItem(offeringId, { title: '游戏观察记录', dueIn: 48, allowedFileTypes: ['application/pdf'] });
    pdfPath = join(tmpdir(), `观察记录-${process.pid}.pdf`);
    await writeFile(pdfPath, PDF);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (pdfPath) await rm(pdfPath, { force: true });
  });

  it('submits a text and a PDF from the item page and finds them in the history', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'teacher');
    await page.goto(`${t.baseUrl}/learning/offerings/${offeringId}/items`);
    expect(await page.textContent('[data-testid=my-item-status]')).toBe('未提交');
    await page.tap('[data-testid=my-item-title]');
    await page.waitForURL(new RegExp(`/learning/items/${itemId}$`));

    await page.fill('[data-testid=submission-body]', '今天观察了建构区的合作游戏。');
    await page.setInputFiles('[data-testid=submission-files]', pdfPath);
    await Promise.all([page.waitForURL(new RegExp(`/learning/items/${itemId}$`)), page.tap('[data-testid=submit]')]);

    expect(await page.textContent('.alert-success')).toContain('已提交');
    expect(await page.textContent('[data-testid=item-status]')).toBe('已提交');
    const attempt = page.locator('[data-testid=attempt]');
    expect(await attempt.count()).toBe(1);
    expect(await attempt.locator('[data-testid=attempt-body]').textContent()).toBe('今天观察了建构区的合作游戏。');
    expect(await attempt.locator('[data-testid=attempt-file]').textContent()).toMatch(/^观察记录-\d+\.pdf$/);
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);

    const href = await attempt.locator('[data-testid=attempt-file]').getAttribute('href');
    const download = await page.request.get(`${t.baseUrl}${href}`);
    expect(download.status()).toBe(200);
    expect((await download.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await context.close();
  });
});
