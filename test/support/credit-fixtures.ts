import type { Pool } from 'pg';

export interface CreditEntryFixture {
  title: string;
  category: string;
  level: string;
  credits: number;
  /** Default: 10 学时 per 学分. */
  hours?: number;
  occurredOn: string;
}

/**
 * A ledger entry written straight to the database (a manual adjustment in the 2026–2030 cycle);
 * `reverses` makes it the reversal of that entry.
 */
export async function addCreditEntry(pool: Pool, personId: string, entry: CreditEntryFixture, reverses?: string): Promise<string> {
  const { rows: [row] } = await pool.query(
    `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, title, cycle_id, occurred_on, reverses_entry_id, reason)
     SELECT p.id, p.district_id, $2, $3, $4, $5, 'manual_adjustment', $6,
            (SELECT id FROM credit_cycle WHERE code = '2026-2030' AND region_code IS NULL), $7, $8, $9
       FROM person p WHERE p.id = $1 RETURNING id`,
    [personId, entry.hours ?? entry.credits * 10, entry.credits, entry.category, entry.level, entry.title, entry.occurredOn,
      reverses ?? null, reverses ? '录入错误' : null]);
  return row.id;
}

/** A supertest parser that keeps a binary body (PDF, XLSX, CSV) as one Buffer. */
export const binaryBody = (res: { on(event: string, listener: (chunk: Buffer) => void): unknown }, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
