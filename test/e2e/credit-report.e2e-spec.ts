import ExcelJS from 'exceljs';
import { agent } from 'supertest';
import { FieldCipher } from '../../src/common/field-cipher.js';
import { JobQueue } from '../../src/queue/job-queue.js';
import { ComplianceReminderService } from '../../src/modules/credits/compliance-reminder.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO_PASSWORD } from '../support/env.js';
import { addCreditEntry, binaryBody } from '../support/credit-fixtures.js';

type Entry = { title: string; category: string; level: string; credits: number; hours?: number; occurredOn?: string };
type Counts = Record<'met' | 'on_track' | 'behind' | 'at_risk' | 'not_applicable' | 'total', number>;
type Unit = { id: string; name: string; counts: Counts };

/** 36 credits and 360 hours placed so that every rule of the Shanghai scheme is met. */
const FULL_SCHEME: Entry[] = [
  { title: '市级师德专题', category: 'ethics', level: 'city', credits: 2 },
  { title: '市级信息化素养', category: 'knowledge_skills', level: 'city', credits: 4 },
  { title: '市级实践观摩', category: 'practice', level: 'city', credits: 1 },
  { title: '区级师德研修', category: 'ethics', level: 'district', credits: 2 },
  { title: '区级课程实施培训', category: 'knowledge_skills', level: 'district', credits: 6 },
  { title: '区级教学展示', category: 'practice', level: 'district', credits: 2 },
  { title: '园本师德学习', category: 'ethics', level: 'kindergarten', credits: 4 },
  { title: '园本专业阅读', category: 'knowledge_skills', level: 'kindergarten', credits: 0.5 },
  { title: '园本教研：户外游戏观察', category: 'practice', level: 'kindergarten', credits: 11 },
  { title: '园本观察记录', category: 'knowledge_skills', level: 'kindergarten', credits: 1.5 },
  { title: '自主研修：儿童行为观察笔记', category: 'self_study', level: 'kindergarten', credits: 4 },
];

