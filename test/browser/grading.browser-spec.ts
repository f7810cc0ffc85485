import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { catalogFixtures } from '../support/catalog-fixtures.js';
import { assessmentFixtures } from '../support/assessment-fixtures.js';


describe('the grading page', () => {
  let t: TestApp;
  let browser: Browser;
  let itemId: string;
  let queue: string[];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
    const fx = catalogFixtures(t.db.pool);
    const ax = assessmentFixtures(t.db.pool);
    const offeringId = await fx.createOffering(await fx.createCourse({ title: '集体教学活动的设计与实施' }), { trainers: ['trainer'] });
    itemId = await ax.createItem(offeringId, { title: '示范课教案', rubricId: await ax.createRubric(), maxPoints: 20, passPoints: 12 });
    for (const username of ['t00041', 't00042', 't00043']) {
      const { enrollmentId } = await fx.enrolUser(offeringId, username);
      await ax.submit(itemId, enrollmentId, { body: `${username} 的教案：\n一、活动目标\n二、活动准备` });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('chooses levels with the digit keys, shows the running total, and Ctrl+Enter saves and opens the next learner', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, t.baseUrl, 'trainer');
    await page.goto(`${t.baseUrl}/teaching/items/${itemId}/grade`);
    queue = await page.locator('[data-testid=queue-row]').evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { enrollmentId: string } }).dataset.enrollmentId));
    expect(queue).toHaveLength(3);
    await page.click('[data-testid=grade-link] >> nth=0');
    await page.waitForURL(new RegExp(`/grade/${queue[0]}$`));
    expect(await page.textContent('[data-testid=submission-body]')).toContain('一、活动目标');

    // The first criterion is current: 3 picks its third level, then the next criterion becomes current.
    for (const key of ['3', '2', '3', '1']) await page.keyboard.press(key);
    expect(await page.locator('input[type=radio]:checked').evaluateAll((r) => r.map((i) => (i as unknown as { value: string }).value)))
      .toEqual(['c1l3', 'c2l2', 'c3l3', 'c4l1']);
    expect(await page.textContent('[data-total]')).toBe('14');
    await page.fill('#cm-c2', '活动环节衔接自然');
    await page.locator('#cm-c2').press('Control+Enter');
    await page.waitForURL(new RegExp(`/grade/${queue[1]}$`));
    expect(await page.textContent('[data-testid=position]')).toContain('2');

    const grade = (await t.db.pool.query(`SELECT points::float8 AS points, criteria FROM grade WHERE item_id = $1 AND enrollment_id = $2`, [itemId, queue[0]])).rows[0];
    expect(grade.points).toBe(14);
    expect(grade.criteria[1]).toMatchObject({ criterionId: 'c2', levelId: 'c2l2', comment: '活动环节衔接自然' });

    // k goes back to the learner just graded, with the saved levels chosen; j goes forward again.
    await page.keyboard.press('k');
    await page.waitForURL(new RegExp(`/grade/${queue[0]}$`));
    expect(await page.isChecked('#lv-c3-c3l3')).toBe(true);
    await page.keyboard.press('j');
    await page.waitForURL(new RegExp(`/grade/${queue[1]}$`));
    await page.screenshot({ path: '/tmp/grading-desktop.png', fullPage: true });
  });

  it('stacks the work above the rubric on a phone without sideways scrolling', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'trainer');
    await page.goto(`${t.baseUrl}/teaching/items/${itemId}/grade/${queue[2]}`);
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);
    const work = await page.locator('[data-testid=submission]').boundingBox();
    const rubric = await page.locator('[data-testid=criterion] >> nth=0').boundingBox();
    expect(work && rubric && rubric.y > work.y + work.height - 1).toBe(true);
    await page.locator('label[for="lv-c1-c1l2"]').tap();
    expect(await page.textContent('[data-total]')).toBe('3');
    await page.screenshot({ path: '/tmp/grading-phone.png', fullPage: true });
  });
});
