import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shanghaiDate } from '../../src/common/dates.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { binaryBody } from '../support/credit-fixtures.js';
import { createOffering } from '../support/offering-fixtures.js';
import { addMentoringYear, addProgramYear, programFiguresBySql, staffCount, titleCounts, type TierExpectation } from '../support/blue-book-fixtures.js';

describe('blue book (学前教育蓝皮书)', () => {
  let t: TestApp;
  let admin: string;
  let districtId: string;
  const today = shanghaiDate();
  const thisYear = Number(today.slice(0, 4));
  const scratch = mkdtempSync(join(tmpdir(), 'tgp-blue-book-'));

  const book = (year: number | string, token = admin) =>
    t.http().get(`/api/reports/blue-book?year=${year}`).set('Authorization', `Bearer ${token}`);
  const pdfText = (bytes: Buffer) => {
    const file = join(scratch, `b${Date.now()}.pdf`);
    writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('district_admin');
    districtId = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP'`)).rows[0].id;
  });
  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await t.close();
  });

  it('answers the year\'s figures, equal to the record recomputed in SQL', async () => {
    const res = await book(2024).expect(200);
    const f = res.body;
    expect(f).toMatchObject({ year: 2024, asOf: '2024-12-31', current: false, district: { id: districtId, name: '青浦区' } });
    expect(f.workforce.total).toBe(await staffCount(t.db.pool, districtId, '2024-12-31'));
    const titles = await titleCounts(t.db.pool, districtId, '2024-12-31');
    for (const row of f.workforce.byTitle) expect([row.key, row.count]).toEqual([row.key, titles.get(row.key) ?? 0]);
    expect(f.workforce.byTitle.reduce((s: number, r: { count: number }) => s + r.count, 0)).toBe(f.workforce.total);

    const { rows: [kg] } = await t.db.pool.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE ownership = 'public')::int AS public, count(*) FILTER (WHERE inclusive)::int AS inclusive
         FROM org_unit WHERE kind = 'kindergarten' AND district_id = $1 AND status = 'operating' AND COALESCE(founded_year, opening_year, 0) <= 2024`, [districtId]);
    expect(f.kindergartens.total).toBe(kg.total);
    expect(f.kindergartens.byOwnership.find((o: { key: string }) => o.key === 'public').count).toBe(kg.public);
    expect(f.kindergartens.inclusive.count).toBe(kg.inclusive);
    expect(f.kindergartens.groups).toHaveLength(7);

    const { rows: [teachers] } = await t.db.pool.query(
      `SELECT count(*)::int AS teachers, count(*) FILTER (WHERE p.preschool_major)::int AS major
         FROM person p WHERE EXISTS (SELECT 1 FROM employment e JOIN org_unit k ON k.id = e.org_unit_id
           WHERE e.person_id = p.id AND k.district_id = $1 AND e.post = 'teacher' AND e.start_date <= '2024-12-31' AND COALESCE(e.end_date, 'infinity') >= '2024-12-31')`,
      [districtId]);
    expect(f.workforce.preschoolMajor).toMatchObject({ teachers: teachers.teachers, count: teachers.major });

    // Credit compliance: everyone counted once, split by ownership.
    const byOwnership = f.compliance.byOwnership as Array<{ people: number; complete: number }>;
    expect(byOwnership.reduce((s, o) => s + o.people, 0)).toBe(f.compliance.total.people);
    expect(f.compliance.total.people).toBeGreaterThan(0);
    expect(f.compliance.total.people).toBeLessThanOrEqual(f.workforce.total);
    expect(f.compliance.cycle).toMatchObject({ code: '2021-2025' });
    // Target progress from the targets module, on the book's date.
    expect(f.targets.map((x: { code: string }) => x.code)).toEqual(expect.arrayContaining(['senior-title-coverage', 'group-coverage']));
    // No program, contest or lecture session in 2024: the book says so, still naming the three tiers.
    expect(f.programs.recorded).toBe(false);
    expect(f.programs.cohorts.tiers.map((x: { label: string; programs: number }) => [x.label, x.programs])).toEqual([['种子计划', 0], ['拔尖计划', 0], ['领航计划', 0]]);
    expect(f.programs.contests).toMatchObject({ recorded: false, held: 0, list: [] });
    expect(f.programs.lectures).toMatchObject({ recorded: false, sessions: 0 });
  });

  it('states the year\'s programs, contests and lecture sessions as of its date, equal to the record recomputed in SQL', async () => {
    type Tier = TierExpectation & { tier: string; label: string; outputsByKind: Array<{ key: string; count: number }> };
    type Programs = { cohorts: { tiers: Tier[]; total: TierExpectation }; contests: { held: number; entries: number; prizes: number; list: Array<Record<string, unknown>> };
      lectures: { series: number; sessions: number; enrolments: number; completions: number } };
    const programsOf = async (year: number): Promise<Programs> => (await book(year).expect(200)).body.programs;
    const counts = ({ programs, applications, selected, activeMembers, completed, credits, outputs }: TierExpectation) =>
      ({ programs, applications, selected, activeMembers, completed, credits, outputs });
    const zero = { programs: 0, applications: 0, selected: 0, activeMembers: 0, completed: 0, credits: 0, outputs: 0 };
    const tier = (p: Programs, key: string) => counts(p.cohorts.tiers.find((x) => x.tier === key) ?? { ...zero });
    const delta = (after: TierExpectation, before: TierExpectation) =>
      Object.fromEntries(Object.entries(after).map(([k, v]) => [k, Math.round((v - before[k as keyof TierExpectation]) * 100) / 100]));
    const lastYear = thisYear - 1;
    const [before, beforeLast] = [await programsOf(thisYear), await programsOf(lastYear)];
    const fixture = await addProgramYear(t.db.pool, districtId, today);
    const [after, afterLast] = [await programsOf(thisYear), await programsOf(lastYear)];

    // This year: what the fixture adds, dated to the year (see addProgramYear for what must not count).
    expect(delta(tier(after, 'seed'), tier(before, 'seed'))).toEqual({ programs: 1, applications: 2, selected: 1, activeMembers: 2, completed: 2, credits: 6, outputs: 1 });
    expect(delta(tier(after, 'talent'), tier(before, 'talent'))).toEqual({ ...zero, programs: 1, outputs: 2 });
    expect(tier(before, 'rural_backbone')).toEqual(zero);
    expect(after.cohorts.tiers.find((x) => x.tier === 'rural_backbone')).toMatchObject({ label: fixture.customTierName, programs: 1, activeMembers: 1 });
    expect(after.cohorts.tiers.find((x) => x.tier === 'talent')!.outputsByKind.find((k) => k.key === 'public_lesson')!.count)
      .toBe(before.cohorts.tiers.find((x) => x.tier === 'talent')!.outputsByKind.find((k) => k.key === 'public_lesson')!.count + 2);
    expect([after.contests.held - before.contests.held, after.contests.entries - before.contests.entries, after.contests.prizes - before.contests.prizes]).toEqual([2, 4, 2]);
    expect(after.contests.list.find((c) => c.name === fixture.contestName)).toMatchObject({
      entries: 3, published: true, prizes: 2,
      awards: [{ key: 'first', count: 1 }, { key: 'second', count: 0 }, { key: 'third', count: 1 }, { key: 'excellence', count: 0 }].map((a) => expect.objectContaining(a)),
    });
    expect(after.contests.list.filter((c) => c.published === false && c.prizes === 0).length).toBeGreaterThanOrEqual(1);
    expect([after.lectures.series - before.lectures.series, after.lectures.sessions - before.lectures.sessions,
      after.lectures.enrolments - before.lectures.enrolments, after.lectures.completions - before.lectures.completions]).toEqual([1, 1, 3, 1]);
    // Last year's book as of 31 December: the application, completion, output, contest and session dated then; no member row existed yet.
    expect(delta(tier(afterLast, 'seed'), tier(beforeLast, 'seed'))).toEqual({ ...zero, programs: 1, applications: 1, completed: 1, outputs: 1 });
    expect([afterLast.contests.held - beforeLast.contests.held, afterLast.contests.entries - beforeLast.contests.entries,
      afterLast.contests.prizes - beforeLast.contests.prizes]).toEqual([1, 1, 1]);
    expect(afterLast.lectures.sessions - beforeLast.lectures.sessions).toBe(1);

    // Both books equal the record recomputed with calendar days in SQL, tier by tier.
    for (const [year, figures, asOf] of [[thisYear, after, today], [lastYear, afterLast, `${lastYear}-12-31`]] as const) {
      const sql = await programFiguresBySql(t.db.pool, districtId, year, asOf);
      for (const row of figures.cohorts.tiers) expect([row.tier, counts(row)]).toEqual([row.tier, sql.tiers.get(row.tier)]);
      const listed = new Set(figures.cohorts.tiers.map((x) => x.tier));
      for (const [key, expected] of sql.tiers) if (!listed.has(key)) expect([key, expected]).toEqual([key, zero]);
      expect({ held: figures.contests.held, entries: figures.contests.entries, prizes: figures.contests.prizes }).toEqual(sql.contests);
      const { series, sessions, enrolments, completions } = figures.lectures;
      expect({ series, sessions, enrolments, completions }).toEqual(sql.lectures);
    }

    // The page and the PDF show them.
    const browser = await t.signInPages('district_admin');
    const page = await browser.get(`/reports/blue-book?year=${thisYear}`).expect(200);
    for (const text of ['人才培养计划', '种子计划', fixture.customTierName, '在训学员（截至统计日）', fixture.contestName, '一等奖', '示范园园长大课堂', '结果未公布']) {
      expect(page.text).toContain(text);
    }
    expect(page.text).toContain('aria-label="培养计划在训学员"');
    expect(page.text).not.toContain('本年度暂无培养项目');
    const pdf = pdfText((await browser.get(`/reports/blue-book.pdf?year=${thisYear}`).buffer(true).parse(binaryBody).expect(200)).body as Buffer);
    for (const text of ['人才培养计划', fixture.customTierName, '业务竞赛', '示范园园长大课堂', '培养计划在训学员']) expect(pdf).toContain(text);
  });

  it('counts training held and mentoring in the year, not what is only scheduled', async () => {
    const offering = await createOffering(t.db.pool, { meetings: [{ startsIn: -48, hours: 3 }, { startsIn: -24, hours: 2.5 }] });
    await createOffering(t.db.pool, { meetings: [{ startsIn: 24 * 400, hours: 3 }] });
    const mentoring = await addMentoringYear(t.db.pool, districtId, today);
    const f = (await book(thisYear).expect(200)).body;
    const { rows: [held] } = await t.db.pool.query(
      `SELECT count(DISTINCT m.offering_id)::int AS offerings, COALESCE(sum(m.hours), 0)::float AS hours
         FROM meeting m JOIN offering o ON o.id = m.offering_id
        WHERE o.district_id = $1 AND o.status IN ('published','closed') AND m.starts_at >= $2 AND m.starts_at <= now()`,
      [districtId, `${thisYear}-01-01T00:00:00+08:00`]);
    expect(f.training.offerings).toBe(held.offerings);
    expect(f.training.hours).toBe(held.hours);
    expect(f.training.offerings).toBeGreaterThanOrEqual(1);
    expect(f.asOf).toBe(today);
    expect(f.current).toBe(true);
    expect(f.mentoring).toMatchObject({ activePairings: 1, mentees: 1, mentors: 1, acceptedReviews: 1, rotations: 1 });
    expect(f.mentoring.activitiesByKind).toEqual([{ kind: 'observation', count: 2 }]);
    expect(offering.meetingIds).toHaveLength(2);
    expect(mentoring.pairingId).toBeTruthy();
  });

  it('keeps a past year\'s book as it was while the current one follows the record', async () => {
    const before2024 = (await book(2024).expect(200)).body;
    const before = (await book(thisYear).expect(200)).body;
    const { rows: [person] } = await t.db.pool.query(
      `SELECT p.id FROM person p JOIN employment e ON e.person_id = p.id AND e.end_date IS NULL AND e.start_date <= '2024-01-01'
        WHERE p.district_id = $1 AND (SELECT title FROM title_record t WHERE t.person_id = p.id ORDER BY effective_date DESC, created_at DESC LIMIT 1) = 'first'
        ORDER BY p.id LIMIT 1`, [districtId]);
    await t.db.pool.query(
      `INSERT INTO title_record (person_id, title, effective_date, approving_body) VALUES ($1, 'senior', $2, '青浦区教育局')`, [person.id, today]);
    const after2024 = (await book(2024).expect(200)).body;
    const after = (await book(thisYear).expect(200)).body;
    expect(after2024.workforce).toEqual(before2024.workforce);
    expect(after.workforce.seniorTitles.count).toBe(before.workforce.seniorTitles.count + 1);
    // Titles took effect between 2024 and now: the two books differ where the record is dated.
    expect(before2024.workforce.byTitle).not.toEqual(before.workforce.byTitle);
  });

  it('renders the printable page with every section and the charts as inline SVG', async () => {
    const browser = await t.signInPages('district_admin');
    const res = await browser.get('/reports/blue-book?year=2025').expect(200);
    for (const heading of ['2025年学前教育蓝皮书', '一、教职工队伍', '二、发展目标进展', '三、继续教育学分达标', '四、培训实施', '五、培养项目与师徒带教', '六、幼儿园与学前教育集团']) {
      expect(res.text).toContain(heading);
    }
    const svgs = res.text.match(/<svg\b[^>]*role="img"[^>]*>/g) ?? [];
    expect(svgs.length).toBeGreaterThanOrEqual(8);
    expect(res.text).toContain('aria-label="职称结构"');
    // The content-security policy refuses inline styles: the charts carry none.
    const svgText = res.text.slice(res.text.indexOf('<svg'), res.text.lastIndexOf('</svg>'));
    expect(svgText).not.toMatch(/style="|<style/);
    expect(res.text).toMatch(/href="\/reports\/blue-book\.pdf\?year(=|&#x3D;)2025"/);
  });

  it('renders the PDF with the Chinese headings, the key numbers and chart labels', async () => {
    const f = (await book(2025).expect(200)).body;
    const browser = await t.signInPages('district_admin');
    const res = await browser.get('/reports/blue-book.pdf?year=2025').buffer(true).parse(binaryBody).expect(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const text = pdfText(res.body as Buffer);
    for (const heading of ['青浦区2025年学前教育蓝皮书', '一、教职工队伍', '二、发展目标进展', '三、继续教育学分达标', '四、培训实施', '六、幼儿园与学前教育集团']) {
      expect(text).toContain(heading);
    }
    expect(text).toContain(`在职教职工 ${f.workforce.total} 人`);
    expect(text).toContain(`运营幼儿园 ${f.kindergartens.total} 所`);
    expect(text).toContain('数据截至 2025-12-31');
    // Chart titles are drawn from the SVG in the embedded font (the table headings are different words).
    expect(text).toContain('发展目标达成（%）');
    expect(text).toContain('集团成员园');
  });

  it('a PDF asked again after the record changed shows the new figures', async () => {
    const browser = await t.signInPages('district_admin');
    const first = pdfText((await browser.get(`/reports/blue-book.pdf?year=${thisYear}`).buffer(true).parse(binaryBody).expect(200)).body as Buffer);
    const before = (await book(thisYear).expect(200)).body.workforce.total;
    expect(first).toContain(`在职教职工 ${before} 人`);
    await t.db.pool.query(
      `UPDATE employment SET end_date = $1::date - 1 WHERE id = (SELECT e.id FROM employment e WHERE e.district_id = $2 AND e.end_date IS NULL AND e.start_date < $1::date - 1
         AND NOT EXISTS (SELECT 1 FROM employment o WHERE o.person_id = e.person_id AND o.id <> e.id) ORDER BY e.id LIMIT 1)`,
      [today, districtId]);
    const second = pdfText((await browser.get(`/reports/blue-book.pdf?year=${thisYear}`).buffer(true).parse(binaryBody).expect(200)).body as Buffer);
    expect(second).toContain(`在职教职工 ${before - 1} 人`);
  });

  it('is for district staff only: kindergarten and group admins and teachers are told it does not exist', async () => {
    for (const username of ['kg_admin', 'group_admin', 'teacher']) {
      const token = await t.token(username);
      const res = await book(thisYear, token).expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      const browser = await t.signInPages(username);
      await browser.get('/reports/blue-book').expect(404);
      await browser.get('/reports/blue-book.pdf').expect(404);
    }
    await t.http().get('/api/reports/blue-book').expect(401);
  });

  it('refuses a year that is not a year or lies in the future, naming the field', async () => {
    for (const year of ['abc', '1999', String(thisYear + 1)]) {
      const res = await book(year).expect(400);
      expect([...new Set(res.body.error.details.fields.map((p: { field: string }) => p.field))]).toEqual(['year']);
    }
    const other = await t.http().get(`/api/reports/blue-book?district=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`).set('Authorization', `Bearer ${admin}`).expect(404);
    expect(other.body.error.code).toBe('NOT_FOUND');
  });
});
