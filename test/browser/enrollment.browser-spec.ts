import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { createOffering, sessionTokens, teachers } from '../support/offering-fixtures.js';


describe('enrolling, the waitlist and approvals in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  const statusOf = async (id: string) => (await t.db.pool.query('SELECT status FROM enrollment WHERE id = $1', [id])).rows[0].status as string;

  async function learnerPage(username: string) {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, username);
    return page;
  }
  /** On a phone the menu is folded away behind the toggler. */
  async function navigate(page: Page, href: string) {
    await page.click('.navbar-toggler');
    await Promise.all([page.waitForURL((url) => url.pathname === href), page.click(`a.nav-link[href="${href}"]`)]);
  }
  async function submit(page: Page, selector: string) {
    await Promise.all([page.waitForURL(/\/offerings\//), page.click(selector)]);
  }

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lets a teacher open an offering from the catalog on a phone, enrol, and see 已录取', async () => {
    const { offeringId, courseId } = await createOffering(t.db.pool, { capacity: 5 });
    const { rows: [course] } = await t.db.pool.query('SELECT code, title FROM course WHERE id = $1', [courseId]);
    const page = await learnerPage('teacher');
    await page.goto(`${t.baseUrl}/catalog?q=${encodeURIComponent(course.code)}`);
    await Promise.all([page.waitForURL(new RegExp(`/offerings/${offeringId}$`)), page.click(`[data-offering-id="${offeringId}"] [data-testid=card-title]`)]);
    expect(await page.textContent('[data-testid=course-title]')).toBe(course.title);
    expect(await page.textContent('[data-testid=seats-left]')).toBe('5');
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);

    await submit(page, '[data-testid=enrol]');
    expect(await page.textContent('.alert-success')).toContain('报名成功，您已被录取');
    expect(await page.textContent('[data-testid=my-status]')).toBe('已录取');
    expect(await page.textContent('[data-testid=seats-left]')).toBe('4');
    expect(await page.locator('[data-testid=enrol]').count()).toBe(0);

    await navigate(page, '/my-learning');
    const item = page.locator(`[data-testid=current] [data-offering-id="${offeringId}"]`);
    expect(await item.locator('[data-testid=learning-status]').textContent()).toBe('已录取');
    await page.context().close();
  });

  it('promotes the first on the waitlist when the seat holder withdraws, and tells them', async () => {
    const { offeringId, courseId } = await createOffering(t.db.pool, { capacity: 1 });
    const { rows: [course] } = await t.db.pool.query('SELECT title FROM course WHERE id = $1', [courseId]);
    const [a, b] = await teachers(t.db.pool, 2, `u.username IN ('t00801', 't00802')`);

    const pageA = await learnerPage(a.username);
    await pageA.goto(`${t.baseUrl}/offerings/${offeringId}`);
    await submit(pageA, '[data-testid=enrol]');
    expect(await pageA.textContent('[data-testid=my-status]')).toBe('已录取');

    const pageB = await learnerPage(b.username);
    await pageB.goto(`${t.baseUrl}/offerings/${offeringId}`);
    expect(await pageB.locator('[data-testid=enrol]').count()).toBe(0);
    await submit(pageB, '[data-testid=join-waitlist]');
    expect(await pageB.textContent('[data-testid=my-status]')).toBe('候补中');
    expect(await pageB.textContent('[data-testid=waitlist-position]')).toBe('候补第 1 位');

    await pageA.reload();
    await pageA.click('[data-testid=withdraw]');
    await pageA.fill('#withdraw-reason', '园内活动冲突');
    await submit(pageA, '[data-testid=confirm-withdraw]');
    expect(await pageA.textContent('[data-testid=my-status]')).toBe('已退课');

    await pageB.reload();
    expect(await pageB.textContent('[data-testid=my-status]')).toBe('已录取');
    expect(await pageB.locator('[data-testid=waitlist-position]').count()).toBe(0);
    await pageB.goto(`${t.baseUrl}/notifications`);
    const notice = pageB.locator('.list-group-item', { hasText: `候补成功：${course.title}` });
    expect(await notice.count()).toBe(1);
    expect(await notice.locator('a').getAttribute('href')).toBe(`/offerings/${offeringId}`);
    await Promise.all([pageA.context().close(), pageB.context().close()]);
  });

  it('lets a kindergarten admin approve and decline requests in place in the approvals inbox', async () => {
    const { offeringId } = await createOffering(t.db.pool, { approvalMode: 'kindergarten' });
    const [colleague] = await teachers(t.db.pool, 1, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K001')
      AND p.id NOT IN (SELECT person_id FROM app_user WHERE username IN ('teacher', 'kg_admin') AND person_id IS NOT NULL)`);
    const tokens = await sessionTokens(t.db.pool, [colleague.username]);
    const request = async (token: string) =>
      (await t.http().post(`/api/offerings/${offeringId}/enrollments`).set({ Authorization: `Bearer ${token}` }).send({}).expect(201)).body as { id: string; status: string };
    const mine = await request(await t.token('teacher'));
    const theirs = await request(tokens.get(colleague.username)!);
    expect(mine.status).toBe('pending_approval');

    const page = await learnerPage('kg_admin');
    await navigate(page, '/approvals');
    const row = page.locator(`#approval-${mine.id}`);
    expect(await row.locator('[data-testid=approval-step]').textContent()).toBe('园所审批');
    await row.locator('[data-testid=approve]').tap();
    await row.locator('[data-testid=approval-done]').waitFor();
    expect(await row.locator('[data-testid=approval-done]').textContent()).toBe('已处理：已录取');
    expect(page.url()).toMatch(/\/approvals$/);
    expect(await statusOf(mine.id)).toBe('enrolled');

    const other = page.locator(`#approval-${theirs.id}`);
    await other.locator('[data-testid=decline-reason]').fill('本学期带班任务重');
    await other.locator('[data-testid=decline]').tap();
    await other.locator('[data-testid=approval-done]').waitFor();
    expect(await other.locator('[data-testid=approval-done]').textContent()).toBe('已处理：未通过审批');
    expect(await statusOf(theirs.id)).toBe('declined');
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);

    const learner = await learnerPage('teacher');
    await learner.goto(`${t.baseUrl}/offerings/${offeringId}`);
    expect(await learner.textContent('[data-testid=my-status]')).toBe('已录取');
    await Promise.all([page.context().close(), learner.context().close()]);
  });
});
