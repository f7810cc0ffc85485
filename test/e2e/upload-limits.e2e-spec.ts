import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures } from '../support/catalog-fixtures.js';
import { assessmentFixtures } from '../support/assessment-fixtures.js';
import { staffRow, staffTable, xlsxOf } from '../support/import-fixtures.js';
import { MIB, bombWorkbook } from '../support/zip-bombs.js';
import { filesUnder } from '../support/files-on-disk.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Refusal = { body: { error: { code: string; details: { fields: Array<{ field: string; code: string }> } } } };
const fieldsOf = (res: Refusal) => res.body.error.details.fields.map((f) => `${f.field}:${f.code}`);

/** Zip bombs dressed as Excel workbooks, refused before they are stored or opened. */
describe('upload limits: zip bombs', () => {
  let t: TestApp;
  let dataDir: string;
  let itemId: string;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const count = async (sql: string) => Number((await t.db.pool.query(sql)).rows[0].n);
  const filesOnDisk = () => filesUnder(join(dataDir, 'files'));
  // 150 MB of sheet in ~150 KB: honest sizes (over the limit), and the same with sizes that lie.
  const honest = bombWorkbook(150 * MIB);
  const lying = bombWorkbook(150 * MIB, { says: 2048, descriptor: true });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tgp-upload-limits-'));
    t = await startTestApp({ env: { DATA_DIR: dataDir } });
    for (const username of ['district_admin', 'teacher']) tokens.set(username, await t.token(username));
    const fx = catalogFixtures(t.db.pool);
    const offeringId = await fx.createOffering(await fx.createCourse({ title: '区域游戏观察' }), { trainers: ['trainer'] });
    await fx.enrolUser(offeringId, 'teacher');
    itemId = await assessmentFixtures(t.db.pool).createItem(offeringId, { allowedFileTypes: [XLSX, 'application/pdf'] });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a zip-bomb workbook uploaded for import with 400 naming file, storing nothing', async () => {
    const jobs = await count('SELECT count(*) AS n FROM import_job');
    const stored = await count('SELECT count(*) AS n FROM stored_file');
    const onDisk = filesOnDisk();
    for (const bomb of [honest, lying]) {
      const res = await t.http().post('/api/imports').set(as('district_admin')).field('kind', 'staff').attach('file', bomb, '花名册.xlsx').expect(400);
      expect(fieldsOf(res)).toEqual(['file:FILE_ARCHIVE_TOO_LARGE']);
    }
    expect(await count('SELECT count(*) AS n FROM import_job')).toBe(jobs);
    expect(await count('SELECT count(*) AS n FROM stored_file')).toBe(stored);
    expect(filesOnDisk()).toBe(onDisk);
    // A real workbook still goes through.
    await t.http().post('/api/imports').set(as('district_admin')).field('kind', 'staff').attach('file', await xlsxOf(staffTable([staffRow(9201)])), '花名册.xlsx').expect(201);
  });

  it('refuses a zip-bomb workbook handed in for an assignment with 400 naming the file, writing no submission', async () => {
    const stored = await count(`SELECT count(*) AS n FROM stored_file WHERE purpose = 'submission'`);
    const onDisk = filesOnDisk();
    for (const bomb of [honest, lying]) {
      const res = await t.http().post(`/api/items/${itemId}/submissions`).set(as('teacher')).field('body', '活动记录见附件').attach('files', bomb, '观察记录.xlsx').expect(400);
      expect(fieldsOf(res)).toEqual(['files[0]:FILE_ARCHIVE_TOO_LARGE']);
    }
    expect(await count(`SELECT count(*) AS n FROM submission WHERE item_id = '${itemId}'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM stored_file WHERE purpose = 'submission'`)).toBe(stored);
    expect(filesOnDisk()).toBe(onDisk);
    const real = await t.http().post(`/api/items/${itemId}/submissions`).set(as('teacher')).attach('files', await xlsxOf([['观察要点'], ['专注']]), '观察记录.xlsx').expect(201);
    expect(real.body.files).toEqual([expect.objectContaining({ contentType: XLSX })]);
  });
});
