import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ActivityKind } from './mentoring.entities.js';

/** An activity as the API and pages show it. */
export interface ActivityView {
  id: string;
  pairingId: string;
  kind: ActivityKind;
  actorPersonId: string;
  actorName: string;
  loggedByPersonId: string;
  loggedByName: string;
  occurredOn: string;
  term: string;
  durationMinutes: number;
  notes: string | null;
  status: 'logged' | 'confirmed' | 'disputed';
  confirmedByPersonId: string | null;
  confirmedByName: string | null;
  confirmedAt: Date | null;
  disputeReason: string | null;
  evidence: Array<{ id: string; name: string; contentType: string; sizeBytes: number }>;
  createdAt: Date;
}

/** An activity waiting for the caller's confirmation, with the pairing's mentee for the summary page. */
export interface PendingActivity extends ActivityView {
  menteeName: string;
}

const VIEW = `
  SELECT a.id, a.pairing_id AS "pairingId", a.kind, a.actor_person_id AS "actorPersonId", ap.full_name AS "actorName",
         a.logged_by_person_id AS "loggedByPersonId", lp.full_name AS "loggedByName", to_char(a.occurred_on, 'YYYY-MM-DD') AS "occurredOn",
         a.term, a.duration_minutes AS "durationMinutes", a.notes, a.status, a.confirmed_by_person_id AS "confirmedByPersonId",
         cp.full_name AS "confirmedByName", a.confirmed_at AS "confirmedAt", a.dispute_reason AS "disputeReason", a.created_at AS "createdAt",
         coalesce((SELECT json_agg(json_build_object('id', f.id, 'name', f.original_name, 'contentType', f.content_type, 'sizeBytes', f.size_bytes)
                                   ORDER BY array_position(a.evidence_file_ids, f.id))
                     FROM stored_file f WHERE f.id = ANY(a.evidence_file_ids)), '[]') AS evidence
    FROM mentoring_activity a
    JOIN person ap ON ap.id = a.actor_person_id
    JOIN person lp ON lp.id = a.logged_by_person_id
    LEFT JOIN person cp ON cp.id = a.confirmed_by_person_id`;

/** Reads of mentoring activities: a pairing's log, what counts towards progress, and what waits for a person's confirmation. */
@Injectable()
export class ActivitiesQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async view(id: string, manager?: EntityManager): Promise<ActivityView | null> {
    const rows: ActivityView[] = await (manager ?? this.db).query(`${VIEW} WHERE a.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** A pairing's log, newest first; one term's when given. */
  list(pairingId: string, term?: string): Promise<ActivityView[]> {
    return this.db.query(`${VIEW} WHERE a.pairing_id = $1 AND ($2::text IS NULL OR a.term = $2)
      ORDER BY a.occurred_on DESC, a.created_at DESC`, [pairingId, term ?? null]);
  }

  /** The confirmed activities of a term: what counts. */
  confirmed(pairingId: string, term: string, manager?: EntityManager): Promise<Array<{ kind: ActivityKind; actorPersonId: string }>> {
    return (manager ?? this.db).query(
      `SELECT kind, actor_person_id AS "actorPersonId" FROM mentoring_activity WHERE pairing_id = $1 AND term = $2 AND status = 'confirmed'`,
      [pairingId, term]);
  }

  /** Which pairing an activity belongs to (for the scope check before anything else). */
  async pairingOf(activityId: string): Promise<string | null> {
    const rows: Array<{ pairing_id: string }> = await this.db.query('SELECT pairing_id FROM mentoring_activity WHERE id = $1', [activityId]);
    return rows[0]?.pairing_id ?? null;
  }

  /** The pairing whose activity holds this evidence file. */
  async pairingOfEvidence(fileId: string): Promise<string | null> {
    const rows: Array<{ pairing_id: string }> = await this.db.query(
      'SELECT pairing_id FROM mentoring_activity WHERE evidence_file_ids @> ARRAY[$1::uuid] LIMIT 1', [fileId]);
    return rows[0]?.pairing_id ?? null;
  }

  /**
   * Logs in the person's active pairings that wait for them: logged by the other side (the mentee's
   * logs wait for a mentor, a mentor's for the mentee).
   */
  pendingFor(personId: string): Promise<PendingActivity[]> {
    return this.db.query(
      `SELECT v.*, mp.full_name AS "menteeName" FROM (${VIEW}) v
         JOIN mentor_pairing p ON p.id = v."pairingId" AND p.status = 'active'
         JOIN person mp ON mp.id = p.mentee_person_id
        WHERE v.status = 'logged' AND v."loggedByPersonId" <> $1
          AND ((p.mentee_person_id = $1 AND EXISTS (SELECT 1 FROM mentor_link l WHERE l.pairing_id = p.id AND l.mentor_person_id = v."loggedByPersonId"))
            OR (v."loggedByPersonId" = p.mentee_person_id AND EXISTS (SELECT 1 FROM mentor_link l WHERE l.pairing_id = p.id AND l.mentor_person_id = $1)))
        ORDER BY v."occurredOn", v."createdAt"`, [personId]);
  }

  /** Names of the pairing's people, for forms and lists. */
  async names(personIds: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; full_name: string }> = await this.db.query('SELECT id, full_name FROM person WHERE id = ANY($1::uuid[])', [personIds]);
    return new Map(rows.map((r) => [r.id, r.full_name]));
  }
}
