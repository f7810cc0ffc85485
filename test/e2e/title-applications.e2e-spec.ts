import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shanghaiDate } from '../../src/common/dates.js';
import { addMonths } from '../../src/modules/titles/title-rules.js';
import { sessionTokens, teachers } from '../support/offering-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { QP_RULE_FIRST, setEducation, setQualification, setTitles } from '../support/title-fixtures.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

describe('title applications', () => {
  let t: TestApp;
  let dataDir: string;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  let k001: Array<{ username: string; personId: string }>;
  let elsewhere: { username: string; personId: string };
  const count = async (table: string) => (await t.db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
  const open = (username: string, body: object) => t.http().post('/api/title-applications').set(as(username)).send(body);
  const post = (id: string, step: string, username: string, body: object = {}) =>
    t.http().post(`/api/title-applications/${id}/${step}`).set(as(username)).send(body);

  /** A K001 teacher with 二级 since 2015, a bachelor's degree and the qualification certificate: eligible for 一级 under the district rule. */
  async function eligibleTeacher(index: number) {
    const p = k001[index]!;
    await setEducation(t.db.pool, p.personId, 'bachelor');
    await setTitles(t.db.pool, p.personId, [{ title: 'third', effectiveDate: '2012-09-01' }, { title: 'second', effectiveDate: '2015-09-01' }]);
    await setQualification(t.db.pool, p.personId, true);
    return p;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tgp-titles-'));
    t = await startTestApp({ env: { DATA_DIR: dataDir } });
    for (const name of ['district_admin', 'kg_admin', 'group_admin', 'teacher']) tokens.set(name, await t.token(name));
    k001 = await teachers(t.db.pool, 5, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K001') AND u.username <> 'kg_admin'`);
    [elsewhere] = await teachers(t.db.pool, 1, `p.current_org_unit_id <> (SELECT id FROM org_unit WHERE code = 'SH-QP-K001')`);
    for (const [name, token] of await sessionTokens(t.db.pool, [...k001.map((p) => p.username), elsewhere!.username])) tokens.set(name, token);
    await t.http().post('/api/title-rules').set(as('district_admin')).send(QP_RULE_FIRST).expect(201);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('goes through both reviews to a new title record with its effective date; the dossier stays frozen', async () => {
    const p = await eligibleTeacher(0);
    const draft = (await open(p.username, { toTitle: 'first', statement: '从事幼儿教育十余年。' }).expect(201)).body;
    expect(draft).toMatchObject({ status: 'draft', fromTitle: 'second', toTitle: 'first', personId: p.personId });
    expect((await open(p.username, { toTitle: 'first' }).expect(200)).body.id).toBe(draft.id);

    const attached = await t.http().patch(`/api/title-applications/${draft.id}`).set(as(p.username))
      .field('statement', '从事幼儿教育十余年，带教徒弟两名。').attach('file', PDF, { filename: '教学成果.pdf', contentType: 'application/pdf' }).expect(200);
    expect(attached.body.attachments).toEqual([{ id: expect.any(String), name: '教学成果.pdf' }]);
    await t.http().get(`/api/files/${attached.body.attachments[0].id}`).set(as('kg_admin')).expect(200);
    await t.http().get(`/api/files/${attached.body.attachments[0].id}`).set(as(k001[1]!.username)).expect(404);

    const submitted = (await post(draft.id, 'submit', p.username).expect(200)).body;
    expect(submitted.status).toBe('submitted');
    expect(submitted.dossier.titleHistory.map((r: { title: string }) => r.title)).toEqual(['third', 'second']);
    expect(submitted.dossier.certificates.map((c: { kind: string }) => c.kind)).toContain('teacher_qualification');
    expect(submitted.dossier.eligibility.eligibleNow).toBe(true);
    expect(submitted.dossier.mentoring).toEqual({ asMentee: expect.any(Array), asMentor: expect.any(Array) });
    await t.http().patch(`/api/title-applications/${draft.id}`).set(as(p.username)).send({ statement: 'x' }).expect(422);

    // Later record changes never alter the submitted dossier.
    await t.db.pool.query(`INSERT INTO person_honour (person_id, honour, awarded_on) VALUES ($1, 'district_backbone', '2026-01-10')`, [p.personId]);
    await setQualification(t.db.pool, p.personId, false);
    const again = (await t.http().get(`/api/title-applications/${draft.id}`).set(as(p.username)).expect(200)).body;
    expect(again.dossier).toEqual(submitted.dossier);
    await setQualification(t.db.pool, p.personId, true);

    expect((await post(draft.id, 'kindergarten-decision', 'kg_admin', { decision: 'approve', comment: '同意推荐' }).expect(200)).body.status).toBe('kindergarten_approved');
    expect((await post(draft.id, 'kindergarten-decision', 'kg_admin', { decision: 'approve' }).expect(200)).body.status).toBe('kindergarten_approved');
    await post(draft.id, 'district-decision', 'kg_admin', { decision: 'approve', effectiveDate: '2026-12-01' }).expect(403);
    const noDate = await post(draft.id, 'district-decision', 'district_admin', { decision: 'approve' }).expect(400);
    expect(noDate.body.error.details.fields[0].field).toBe('effectiveDate');

    const before = await count('title_record');
    const approved = (await post(draft.id, 'district-decision', 'district_admin', { decision: 'approve', effectiveDate: '2026-12-01' }).expect(200)).body;
    await post(draft.id, 'district-decision', 'district_admin', { decision: 'approve', effectiveDate: '2026-12-01' }).expect(200);
    expect(approved).toMatchObject({ status: 'approved', effectiveDate: '2026-12-01', titleRecordId: expect.any(String) });
    expect(await count('title_record')).toBe(before + 1);
    const { rows: [record] } = await t.db.pool.query('SELECT title, effective_date::text AS d, approving_body FROM title_record WHERE id = $1', [approved.titleRecordId]);
    expect(record).toEqual({ title: 'first', d: '2026-12-01', approving_body: '青浦区' });
    const next = (await t.http().get(`/api/people/${p.personId}/title-eligibility`).set(as(p.username)).expect(200)).body;
    expect(next).toMatchObject({ currentTitle: 'first', currentSince: '2026-12-01', nextTitle: 'senior' });
    const { rows: audit } = await t.db.pool.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [draft.id]);
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'submit', 'kindergarten_approve', 'district_approve']);
  });

  it('keeps the reasons of a rejection; rejecting needs reasons', async () => {
    const p = await eligibleTeacher(1);
    const app = (await open(p.username, { toTitle: 'first' }).expect(201)).body;
    await post(app.id, 'submit', p.username).expect(200);
    const noReasons = await post(app.id, 'kindergarten-decision', 'kg_admin', { decision: 'reject' }).expect(400);
    expect(noReasons.body.error.details.fields.map((f: { field: string }) => f.field)).toContain('reasons');
    await post(app.id, 'kindergarten-decision', 'kg_admin', { decision: 'reject', reasons: '近三年公开课记录不足' }).expect(200);
    const read = (await t.http().get(`/api/title-applications/${app.id}`).set(as(p.username)).expect(200)).body;
    expect(read).toMatchObject({ status: 'rejected', rejectionReasons: '近三年公开课记录不足' });
    await post(app.id, 'kindergarten-decision', 'kg_admin', { decision: 'approve' }).expect(422);
    // Rejected: a new application may be opened.
    await open(p.username, { toTitle: 'first' }).expect(201);
  });

  it('refuses a title below, equal to or more than one step above the current one, writing nothing', async () => {
    const p = await eligibleTeacher(2);
    const before = await count('title_application');
    expect((await open(p.username, { toTitle: 'second' }).expect(422)).body.error.code).toBe('TITLE_NOT_ABOVE_CURRENT');
    expect((await open(p.username, { toTitle: 'third' }).expect(422)).body.error.code).toBe('TITLE_NOT_ABOVE_CURRENT');
    expect((await open(p.username, { toTitle: 'senior' }).expect(422)).body.error.code).toBe('TITLE_MORE_THAN_ONE_STEP');
    const bad = await open(p.username, { toTitle: 'chief' }).expect(400);
    expect(bad.body.error.details.fields[0].field).toBe('toTitle');
    expect(await count('title_application')).toBe(before);
  });

  it('refuses to submit when not eligible unless the kindergarten overrides with a reason', async () => {
    const p = k001[3]!;
    await setEducation(t.db.pool, p.personId, 'bachelor');
    await setTitles(t.db.pool, p.personId, [{ title: 'second', effectiveDate: addMonths(shanghaiDate(), -6) }]);
    await setQualification(t.db.pool, p.personId, true);
    const app = (await open(p.username, { toTitle: 'first' }).expect(201)).body;
    const refused = await post(app.id, 'submit', p.username).expect(422);
    expect(refused.body.error).toMatchObject({ code: 'TITLE_NOT_ELIGIBLE', details: { unmet: ['years_at_previous'] } });
    await post(app.id, 'submit', p.username, { overrideReason: '特殊人才' }).expect(422);
    const overridden = (await post(app.id, 'submit', 'kg_admin', { overrideReason: '区级骨干，破格推荐' }).expect(200)).body;
    expect(overridden.status).toBe('submitted');
    expect(overridden.eligibility).toMatchObject({ overrideReason: '区级骨干，破格推荐', unmet: ['years_at_previous'] });
    // The applicant withdraws before the decision; again changes nothing.
    expect((await post(app.id, 'withdraw', p.username).expect(200)).body.status).toBe('withdrawn');
    await post(app.id, 'withdraw', p.username).expect(200);
  });

  it('denies people out of scope: reads 404, decisions 4xx with nothing written', async () => {
    await setTitles(t.db.pool, elsewhere.personId, [{ title: 'second', effectiveDate: '2015-09-01' }]);
    const other = (await open('district_admin', { personId: elsewhere.personId, toTitle: 'first' }).expect(201)).body;
    await post(other.id, 'submit', 'district_admin', { overrideReason: '区审核抽查' }).expect(200);
    const p = await eligibleTeacher(4);
    const mine = (await open(p.username, { toTitle: 'first' }).expect(201)).body;
    await post(mine.id, 'submit', p.username).expect(200);

    await t.http().get(`/api/title-applications/${mine.id}`).set(as(k001[0]!.username)).expect(404);
    await open(p.username, { personId: k001[0]!.personId, toTitle: 'senior' }).expect(404);
    await open('kg_admin', { personId: elsewhere.personId, toTitle: 'first' }).expect(404);
    await post(mine.id, 'kindergarten-decision', p.username, { decision: 'approve' }).expect(403);
    await post(mine.id, 'kindergarten-decision', 'group_admin', { decision: 'approve' }).expect(403);
    const auditBefore = await count('audit_log');
    await post(other.id, 'kindergarten-decision', 'kg_admin', { decision: 'reject', reasons: '越权' }).expect(404);
    expect(await count('audit_log')).toBe(auditBefore);
    await t.http().get(`/api/title-applications/${other.id}`).set(as('kg_admin')).expect(404);
    expect((await t.db.pool.query('SELECT status FROM title_application WHERE id = $1', [other.id])).rows[0].status).toBe('submitted');
    const queue = (await t.http().get('/api/title-applications?status=submitted').set(as('kg_admin')).expect(200)).body.items;
    expect(queue.map((a: { id: string }) => a.id)).toContain(mine.id);
    expect(queue.every((a: { kindergartenName: string }) => a.kindergartenName === queue[0].kindergartenName)).toBe(true);
    await t.http().get('/api/title-applications').set(as(p.username)).expect(403);
    const { rows: [still] } = await t.db.pool.query('SELECT status FROM title_application WHERE id = $1', [mine.id]);
    expect(still.status).toBe('submitted');
  });
});
