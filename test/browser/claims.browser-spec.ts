import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

describe('claiming outside training in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let dataDir: string;

  async function pageFor(username: string) {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, username);
    await page.goto(`${t.baseUrl}/claims`);
    return page;
  }
  /** Clicks a form's button and waits for the page the server answers (a redirect after success, the form again on a refusal). */
  async function submit(page: Page, selector: string) {
    await Promise.all([page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame()), page.click(selector)]);
    await page.waitForLoadState('load');
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tgp-claims-browser-'));
    [t, browser] = await Promise.all([startTestApp({ listen: true, env: { DATA_DIR: dataDir } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets a teacher claim a certificate on a phone, the kindergarten pass it and the district approve it', async () => {
    const teacher = await pageFor('teacher');
    expect(await teacher.locator('[data-testid=my-claims-empty]').count()).toBe(1);
    await teacher.fill('#title', '上海市学前教育学会年会专题研修');
    await teacher.fill('#provider', '上海市学前教育学会');
    await teacher.fill('#certificateNumber', 'SHPE-2026-00871');
    await teacher.fill('#hours', '12');
    await teacher.selectOption('#category', 'knowledge_skills');
    await teacher.selectOption('#level', 'city');
    await teacher.fill('#occurredOn', '2026-10-18');

    // Without the certificate: the error sits beside the file field and what was typed stays.
    await submit(teacher, '[data-testid=submit-claim]');
    expect(await teacher.textContent('[data-field-error=evidence]')).toBe('请上传结业证书');
    expect(await teacher.inputValue('#title')).toBe('上海市学前教育学会年会专题研修');
    expect(await teacher.inputValue('#category')).toBe('knowledge_skills');
    expect(await teacher.inputValue('#occurredOn')).toBe('2026-10-18');

    await teacher.setInputFiles('#evidence', { name: '结业证书.pdf', mimeType: 'application/pdf', buffer: PDF });
    await submit(teacher, '[data-testid=submit-claim]');
    expect(await teacher.textContent('.alert-success')).toContain('认定申请已提交');
    const mine = teacher.locator('[data-testid=my-claim]');
    expect(await mine.count()).toBe(1);
    expect(await mine.locator('[data-testid=my-claim-title]').textContent()).toBe('上海市学前教育学会年会专题研修');
    expect(await mine.locator('[data-testid=my-claim-status]').textContent()).toBe('待园所审核');
    expect(await sideScroll(teacher)).toBeLessThanOrEqual(0);

    const admin = await pageFor('kg_admin');
    const row = admin.locator('[data-testid=inbox-row]', { hasText: '上海市学前教育学会年会专题研修' });
    expect(await row.locator('[data-testid=evidence-link]').getAttribute('href')).toMatch(/^\/api\/files\/[0-9a-f-]{36}$/);
    // Rejecting needs a reason: the row says so and nothing changes.
    await submit(admin, '[data-testid=inbox-row]:has-text("上海市学前教育学会年会专题研修") [data-testid=reject]');
    expect(await admin.textContent('[data-testid=row-error]')).toBe('不通过时请填写原因');
    await submit(admin, '[data-testid=inbox-row]:has-text("上海市学前教育学会年会专题研修") [data-testid=approve]');
    expect(await admin.textContent('.alert-success')).toContain('已通过园所审核');
    expect(await admin.locator('[data-testid=inbox-row]', { hasText: '上海市学前教育学会年会专题研修' }).count()).toBe(0);
    expect(await sideScroll(admin)).toBeLessThanOrEqual(0);

    await teacher.reload();
    expect(await teacher.textContent('[data-testid=my-claim-status]')).toBe('待区里认定');

    const district = await pageFor('district_admin');
    expect(await district.locator('[data-testid=claim-form]').count()).toBe(0);
    await submit(district, '[data-testid=inbox-row]:has-text("上海市学前教育学会年会专题研修") [data-testid=approve]');
    expect(await district.textContent('.alert-success')).toContain('学分已记入档案');

    await teacher.reload();
    expect(await teacher.textContent('[data-testid=my-claim-status]')).toBe('已认定');
    const { rows } = await t.db.pool.query(`SELECT e.credits::float FROM credit_claim c JOIN credit_entry e ON e.id = c.entry_id WHERE c.certificate_number = 'SHPE-2026-00871'`);
    expect(rows).toEqual([{ credits: 1.2 }]);
    for (const page of [teacher, admin, district]) await page.context().close();
  });
});
