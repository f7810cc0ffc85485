import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { teachers } from '../support/offering-fixtures.js';
import { makeApplicant, programBody, userId } from '../support/program-fixtures.js';
import { PDF } from '../support/submission-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('a seed program on a phone: a teacher applies, an expert scores', () => {
  let t: TestApp;
  let browser: Browser;
  let applicant: { username: string; personId: string };
  let programId: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
    [applicant] = await teachers(t.db.pool, 1, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K001') AND u.username <> 'kg_admin'`);
    await makeApplicant(t.db.pool, applicant!.personId, 31);
    const admin = { Authorization: `Bearer ${await t.token('district_admin')}` };
    programId = (await t.http().post('/api/programs').set(admin).send(programBody({ nameZh: '第八届种子计划（手机）' })).expect(201)).body.id;
    await t.http().post(`/api/programs/${programId}/publish`).set(admin).expect(200);
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

  it('takes the application with an attachment, and the expert’s score against the criteria', async () => {
    const teacher = await as(applicant!.username);
    await teacher.goto(`${t.baseUrl}/programs`);
    await teacher.tap(`[data-program-id="${programId}"] [data-testid=apply-link]`);
    await teacher.locator('[data-testid=eligible]').waitFor();
    expect(await sideScroll(teacher)).toBeLessThanOrEqual(0);
    await teacher.fill('[data-testid=statement]', '从教八年，主持园本课题《户外自主游戏中的深度学习》。');
    await teacher.setInputFiles('[data-testid=files]', { name: '课题结题报告.pdf', mimeType: 'application/pdf', buffer: PDF });
    await teacher.tap('[data-testid=submit-application]');
    await teacher.locator('[data-testid=my-status]').waitFor();
    expect(await teacher.locator('[data-testid=my-status]').textContent()).toContain('已提交');
    expect(await teacher.locator('[data-testid=my-application]').textContent()).toContain('课题结题报告.pdf');

    const applicationId = (await t.db.pool.query('SELECT id FROM program_application WHERE program_id = $1', [programId])).rows[0].id;
    await t.http().post(`/api/programs/${programId}/review-assignments`).set({ Authorization: `Bearer ${await t.token('district_admin')}` })
      .send({ applicationIds: [applicationId], reviewerUserIds: [await userId(t.db.pool, 'expert')] }).expect(200);

    const expert = await as('expert');
    await expert.goto(`${t.baseUrl}/program-reviews`);
    await expert.tap(`[data-testid=inbox-row][data-application-id="${applicationId}"]`);
    await expert.locator('[data-testid=dossier]').waitFor();
    expect(await expert.locator('[data-testid=statement-text]').textContent()).toContain('户外自主游戏');
    expect(await sideScroll(expert)).toBeLessThanOrEqual(0);
    await expert.fill('[data-testid=score-input][data-code=ethics]', '18');
    await expert.fill('[data-testid=score-input][data-code=teaching]', '35.5');
    await expert.tap('[data-testid=save-score]');
    await expert.locator('[data-testid=my-total]').waitFor();
    expect(await expert.locator('[data-testid=my-total]').textContent()).toContain('89');

    const district = await as('district_admin');
    await district.goto(`${t.baseUrl}/programs/${programId}/selection`);
    expect(await district.locator(`[data-testid=board-row][data-application-id="${applicationId}"] [data-testid=board-score]`).textContent()).toBe('89');
    expect(await sideScroll(district)).toBeLessThanOrEqual(0);
  });
});
