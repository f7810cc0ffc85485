import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures } from '../support/catalog-fixtures.js';
import { addCreditEntry, binaryBody } from '../support/credit-fixtures.js';
import { OfferingDirectory } from '../../src/modules/catalog/offering-directory.service.js';
import { EligibilityService } from '../../src/modules/enrollment/eligibility.service.js';
import { PeopleDirectory } from '../../src/modules/people/people-directory.service.js';

type Entry = { title: string; category: string; level: string; credits: number; hours?: number; occurredOn?: string };

describe('transcript (成长档案): page and PDF', () => {
  let t: TestApp;
  let teacherId: string;
  let cityOfferingId: string;
  const scratch = mkdtempSync(join(tmpdir(), 'tgp-transcript-'));

  const signIn = (username: string) => t.signInPages(username);
  const addEntry = (personId: string, entry: Entry, reverses?: string) =>
    addCreditEntry(t.db.pool, personId, { occurredOn: '2026-05-10', ...entry }, reverses);
  /** The text a person reads in the PDF, as poppler extracts it. */
  function pdfText(bytes: Buffer): string {
    const file = join(scratch, `t${Date.now()}.pdf`);
    writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  }

  beforeAll(async () => {
    t = await startTestApp();
    const fixtures = catalogFixtures(t.db.pool);
    teacherId = await fixtures.personIdOf('teacher');
    // Every rule of the Shanghai scheme met except 市级 (7) and 市级·知识技能 (4): 36 credits, 3 of them 市级.
    const entries: Entry[] = [
      { title: '师德师风专题报告会', category: 'ethics', level: 'city', credits: 2 },
      { title: '市级实践观摩', category: 'practice', level: 'city', credits: 1 },
      { title: '区级师德研修', category: 'ethics', level: 'district', credits: 2 },
      { title: '区级课程实施培训', category: 'knowledge_skills', level: 'district', credits: 6 },
      { title: '区级教学实践展示', category: 'practice', level: 'district', credits: 2 },
      { title: '园本师德学习', category: 'ethics', level: 'kindergarten', credits: 4 },
      { title: '园本专业阅读', category: 'knowledge_skills', level: 'kindergarten', credits: 4 },
      { title: '园本教研：户外游戏观察', category: 'practice', level: 'kindergarten', credits: 11 },
      { title: '自主研修：儿童行为观察笔记', category: 'self_study', level: 'kindergarten', credits: 4 },
    ];
    for (const entry of entries) await addEntry(teacherId, entry);
    // A mistaken entry and its reversal: neither shows nor counts.
    const wrong = await addEntry(teacherId, { title: '误录的市级培训', category: 'knowledge_skills', level: 'city', credits: 4 });
    await addEntry(teacherId, { title: '误录的市级培训', category: 'knowledge_skills', level: 'city', credits: -4, hours: -40 }, wrong);

    const course = await fixtures.createCourse({ title: '幼儿园科学探究活动设计（市级）', level: 'city', category: 'knowledge_skills', hours: 40, credits: 4 });
    cityOfferingId = await fixtures.createOffering(course, { enrolClosesAt: new Date(Date.now() + 2 * 86_400_000) });
  });
  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await t?.close();
  });

  it('shows the learner their entries by category and level, the progress per rule, what is missing and an open offering that fills it', async () => {
    const browser = await signIn('teacher');
    const page = await browser.get('/me/transcript').expect(200);
    const { rows: [person] } = await t.db.pool.query('SELECT full_name FROM person WHERE id = $1', [teacherId]);
    expect(page.text).toContain(person.full_name);
    expect(page.text).toContain('“十五五”周期（2026—2030）');
    expect(page.text).toContain('园本教研：户外游戏观察');
    expect(page.text).not.toContain('误录的市级培训');
    expect(page.text).toMatch(/data-testid="grid-total">36</);

    expect(page.text).toContain('data-scheme="sh-teacher-36"');
    expect(page.text).toMatch(/data-rule="市级·知识技能" data-percent="0"/);
    expect(page.text).toMatch(/data-rule="区级" data-percent="100"/);
    expect(page.text).toContain('市级·知识技能还差 4 学分');
    expect(page.text).not.toContain('区级·师德素养还差');

    const suggestion = new RegExp(`href="/offerings/${cityOfferingId}" data-testid="suggestion"`);
    expect(page.text).toMatch(suggestion);
    expect(page.text).toContain('可补：市级·知识技能');
    expect(page.text).toContain('幼儿园科学探究活动设计（市级）');
  });

  it('renders the transcript as a PDF with the Chinese name, the course titles and the platform line', async () => {
    const browser = await signIn('teacher');
    const res = await browser.get('/me/transcript.pdf?cycle=2026-2030').buffer(true).parse(binaryBody).expect(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    expect(res.headers['content-disposition']).toContain('.pdf');
    const text = pdfText(res.body as Buffer);
    const { rows: [person] } = await t.db.pool.query('SELECT full_name FROM person WHERE id = $1', [teacherId]);
    expect(text).toContain(person.full_name);
    expect(text).toContain('教师成长档案');
    expect(text).toContain('园本教研：户外游戏观察');
    expect(text).toContain('自主研修：儿童行为观察笔记');
    expect(text).not.toContain('误录的市级培训');
    expect(text).toContain('由青浦区教育局教师发展平台生成');
    expect(text).toContain('市级·知识技能');
  });

  it('lets an admin read the transcript of someone in their scope, and hides it from everyone else', async () => {
    const other = (await t.db.pool.query(
      `SELECT p.id FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id WHERE k.code = 'SH-QP-K002' LIMIT 1`)).rows[0].id as string;
    const kgAdmin = await signIn('kg_admin');
    const mine = await kgAdmin.get(`/people/${teacherId}/transcript`).expect(200);
    expect(mine.text).toContain('园本教研：户外游戏观察');
    await kgAdmin.get(`/people/${other}/transcript`).expect(404);
    await kgAdmin.get(`/people/${other}/transcript.pdf`).expect(404);

    const district = await signIn('district_admin');
    await district.get(`/people/${other}/transcript`).expect(200);
    const pdf = await district.get(`/people/${teacherId}/transcript.pdf`).buffer(true).parse(binaryBody).expect(200);
    expect(pdfText(pdf.body as Buffer)).toContain('园本专业阅读');

    const teacher = await signIn('teacher');
    await teacher.get(`/people/${teacherId}/transcript`).expect(403);
    const anonymous = await t.http().get('/me/transcript.pdf').expect(303);
    expect(anonymous.headers.location).toMatch(/^\/login/);
  });

  it('suggests only what the learner may enrol in, as enrolment itself judges it: audience, no-show block, ethics sanction', async () => {
    const fixtures = catalogFixtures(t.db.pool);
    const eligibility = t.app.get(EligibilityService);
    const offerings = t.app.get(OfferingDirectory);
    const people = t.app.get(PeopleDirectory);
    const suggested = (text: string, id: string) => new RegExp(`href="/offerings/${id}" data-testid="suggestion"`).test(text);
    const mayEnrol = async (id: string) =>
      (await eligibility.check(await offerings.context(id), (await people.learnerProfile(teacherId))!, 'zh-CN')).eligible;
    const forCaregivers = await fixtures.createOffering(
      await fixtures.createCourse({ title: '保育实务（市级）', level: 'city', category: 'knowledge_skills', hours: 40, credits: 4, audience: { posts: ['caregiver'] } }),
      { enrolClosesAt: new Date(Date.now() + 86_400_000) });
    const browser = await signIn('teacher');

    let page = await browser.get('/me/transcript').expect(200);
    expect(suggested(page.text, cityOfferingId)).toBe(true);
    expect(suggested(page.text, forCaregivers)).toBe(false);
    expect([await mayEnrol(cityOfferingId), await mayEnrol(forCaregivers)]).toEqual([true, false]);

    // A no-show at a city course blocks city courses for a year (the default rule): nothing city-level is offered.
    const past = await fixtures.createOffering(await fixtures.createCourse({ title: '往期市级观摩', level: 'city', category: 'practice' }));
    const noShow = await fixtures.enrol(past, teacherId, 'no_show');
    page = await browser.get('/me/transcript').expect(200);
    expect(suggested(page.text, cityOfferingId)).toBe(false);
    expect(await mayEnrol(cityOfferingId)).toBe(false);
    await t.db.pool.query(`DELETE FROM enrollment_event WHERE enrollment_id = $1`, [noShow]);
    await t.db.pool.query(`DELETE FROM enrollment WHERE id = $1`, [noShow]);

    // An ethics sanction in force blocks every enrolment.
    const { rows: [sanction] } = await t.db.pool.query(
      `INSERT INTO ethics_sanction (person_id, district_id, kind, decided_on, blocks_until, reason)
       SELECT id, district_id, 'warning', current_date - 1, current_date + 700, '测试' FROM person WHERE id = $1 RETURNING id`, [teacherId]);
    page = await browser.get('/me/transcript').expect(200);
    expect(page.text).not.toContain('data-testid="suggestion"');
    expect(page.text).toContain('市级·知识技能还差 4 学分');
    expect(await mayEnrol(cityOfferingId)).toBe(false);
    await t.db.pool.query(`UPDATE ethics_sanction SET revoked_at = now(), revoke_reason = '误录' WHERE id = $1`, [sanction.id]);
    page = await browser.get('/me/transcript').expect(200);
    expect(suggested(page.text, cityOfferingId)).toBe(true);
  });

  it('refuses a cycle that does not exist, naming the field', async () => {
    const [token] = [await t.token('teacher')];
    const res = await t.http().get('/me/transcript.pdf?cycle=1999-2003').set('Authorization', `Bearer ${token}`).set('Accept', 'application/json').expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields[0].field).toBe('cycle');
    const browser = await signIn('teacher');
    await browser.get('/me/transcript?cycle=bad%20code').expect(400);
  });
});
