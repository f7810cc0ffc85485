import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, shanghaiDate } from '../../src/common/dates.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sessionTokens, teachers } from '../support/offering-fixtures.js';
import { filesUnder } from '../support/files-on-disk.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const HTML_AS_PDF = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const MAX_BYTES = 64 * 1024;

describe('claims for outside training', () => {
  let t: TestApp;
  let dataDir: string;
  let colleague: { username: string; personId: string };
  let elsewhere: { username: string; personId: string };
  let serial = 0;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const filesOnDisk = () => filesUnder(join(dataDir, 'files'));
  const storedFiles = async () => (await t.db.pool.query('SELECT count(*)::int AS n FROM stored_file')).rows[0].n as number;
  const fieldsOf = (body: { error: { details: { fields: Array<{ field: string; code: string }> } } }) => body.error.details.fields;

  function submit(username: string, fields: Record<string, string> = {}, file: { bytes: Buffer; name: string; type: string } | null = { bytes: PDF, name: '结业证书.pdf', type: 'application/pdf' }) {
    const values = {
      title: '上海市学前教育学会年会专题研修', provider: '上海市学前教育学会', certificateNumber: `SHPE-2026-${++serial}`,
      hours: '12', category: 'knowledge_skills', level: 'city', occurredOn: '2026-10-18', ...fields,
    };
    let req = t.http().post('/api/me/claims').set(as(username));
    for (const [key, value] of Object.entries(values)) req = req.field(key, value);
    if (file) req = req.attach('evidence', file.bytes, { filename: file.name, contentType: file.type });
    return req;
  }
  const review = (id: string, username: string, body: object) => t.http().post(`/api/claims/${id}/review`).set(as(username)).send(body);
  const decide = (id: string, username: string, body: object) => t.http().post(`/api/claims/${id}/decide`).set(as(username)).send(body);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tgp-claims-'));
    t = await startTestApp({ env: { DATA_DIR: dataDir, UPLOAD_MAX_BYTES: String(MAX_BYTES) } });
    for (const name of ['district_admin', 'kg_admin', 'teacher', 'group_admin']) tokens.set(name, await t.token(name));
    [colleague] = await teachers(t.db.pool, 1, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K001') AND u.username <> 'kg_admin'`);
    [elsewhere] = await teachers(t.db.pool, 1, `p.current_org_unit_id <> (SELECT id FROM org_unit WHERE code = 'SH-QP-K001')`);
    for (const [name, token] of await sessionTokens(t.db.pool, [colleague.username, elsewhere.username])) tokens.set(name, token);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('goes from the teacher through the kindergarten to the district, and becomes exactly one ledger entry', async () => {
    const claim = (await submit('teacher').expect(201)).body;
    // Outside training converts at the non-centralised rate (10 hours per credit in Shanghai).
    expect(claim).toMatchObject({ status: 'submitted', hours: 12, credits: 1.2, evidence: { name: '结业证书.pdf', contentType: 'application/pdf', sizeBytes: PDF.length } });
    const { rows: [file] } = await t.db.pool.query('SELECT storage_key, sha256 FROM stored_file WHERE id = $1', [claim.evidence.id]);
    expect(file.storage_key).not.toMatch(/结业|pdf/);
    expect(statSync(join(dataDir, 'files', file.storage_key)).size).toBe(PDF.length);

    const inboxOf = async (username: string, query = '') =>
      (await t.http().get(`/api/claims${query}`).set(as(username)).expect(200)).body.items.map((c: { id: string }) => c.id);
    expect(await inboxOf('kg_admin')).toContain(claim.id);
    expect(await inboxOf('district_admin')).not.toContain(claim.id);
    expect(await inboxOf('district_admin', '?status=submitted')).toContain(claim.id);

    expect((await decide(claim.id, 'district_admin', { decision: 'approve' }).expect(409)).body.error.code).toBe('CLAIM_WRONG_STEP');
    await decide(claim.id, 'kg_admin', { decision: 'approve' }).expect(403);
    const reviewed = (await review(claim.id, 'kg_admin', { decision: 'approve' }).expect(200)).body;
    expect(reviewed.status).toBe('kindergarten_approved');
    const repeated = (await review(claim.id, 'kg_admin', { decision: 'approve' }).expect(200)).body;
    expect(repeated.kindergartenReviewedAt).toBe(reviewed.kindergartenReviewedAt);
    expect(await inboxOf('district_admin')).toContain(claim.id);

    const decisions = await Promise.all(Array.from({ length: 4 }, () => decide(claim.id, 'district_admin', { decision: 'approve' })));
    expect(decisions.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(decisions.map((r) => r.body.entryId)).size).toBe(1);
    const approved = decisions[0].body;
    expect(approved.status).toBe('approved');
    const entries = await t.db.pool.query(
      `SELECT e.id, e.source, e.source_id, e.hours::float, e.credits::float, e.approved_by, u.username AS approver
         FROM credit_entry e JOIN app_user u ON u.id = e.approved_by WHERE e.source_key = $1`, [`claim:${claim.id}`]);
    expect(entries.rows).toEqual([{ id: approved.entryId, source: 'external_training', source_id: claim.id, hours: 12, credits: 1.2, approved_by: expect.any(String), approver: 'district_admin' }]);
    const mine = (await t.http().get('/api/me/credits?source=external_training').set(as('teacher')).expect(200)).body;
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([approved.entryId]);

    expect((await review(claim.id, 'kg_admin', { decision: 'reject', reason: '迟到' }).expect(409)).body.error.code).toBe('CLAIM_WRONG_STEP');
    expect((await decide(claim.id, 'district_admin', { decision: 'reject', reason: '改判' }).expect(409)).body.error.code).toBe('CLAIM_WRONG_STEP');
    const audit = await t.db.pool.query(`SELECT action FROM audit_log WHERE entity_type = 'credit_claim' AND entity_id = $1 ORDER BY occurred_at`, [claim.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'review', 'decide']);
    const notices = await t.db.pool.query(
      `SELECT n.kind, n.title FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'teacher' AND n.kind LIKE 'claim.%'`);
    expect(notices.rows).toEqual([{ kind: 'claim.approved', title: '学分认定已通过：上海市学前教育学会年会专题研修' }]);
  });

  it('needs a reason to reject, tells the teacher why, and then lets them claim the certificate again', async () => {
    const claim = (await submit(colleague.username, { certificateNumber: 'REJ-001' }).expect(201)).body;
    const noReason = await review(claim.id, 'kg_admin', { decision: 'reject' }).expect(400);
    expect(fieldsOf(noReason.body).map((f) => f.field)).toEqual(['reason']);
    const rejected = (await review(claim.id, 'kg_admin', { decision: 'reject', reason: '证书与培训名称不符' }).expect(200)).body;
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '证书与培训名称不符', entryId: null });
    await review(claim.id, 'kg_admin', { decision: 'reject', reason: '再次' }).expect(200);
    expect((await review(claim.id, 'kg_admin', { decision: 'approve' }).expect(409)).body.error.code).toBe('CLAIM_WRONG_STEP');
    const notices = await t.db.pool.query(
      `SELECT n.body FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = $1 AND n.kind = 'claim.rejected'`, [colleague.username]);
    expect(notices.rows).toHaveLength(1);
    expect(notices.rows[0].body).toContain('证书与培训名称不符');
    await submit(colleague.username, { certificateNumber: 'rej-001' }).expect(201);
  });

  it('refuses the same certificate twice for one person and stores no file for the refusal, even when sent at once', async () => {
    await submit(colleague.username, { certificateNumber: 'DUP-100' }).expect(201);
    const [files, onDisk] = [await storedFiles(), filesOnDisk()];
    const again = await submit(colleague.username, { certificateNumber: 'dup-100' }).expect(409);
    expect(again.body.error.code).toBe('CLAIM_DUPLICATE_CERTIFICATE');
    expect([await storedFiles(), filesOnDisk()]).toEqual([files, onDisk]);

    const race = await Promise.all(Array.from({ length: 4 }, () => submit(colleague.username, { certificateNumber: 'DUP-200' })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect([await storedFiles(), filesOnDisk()]).toEqual([files + 1, onDisk + 1]);
    // Another person may hold a certificate with the same number.
    await submit('teacher', { certificateNumber: 'DUP-100' }).expect(201);
  });

  it('refuses a claim without evidence, with bad fields, with a disguised or oversized file, naming each field and storing nothing', async () => {
    const [files, claims, onDisk] = [await storedFiles(), (await t.db.pool.query('SELECT count(*)::int AS n FROM credit_claim')).rows[0].n, filesOnDisk()];
    const missing = await submit('teacher', {}, null).expect(400);
    expect(fieldsOf(missing.body)).toEqual([{ field: 'evidence', code: 'EVIDENCE_REQUIRED', message: expect.any(String) }]);

    const bad = await submit('teacher', { hours: '-3', category: 'fun', occurredOn: shanghaiDate(addDays(new Date(), 2)) }, null).expect(400);
    expect(fieldsOf(bad.body).map((f) => f.field).sort()).toEqual(['category', 'evidence', 'hours', 'occurredOn']);
    const absurd = await submit('teacher', { hours: '900', credits: '80' }).expect(400);
    expect(fieldsOf(absurd.body).map((f) => f.field).sort()).toEqual(['credits', 'hours']);

    const disguised = await submit('teacher', {}, { bytes: HTML_AS_PDF, name: 'certificate.pdf', type: 'application/pdf' }).expect(400);
    expect(fieldsOf(disguised.body)).toEqual([{ field: 'evidence', code: 'FILE_TYPE_NOT_ALLOWED', message: expect.any(String) }]);

    const big = Buffer.concat([PDF, Buffer.alloc(MAX_BYTES, 0x20)]);
    const tooBig = await submit('teacher', {}, { bytes: big, name: 'scan.pdf', type: 'application/pdf' }).expect(400);
    expect(fieldsOf(tooBig.body)).toEqual([{ field: 'evidence', code: 'FILE_TOO_LARGE', message: expect.any(String) }]);

    const claimsAfter = (await t.db.pool.query('SELECT count(*)::int AS n FROM credit_claim')).rows[0].n;
    expect([await storedFiles(), claimsAfter, filesOnDisk()]).toEqual([files, claims, onDisk]);
    // A real image is fine.
    await submit('teacher', {}, { bytes: PNG, name: 'photo.png', type: 'image/png' }).expect(201);
  });

  it('serves the evidence as a download to its owner and the claim\'s reviewers, and to nobody else', async () => {
    const claim = (await submit('teacher', {}, { bytes: PDF, name: '证书 "final".pdf', type: 'text/html' }).expect(201)).body;
    expect(claim.evidence.contentType).toBe('application/pdf');
    const url = `/api/files/${claim.evidence.id}`;
    const own = await t.http().get(url).set(as('teacher')).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(Buffer.compare(own.body as Buffer, PDF)).toBe(0);
    expect(own.headers['content-type']).toBe('application/pdf');
    expect(own.headers['content-disposition']).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''%E8%AF%81/);
    expect(own.headers['x-content-type-options']).toBe('nosniff');

    await t.http().get(url).set(as('kg_admin')).expect(200);
    await t.http().get(url).set(as('district_admin')).expect(200);
    for (const username of [colleague.username, elsewhere.username, 'group_admin']) {
      await t.http().get(url).set(as(username)).expect(404);
      await t.http().get(`/api/claims/${claim.id}`).set(as(username)).expect(404);
    }
    await t.http().get(url).expect(401);
    await t.http().get('/api/claims').set(as(colleague.username)).expect(403);
    await t.http().get('/api/files/00000000-0000-0000-0000-000000000000').set(as('teacher')).expect(404);
  });

  it('keeps a kindergarten\'s reviewers to their own staff and a claimant away from their own review', async () => {
    const claim = (await submit(elsewhere.username).expect(201)).body;
    expect((await t.http().get('/api/claims?status=all').set(as('kg_admin')).expect(200)).body.items.map((c: { id: string }) => c.id)).not.toContain(claim.id);
    await review(claim.id, 'kg_admin', { decision: 'approve' }).expect(404);
    await t.http().get(`/api/files/${claim.evidence.id}`).set(as('kg_admin')).expect(404);
    await review(claim.id, 'district_admin', { decision: 'approve' }).expect(200);

    const own = (await submit('kg_admin').expect(201)).body;
    expect((await review(own.id, 'kg_admin', { decision: 'approve' }).expect(403)).body.error.code).toBe('CLAIM_OWN');
    const mine = (await t.http().get('/api/me/claims').set(as(elsewhere.username)).expect(200)).body;
    expect(mine.items.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([[claim.id, 'kindergarten_approved']]);
  });
});
