import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { MENTOR_HONOURS, type MatchProfile, type MentorCandidate } from './matching.js';

/** A person as pairings and matching see them. */
export interface StaffProfile extends MatchProfile {
  fullName: string;
  districtId: string;
  kindergartenName: string | null;
  kindergartenPath: string | null;
  honours: string[];
}

const MENTOR_POSTS = ['teacher', 'principal', 'vice_principal'];
/** The first level under the district (a town or zone) stands for "nearby"; kindergartens directly under the district have none. */
const TOWN = `CASE WHEN k.parent_id IS DISTINCT FROM k.district_id THEN split_part(k.path, '/', 4)::uuid END`;
const LATEST_TITLE = `(SELECT t.title FROM title_record t WHERE t.person_id = p.id ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1)`;

/**
 * Read-only SQL over people, org and group tables (owned by PeopleModule and OrgModule) for ranking
 * and for checking the people named in a proposal: one query each, fast for a district of thousands.
 */
@Injectable()
export class MatchingQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async profiles(personIds: string[], today: string, manager?: EntityManager): Promise<Map<string, StaffProfile>> {
    if (!personIds.length) return new Map();
    const rows: Record<string, unknown>[] = await (manager ?? this.dataSource.manager).query(
      `SELECT p.id, p.full_name, p.district_id, p.current_post, p.teacher_stage, ${LATEST_TITLE} AS title,
              k.id AS kindergarten_id, k.name AS kindergarten_name, k.path AS kindergarten_path, gm.group_id, ${TOWN} AS town_id,
              coalesce((SELECT array_agg(DISTINCT h.honour) FROM person_honour h
                         WHERE h.person_id = p.id AND (h.expires_on IS NULL OR h.expires_on >= $2::date)), '{}') AS honours
         FROM person p
         LEFT JOIN org_unit k ON k.id = p.current_org_unit_id AND k.kind = 'kindergarten'
         LEFT JOIN kindergarten_group_member gm ON gm.kindergarten_id = k.id
        WHERE p.id = ANY($1::uuid[])`, [personIds, today]);
    return new Map(rows.map((r) => [r.id as string, toProfile(r)]));
  }

  /** Eligible mentors for the mentee (see the README's matching section), with what the score needs. */
  async candidates(mentee: StaffProfile, menteeStage: number, maxMentees: number, today: string): Promise<MentorCandidate[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH open_load AS (
         SELECT l.mentor_person_id, count(*)::int AS n FROM mentor_link l JOIN mentor_pairing mp ON mp.id = l.pairing_id
          WHERE mp.status IN ('proposed','active') AND l.district_id = $1 GROUP BY l.mentor_person_id),
       past AS (
         SELECT l.mentor_person_id,
                count(*) FILTER (WHERE mp.final_grade = 'excellent')::int AS excellent,
                count(*) FILTER (WHERE mp.final_grade = 'pass')::int AS pass,
                count(*) FILTER (WHERE mp.final_grade = 'fail')::int AS fail
           FROM mentor_link l JOIN mentor_pairing mp ON mp.id = l.pairing_id
          WHERE mp.status = 'ended' AND mp.final_grade IS NOT NULL AND l.district_id = $1 GROUP BY l.mentor_person_id),
       staff AS (
         SELECT p.*, ${LATEST_TITLE} AS title,
                coalesce((SELECT array_agg(DISTINCT h.honour) FROM person_honour h
                           WHERE h.person_id = p.id AND h.honour = ANY($5::text[]) AND (h.expires_on IS NULL OR h.expires_on >= $6::date)), '{}') AS honours,
                CASE WHEN p.teacher_stage = 'novice' THEN 1 WHEN p.teacher_stage = 'competent' THEN 2 WHEN p.teacher_stage = 'backbone' THEN 3
                     WHEN p.current_post IN ('principal','vice_principal') THEN 3 ELSE 0 END AS stage_rank
           FROM person p
          WHERE p.district_id = $1 AND p.id <> $2 AND p.current_org_unit_id IS NOT NULL AND p.current_post = ANY($4::text[]))
       SELECT s.id, s.full_name, s.district_id, s.current_post, s.teacher_stage, s.title, s.honours,
              k.id AS kindergarten_id, k.name AS kindergarten_name, k.path AS kindergarten_path, gm.group_id, ${TOWN} AS town_id,
              coalesce(o.n, 0) AS open_mentees, coalesce(pa.excellent, 0) AS excellent, coalesce(pa.pass, 0) AS pass, coalesce(pa.fail, 0) AS fail
         FROM staff s
         JOIN org_unit k ON k.id = s.current_org_unit_id AND k.kind = 'kindergarten' AND k.status IS DISTINCT FROM 'closed'
         LEFT JOIN kindergarten_group_member gm ON gm.kindergarten_id = k.id
         LEFT JOIN open_load o ON o.mentor_person_id = s.id
         LEFT JOIN past pa ON pa.mentor_person_id = s.id
        WHERE s.stage_rank > $3
          AND (s.title IN ('first','senior','professorial') OR cardinality(s.honours) > 0)
          AND coalesce(o.n, 0) < $7
          AND NOT EXISTS (SELECT 1 FROM mentor_link l JOIN mentor_pairing mp ON mp.id = l.pairing_id
                           WHERE l.mentor_person_id = s.id AND mp.mentee_person_id = $2 AND mp.status IN ('proposed','active'))`,
      [mentee.districtId, mentee.personId, menteeStage, MENTOR_POSTS, [...MENTOR_HONOURS], today, maxMentees]);
    return rows.map((r) => ({
      ...toProfile(r),
      openMentees: Number(r.open_mentees), maxMentees,
      pastExcellent: Number(r.excellent), pastPass: Number(r.pass), pastFail: Number(r.fail),
    }));
  }

  /** The mentee picker: staff in the admin's scope whose name contains the text. */
  async searchStaff(scopePaths: string[], text: string, limit = 20): Promise<{ personId: string; fullName: string; kindergartenName: string; post: string | null }[]> {
    if (!scopePaths.length || !text.trim()) return [];
    const rows: Record<string, string | null>[] = await this.dataSource.query(
      `SELECT p.id, p.full_name, k.name AS kindergarten_name, p.current_post
         FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE k.path LIKE ANY($1::text[]) AND p.full_name LIKE '%' || $2 || '%'
        ORDER BY p.full_name, p.id LIMIT $3`,
      [scopePaths.map((s) => `${s}%`), text.trim().replace(/[%_\\]/g, (c) => `\\${c}`), limit]);
    return rows.map((r) => ({ personId: r.id!, fullName: r.full_name!, kindergartenName: r.kindergarten_name!, post: r.current_post }));
  }

  async kindergartens(districtId: string): Promise<{ id: string; name: string }[]> {
    return this.dataSource.query(
      `SELECT id, name FROM org_unit WHERE kind = 'kindergarten' AND district_id = $1 AND status IS DISTINCT FROM 'closed' ORDER BY code`, [districtId]);
  }
}

function toProfile(r: Record<string, unknown>): StaffProfile & { fullName: string } {
  return {
    personId: r.id as string, fullName: r.full_name as string, districtId: r.district_id as string,
    post: (r.current_post as string) ?? null, teacherStage: (r.teacher_stage as string) ?? null, title: (r.title as string) ?? null,
    kindergartenId: (r.kindergarten_id as string) ?? null, kindergartenName: (r.kindergarten_name as string) ?? null,
    kindergartenPath: (r.kindergarten_path as string) ?? null, groupId: (r.group_id as string) ?? null, townId: (r.town_id as string) ?? null,
    subjectArea: null, honours: (r.honours as string[]) ?? [],
  };
}
