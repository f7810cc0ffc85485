import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { catalogFixtures } from '../support/catalog-fixtures.js';

const MINUTE = 60_000;

describe('the attendance sheet on a phone', () => {
  let t: TestApp;
  let browser: Browser;
  let meetingId: string;
  let offeringId: string;
  let learners: { enrollmentId: string; fullName: string }[];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
    const fx = catalogFixtures(t.db.pool);
    offeringId = await fx.createOffering(await fx.createCourse({ title: '区域活动中的师幼互动' }), { trainers: ['trainer'] });
    meetingId = await fx.addMeeting(offeringId, { startsAt: new Date(Date.now() - 15 * MINUTE), hours: 2, title: '第二讲' });
    const enrolled = [];
    for (const username of ['t00101', 't00102', 't00103', 't00104']) enrolled.push(await fx.enrolUser(offeringId, username));
    const { rows } = await t.db.pool.query(`SELECT e.id, p.full_name FROM enrollment e JOIN person p ON p.id = e.person_id WHERE e.id = ANY($1::uuid[])`,
      [enrolled.map((e) => e.enrollmentId)]);
    learners = rows.map((r) => ({ enrollmentId: r.id, fullName: r.full_name }));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const row = (page: Page, enrollmentId: string) => page.locator(`#row-${enrollmentId}`);
  const checked = (page: Page, enrollmentId: string) =>
    page.locator(`input[name="status[${enrollmentId}]"]:checked`).evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));

  it('marks one learner per tap, the rest present at once, and keeps the marks after a reload', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'trainer');
    await page.goto(`${t.baseUrl}/teaching`);
    await page.click(`a[href="/teaching/offerings/${offeringId}"]`);
    await page.click(`a[href="/teaching/meetings/${meetingId}/attendance"][data-testid=meeting-attendance]`);
    await page.waitForURL(new RegExp(`/teaching/meetings/${meetingId}/attendance$`));
    expect(await page.locator('[data-testid=attendance-row]').count()).toBe(4);
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);

    const [first, second, third] = learners;
    // A tap saves that learner at once (htmx replaces the line with the saved one).
    await row(page, first.enrollmentId).locator('[data-testid=mark-absent]').tap();
    await row(page, first.enrollmentId).locator('[data-testid=row-saved]').waitFor();
    expect(await page.textContent('[data-testid=sheet-totals]')).toContain('未考勤 3 人');
    await row(page, second.enrollmentId).locator('[data-testid=mark-late]').tap();
    await row(page, second.enrollmentId).locator('[data-testid=row-hours]').waitFor();
    await row(page, second.enrollmentId).locator('[data-testid=row-hours]').fill('1.5');
    await row(page, second.enrollmentId).locator('[data-testid=row-hours]').press('Tab');
    await row(page, second.enrollmentId).locator('[data-testid=row-hours][value="1.5"]').waitFor();
    await row(page, third.enrollmentId).locator('[data-testid=mark-excused]').tap();
    await row(page, third.enrollmentId).locator('[data-testid=row-saved]').waitFor();
    const box = await row(page, third.enrollmentId).locator('[data-testid=mark-excused]').boundingBox();
    expect(box && box.x + box.width <= 375).toBe(true);

    await Promise.all([page.waitForURL(/attendance$/), page.locator('[data-testid=mark-all-present]').tap()]);
    expect(await page.locator('.alert-success').textContent()).toContain('未考勤的学员已全部标记为出勤');

    await page.reload();
    const marks = Object.fromEntries(await Promise.all(learners.map(async (l) => [l.fullName, await checked(page, l.enrollmentId)])));
    expect(marks).toEqual({
      [first.fullName]: ['absent'], [second.fullName]: ['late'], [third.fullName]: ['excused'], [learners[3].fullName]: ['present'],
    });
    expect(await row(page, second.enrollmentId).locator('[data-testid=row-hours]').inputValue()).toBe('1.5');
    const stored = await t.db.pool.query(`SELECT enrollment_id, status, hours::float8 AS hours FROM attendance WHERE meeting_id = $1`, [meetingId]);
    expect(Object.fromEntries(stored.rows.map((r) => [r.enrollment_id, [r.status, r.hours]]))).toEqual({
      [first.enrollmentId]: ['absent', 0], [second.enrollmentId]: ['late', 1.5], [third.enrollmentId]: ['excused', 0], [learners[3].enrollmentId]: ['present', 2],
    });
    await context.close();
  });

  it('shows the refused hours on the learner\'s line and saves nothing', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'trainer');
    await page.goto(`${t.baseUrl}/teaching/meetings/${meetingId}/attendance`);
    const second = learners[1];
    await row(page, second.enrollmentId).locator('[data-testid=row-hours]').fill('5');
    await row(page, second.enrollmentId).locator('[data-testid=row-hours]').press('Tab');
    await row(page, second.enrollmentId).locator('[data-testid=row-error]').waitFor();
    expect(await row(page, second.enrollmentId).locator('[data-testid=row-error]').textContent()).toBe('学时须大于 0 且小于本次课的学时');
    const stored = await t.db.pool.query(`SELECT hours::float8 AS hours FROM attendance WHERE meeting_id = $1 AND enrollment_id = $2`, [meetingId, second.enrollmentId]);
    expect(stored.rows[0].hours).toBe(1.5);
    await context.close();
  });

  it('shows the trainer a code that a learner can use from the QR link', async () => {
    const trainerContext = await browser.newContext(PHONE);
    const screen = await trainerContext.newPage();
    await signIn(screen, t.baseUrl, 'trainer');
    await screen.goto(`${t.baseUrl}/teaching/meetings/${meetingId}/code`);
    const code = (await screen.textContent('[data-testid=check-in-code]'))!.trim();
    expect(code).toMatch(/^\d{6}$/);
    expect(await screen.locator('[data-testid=check-in-qr] svg').count()).toBe(1);

    // A learner who was not marked yet: a new enrolment for this meeting.
    const fx = catalogFixtures(t.db.pool);
    await fx.enrolUser(offeringId, 't00105');
    const learnerContext = await browser.newContext(PHONE);
    const learner = await learnerContext.newPage();
    await signIn(learner, t.baseUrl, 't00105');
    await learner.goto(`${t.baseUrl}/check-in?meeting=${meetingId}&code=${code}`);
    expect(await learner.inputValue('[data-testid=check-in-code]')).toBe(code);
    await Promise.all([learner.waitForURL(/\/check-in\?meeting=/), learner.click('[data-testid=check-in-submit]')]);
    expect(await learner.textContent('[data-testid=check-in-result]')).toContain('迟到');

    // The screen polls and moves on to a fresh code once this one is used.
    await screen.locator('[data-testid=check-in-code]').filter({ hasNotText: code }).waitFor();
    await learner.goto(`${t.baseUrl}/check-in?meeting=${meetingId}&code=${code}`);
    expect(await learner.locator('[data-testid=check-in-form]').count()).toBe(0);

    // Someone else scanning the same (now used) code is told so, in their language.
    await fx.enrolUser(offeringId, 't00106');
    const otherContext = await browser.newContext(PHONE);
    const other = await otherContext.newPage();
    await signIn(other, t.baseUrl, 't00106');
    await other.goto(`${t.baseUrl}/check-in?meeting=${meetingId}&code=${code}`);
    const [refused] = await Promise.all([other.waitForResponse((r) => r.request().method() === 'POST'), other.click('[data-testid=check-in-submit]')]);
    expect(refused.status()).toBe(409);
    expect(await other.textContent('[data-testid=check-in-error]')).toBe('该签到码已被他人使用，请输入屏幕上最新的签到码');
    await other.goto(`${t.baseUrl}/check-in?meeting=${meetingId}&code=${code}&lang=en`);
    await other.click('[data-testid=check-in-submit]');
    await other.locator('[data-testid=check-in-error]').waitFor();
    expect(await other.textContent('[data-testid=check-in-error]')).toBe('Someone else has already used this code; enter the new one on the screen');
    await Promise.all([trainerContext.close(), learnerContext.close(), otherContext.close()]);
  });
});
