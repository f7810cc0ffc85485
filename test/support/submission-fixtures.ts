import type pg from 'pg';

/** The smallest bytes each sniffed type is recognised by (enough for the type check; not real documents). */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
export const HTML = Buffer.from('<!doctype html><script>alert(1)</script>', 'utf8');

/** A PDF of `size` bytes (padded), e.g. to go over an item's size limit. */
export const pdfOfSize = (size: number) => Buffer.concat([PDF, Buffer.alloc(Math.max(0, size - PDF.length), 0x20)]);

/** Counts that show whether anything was written for an item. */
export function submissionCounts(pool: pg.Pool) {
  const n = async (sql: string, params: unknown[]) => Number((await pool.query(sql, params)).rows[0].n);
  return {
    submissions: (itemId: string) => n(`SELECT count(*) AS n FROM submission WHERE item_id = $1`, [itemId]),
    storedFiles: () => n(`SELECT count(*) AS n FROM stored_file WHERE purpose = 'submission'`, []),
  };
}

/** Another district beside Qingpu (the demo has one), for rubrics that must not be usable here. */
export async function otherDistrict(pool: pg.Pool, code = 'SH-XH'): Promise<string> {
  const { rows } = await pool.query(
    `WITH n AS (SELECT gen_random_uuid() AS id), c AS (SELECT id, path FROM org_unit WHERE kind = 'city' LIMIT 1)
     INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name)
     SELECT n.id, 'district', c.id, c.path || n.id || '/', 1, n.id, $1, '徐汇区' FROM n, c RETURNING id`, [code]);
  return rows[0].id;
}

/** The CSRF token of a page's forms. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
