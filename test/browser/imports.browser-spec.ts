import { readFile } from 'node:fs/promises';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { readXlsxRows } from '../../src/common/spreadsheet.js';
import { StaffImporter } from '../../src/modules/imports/staff-importer.js';
import { csvOf, staffRow, staffTable } from '../support/import-fixtures.js';
import { launchBrowser, PHONE, sideScroll, signIn } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('importing staff in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('district HR on a phone uploads a sheet, watches the check finish, confirms and downloads the result', async () => {
    const rows = [...Array.from({ length: 30 }, (_, i) => staffRow(700 + i)), staffRow(730, { kindergartenCode: 'SH-QP-K999' })];
    const dir = await mkdtemp(join(tmpdir(), 'import-browser-'));
    const file = join(dir, '新学期教职工.csv');
    await writeFile(file, csvOf(staffTable(rows), 'gbk'));

    // The dry run waits at its first batch until the page has shown it running.
    const importer = t.app.get(StaffImporter);
    const check = importer.check.bind(importer);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const held = jest.spyOn(importer, 'check').mockImplementation(async (...args) => { await gate; return check(...args); });

    const context = await browser.newContext({ ...PHONE, acceptDownloads: true });
    const page = await context.newPage();
    try {
      await signIn(page, t.baseUrl, 'district_admin');
      await page.goto(`${t.baseUrl}/imports`);
      expect(await sideScroll(page)).toBeLessThanOrEqual(0);
      await page.selectOption('#kind', 'staff');
      await page.setInputFiles('#file', file);
      await Promise.all([page.waitForURL(/\/imports\/[0-9a-f-]{36}$/), page.click('[data-testid=upload]')]);
      // The page follows the running check: its row count arrives once the file is counted.
      await page.locator('[data-testid=progress]').waitFor();
      await page.locator('[data-progress-total]', { hasText: /^31$/ }).waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-progress-done]').textContent()).toBe('0');

      release();
      // No reload by hand: the page follows the job and shows the outcome when the check ends.
      await page.locator('[data-testid=confirm]').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-testid=status]').textContent()).toBe('待确认');
      expect(await page.locator('[data-testid=count-create] [data-count]').textContent()).toBe('30');
      const problem = page.locator('[data-testid=problem-row]');
      expect(await problem.getAttribute('data-row')).toBe('32');
      expect(await problem.locator('[data-testid=problem-reason]').textContent()).toBe('本区没有代码为 SH-QP-K999 的幼儿园');
      expect(await sideScroll(page)).toBeLessThanOrEqual(0);

      await page.click('[data-testid=confirm]');
      await page.locator('[data-testid=status]', { hasText: '已完成' }).waitFor({ timeout: 30_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=result-xlsx]')]);
      expect(download.suggestedFilename()).toBe('新学期教职工-导入结果.xlsx');
      const [header, ...result] = await readXlsxRows(await readFile((await download.path())!));
      expect(header.slice(0, 3)).toEqual(['行号', '结果', '已写入']);
      expect(result).toHaveLength(31);
      expect(result.filter((r) => r[1] === '新增' && r[2] === '是')).toHaveLength(30);
      const { rows: [written] } = await t.db.pool.query(`SELECT count(*)::int AS n FROM person WHERE full_name LIKE '导入测试7__'`);
      expect(written.n).toBe(30);
    } finally {
      release();
      held.mockRestore();
      await context.close();
    }
  });
});