describe('credit reports, exports and cycle-end reminders', () => {
  let t: TestApp;
  let k001: string;
  let metIds: string[];
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const tokens = new Map<string, string>();
  const get = (username: string, path: string) => t.http().get(path).set(auth(tokens.get(username)!));
  async function workbook(bytes: Buffer) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    return book;
  }
  const rowsOf = (sheet: ExcelJS.Worksheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };
  const addEntry = (personId: string, entry: Entry, reverses?: string) =>
    addCreditEntry(t.db.pool, personId, { occurredOn: '2026-06-15', ...entry }, reverses);
  /** Teachers (post teacher) of a kindergarten with no ledger entry yet. */
  async function freshTeachers(code: string, count: number): Promise<string[]> {
    const { rows } = await t.db.pool.query(
      `SELECT p.id FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE k.code = $1 AND p.current_post = 'teacher' AND NOT EXISTS (SELECT 1 FROM credit_entry e WHERE e.person_id = p.id)
          AND (p.hire_date IS NULL OR p.hire_date < '2025-01-01')
        ORDER BY p.id LIMIT $2`, [code, count]);
    return rows.map((r) => r.id);
  }
  const k001Unit = async (username = 'kg_admin', query = 'scheme=sh-teacher-36') =>
    ((await get(username, `/api/credits/report?${query}`)).body.units as Unit[]).find((u) => u.id === k001)!;

  beforeAll(async () => {
    t = await startTestApp();
    k001 = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP-K001'`)).rows[0].id;
    for (const username of ['teacher', 'kg_admin', 'group_admin', 'district_admin']) tokens.set(username, await t.token(username));
  });
  afterAll(() => t?.close());

  describe('the compliance report', () => {
    it('counts who has met the scheme per kindergarten, and two teachers crediting everything move from behind to met', async () => {
      const before = await k001Unit();
      metIds = await freshTeachers('SH-QP-K001', 2);
      for (const id of metIds) for (const entry of FULL_SCHEME) await addEntry(id, entry);
      const after = await k001Unit();
      const staff = Number((await t.db.pool.query(`SELECT count(*) FROM person WHERE current_org_unit_id = $1`, [k001])).rows[0].count);
      const teachers = Number((await t.db.pool.query(`SELECT count(*) FROM person WHERE current_org_unit_id = $1 AND current_post = 'teacher'`, [k001])).rows[0].count);
      expect(after.counts.total).toBe(staff);
      expect(after.counts.met).toBe(before.counts.met + 2);
      expect(after.counts.behind + after.counts.at_risk + after.counts.on_track).toBe(before.counts.behind + before.counts.at_risk + before.counts.on_track - 2);
      // Only teachers fall under the Shanghai teacher scheme; caregivers, principals and others are not counted against it.
      expect(after.counts.met + after.counts.on_track + after.counts.behind + after.counts.at_risk).toBe(teachers);
      expect(after.counts.not_applicable).toBe(staff - teachers);
    });

    it('drills down to the kindergarten\'s people with their standing and what they miss', async () => {
      const res = await get('kg_admin', `/api/credits/report?scheme=sh-teacher-36&unit=${k001}`).expect(200);
      expect(res.body.unit).toEqual({ id: k001, name: expect.any(String) });
      const people = res.body.people as Array<{ personId: string; standing: string; missing: string[] }>;
      for (const id of metIds) expect(people.find((p) => p.personId === id)).toMatchObject({ standing: 'met', missing: [] });
      const behind = people.find((p) => p.standing === 'behind')!;
      expect(behind.missing.join('；')).toContain('还差');
    });

    it('keeps each admin inside their scope: a kindergarten admin sees their kindergarten, a group admin their group, a teacher nothing', async () => {
      const own = (await get('kg_admin', '/api/credits/report').expect(200)).body.units as Unit[];
      expect(own.map((u) => u.id)).toEqual([k001]);
      const district = (await get('kg_admin', '/api/credits/report?groupBy=district').expect(200)).body.units as Unit[];
      expect(district).toHaveLength(1);
      expect(district[0].counts.total).toBe(own[0].counts.total);

      const other = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP-K002'`)).rows[0].id;
      await get('kg_admin', `/api/credits/report?unit=${other}`).expect(404);

      const members: string[] = (await t.db.pool.query(
        `SELECT DISTINCT m.kindergarten_id FROM kindergarten_group_member m JOIN kindergarten_group g ON g.id = m.group_id
           JOIN person p ON p.current_org_unit_id = m.kindergarten_id WHERE g.code = 'SH-QP-G01'`)).rows.map((r) => r.kindergarten_id);
      const group = (await get('group_admin', '/api/credits/report').expect(200)).body.units as Unit[];
      expect(group.map((u) => u.id).sort()).toEqual(members.sort());
      const byGroup = (await get('group_admin', '/api/credits/report?groupBy=group').expect(200)).body.units as Unit[];
      expect(byGroup).toHaveLength(1);

      const all = (await get('district_admin', '/api/credits/report?groupBy=town').expect(200)).body;
      const staff = Number((await t.db.pool.query(`SELECT count(*) FROM person WHERE current_org_unit_id IS NOT NULL`)).rows[0].count);
      expect(all.totals.total).toBe(staff);
      expect((all.units as Unit[]).length).toBeGreaterThan(5);

      const teacher = await get('teacher', '/api/credits/report').expect(403);
      expect(teacher.body.error.code).toBe('FORBIDDEN');
      await get('teacher', '/api/credits/report.xlsx').expect(403);
    });

    it('refuses a bad grouping, an unknown scheme or cycle, naming the field', async () => {
      const fieldsOf = async (query: string) => {
        const res = await get('kg_admin', `/api/credits/report?${query}`).expect(400);
        return (res.body.error.details.fields as Array<{ field: string }>).map((f) => f.field);
      };
      expect(await fieldsOf('groupBy=province')).toEqual(['groupBy']);
      expect(await fieldsOf('scheme=no-such-scheme')).toEqual(['scheme']);
      expect(await fieldsOf('cycle=1990-1995')).toEqual(['cycle']);
      expect(await fieldsOf('unit=K001')).toEqual(['unit']);
    });

    it('exports the report to a spreadsheet that reads back with the same counts and people', async () => {
      const unit = await k001Unit();
      const res = get('kg_admin', '/api/credits/report.xlsx?scheme=sh-teacher-36').buffer(true).parse(binaryBody);
      const done = await res.expect(200);
      expect(done.headers['content-type']).toContain('spreadsheetml');
      const book = await workbook(done.body as Buffer);
      const summary = rowsOf(book.getWorksheet('汇总')!);
      expect(summary[0]).toEqual(['按园所', '人数', '已达标', '进度正常', '进度落后', '有不达标风险', '不适用']);
      expect(summary[1]).toEqual([unit.name, unit.counts.total, unit.counts.met, unit.counts.on_track, unit.counts.behind, unit.counts.at_risk, unit.counts.not_applicable]);
      expect(summary[summary.length - 1][0]).toBe('合计');
      const people = rowsOf(book.getWorksheet('人员')!);
      expect(people).toHaveLength(unit.counts.total + 1);
      const names: string[] = (await t.db.pool.query(`SELECT full_name FROM person WHERE id = ANY($1)`, [metIds])).rows.map((r) => r.full_name);
      for (const name of names) expect(people.find((r) => r[0] === name)?.[3]).toBe('已达标');
      const audit = await t.db.pool.query(`SELECT after FROM audit_log WHERE action = 'export' AND entity_type = 'credit_report' ORDER BY id DESC LIMIT 1`);
      expect(audit.rows[0].after).toMatchObject({ format: 'xlsx', scheme: 'sh-teacher-36', people: unit.counts.total });
    });

    it('shows the report page with counts per unit and the drill-down to people', async () => {
      const browser = agent(t.app.getHttpServer());
      const login = await browser.get('/login').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1];
      await browser.post('/login').type('form').send({ _csrf: csrf, identifier: 'kg_admin', password: DEMO_PASSWORD, next: '/' }).expect(303);
      const page = await browser.get('/credits/report?scheme=sh-teacher-36').expect(200);
      expect(page.text).toContain(`data-unit-id="${k001}"`);
      expect(page.text).not.toContain('data-testid="export-csv"');
      const drill = await browser.get(`/credits/report?scheme=sh-teacher-36&unit=${k001}`).expect(200);
      for (const id of metIds) expect(drill.text).toContain(`data-person-id="${id}" data-standing="met"`);
      expect(drill.text).toContain(`href="/people/${metIds[0]}/transcript"`);
    });
  });

  describe('the flat export for the credit platforms', () => {
    let wrongId: string;
    let reversalId: string;

    beforeAll(async () => {
      wrongId = await addEntry(metIds[0], { title: '误录的区级培训', category: 'ethics', level: 'district', credits: 1, occurredOn: '2026-07-01' });
      reversalId = await addEntry(metIds[0], { title: '误录的区级培训', category: 'ethics', level: 'district', credits: -1, hours: -10, occurredOn: '2026-07-02' }, wrongId);
    });

    it('gives district HR one row per ledger entry with the national ID, reversals flagged, as UTF-8 CSV with a BOM, and audits it', async () => {
      const res = get('district_admin', '/api/credits/export.csv?cycle=2026-2030').buffer(true).parse(binaryBody);
      const done = await res.expect(200);
      expect(done.headers['content-type']).toContain('text/csv');
      const bytes = done.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
      expect(lines[0]).toBe('身份证号,姓名,园所,日期,名称,类别,层级,学时,学分,来源,记录编号,冲销记录,被冲销记录编号');
      const { rows: [person] } = await t.db.pool.query(
        `SELECT p.full_name, p.national_id_enc, k.name AS kindergarten FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id WHERE p.id = $1`, [metIds[0]]);
      const nationalId = t.app.get(FieldCipher).decrypt(person.national_id_enc);
      const mine = lines.filter((l) => l.startsWith(`${nationalId},`));
      expect(mine).toHaveLength(FULL_SCHEME.length + 2);
      expect(mine).toContainEqual(`${nationalId},${person.full_name},${person.kindergarten},2026-07-01,误录的区级培训,师德素养,区级,10,1,人工调整,${wrongId},否,`);
      expect(mine).toContainEqual(`${nationalId},${person.full_name},${person.kindergarten},2026-07-02,误录的区级培训,师德素养,区级,-10,-1,人工调整,${reversalId},是,${wrongId}`);
      const total = Number((await t.db.pool.query(`SELECT count(*) FROM credit_entry`)).rows[0].count);
      expect(lines).toHaveLength(total + 1);

      const audit = await t.db.pool.query(`SELECT after FROM audit_log WHERE action = 'export' AND entity_type = 'credit_export' ORDER BY id DESC LIMIT 1`);
      expect(audit.rows[0].after).toMatchObject({ format: 'csv', cycle: '2026-2030' });
    });

    it('gives the same rows as a spreadsheet, limited by date', async () => {
      const res = get('district_admin', '/api/credits/export.xlsx?from=2026-07-01&to=2026-07-31').buffer(true).parse(binaryBody);
      const book = await workbook((await res.expect(200)).body as Buffer);
      const rows = rowsOf(book.worksheets[0]);
      expect(rows[0][0]).toBe('身份证号');
      expect(rows.slice(1).map((r) => r[10]).sort()).toEqual([wrongId, reversalId].sort());
      const audits = Number((await t.db.pool.query(`SELECT count(*) FROM audit_log WHERE action = 'export' AND entity_type = 'credit_export'`)).rows[0].count);
      expect(audits).toBe(2);
    });

    it('refuses kindergarten and group admins (no national IDs for them) and bad dates', async () => {
      await get('kg_admin', '/api/credits/export.csv').expect(403);
      await get('group_admin', '/api/credits/export.xlsx').expect(403);
      await get('teacher', '/api/credits/export.csv').expect(403);
      const bad = await get('district_admin', '/api/credits/export.csv?from=2026-02-30&to=2026-12-31').expect(400);
      expect((bad.body.error.details.fields as Array<{ field: string }>).map((f) => f.field).sort()).toEqual(['from']);
      const backwards = await get('district_admin', '/api/credits/export.csv?from=2026-06-01&to=2026-01-01').expect(400);
      expect(backwards.body.error.details.fields[0].field).toBe('to');
      const cycle = await get('district_admin', '/api/credits/export.csv?cycle=1990-1995').expect(400);
      expect(cycle.body.error.details.fields[0].field).toBe('cycle');
      const audits = Number((await t.db.pool.query(`SELECT count(*) FROM audit_log WHERE action = 'export' AND entity_type = 'credit_export'`)).rows[0].count);
      expect(audits).toBe(2);
    });
  });

  describe('cycle-end reminders', () => {
    it('tells someone at risk 12, 6 and 3 months before the cycle ends, once each', async () => {
      const [personId] = await freshTeachers('SH-QP-K003', 1);
      const reminders = t.app.get(ComplianceReminderService);
      const notices = async () => (await t.db.pool.query(
        `SELECT n.title, n.link FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.person_id = $1 AND n.kind = 'compliance.reminder' ORDER BY n.created_at`, [personId])).rows;
      const logged = async () => (await t.db.pool.query(
        `SELECT r.months_before, s.code FROM compliance_reminder r JOIN requirement_scheme s ON s.id = r.scheme_id WHERE r.person_id = $1 ORDER BY r.months_before DESC, s.code`, [personId])).rows;

      expect(await reminders.remind({ asOf: '2029-11-30', personIds: [personId] })).toBe(0);
      const first = await reminders.remind({ asOf: '2030-01-15', personIds: [personId] });
      expect(first).toBeGreaterThan(0);
      expect(await reminders.remind({ asOf: '2030-01-15', personIds: [personId] })).toBe(0);
      expect(await reminders.remind({ asOf: '2030-05-01', personIds: [personId] })).toBe(0);
      expect(await notices()).toHaveLength(first);
      expect((await notices())[0]).toMatchObject({ title: expect.stringContaining('不足 12 个月'), link: '/me/transcript' });
      expect((await logged()).map((r) => r.code)).toContain('sh-teacher-36');

      expect(await reminders.remind({ asOf: '2030-07-01', personIds: [personId] })).toBe(first);
      expect(await reminders.remind({ asOf: '2030-07-02', personIds: [personId] })).toBe(0);
      expect(await reminders.remind({ asOf: '2030-10-01', personIds: [personId] })).toBe(first);
      expect(await reminders.remind({ asOf: '2030-12-30', personIds: [personId] })).toBe(0);
      expect(await reminders.remind({ asOf: '2031-01-05', personIds: [personId] })).toBe(0);

      const log = await logged();
      expect(log.filter((r) => r.code === 'sh-teacher-36').map((r) => r.months_before)).toEqual([12, 6, 3]);
      expect(await notices()).toHaveLength(3 * first);
      expect((await notices()).map((n) => n.title).filter((title: string) => title.includes('不足 3 个月'))).toHaveLength(first);
    });

    it('leaves out someone who has met the scheme, and runs as the scheduled job', async () => {
      expect(await t.app.get(ComplianceReminderService).remind({ asOf: '2030-10-01', personIds: [metIds[1]] })).toBeLessThanOrEqual(1);
      const logged = await t.db.pool.query(
        `SELECT s.code FROM compliance_reminder r JOIN requirement_scheme s ON s.id = r.scheme_id WHERE r.person_id = $1`, [metIds[1]]);
      expect(logged.rows.map((r) => r.code)).not.toContain('sh-teacher-36');
      // Today (2026-11-22) no cycle ends within a year: the job runs through and sends nothing.
      const before = Number((await t.db.pool.query(`SELECT count(*) FROM compliance_reminder`)).rows[0].count);
      await t.app.get(JobQueue).enqueue('compliance.remind', {});
      expect(Number((await t.db.pool.query(`SELECT count(*) FROM compliance_reminder`)).rows[0].count)).toBe(before);
    });
  });
});
