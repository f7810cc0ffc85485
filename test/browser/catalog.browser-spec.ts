import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, sideScroll } from '../support/browser.js';

const DAY = 24 * 3600_000;
/** A `datetime-local` value in Shanghai time, relative to now. */
const localInput = (offsetMs: number) => new Date(Date.now() + offsetMs + 8 * 3600_000).toISOString().slice(0, 16);

describe('the catalog and course management in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let openOfferingId: string;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
    // An offering open for enrolment now, for a teacher at the demo teacher's stage.
    const token = await t.token('district_admin');
    const auth = { Authorization: `Bearer ${token}` };
    const iso = (offsetMs: number) => `${localInput(offsetMs)}:00+08:00`;
    const course = await t.http().post('/api/courses').set(auth).send({
      code: 'BROWSER-KS-01', title: '幼小衔接：大班游戏化学习', category: 'knowledge_skills', level: 'district', mode: 'offline', hours: 6,
      tags: ['幼小衔接'], audience: { posts: ['teacher'] },
    }).expect(201);
    await t.http().post(`/api/courses/${course.body.id}/publish`).set(auth).expect(200);
    const offering = await t.http().post(`/api/courses/${course.body.id}/offerings`).set(auth)
      .send({ code: 'B1', label: '第一期', capacity: 20, enrolOpensAt: iso(-DAY), enrolClosesAt: iso(20 * DAY), withdrawDeadline: iso(21 * DAY) }).expect(201);
    await t.http().post(`/api/offerings/${offering.body.id}/meetings`).set(auth)
      .send({ startsAt: iso(30 * DAY), endsAt: iso(30 * DAY + 3 * 3600_000), place: '青浦区教师进修学院' }).expect(201);
    await t.http().post(`/api/offerings/${offering.body.id}/publish`).set(auth).expect(200);
    openOfferingId = offering.body.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lets a teacher filter the catalog by category, see why a course is not for them, and narrow to what they can enrol in', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, 'teacher');
    await page.click('a.nav-link[href="/catalog"]');
    await page.waitForURL(/\/catalog$/);
    await page.selectOption('#f-category', 'knowledge_skills');
    await Promise.all([page.waitForURL(/category=knowledge_skills/), page.click('[data-testid=catalog-search]')]);
    const categories = await page.locator('[data-testid=card-category]').allTextContents();
    expect(categories.length).toBeGreaterThan(3);
    expect(new Set(categories)).toEqual(new Set(['知识技能']));

    // The demo teacher is a 胜任型 teacher; the 高研班 is for 骨干型 teachers only.
    const backbone = page.locator('[data-testid=catalog-card]', { hasText: '骨干教师专业发展高级研修班' });
    await backbone.waitFor();
    expect(await backbone.locator('[data-testid=ineligible-reasons]').textContent()).toContain('仅面向：骨干型教师');
    expect(await page.locator(`[data-offering-id="${openOfferingId}"] [data-testid=card-eligible]`).textContent()).toBe('可报名');
    expect(await page.locator(`[data-offering-id="${openOfferingId}"] [data-testid=card-title]`).getAttribute('href')).toBe(`/offerings/${openOfferingId}`);

    await page.check('#f-eligible');
    await Promise.all([page.waitForURL(/eligible=true/), page.click('[data-testid=catalog-search]')]);
    expect(await page.locator('[data-testid=catalog-card]', { hasText: '骨干教师专业发展高级研修班' }).count()).toBe(0);
    expect(await page.locator(`[data-offering-id="${openOfferingId}"]`).count()).toBe(1);
    expect(await page.locator('[data-testid=ineligible-reasons]').count()).toBe(0);
    await page.close();
  });

  it('fits the catalog on a phone screen', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true });
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'teacher');
    await page.goto(`${t.baseUrl}/catalog?category=knowledge_skills`);
    expect(await page.locator('[data-testid=catalog-card]').first().isVisible()).toBe(true);
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('lets a district admin create a course, then an offering with a meeting, through the pages', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, 'district_admin');
    await page.click('a.nav-link[href="/courses"]');
    await page.click('[data-testid=new-course]');
    await page.waitForURL(/\/courses\/new$/);
    await page.fill('#course-code', 'BROWSER-PR-01');
    await page.fill('#course-title', '保育员岗位练兵（页面创建）');
    await page.selectOption('#course-category', 'practice');
    await page.selectOption('#course-level', 'district');
    await page.check('input[name=posts][value=caregiver]');
    await page.fill('#course-tags', '保育，技能大赛');
    // Hours left blank: the form comes back with the error beside the field and what was typed.
    await page.click('[data-testid=create-course-form] button[type=submit]');
    await page.waitForSelector('[data-field-error=hours]');
    expect(await page.inputValue('#course-title')).toBe('保育员岗位练兵（页面创建）');
    expect(await page.isChecked('input[name=posts][value=caregiver]')).toBe(true);
    await page.fill('#course-hours', '15');
    await Promise.all([page.waitForURL(/\/courses\/[0-9a-f-]{36}$/), page.click('[data-testid=create-course-form] button[type=submit]')]);
    expect(await page.textContent('[data-testid=course-title]')).toBe('保育员岗位练兵（页面创建）');
    expect(await page.textContent('[data-testid=course-credits]')).toContain('15 学时 / 1.5 学分');
    await page.click('[data-testid=publish-course]');
    await page.waitForSelector('[data-testid=course-status]:has-text("已发布")');

    await page.click('[data-testid=new-offering] summary');
    await page.fill('#offering-code', '2027-1');
    await page.fill('#offering-label', '春季班');
    await page.fill('#offering-capacity', '40');
    await page.fill('#offering-enrolOpensAt', localInput(-DAY));
    await page.fill('#offering-enrolClosesAt', localInput(20 * DAY));
    await page.fill('#offering-withdrawDeadline', localInput(21 * DAY));
    await Promise.all([page.waitForURL(/\/courses\/offerings\/[0-9a-f-]{36}$/), page.click('[data-testid=new-offering-form] button[type=submit]')]);
    expect(await page.textContent('[data-testid=offering-title]')).toContain('春季班');

    const day = localInput(40 * DAY).slice(0, 10);
    await page.fill('#meeting-title', '开班与岗位练兵说明');
    await page.fill('#meeting-startsAt', `${day}T13:30`);
    await page.fill('#meeting-endsAt', `${day}T16:30`);
    await page.fill('#meeting-place', '青浦区保育员实训基地');
    await page.click('[data-testid=meeting-form] button[type=submit]');
    await page.waitForSelector('[data-testid=meeting]');
    expect(await page.textContent('[data-testid=meeting]')).toContain(`${day} 13:30–16:30 · 开班与岗位练兵说明`);
    expect(await page.textContent('[data-testid=meeting]')).toContain('3 学时');

    await page.click('[data-testid=publish-offering]');
    await page.waitForSelector('[data-testid=offering-status]:has-text("报名中")');
    const { rows } = await t.db.pool.query(
      `SELECT o.status, o.capacity, c.status AS course_status, (SELECT count(*)::int FROM meeting m WHERE m.offering_id = o.id) AS meetings
         FROM offering o JOIN course c ON c.id = o.course_id WHERE c.code = 'BROWSER-PR-01'`);
    expect(rows).toEqual([{ status: 'published', capacity: 40, course_status: 'published', meetings: 1 }]);
    await page.close();
  });
});
