import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { completionFixtures } from '../support/completion-fixtures.js';
import { binaryBody } from '../support/credit-fixtures.js';
import { JobHandlerRegistry } from '../../src/queue/job-queue.js';

type Cert = { id: string; code: string; status: string; fullName: string };

describe('certificates: PDF with Chinese text, public verification, re-issue and revoke', () => {
  let t: TestApp;
  let f: ReturnType<typeof completionFixtures>;
  let certificate: Cert;
  let personId: string;
  let fullName: string;
  const scratch = mkdtempSync(join(tmpdir(), 'tgp-certificate-'));
  const get = async (path: string, username: string) => t.http().get(path).set(f.auth(await t.token(username)));
  const post = async (path: string, username: string, body: object = {}) => t.http().post(path).set(f.auth(await t.token(username))).send(body);
  function pdfText(bytes: Buffer): string {
    const file = join(scratch, `c${Date.now()}.pdf`);
    writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  }
  /** Completes `username` in a one-meeting course (a rule without conditions completes once the course has ended). */
  async function complete(username: string, title: string): Promise<Cert> {
    const run = await f.run({ title, credits: 1.5, meetings: 1, hoursEach: 3 });
    const { enrollmentId } = await f.fx.enrolUser(run.offeringId, username);
    await f.mark(run.meetingIds[0], [{ enrollmentId, status: 'present' }]);
    const status = await get(`/api/enrollments/${enrollmentId}/completion`, username);
    return (await get(`/api/certificates/${status.body.completion.certificate.id}`, username)).body;
  }

  beforeAll(async () => {
    t = await startTestApp();
    f = completionFixtures(t);
    personId = await f.fx.personIdOf('teacher');
    fullName = (await f.one<{ full_name: string }>(`SELECT full_name FROM person WHERE id = $1`, [personId])).full_name;
    certificate = await complete('teacher', '幼儿园安全教育与应急处置');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lists the learner\'s certificates and renders the PDF with the Chinese name, course, hours, credits and code', async () => {
    const mine = await get('/api/me/certificates', 'teacher');
    expect(mine.body).toEqual([expect.objectContaining({
      id: certificate.id, status: 'issued', fullName, courseTitle: '幼儿园安全教育与应急处置', hours: '3', credits: '1.5', issuer: expect.any(String),
    })]);
    const page = await t.signInPages('teacher');
    const pdf = await page.get(`/certificates/${certificate.id}/pdf`).buffer(true).parse(binaryBody).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.body as Buffer);
    for (const expected of ['结业证书', fullName, '幼儿园安全教育与应急处置', '学时：3', '学分：1.5', certificate.code, '青浦区']) expect(text).toContain(expected);

    const html = await page.get(`/certificates/${certificate.id}`).expect(200);
    expect(html.text).toContain(fullName);
    expect(html.text).toContain('幼儿园安全教育与应急处置');
    expect(html.text).not.toContain('data-testid="certificate-admin"');
    const list = await page.get('/me/certificates').expect(200);
    expect(list.text).toContain(`/certificates/${certificate.id}`);
  });

  it('shows a certificate only to its owner and to staff over them', async () => {
    expect((await get(`/api/certificates/${certificate.id}`, 'district_admin')).status).toBe(200);
    for (const who of ['t00002', 'trainer', 'group_admin']) expect((await get(`/api/certificates/${certificate.id}`, who)).status).toBe(404);
    const other = await t.signInPages('t00002');
    await other.get(`/certificates/${certificate.id}`).expect(404);
    await other.get(`/certificates/${certificate.id}/pdf`).expect(404);
    const admin = await t.signInPages('district_admin');
    const html = await admin.get(`/certificates/${certificate.id}`).expect(200);
    expect(html.text).toContain('data-testid="certificate-admin"');
    expect((await get(`/api/certificates/${randomUUID()}`, 'district_admin')).status).toBe(404);
  });

  it('renders on demand when the job has not run yet, and a retried job stores nothing twice', async () => {
    const fresh = await complete('t00003', '户外自主游戏的观察与支持');
    await t.db.pool.query(`UPDATE certificate SET status = 'pending', file_id = NULL, issued_at = NULL WHERE id = $1`, [fresh.id]);
    const files = () => f.count(`SELECT count(*) FROM stored_file WHERE purpose = 'certificate'`);
    const before = await files();
    const pdf = await (await t.signInPages('t00003')).get(`/certificates/${fresh.id}/pdf`).buffer(true).parse(binaryBody).expect(200);
    expect(pdfText(pdf.body as Buffer)).toContain(fresh.code);
    const registry = t.app.get(JobHandlerRegistry);
    await Promise.all([registry.run('certificate.render', { certificateId: fresh.id }), registry.run('certificate.render', { certificateId: fresh.id })]);
    expect(await files()).toBe(before + 1);
    expect(await f.one(`SELECT status FROM certificate WHERE id = $1`, [fresh.id])).toEqual({ status: 'issued' });
  });

  it('verifies a valid code publicly with exactly what the certificate states, and nothing else', async () => {
    const page = await t.http().get(`/verify/${certificate.code}`).expect(200);
    expect(page.text).toContain('data-status="valid"');
    expect(page.text).toContain(fullName);
    expect(page.text).toContain('幼儿园安全教育与应急处置');
    const person = await f.one<{ kindergarten: string }>(`SELECT k.name AS kindergarten FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id WHERE p.id = $1`, [personId]);
    expect(page.text).not.toContain(person.kindergarten);
    expect(page.text).not.toContain(personId);
    const api = await t.http().get(`/api/verify/${certificate.code.toLowerCase().replace(/(.{4})/g, '$1-').slice(0, -1)}`).expect(200);
    expect(Object.keys(api.body).sort()).toEqual(['code', 'completedOn', 'courseTitle', 'credits', 'displayCode', 'fullName', 'hours', 'issuer', 'partial', 'revokedOn', 'status']);
    expect(api.body).toMatchObject({ status: 'valid', fullName, hours: '3', credits: '1.5', revokedOn: null });

    const unknown = await t.http().get('/verify/ABCDEFGHJKLMNPQR').set('Accept', 'text/html').expect(404);
    expect(unknown.text).toContain('没有此验证码对应的证书');
    await t.http().get('/verify/not-a-code').expect(404);
    const apiUnknown = await t.http().get('/api/verify/ABCDEFGHJKLMNPQR').expect(404);
    expect(apiUnknown.body.error.code).toBe('NOT_FOUND');
  });

  it('re-issues with a new code and the corrected name; the old one verifies as replaced; re-issuing it again is 409', async () => {
    await t.db.pool.query(`UPDATE person SET full_name = '王晓梅' WHERE id = $1`, [personId]);
    expect((await post(`/api/certificates/${certificate.id}/reissue`, 'teacher')).status).toBe(403);
    const res = await post(`/api/certificates/${certificate.id}/reissue`, 'district_admin');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ fullName: '王晓梅', courseTitle: '幼儿园安全教育与应急处置', hours: '3', credits: '1.5', status: 'issued' });
    expect(res.body.code).not.toBe(certificate.code);
    const old = await f.one<{ status: string; superseded_by: string }>(`SELECT status, superseded_by FROM certificate WHERE id = $1`, [certificate.id]);
    expect(old).toEqual({ status: 'superseded', superseded_by: res.body.id });
    const verified = await t.http().get(`/verify/${certificate.code}`).expect(200);
    expect(verified.text).toContain('data-status="superseded"');
    expect(verified.text).toContain('已被重新颁发的证书取代');
    expect((await t.http().get(`/api/verify/${res.body.code}`).expect(200)).body).toMatchObject({ status: 'valid', fullName: '王晓梅' });
    const again = await post(`/api/certificates/${certificate.id}/reissue`, 'district_admin');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CERTIFICATE_SUPERSEDED');
    expect(await f.count(`SELECT count(*) FROM certificate WHERE completion_id = (SELECT completion_id FROM certificate WHERE id = $1)`, [certificate.id])).toBe(2);
    expect(await f.count(`SELECT count(*) FROM audit_log WHERE entity_type = 'certificate' AND action = 'reissue' AND entity_id = $1`, [certificate.id])).toBe(1);
    certificate = res.body;
  });

  it('revokes (idempotent, reason required and never shown publicly); a revoked certificate verifies as revoked with its date', async () => {
    const blank = await post(`/api/certificates/${certificate.id}/revoke`, 'district_admin', { reason: '' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.fields.map((p: { field: string }) => p.field)).toEqual(['reason']);
    expect((await post(`/api/certificates/${certificate.id}/revoke`, 'trainer', { reason: '误发' })).status).toBe(403);
    const [a, b] = await Promise.all([
      post(`/api/certificates/${certificate.id}/revoke`, 'district_admin', { reason: '培训记录核查有误' }),
      post(`/api/certificates/${certificate.id}/revoke`, 'district_admin', { reason: '培训记录核查有误' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toMatchObject({ status: 'revoked', revokeReason: '培训记录核查有误' });
    expect(await f.count(`SELECT count(*) FROM audit_log WHERE entity_type = 'certificate' AND action = 'revoke' AND entity_id = $1`, [certificate.id])).toBe(1);
    const page = await t.http().get(`/verify/${certificate.code}`).expect(200);
    expect(page.text).toContain('data-status="revoked"');
    expect(page.text).toMatch(/此证书已于 \d{4}-\d{2}-\d{2} 撤销/);
    expect(page.text).not.toContain('培训记录核查有误');
    const api = await t.http().get(`/api/verify/${certificate.code}`).expect(200);
    expect(api.body).toMatchObject({ status: 'revoked', revokedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const reissue = await post(`/api/certificates/${certificate.id}/reissue`, 'district_admin');
    expect(reissue.status).toBe(409);
    expect(reissue.body.error.code).toBe('CERTIFICATE_REVOKED');
  });
});
