import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { createPairing, dayFromToday, type PairingFixture } from '../support/mentoring-work-fixtures.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

describe('logging and confirming a mentoring activity in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let dataDir: string;
  let pairing: PairingFixture;

  async function pageFor(username: string, path: string) {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, username);
    await page.goto(`${t.baseUrl}${path}`);
    return page;
  }
  async function submit(page: Page, selector: string) {
    await Promise.all([page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame()), page.click(selector)]);
    await page.waitForLoadState('load');
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tgp-mentoring-browser-'));
    [t, browser] = await Promise.all([startTestApp({ listen: true, env: { DATA_DIR: dataDir } }), launchBrowser()]);
    pairing = await createPairing(t.db.pool, {
      mentee: 'teacher', mentors: [{ username: 't00001', role: 'lead' }], startsOn: dayFromToday(-60), endsOn: dayFromToday(300),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets the mentee log an open lesson on a phone and the mentor confirm it, after which it counts', async () => {
    const mentee = await pageFor('teacher', `/mentoring/pairings/${pairing.id}/activities`);
    expect(await mentee.textContent('[data-testid=progress-menteeOpenLessons] [data-testid=progress-count]')).toContain('0 / 1');
    await mentee.click('summary');
    await mentee.selectOption('#kind', 'open_lesson');
    await mentee.fill('#occurredOn', dayFromToday(-1));
    await mentee.fill('#durationMinutes', '30');
    await mentee.fill('#notes', '中班科学活动《有趣的影子》');
    await mentee.setInputFiles('#files', { name: '活动照片.png', mimeType: 'image/png', buffer: PNG });
    await submit(mentee, '[data-testid=log-submit]');
    expect(await mentee.textContent('.alert-success')).toContain('活动已记录');
    const row = mentee.locator('[data-testid=activity][data-kind=open_lesson]');
    expect(await row.locator('[data-testid=activity-status]').textContent()).toBe('待确认');
    expect(await row.locator('a').textContent()).toContain('活动照片.png');
    // The mentee's own log has no confirm button: the other side confirms it.
    expect(await row.locator('[data-testid=confirm]').count()).toBe(0);
    expect(await sideScroll(mentee)).toBeLessThanOrEqual(0);

    const mentor = await pageFor('t00001', '/me/mentoring');
    expect(await mentor.locator('[data-testid=pending]').count()).toBe(1);
    await mentor.goto(`${t.baseUrl}/mentoring/pairings/${pairing.id}/activities`);
    await submit(mentor, '[data-testid=activity][data-kind=open_lesson] [data-testid=confirm]');
    expect(await mentor.textContent('.alert-success')).toContain('已确认');
    expect(await mentor.textContent('[data-testid=activity][data-kind=open_lesson] [data-testid=activity-status]')).toBe('已确认');
    expect(await mentor.textContent('[data-testid=progress-menteeOpenLessons] [data-testid=progress-count]')).toContain('1 / 1');
    expect(await sideScroll(mentor)).toBeLessThanOrEqual(0);

    await mentee.reload();
    expect(await mentee.textContent('[data-testid=progress-menteeOpenLessons] [data-testid=progress-count]')).toContain('1 / 1');
  });
});
