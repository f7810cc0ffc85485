import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import { JobQueue } from '../../src/queue/job-queue.js';
import { FieldCipher } from '../../src/common/field-cipher.js';
import { PROJECT_ROOT } from '../../src/common/paths.js';
import { csvText, parseCsv } from '../../src/common/spreadsheet.js';
import type { CheckedRow, ImportField, ImportRunContext, RowToApply, SourceRow } from '../../src/modules/imports/row-importer.js';

/** A row as the file has it: template field key → cell text. */
export type TemplateRow = Record<string, string>;

function annex(file: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(readFileSync(join(PROJECT_ROOT, 'data', file), 'utf8')).filter((r) => r.some((c) => c.trim()));
  return rows.map((cells) => Object.fromEntries(header.map((h, i) => [h.trim(), (cells[i] ?? '').trim()])));
}

const no3 = (no: string) => no.padStart(3, '0');

/**
 * The plan's two annex tables (39 operating and 19 planned Qingpu kindergartens) in the import
 * template's columns, coded like the demo district (`<district>-K001`, `<district>-N001`).
 * `extra` adds cells to every row (e.g. ownership and grade, which the annex does not give).
 */
export function qingpuKindergartenRows(districtCode: string, extra: TemplateRow = {}): TemplateRow[] {
  const operating = annex('qingpu-kindergartens.csv').map((r) => ({
    code: `${districtCode}-K${no3(r.no)}`, name: r.name, town: r.town, status: '在办', ...extra,
  }));
  const planned = annex('qingpu-new-kindergartens.csv').map((r) => ({
    code: `${districtCode}-N${no3(r.no)}`, name: r.name, town: r.town, status: '筹建', openingYear: r.open_year,
    kindergartenClasses: r.kindergarten_classes, nurseryClasses: r.nursery_classes, ...extra,
  }));
  return [...operating, ...planned];
}

/** Rows numbered as in the file: the header is row 1. */
export function sourceRows(rows: TemplateRow[], firstRow = 2): SourceRow[] {
  return rows.map((values, i) => ({ rowNumber: firstRow + i, values: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')) }));
}

export function runContext(districtId: string, userId: string): ImportRunContext {
  return { jobId: '00000000-0000-4000-8000-000000000000', districtId, userId, seenKeys: new Map(), cache: new Map() };
}

/** The create and update rows of a dry run, as the engine hands them to `apply`. */
export function rowsToApply(source: SourceRow[], checked: CheckedRow[]): RowToApply[] {
  return checked.flatMap((row, i) => (row.outcome === 'create' || row.outcome === 'update'
    ? [{ rowNumber: source[i].rowNumber, outcome: row.outcome, matchKey: row.matchKey, data: row.data }] : []));
}

/** Row number → outcome, and row number → "field:code" of each problem. */
export function outcomesByRow(source: SourceRow[], checked: CheckedRow[]) {
  return Object.fromEntries(checked.map((row, i) => [source[i].rowNumber, row.outcome]));
}
export function problemsByRow(source: SourceRow[], checked: CheckedRow[]) {
  return Object.fromEntries(checked.flatMap((row, i) => (row.errors.length ? [[source[i].rowNumber, row.errors.map((e) => `${e.field}:${e.code}`)]] : [])));
}

/** A CSV file with the template's Chinese headers, as a user would save it from Excel (UTF-8 with BOM). */
export function templateCsv(fields: readonly ImportField[], rows: TemplateRow[]): Buffer {
  const used = fields.filter((f) => rows.some((r) => r[f.key] !== undefined));
  return Buffer.from(csvText([used.map((f) => f.headerZh), ...rows.map((r) => used.map((f) => r[f.key] ?? ''))]), 'utf8');
}

/** A district under the city 上海市 with the given towns (codes `<code>-T01`…), written straight to the org tree. */
export async function createDistrict(pool: Pool, code: string, name: string, towns: string[]): Promise<{ id: string; townIds: string[] }> {
  const { rows: [district] } = await pool.query(
    `WITH d AS (SELECT gen_random_uuid() AS id)
     INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name)
     SELECT d.id, 'district', c.id, c.path || d.id || '/', c.depth + 1, d.id, $1, $2 FROM d, org_unit c WHERE c.code = 'SH'
     RETURNING id, path, depth`, [code, name]);
  const townIds: string[] = [];
  for (const [i, town] of towns.entries()) {
    const { rows: [row] } = await pool.query(
      `WITH t AS (SELECT gen_random_uuid() AS id)
       INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name)
       SELECT t.id, 'town', $1, $2 || t.id || '/', $3, $1, $4, $5 FROM t RETURNING id`,
      [district.id, district.path, district.depth + 1, `${code}-T${String(i + 1).padStart(2, '0')}`, town]);
    townIds.push(row.id);
  }
  return { id: district.id, townIds };
}

/** The towns the Qingpu annex tables name. */
export function annexTowns(): string[] {
  return [...new Set(qingpuKindergartenRows('X').map((r) => r.town))];
}

export interface StaffIdentity {
  personId: string;
  fullName: string;
  nationalId: string;
  birthDate: string;
}

/** People of the district with their plain national IDs (decrypted as the app would), `where` on `person p`. */
export async function staffIdentities(pool: Pool, cipher: FieldCipher, districtId: string, count: number, where = 'TRUE'): Promise<StaffIdentity[]> {
  const { rows } = await pool.query(
    `SELECT p.id, p.full_name, p.national_id_enc, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date FROM person p
      WHERE p.district_id = $1 AND ${where} ORDER BY p.id LIMIT $2`, [districtId, count]);
  return rows.map((r) => ({ personId: r.id, fullName: r.full_name, nationalId: cipher.decrypt(r.national_id_enc), birthDate: r.birth_date }));
}


/** A person written straight to another district (no post), to show that an import only finds its own district's people. */
export async function addPerson(pool: Pool, cipher: FieldCipher, districtId: string, nationalId: string, fullName: string): Promise<string> {
  const birth = `${nationalId.slice(6, 10)}-${nationalId.slice(10, 12)}-${nationalId.slice(12, 14)}`;
  const { rows: [row] } = await pool.query(
    `INSERT INTO person (district_id, full_name, gender, birth_date, national_id_enc, national_id_hash, national_id_masked, education_level)
     VALUES ($1, $2, 'female', $3, $4, $5, $6, 'bachelor') RETURNING id`,
    [districtId, fullName, birth, cipher.encrypt(nationalId), cipher.lookupHash(nationalId), `${nationalId.slice(0, 3)}***********${nationalId.slice(14)}`]);
  return row.id;
}

/** Waits for the background jobs queued so far (the inline driver runs imports after the request answers). */
export async function drainJobs(app: INestApplication): Promise<void> {
  await (app.get(JobQueue) as JobQueue & { drain?: () => Promise<void> }).drain?.();
}
