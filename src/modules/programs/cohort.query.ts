import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AssessmentResult, MemberStatus } from './cohort.entities.js';

/** How a member came into the cohort: selected from applications, moved in from another tier, or added (a promotion). */
export type MemberSource = 'selected' | 'moved' | 'promoted';

export interface RosterRow {
  id: string;
  personId: string;
  fullName: string;
  kindergartenName: string | null;
  teamId: string | null;
  teamName: string | null;
  status: MemberStatus;
  source: MemberSource;
  joinedOn: string;
  leftOn: string | null;
  exitReason: string | null;
  movedToProgramName: string | null;
  midtermResult: AssessmentResult | null;
  midtermComment: string | null;
  finalResult: AssessmentResult | null;
  finalComment: string | null;
}

export interface TeamRow {
  id: string;
  name: string;
  hostPersonId: string;
  hostName: string;
  baseName: string | null;
  activeMembers: number;
  version: number;
}

export interface ProgramChoice {
  id: string;
  nameZh: string;
  nameEn: string;
  tier: string;
  round: number | null;
}

const SOURCE = `CASE WHEN m.application_id IS NOT NULL THEN 'selected'
  WHEN EXISTS (SELECT 1 FROM program_member o WHERE o.moved_to_member_id = m.id) THEN 'moved' ELSE 'promoted' END`;

/** Reads of a program's cohort for district staff: the roster, the teams, people to host and programs to move into. */
@Injectable()
export class CohortQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async roster(programId: string): Promise<RosterRow[]> {
    return this.db.query(
      `SELECT m.id, m.person_id AS "personId", p.full_name AS "fullName", k.name AS "kindergartenName", m.team_id AS "teamId", t.name AS "teamName",
              m.status, ${SOURCE} AS source, m.joined_on::text AS "joinedOn", m.left_on::text AS "leftOn", m.exit_reason AS "exitReason",
              tp.name_zh AS "movedToProgramName", m.midterm_result AS "midtermResult", m.midterm_comment AS "midtermComment",
              m.final_result AS "finalResult", m.final_comment AS "finalComment"
         FROM program_member m JOIN person p ON p.id = m.person_id
         LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
         LEFT JOIN program_team t ON t.id = m.team_id
         LEFT JOIN program_member tm ON tm.id = m.moved_to_member_id LEFT JOIN program tp ON tp.id = tm.program_id
        WHERE m.program_id = $1
        ORDER BY CASE m.status WHEN 'active' THEN 0 ELSE 1 END, p.full_name, m.id`, [programId]);
  }

  async teams(programId: string): Promise<TeamRow[]> {
    const rows = await this.db.query(
      `SELECT t.id, t.name, t.host_person_id AS "hostPersonId", h.full_name AS "hostName", COALESCE(t.base_name, b.name) AS "baseName", t.version,
              (SELECT count(*)::int FROM program_member m WHERE m.team_id = t.id AND m.status = 'active') AS "activeMembers"
         FROM program_team t JOIN person h ON h.id = t.host_person_id LEFT JOIN org_unit b ON b.id = t.base_org_unit_id
        WHERE t.program_id = $1 ORDER BY t.name`, [programId]);
    return rows;
  }

  /** People of the districts under `paths` whose name contains `q`, to host a team (members or outside experts). */
  async people(paths: string[], q: string, limit = 20): Promise<{ id: string; fullName: string; kindergartenName: string | null }[]> {
    if (!paths.length || !q.trim()) return [];
    return this.db.query(
      `SELECT p.id, p.full_name AS "fullName", k.name AS "kindergartenName"
         FROM person p JOIN org_unit d ON d.id = p.district_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE d.path LIKE ANY($1::text[]) AND p.full_name LIKE $2
        ORDER BY p.full_name, p.id LIMIT $3`, [paths.map((x) => `${x}%`), `%${q.trim().replace(/[\\%_]/g, '\\$&')}%`, limit]);
  }

  /** The district's other cohort programs that still run, for moves and promotions. */
  async otherPrograms(districtId: string, programId: string): Promise<ProgramChoice[]> {
    return this.db.query(
      `SELECT id, name_zh AS "nameZh", name_en AS "nameEn", tier, round FROM program
        WHERE district_id = $1 AND id <> $2 AND kind = 'cohort' AND status <> 'closed'
        ORDER BY round NULLS LAST, tier, name_zh`, [districtId, programId]);
  }

  /** The district's catalog courses, for a team's required courses. */
  async courses(districtId: string): Promise<{ id: string; code: string; title: string }[]> {
    return this.db.query(
      `SELECT id, code, title FROM course WHERE district_id = $1 AND status <> 'archived' ORDER BY code LIMIT 500`, [districtId]);
  }

  /** The kindergartens under a path, for the alumni filter. */
  async kindergartens(path: string): Promise<{ id: string; name: string }[]> {
    return this.db.query(`SELECT id, name FROM org_unit WHERE path LIKE $1 AND kind = 'kindergarten' ORDER BY code LIMIT 500`, [`${path}%`]);
  }

  /** The district's kindergartens and other units, for a team's base. */
  async bases(districtPath: string): Promise<{ id: string; name: string }[]> {
    return this.db.query(
      `SELECT id, name FROM org_unit WHERE path LIKE $1 AND kind IN ('kindergarten','district','town','zone') ORDER BY depth, name LIMIT 500`,
      [`${districtPath}%`]);
  }

  /** A person's memberships, newest first, with their team and assessments. */
  async memberships(personId: string) {
    return this.db.query(
      `SELECT m.id, m.program_id AS "programId", pr.name_zh AS "programNameZh", pr.name_en AS "programNameEn", pr.tier, pr.round,
              m.status, m.team_id AS "teamId", t.name AS "teamName", m.joined_on::text AS "joinedOn", m.left_on::text AS "leftOn",
              m.midterm_result AS "midtermResult", m.midterm_comment AS "midtermComment", m.final_result AS "finalResult", m.final_comment AS "finalComment"
         FROM program_member m JOIN program pr ON pr.id = m.program_id LEFT JOIN program_team t ON t.id = m.team_id
        WHERE m.person_id = $1 ORDER BY m.joined_on DESC, m.id`, [personId]);
  }

  /** The teams a person hosts. */
  async hostedTeams(personId: string): Promise<{ teamId: string; teamName: string; programNameZh: string; programNameEn: string }[]> {
    return this.db.query(
      `SELECT t.id AS "teamId", t.name AS "teamName", pr.name_zh AS "programNameZh", pr.name_en AS "programNameEn"
         FROM program_team t JOIN program pr ON pr.id = t.program_id WHERE t.host_person_id = $1 ORDER BY t.created_at DESC`, [personId]);
  }
}
