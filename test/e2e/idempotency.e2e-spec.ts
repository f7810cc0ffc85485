import { MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { idempotencyExclusion } from '../../src/common/idempotency/idempotency.interceptor.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures } from '../support/catalog-fixtures.js';
import { nationalId, staffRow, staffTable, xlsxOf } from '../support/import-fixtures.js';
import { programBody } from '../support/program-fixtures.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
const PDF2 = Buffer.from('%PDF-1.4\n2 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
type Fields = { body: { error: { code: string; details: { fields: Array<{ field: string; code: string }> } } } };

describe('Idempotency-Key on API POSTs', () => {
  let t: TestApp;
  let k001: string;
  let offeringId: string;
  let serial = 0;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const key = () => `test-${process.pid}-${++serial}-${Math.random().toString(36).slice(2)}`;
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.pool.query(sql, params)).rows[0].n);
  const records = (k: string) => count('SELECT count(*) AS n FROM idempotency_record WHERE idempotency_key = $1', [k]);
  const person = (n: number) => ({
    fullName: '林晓雨', nationalId: nationalId('1995-03-14', 700 + n), phone: '13900001111', educationLevel: 'bachelor', preschoolMajor: true,
    hireDate: '2020-08-25', employment: { orgUnitId: k001, post: 'teacher', startDate: '2020-09-01' },
  });
  const claim = (k: string, evidence: Buffer, certificateNumber: string) => t.http().post('/api/me/claims').set(as('teacher')).set('Idempotency-Key', k)
    .field('title', '上海市学前教育学会年会专题研修').field('provider', '上海市学前教育学会').field('certificateNumber', certificateNumber)
    .field('hours', '12').field('category', 'knowledge_skills').field('level', 'city').field('occurredOn', '2026-10-18')
    .attach('evidence', evidence, { filename: '结业证书.pdf', contentType: 'application/pdf' });

  beforeAll(async () => {
    t = await startTestApp();
    for (const username of ['district_admin', 'kg_admin', 'teacher', 't00002', 't00003']) tokens.set(username, await t.token(username));
    k001 = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP-K001'`)).rows[0].id;
    const fx = catalogFixtures(t.db.pool);
    offeringId = await fx.createOffering(await fx.createCourse({ title: '幂等性测试课程' }), { capacity: 20 });
  });
  afterAll(() => t?.close());

  it('gives a retry with the same key the first answer, status and body, and writes one record (people, programs, enrolments)', async () => {
    const people = await count('SELECT count(*) AS n FROM person');
    const k = key();
    const first = await t.http().post('/api/people').set(as('kg_admin')).set('Idempotency-Key', k).send(person(1)).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retry = await t.http().post('/api/people').set(as('kg_admin')).set('Idempotency-Key', k).send(person(1)).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['content-type']).toMatch(/application\/json/);
    expect(retry.body).toEqual(first.body);
    // Without the key the service's own rule answers: that person exists already.
    expect((await t.http().post('/api/people').set(as('kg_admin')).send(person(1)).expect(409)).body.error.code).toBe('PERSON_EXISTS');
    expect(await count('SELECT count(*) AS n FROM person')).toBe(people + 1);
    expect(await records(k)).toBe(1);

    const programs = await count('SELECT count(*) AS n FROM program');
    const programKey = key();
    const program = programBody();
    const created = await t.http().post('/api/programs').set(as('district_admin')).set('Idempotency-Key', programKey).send(program).expect(201);
    const again = await t.http().post('/api/programs').set(as('district_admin')).set('Idempotency-Key', programKey).send(program).expect(201);
    expect(again.body).toEqual(created.body);
    expect(await count('SELECT count(*) AS n FROM program')).toBe(programs + 1);

    // An enrolment answers 201 when new and 200 when it exists: the retry gets the first answer, 201.
    const enrolKey = key();
    const enrolled = await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as('teacher')).set('Idempotency-Key', enrolKey).send({}).expect(201);
    const replayed = await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as('teacher')).set('Idempotency-Key', enrolKey).send({}).expect(201);
    expect(replayed.body).toEqual(enrolled.body);
    await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as('teacher')).send({}).expect(200);
    expect(await count('SELECT count(*) AS n FROM enrollment WHERE offering_id = $1', [offeringId])).toBe(1);
  });

  it('covers multipart uploads too: the same file is replayed, another file under the same key is refused (claims, imports)', async () => {
    const claims = await count('SELECT count(*) AS n FROM credit_claim');
    const files = await count('SELECT count(*) AS n FROM stored_file');
    const k = key();
    const first = await claim(k, PDF, 'SHPE-IDEM-1').expect(201);
    const retry = await claim(k, PDF, 'SHPE-IDEM-1').expect(201);
    expect(retry.body).toEqual(first.body);
    const otherFile = await claim(k, PDF2, 'SHPE-IDEM-1').expect(422);
    expect(otherFile.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count('SELECT count(*) AS n FROM credit_claim')).toBe(claims + 1);
    expect(await count('SELECT count(*) AS n FROM stored_file')).toBe(files + 1);

    const jobs = await count('SELECT count(*) AS n FROM import_job');
    const sheet = await xlsxOf(staffTable([staffRow(9101)]));
    const importKey = key();
    const upload = () => t.http().post('/api/imports').set(as('district_admin')).set('Idempotency-Key', importKey).field('kind', 'staff').attach('file', sheet, '花名册.xlsx');
    const uploaded = await upload().expect(201);
    const again = await upload().expect(201);
    expect(again.body.id).toBe(uploaded.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await count('SELECT count(*) AS n FROM import_job')).toBe(jobs + 1);
  });

  it('refuses the same key on another body or another path with 422, and does nothing', async () => {
    const k = key();
    const first = programBody();
    await t.http().post('/api/programs').set(as('district_admin')).set('Idempotency-Key', k).send(first).expect(201);
    const programs = await count('SELECT count(*) AS n FROM program');
    const otherBody = await t.http().post('/api/programs').set(as('district_admin')).set('Idempotency-Key', k).send({ ...first, nameZh: '另一个计划' }).expect(422);
    expect(otherBody.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', message: expect.stringContaining('/api/programs') });
    const otherPath = await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as('district_admin')).set('Idempotency-Key', k).send({}).expect(422);
    expect(otherPath.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count('SELECT count(*) AS n FROM program')).toBe(programs);
    expect(await count('SELECT count(*) AS n FROM enrollment WHERE offering_id = $1', [offeringId])).toBe(1);
  });

  it('lets concurrent requests with one key wait for the first: one record, every one gets its answer', async () => {
    const programs = await count('SELECT count(*) AS n FROM program');
    const k = key();
    const body = programBody();
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.http().post('/api/programs').set(as('district_admin')).set('Idempotency-Key', k).send(body)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    expect(await count('SELECT count(*) AS n FROM program')).toBe(programs + 1);
    expect(await records(k)).toBe(1);
  });

  it('replays a 400 as the same 400; without a key a request runs as always', async () => {
    const k = key();
    const people = await count('SELECT count(*) AS n FROM person');
    const bad = { ...person(2), fullName: 5 };
    const first = await t.http().post('/api/people').set(as('kg_admin')).set('Idempotency-Key', k).send(bad).expect(400);
    expect((first as Fields).body.error.details.fields.map((f) => f.field)).toContain('fullName');
    const retry = await t.http().post('/api/people').set(as('kg_admin')).set('Idempotency-Key', k).send(bad).expect(400);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    // The caller fixes the input and sends it under a new key, as a new request.
    await t.http().post('/api/people').set(as('kg_admin')).set('Idempotency-Key', key()).send(person(2)).expect(201);
    expect(await count('SELECT count(*) AS n FROM person')).toBe(people + 1);
    const none = await count('SELECT count(*) AS n FROM idempotency_record');
    await t.http().post('/api/programs').set(as('district_admin')).send(programBody()).expect(201);
    expect(await count('SELECT count(*) AS n FROM idempotency_record')).toBe(none);
  });

  it('keeps no 5xx answer, so the retry of a request that failed on the server runs again and can succeed', async () => {
    const k = key();
    const body = programBody();
    const programs = await count('SELECT count(*) AS n FROM program');
    await t.db.pool.query(`CREATE FUNCTION idem_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'database went away'; END $$`);
    await t.db.pool.query(`CREATE TRIGGER idem_fail BEFORE INSERT ON program FOR EACH ROW EXECUTE FUNCTION idem_fail()`);
    try {
      const failed = await t.http().post('/api/programs').set(as('district_admin')).set('Idempotency-Key', k).send(body).expect(500);
      expect(failed.body.error.code).toBe('INTERNAL');
    } finally {
      await t.db.pool.query('DROP TRIGGER idem_fail ON program; DROP FUNCTION idem_fail()');
    }
    expect(await records(k)).toBe(0);
    const retried = await t.http().post('/api/programs').set(as('district_admin')).set('Idempotency-Key', k).send(body).expect(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await count('SELECT count(*) AS n FROM program')).toBe(programs + 1);
  });

  it('keeps keys apart per user: another user sending the same key gets their own answer', async () => {
    const k = key();
    const a = await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as('t00002')).set('Idempotency-Key', k).send({}).expect(201);
    const b = await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as('t00003')).set('Idempotency-Key', k).send({}).expect(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(await records(k)).toBe(2);
  });

  it('refuses a malformed key with 400 naming Idempotency-Key, writing nothing', async () => {
    const programs = await count('SELECT count(*) AS n FROM program');
    for (const bad of ['', 'a b', 'x'.repeat(201), 'caf\u00e9']) {
      const res = await t.http().post('/api/programs').set(as('district_admin')).set('Idempotency-Key', bad).send(programBody()).expect(400);
      expect((res as Fields).body.error.details.fields).toEqual([expect.objectContaining({ field: 'Idempotency-Key', code: 'INVALID_IDEMPOTENCY_KEY' })]);
    }
    await t.http().post('/api/programs').set(as('district_admin')).set('Idempotency-Key', 'x'.repeat(200)).send(programBody()).expect(201);
    expect(await count('SELECT count(*) AS n FROM program')).toBe(programs + 1);
  });

  it('never replays a sign-in, and frees a key once its day is over (expired rows are cleaned up as answers are kept)', async () => {
    const k = key();
    const login = () => t.http().post('/api/auth/login').set('Idempotency-Key', k).send({ identifier: 't00002', password: 'Demo@2026' }).expect(200);
    const [one, two] = [await login(), await login()];
    expect(one.body.accessToken).not.toBe(two.body.accessToken);
    expect(await records(k)).toBe(0);

    const expiring = key();
    const body = programBody();
    const first = await t.http().post('/api/programs').set(as('district_admin')).set('Idempotency-Key', expiring).send(body).expect(201);
    const stale = key();
    await t.db.pool.query(
      `INSERT INTO idempotency_record (user_id, idempotency_key, method, path, request_hash, response_status, response_body, expires_at)
       SELECT id, $1, 'POST', '/api/programs', repeat('0', 64), 201, '\\x7b7d', now() - interval '1 hour' FROM app_user WHERE username = 'kg_admin'`, [stale]);
    await t.db.pool.query(`UPDATE idempotency_record SET expires_at = now() - interval '1 minute' WHERE idempotency_key = $1`, [expiring]);
    const later = await t.http().post('/api/programs').set(as('district_admin')).set('Idempotency-Key', expiring).send({ ...body, code: `${body.code}B` }).expect(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(await records(expiring)).toBe(1);
    expect(await records(stale)).toBe(0);
  });

  it('covers every API POST route unless it is marked @NoIdempotency with a reason', () => {
    const reflector = t.app.get(Reflector);
    const scanner = new MetadataScanner();
    const container = (t.app as unknown as { container: { getModules(): Map<string, { controllers: Map<unknown, { metatype: new () => object; instance: object }> }> } }).container;
    const covered: string[] = [];
    const excluded: Array<[string, string]> = [];
    const pagePosts: string[] = [];
    const seen = new Set<unknown>();
    for (const module of container.getModules().values()) {
      for (const wrapper of module.controllers.values()) {
        if (seen.has(wrapper.metatype)) continue;
        seen.add(wrapper.metatype);
        const prototype = Object.getPrototypeOf(wrapper.instance);
        const base = Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string;
        for (const name of scanner.getAllMethodNames(prototype)) {
          const handler = prototype[name];
          const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
          if (path === undefined || Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) continue;
          const route = `POST /${[base, path].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
          if (!route.startsWith('POST /api/')) { pagePosts.push(route); continue; }
          const reason = idempotencyExclusion(reflector, handler, wrapper.metatype);
          if (reason === null) covered.push(route);
          else excluded.push([route, reason]);
        }
      }
    }
    // A new exclusion is a decision: it has to be added here, with its reason in the code.
    expect(excluded.map(([route]) => route).sort()).toEqual(['POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/auth/logout-everywhere', 'POST /api/auth/password']);
    for (const [, reason] of excluded) expect(reason.length).toBeGreaterThan(20);
    expect(covered).toEqual(expect.arrayContaining(['POST /api/people', 'POST /api/programs', 'POST /api/imports', 'POST /api/me/claims', 'POST /api/offerings/:id/enrollments']));
    expect(covered.length).toBeGreaterThan(100);
    expect(pagePosts.length).toBeGreaterThan(0);
    if (process.env.IDEMPOTENCY_FIGURES) console.log(`API POST routes: ${covered.length} covered, ${excluded.length} excluded; page form POSTs (not covered): ${pagePosts.length}`);
  });
});
