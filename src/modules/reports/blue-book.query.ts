import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One member of staff as the record stood on a date: the post and kindergarten of their employment then, their title and stages then. */
export interface StaffRow {
  personId: string;
  post: string;
  kindergartenId: string;
  ownership: 'public' | 'private';
  /** The person's education today: the record keeps no history of it. */
  educationLevel: string;
  preschoolMajor: boolean;
  title: string | null;
  teacherStage: string | null;
  principalStage: string | null;
}

export interface KindergartenRow {
  id: string;
  ownership: 'public' | 'private';
  grade: string;
  inclusive: boolean;
  groupId: string | null;
}

export interface StageName {
  kind: 'teacher' | 'principal';
  code: string;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
}

/**
 * The district's workforce and kindergartens on a date, from the dated parts of the record
 * (employment start/end, title and stage effective dates, group joining dates), so a past
 * year's book comes out the same later.
 */
@Injectable()
export class BlueBookQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async district(districtId: string): Promise<{ id: string; name: string; nameEn: string | null; path: string } | null> {
    const rows: Array<{ id: string; name: string; name_en: string | null; path: string }> = await this.db.query(
      `SELECT id, name, name_en, path FROM org_unit WHERE id = $1 AND kind = 'district'`, [districtId]);
    return rows[0] ? { id: rows[0].id, name: rows[0].name, nameEn: rows[0].name_en, path: rows[0].path } : null;
  }

  /** Everyone employed in one of the district's kindergartens on `asOf` (one employment each: the latest begun). */
  async staff(districtId: string, asOf: string): Promise<StaffRow[]> {
    const rows: Array<Record<string, string | boolean | null>> = await this.db.query(
      `WITH staff AS (
         SELECT DISTINCT ON (e.person_id) e.person_id, e.post, e.org_unit_id
           FROM employment e JOIN org_unit k ON k.id = e.org_unit_id AND k.kind = 'kindergarten'
          WHERE e.district_id = $1 AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2)
          ORDER BY e.person_id, e.start_date DESC, e.created_at DESC)
       SELECT s.person_id, s.post, s.org_unit_id, k.ownership, p.education_level, p.preschool_major,
              (SELECT t.title FROM title_record t WHERE t.person_id = s.person_id AND t.effective_date <= $2
                ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1) AS title,
              (SELECT r.stage FROM stage_record r WHERE r.person_id = s.person_id AND r.kind = 'teacher' AND r.effective_date <= $2
                ORDER BY r.effective_date DESC, r.created_at DESC LIMIT 1) AS teacher_stage,
              (SELECT r.stage FROM stage_record r WHERE r.person_id = s.person_id AND r.kind = 'principal' AND r.effective_date <= $2
                ORDER BY r.effective_date DESC, r.created_at DESC LIMIT 1) AS principal_stage
         FROM staff s JOIN person p ON p.id = s.person_id JOIN org_unit k ON k.id = s.org_unit_id
        ORDER BY s.person_id`,
      [districtId, asOf]);
    return rows.map((r) => ({
      personId: r.person_id as string, post: r.post as string, kindergartenId: r.org_unit_id as string,
      ownership: r.ownership as StaffRow['ownership'], educationLevel: r.education_level as string, preschoolMajor: r.preschool_major === true,
      title: r.title as string | null, teacherStage: r.teacher_stage as string | null, principalStage: r.principal_stage as string | null,
    }));
  }

  /**
   * Kindergartens operating in `year`: founded (or opened) by then and not planned or closed now.
   * Grade, ownership and inclusiveness are today's: the record keeps no history of them.
   */
  async kindergartens(districtId: string, year: number, asOf: string): Promise<KindergartenRow[]> {
    const rows: Array<{ id: string; ownership: KindergartenRow['ownership']; grade: string; inclusive: boolean; group_id: string | null }> = await this.db.query(
      `SELECT k.id, k.ownership, k.grade, k.inclusive, m.group_id
         FROM org_unit k
         LEFT JOIN kindergarten_group_member m ON m.kindergarten_id = k.id AND (m.joined_on IS NULL OR m.joined_on <= $3)
        WHERE k.district_id = $1 AND k.kind = 'kindergarten' AND k.status = 'operating'
          AND COALESCE(k.founded_year, k.opening_year, 0) <= $2
        ORDER BY k.code`,
      [districtId, year, asOf]);
    return rows.map((r) => ({ id: r.id, ownership: r.ownership, grade: r.grade, inclusive: r.inclusive, groupId: r.group_id }));
  }

  async groups(districtId: string): Promise<Array<{ id: string; name: string }>> {
    return this.db.query(`SELECT id, name FROM kindergarten_group WHERE district_id = $1 ORDER BY code`, [districtId]);
  }

  async stageNames(): Promise<StageName[]> {
    const rows: Array<{ kind: StageName['kind']; code: string; name_zh: string; name_en: string; sort_order: number }> = await this.db.query(
      `SELECT kind, code, name_zh, name_en, sort_order FROM stage_definition ORDER BY kind, sort_order`);
    return rows.map((r) => ({ kind: r.kind, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, sortOrder: r.sort_order }));
  }
}
