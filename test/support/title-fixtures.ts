import type { Pool } from 'pg';

/** Replaces a person's title history (tests about promotion, not about recording titles). */
export async function setTitles(pool: Pool, personId: string, titles: Array<{ title: string; effectiveDate: string }>) {
  await pool.query('UPDATE title_application SET title_record_id = NULL WHERE person_id = $1', [personId]);
  await pool.query('DELETE FROM title_record WHERE person_id = $1', [personId]);
  for (const t of titles) {
    await pool.query(`INSERT INTO title_record (person_id, title, effective_date, approving_body, is_correction) VALUES ($1, $2, $3, '青浦区教育局', false)`,
      [personId, t.title, t.effectiveDate]);
  }
}

export async function setEducation(pool: Pool, personId: string, level: string, hireDate = '2010-08-01') {
  await pool.query('UPDATE person SET education_level = $2, hire_date = $3 WHERE id = $1', [personId, level, hireDate]);
}

/** Makes the person hold (or not) a teacher qualification certificate. */
export async function setQualification(pool: Pool, personId: string, held: boolean) {
  await pool.query(`DELETE FROM person_certificate WHERE person_id = $1 AND kind = 'teacher_qualification'`, [personId]);
  if (held) {
    await pool.query(`INSERT INTO person_certificate (person_id, kind, number, issued_on) VALUES ($1, 'teacher_qualification', $2, '2009-06-30')`,
      [personId, `TQ-${personId.slice(0, 8)}`]);
  }
}

export async function addSanction(pool: Pool, personId: string, decidedOn: string, blocksUntil: string) {
  await pool.query(
    `INSERT INTO ethics_sanction (person_id, district_id, kind, decided_on, sanction_until, blocks_until, reason)
     SELECT id, district_id, 'warning', $2, $2::date + 180, $3, '测试' FROM person WHERE id = $1`, [personId, decidedOn, blocksUntil]);
}

/** A district rule without the credit condition, so tests control eligibility through the record alone. */
export const QP_RULE_FIRST = {
  regionCode: 'SH-QP', title: 'first', effectiveFrom: '2020-01-01',
  conditions: { yearsAtPrevious: { bachelor: 4, junior_college: 4, master: 2, doctorate: 0 }, minEducation: 'junior_college', creditsComplete: false, certificates: ['teacher_qualification'], extra: [] },
};
export const QP_RULE_SENIOR = {
  ...QP_RULE_FIRST, title: 'senior',
  conditions: { yearsAtPrevious: { bachelor: 5, junior_college: 5, master: 5, doctorate: 2 }, minEducation: 'junior_college', creditsComplete: false, certificates: ['teacher_qualification'], extra: [] },
};
