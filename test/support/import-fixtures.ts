import ExcelJS from 'exceljs';
import type { Pool } from 'pg';
import { nationalIdCheckChar } from '../../src/common/national-id.js';
import { csvLine } from '../../src/common/spreadsheet.js';
import { STAFF_FIELDS } from '../../src/modules/imports/staff-rows.js';
import type { TestApp } from './test-app.js';

/** Sample import files built in memory: staff rows with valid national IDs, as XLSX or CSV (UTF-8, UTF-8 with BOM, GBK). */

/** A staff row: template field key → cell text. */
export type StaffCells = Record<string, string>;

/** A valid 18-character national ID: an area code (Jiading) the demo people do not use, the birth date, a sequence; odd sequence digit = male. */
export function nationalId(birthDate: string, sequence: number, gender: 'female' | 'male' = 'female'): string {
  const seq = String(sequence % 1000).padStart(3, '0');
  const last = Number(seq[2]);
  const fixed = seq.slice(0, 2) + String(gender === 'male' ? (last % 2 === 1 ? last : (last + 1) % 10) : (last % 2 === 0 ? last : last - 1));
  const first17 = `310114${birthDate.replace(/-/g, '')}${fixed}`;
  return first17 + nationalIdCheckChar(first17);
}

/** The same ID with a wrong check digit. */
export function withWrongCheckDigit(id: string): string {
  const wrong = '10X98765432'.split('').find((c) => c !== id[17])!;
  return id.slice(0, 17) + wrong;
}

/** A complete, valid staff row for a teacher at SH-QP-K001, varied by `n`. */
export function staffRow(n: number, overrides: StaffCells = {}): StaffCells {
  const year = 1975 + (n % 25);
  const birth = `${year}-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`;
  return {
    fullName: `导入测试${n}`, gender: '女', birthDate: birth, nationalId: nationalId(birth, n), phone: `139${String(n).padStart(8, '0')}`,
    educationLevel: '本科', preschoolMajor: '是', hireDate: `${year + 22}-09-01`, kindergartenCode: 'SH-QP-K001', post: '专任教师',
    postStartDate: `${year + 22}-09-01`, title: '二级', titleDate: `${year + 25}-09-01`,
    teacherCertificate: `T${String(year)}${String(n).padStart(8, '0')}`, teacherCertificateDate: `${year + 21}-07-01`,
    ...overrides,
  };
}

/** The template's Chinese headers for the given field keys (all the fields the rows use, in template order). */
export function keysOf(rows: StaffCells[]): string[] {
  return STAFF_FIELDS.filter((f) => rows.some((r) => r[f.key] !== undefined)).map((f) => f.key);
}

/** Header row and data rows as cell text; `rename` gives some columns other headers (e.g. to need the mapping step). */
export function staffTable(rows: StaffCells[], rename: Record<string, string> = {}): string[][] {
  const keys = keysOf(rows);
  const header = keys.map((key) => rename[key] ?? STAFF_FIELDS.find((f) => f.key === key)!.headerZh);
  return [header, ...rows.map((row) => keys.map((key) => row[key] ?? ''))];
}

export async function xlsxOf(table: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('教职工');
  for (const row of table) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** CSV as Excel saves it: `utf8bom` (CSV UTF-8), `gbk` (plain CSV on Chinese Windows), or UTF-8 without a mark. */
export function csvOf(table: string[][], encoding: 'utf8' | 'utf8bom' | 'gbk' = 'utf8bom'): Buffer {
  const text = table.map((row) => csvLine(row)).join('');
  if (encoding === 'gbk') return gbkBytes(text);
  return Buffer.from(encoding === 'utf8bom' ? `\uFEFF${text}` : text, 'utf8');
}

let gbkTable: Map<string, number> | null = null;

/** Encodes text as GBK (no encoder ships with Node: the table is the inverse of its GBK decoder). */
export function gbkBytes(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(Uint8Array.of(lead, trail));
        if (ch.length === 1 && ch !== '\uFFFD' && !gbkTable.has(ch)) gbkTable.set(ch, (lead << 8) | trail);
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) { bytes.push(ch.charCodeAt(0)); continue; }
    const code = gbkTable.get(ch);
    if (code === undefined) throw new Error(`no GBK code for ${ch}`);
    bytes.push(code >> 8, code & 0xff);
  }
  return Buffer.from(bytes);
}

export interface ImportAnswer {
  id: string;
  status: string;
  mappingNeeded: boolean;
  counts: { create: number; update: number; unchanged: number; error: number };
  totalRows: number;
  rowsDone: number;
  errorCount: number;
  progress: { phase: string; done: number; total: number; percent: number };
  [key: string]: unknown;
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Uploads a file as `kind` through the API; answers the response (201 with the import, or the refusal). */
export function uploadImport(t: TestApp, token: string, kind: string, bytes: Buffer, name: string) {
  return t.http().post('/api/imports').set(auth(token)).field('kind', kind).attach('file', bytes, name);
}

/** Polls the import until it leaves the running states (the jobs run in the background); bounded, not timed. */
export async function settledImport(t: TestApp, token: string, id: string): Promise<ImportAnswer> {
  for (let i = 0; i < 2000; i++) {
    const res = await t.http().get(`/api/imports/${id}`).set(auth(token));
    if (res.status !== 200) throw new Error(`import ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    if (!['uploaded', 'validating', 'applying'].includes(res.body.status)) return res.body as ImportAnswer;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`import ${id} did not settle`);
}

/** Every row's problems as `row → ["field:code", ...]`, read through the API. */
export async function problemsOf(t: TestApp, token: string, id: string): Promise<Record<number, string[]>> {
  const res = await t.http().get(`/api/imports/${id}/rows?outcome=error&pageSize=500`).set(auth(token)).expect(200);
  return Object.fromEntries((res.body.items as Array<{ rowNumber: number; errors: Array<{ field: string; code: string }> }>)
    .map((row) => [row.rowNumber, row.errors.map((e) => `${e.field}:${e.code}`)]));
}

/** Row counts of the tables a staff import writes. */
export async function staffTableCounts(pool: Pool) {
  const { rows: [counts] } = await pool.query(
    `SELECT (SELECT count(*)::int FROM person) AS people, (SELECT count(*)::int FROM employment) AS employments,
            (SELECT count(*)::int FROM title_record) AS titles, (SELECT count(*)::int FROM person_certificate) AS certificates,
            (SELECT coalesce(sum(version), 0)::int FROM person) AS versions`);
  return counts as { people: number; employments: number; titles: number; certificates: number; versions: number };
}

/** A district with one operating kindergarten, written straight to the org tree (for out-of-district cases). */
export async function otherDistrict(pool: Pool, code: string): Promise<{ districtId: string; kindergartenId: string }> {
  const { rows: [district] } = await pool.query(
    `WITH d AS (SELECT gen_random_uuid() AS id)
     INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name)
     SELECT d.id, 'district', c.id, c.path || d.id || '/', c.depth + 1, d.id, $1, $1 || '区' FROM d, org_unit c WHERE c.code = 'SH'
     RETURNING id, path, depth`, [code]);
  const { rows: [kindergarten] } = await pool.query(
    `WITH k AS (SELECT gen_random_uuid() AS id)
     INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name, ownership, inclusive, grade, status)
     SELECT k.id, 'kindergarten', $1, $2 || k.id || '/', $3, $1, $4, $4 || '幼儿园', 'public', true, 'first', 'operating' FROM k RETURNING id`,
    [district.id, district.path, district.depth + 1, `${code}-K001`]);
  return { districtId: district.id, kindergartenId: kindergarten.id };
}
