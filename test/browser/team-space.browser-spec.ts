import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchBrowser, signIn, PHONE, sideScroll } from '../support/browser.js';
import { sessionTokens } from '../support/offering-fixtures.js';
import { cohortFixtures } from '../support/cohort-fixtures.js';
import { shanghaiDate } from '../../src/common/dates.js';

describe('a team host on a phone', () => {
  let t: TestApp;
  let browser: Browser;
  let teamId: string;
  let programId: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ listen: true }), launchBrowser()]);
    const fx = cohortFixtures(t.db.pool);
    const tokens = await sessionTokens(t.db.pool, ['district_admin', 't00002']);
    programId = (await fx.program()).id;
    const memberId = await fx.member(programId, 't00002');
    const team = await t.http().post(`/api/programs/${programId}/teams`).set({ Authorization: `Bearer ${tokens.get('district_admin')}` })
      .send({ name: '户外游戏研修团队', hostPersonId: await fx.personId('t00001'), memberIds: [memberId] }).expect(201);
    teamId = team.body.id;
    await t.http().post(`/api/teams/${teamId}/outputs`).set({ Authorization: `Bearer ${tokens.get('t00002')}` })
      .send({ kind: 'public_lesson', title: '大班户外建构游戏公开课', occurredOn: shanghaiDate() }).expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('writes the team plan and reviews a member\'s output without scrolling sideways', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 't00001');
    await page.goto(`${t.baseUrl}/teams/${teamId}`);
    await page.getByTestId('team-name').filter({ hasText: '户外游戏研修团队' }).waitFor();
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);

    await page.getByTestId('plan-goals').fill('三年内形成区级优秀户外游戏课例');
    await page.getByTestId('plan-expectedOutputs').fill('研究报告一份，公开课两节');
    await page.getByTestId('plan-save').click();
    await page.waitForURL(/#plan$/);
    expect(await page.getByTestId('plan-goals').inputValue()).toBe('三年内形成区级优秀户外游戏课例');
    expect(await page.getByTestId('plan-expectedOutputs').inputValue()).toBe('研究报告一份，公开课两节');

    // Returning needs a comment: the refusal shows beside the output, then the host accepts it.
    const output = page.getByTestId('output').filter({ hasText: '大班户外建构游戏公开课' });
    await output.getByTestId('output-return').click();
    await page.getByTestId('review-error').waitFor();
    await page.getByTestId('output').filter({ hasText: '大班户外建构游戏公开课' }).getByTestId('output-accept').click();
    await page.waitForURL(/#outputs$/);
    await page.getByTestId('output').filter({ hasText: '大班户外建构游戏公开课' }).getByTestId('output-status').filter({ hasText: '已认定' }).waitFor();
    expect(await page.getByTestId('output-accept').count()).toBe(0);
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('shows district staff the cohort with its team and member actions on a phone', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, 'district_admin');
    await page.goto(`${t.baseUrl}/programs/${programId}/cohort`);
    await page.getByTestId('team-row').filter({ hasText: '户外游戏研修团队' }).waitFor();
    await page.getByTestId('member-row').first().locator('summary').click();
    await page.getByTestId('assess').waitFor();
    expect(await sideScroll(page)).toBeLessThanOrEqual(0);
    await context.close();
  });
});
