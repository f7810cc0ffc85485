import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, PHONE, sideScroll } from '../support/browser.js';
import { completionFixtures } from '../support/completion-fixtures.js';


describe('certificate verification in the browser', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lets anyone on a phone, signed out, check a code and read the status; a revoked one reads as revoked', async () => {
    const f = completionFixtures(t);
    const run = await f.run({ title: '幼儿园安全教育与应急处置', meetings: 1, hoursEach: 3 });
    const { enrollmentId, personId } = await f.fx.enrolUser(run.offeringId, 't00031');
    await f.mark(run.meetingIds[0], [{ enrollmentId, status: 'present' }]);
    const { rows: [certificate] } = await t.db.pool.query(
      `SELECT c.id, c.code, p.full_name FROM certificate c JOIN person p ON p.id = c.person_id WHERE c.person_id = $1`, [personId]);

    const page = await (await browser.newContext(PHONE)).newPage();
    // Typed as a person reads it off the paper: lower case, in groups of four.
    const typed = certificate.code.toLowerCase().match(/.{4}/g)!.join('-');
    const response = await page.goto(`${t.baseUrl}/verify/${typed}`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('[data-testid=verify-status]', 'data-status')).toBe('valid');
    expect(await page.textContent('[data-testid=verify-status]')).toContain('此证书真实有效');
    expect(await page.textContent('[data-testid=verify-name]')).toBe(certificate.full_name);
    expect(await page.textContent('[data-testid=verify-details]')).toContain('幼儿园安全教育与应急处置');
    expect(await page.locator('.navbar-toggler').count()).toBe(0);
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);

    const revoked = await t.http().post(`/api/certificates/${certificate.id}/revoke`)
      .set({ Authorization: `Bearer ${await t.token('district_admin')}` }).send({ reason: '核查有误' });
    expect(revoked.status).toBe(200);
    await page.reload();
    expect(await page.getAttribute('[data-testid=verify-status]', 'data-status')).toBe('revoked');
    expect(await page.textContent('[data-testid=verify-status]')).toMatch(/此证书已于 \d{4}-\d{2}-\d{2} 撤销/);

    const unknown = await page.goto(`${t.baseUrl}/verify/ABCDEFGHJKLMNPQR`);
    expect(unknown?.status()).toBe(404);
    expect(await page.getAttribute('[data-testid=verify-status]', 'data-status')).toBe('unknown');
  });
});
