import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { PairingKind, PairingStatus } from './mentoring.entities.js';

export interface PairingListFilter {
  status?: PairingStatus;
  kind?: PairingKind;
  kindergartenId?: string;
  overdue?: boolean;
  page: number;
  pageSize: number;
}

export interface PairingRow {
  id: string;
  kind: PairingKind;
  status: PairingStatus;
  source: 'admin' | 'mutual';
  menteePersonId: string;
  menteeName: string;
  menteeKindergartenName: string;
  mentors: { personId: string; fullName: string; role: string; kindergartenName: string | null }[];
  startsOn: string;
  endsOn: string;
  finalGrade: string | null;
  overdueReview: boolean;
  /** Only in "my pairings": the caller's side, and whether they have signed the agreement. */
  as?: 'mentee' | 'mentor';
  signedByMe?: boolean;
}

/**
 * A finished term (its last day before $today) that the active pairing ran through, without an
 * accepted review. Term 1 ends on 31 January, term 2 on 31 August; codes as in terms.ts.
 */
const OVERDUE = `(p.status = 'active' AND EXISTS (
  SELECT 1 FROM generate_series(date_trunc('month', p.starts_on), date_trunc('month', LEAST(p.ends_on, $1::date)), interval '1 month') AS m(month)
   WHERE extract(month FROM m.month) IN (1, 8)
     AND (m.month + interval '1 month' - interval '1 day')::date BETWEEN p.starts_on AND LEAST(p.ends_on, $1::date - 1)
     AND NOT EXISTS (SELECT 1 FROM mentoring_term_review r WHERE r.pairing_id = p.id AND r.status = 'accepted'
       AND r.term = (extract(year FROM m.month)::int - 1) || '-' || extract(year FROM m.month)::int || '-' || CASE WHEN extract(month FROM m.month) = 1 THEN '1' ELSE '2' END)))`;

const COLUMNS = `p.id, p.kind, p.status, p.source, p.mentee_person_id, mp.full_name AS mentee_name, mk.name AS mentee_kindergarten_name,
  p.starts_on::text AS starts_on, p.ends_on::text AS ends_on, p.final_grade, ${OVERDUE} AS overdue_review,
  (SELECT coalesce(json_agg(json_build_object('personId', l.mentor_person_id, 'fullName', x.full_name, 'role', l.role, 'kindergartenName', xk.name)
                   ORDER BY l.role = 'lead' DESC, x.full_name), '[]')
     FROM mentor_link l JOIN person x ON x.id = l.mentor_person_id LEFT JOIN org_unit xk ON xk.id = l.mentor_kindergarten_id
    WHERE l.pairing_id = p.id) AS mentors`;
const FROM = `FROM mentor_pairing p JOIN person mp ON mp.id = p.mentee_person_id JOIN org_unit mk ON mk.id = p.mentee_kindergarten_id`;

