import type { Browser, Page } from 'playwright-core';
import { shanghaiDate } from '../../src/common/dates.js';
import { addMonths, addYears } from '../../src/modules/titles/title-rules.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { teachers } from '../support/offering-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { QP_RULE_FIRST, setEducation, setQualification, setTitles } from '../support/title-fixtures.js';


describe('a title application on a phone, through both reviews', () => {
  let t: TestApp;
  let browser: Browser;
  let applicant: { username: string; personId: string };
  let waiting: { username: string; personId: string };
  const waitingSince = addMonths(shanghaiDate(), -6);

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
    [applicant, waiting] = await teachers(t.db.pool, 2, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K001') AND u.username <> 'kg_admin'`);
    await t.http().post('/api/title-rules').set({ Authorization: `Bearer ${await t.token('district_admin')}` }).send(QP_RULE_FIRST).expect(201);
    for (const [p, since] of [[applicant!, '2015-09-01'], [waiting!, waitingSince]] as const) {
      await setEducation(t.db.pool, p.personId, 'bachelor');
      await setTitles(t.db.pool, p.personId, [{ title: 'second', effectiveDate: since }]);
      await setQualification(t.db.pool, p.personId, true);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function as(username: string): Promise<Page> {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, username);
    return page;
  }

  it('shows the date each condition is met, and takes an application from the teacher to a new title', async () => {
    const other = await as(waiting!.username);
    await other.goto(`${t.baseUrl}/me/title`);
    const years = other.locator('[data-testid=condition][data-code=years_at_previous]');
    expect(await years.getAttribute('data-met')).toBe('no');
    expect(await years.locator('[data-testid=condition-when]').textContent()).toContain(`${addYears(waitingSince, 4)} 起满足`);
    expect(await other.locator('[data-testid=open-application]').count()).toBe(1);

    const teacher = await as(applicant!.username);
    await teacher.goto(`${t.baseUrl}/me/title`);
    expect(await teacher.locator('[data-testid=eligibility-summary]').textContent()).toContain('已满足全部条件');
    expect(await sideScroll(teacher)).toBeLessThanOrEqual(0);
    await teacher.fill('[data-testid=statement]', '主持园本课题一项，带教新教师两名。');
    await teacher.tap('[data-testid=open-submit]');
    await teacher.waitForURL(/\/titles\/applications\/[0-9a-f-]{36}$/);
    const url = teacher.url();
    await teacher.tap('[data-testid=submit-application]');
    await teacher.locator('[data-testid=dossier]').waitFor();
    expect(await teacher.locator('[data-testid=status]').textContent()).toContain('待园所审核');
    expect(await teacher.locator('[data-testid=dossier-titles]').textContent()).toContain('二级');

    const kindergarten = await as('kg_admin');
    await kindergarten.goto(`${t.baseUrl}/titles/applications`);
    await kindergarten.tap(`[data-testid=queue-row][href="${new URL(url).pathname}"]`);
    await kindergarten.tap('[data-testid=kindergarten-decision] [data-testid=approve]');
    await kindergarten.locator('[data-testid=status]', { hasText: '待区审核' }).waitFor();

    const district = await as('district_admin');
    await district.goto(url);
    expect(await sideScroll(district)).toBeLessThanOrEqual(0);
    await district.fill('[data-testid=effective-date-input]', '2026-12-01');
    await district.tap('[data-testid=district-decision] [data-testid=approve]');
    await district.locator('[data-testid=effective-date]').waitFor();
    expect(await district.locator('[data-testid=status]').textContent()).toContain('已通过');

    await teacher.goto(`${t.baseUrl}/me/title`);
    expect(await teacher.locator('[data-testid=current-title]').textContent()).toBe('一级');
    expect(await teacher.locator('[data-testid=next-title]').textContent()).toBe('高级');
  });
});