/** Lists of pairings and the counts the limits need. */
@Injectable()
export class PairingsQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Pairings where the mentee's or a mentor's kindergarten lies in the admin's scope. */
  async list(scopePaths: string[], filter: PairingListFilter, today: string): Promise<{ items: PairingRow[]; total: number }> {
    if (!scopePaths.length) return { items: [], total: 0 };
    const params: unknown[] = [today, scopePaths.map((s) => `${s}%`)];
    const where = [`(mk.path LIKE ANY($2::text[]) OR EXISTS (SELECT 1 FROM mentor_link l JOIN org_unit lk ON lk.id = l.mentor_kindergarten_id
                      WHERE l.pairing_id = p.id AND lk.path LIKE ANY($2::text[])))`];
    if (filter.status) where.push(`p.status = $${params.push(filter.status)}`);
    if (filter.kind) where.push(`p.kind = $${params.push(filter.kind)}`);
    if (filter.kindergartenId) {
      const i = params.push(filter.kindergartenId);
      where.push(`(p.mentee_kindergarten_id = $${i} OR EXISTS (SELECT 1 FROM mentor_link l WHERE l.pairing_id = p.id AND l.mentor_kindergarten_id = $${i}))`);
    }
    if (filter.overdue) where.push(OVERDUE);
    const sql = `${FROM} WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(// $1 (today) is referenced only by the overdue filter; naming it here gives it a type either way.
      `SELECT count(*)::int AS total, min($1::date) AS today ${sql}`, params);
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} ${sql} ORDER BY p.proposed_at DESC, p.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize]);
    return { items: rows.map(toRow), total };
  }

  /** The caller's own pairings, as mentee and as mentor, newest first. */
  async mine(personId: string, today: string): Promise<PairingRow[]> {
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS}, CASE WHEN p.mentee_person_id = $2 THEN 'mentee' ELSE 'mentor' END AS side,
              EXISTS (SELECT 1 FROM pairing_consent c WHERE c.pairing_id = p.id AND c.person_id = $2) AS signed ${FROM}
        WHERE p.mentee_person_id = $2 OR EXISTS (SELECT 1 FROM mentor_link l WHERE l.pairing_id = p.id AND l.mentor_person_id = $2)
        ORDER BY p.status = 'active' DESC, p.proposed_at DESC, p.id`, [today, personId]);
    return rows.map((r: Record<string, unknown>) => ({ ...toRow(r), as: r.side as 'mentee' | 'mentor', signedByMe: !!r.signed }));
  }

  async one(pairingId: string, today: string): Promise<PairingRow | null> {
    const rows = await this.dataSource.query(`SELECT ${COLUMNS} ${FROM} WHERE p.id = $2`, [today, pairingId]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async kindergartenNames(ids: string[]): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await this.dataSource.query(`SELECT id, name FROM org_unit WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Distinct mentors the mentee has in open pairings, other than `exceptPairingId`. */
  async menteeMentorIds(m: EntityManager, menteePersonId: string, exceptPairingId: string | null): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT DISTINCT l.mentor_person_id AS id FROM mentor_link l JOIN mentor_pairing p ON p.id = l.pairing_id
        WHERE p.mentee_person_id = $1 AND p.status IN ('proposed','active') AND p.id IS DISTINCT FROM $2`, [menteePersonId, exceptPairingId]);
    return rows.map((r) => r.id);
  }

  /** Open pairings per mentor (each is one mentee), other than `exceptPairingId`. */
  async mentorLoads(m: EntityManager, mentorIds: string[], exceptPairingId: string | null): Promise<Map<string, number>> {
    const rows: { id: string; n: number }[] = await m.query(
      `SELECT l.mentor_person_id AS id, count(DISTINCT p.mentee_person_id)::int AS n FROM mentor_link l JOIN mentor_pairing p ON p.id = l.pairing_id
        WHERE l.mentor_person_id = ANY($1::uuid[]) AND p.status IN ('proposed','active') AND p.id IS DISTINCT FROM $2
        GROUP BY l.mentor_person_id`, [mentorIds, exceptPairingId]);
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** Serialises every change that counts against a person's limits (proposal, activation). Sorted to avoid deadlocks. */
  async lockPeople(m: EntityManager, personIds: string[]): Promise<void> {
    for (const id of [...new Set(personIds)].sort()) {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('mentoring:person:' || $1, 0))`, [id]);
    }
  }
}

function toRow(r: Record<string, unknown>): PairingRow {
  return {
    id: r.id as string, kind: r.kind as PairingKind, status: r.status as PairingStatus, source: r.source as 'admin' | 'mutual',
    menteePersonId: r.mentee_person_id as string, menteeName: r.mentee_name as string, menteeKindergartenName: r.mentee_kindergarten_name as string,
    mentors: r.mentors as PairingRow['mentors'], startsOn: r.starts_on as string, endsOn: r.ends_on as string,
    finalGrade: (r.final_grade as string) ?? null, overdueReview: !!r.overdue_review,
  };
}
