import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { prefixPatterns } from '../org/org-scope.service.js';
import type { ContestAward, ContestEntryStatus } from './contest.entities.js';

export interface ContestEntryRow {
  id: string;
  programId: string;
  personId: string;
  personName: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  /** Where the entry sits in the org tree (the kindergarten at entry, else the district), for scope checks. */
  orgPath: string;
  post: string;
  status: ContestEntryStatus;
  score: number | null;
  award: ContestAward | null;
  judgedAt: Date | null;
  creditEntryId: string | null;
  honourId: string | null;
  enteredBy: string | null;
  createdAt: Date;
}

export interface MyContestEntryRow extends ContestEntryRow {
  programCode: string;
  programNameZh: string;
  programNameEn: string;
  programStatus: string;
}

export interface ContestCandidate {
  personId: string;
  fullName: string;
  kindergartenName: string | null;
  post: string;
}

const ENTRY_COLUMNS = `e.id, e.program_id AS "programId", e.person_id AS "personId", p.full_name AS "personName",
  e.kindergarten_id AS "kindergartenId", k.name AS "kindergartenName", coalesce(k.path, d.path) AS "orgPath", e.post, e.status,
  e.score::float AS score, e.award, e.judged_at AS "judgedAt", e.credit_entry_id AS "creditEntryId", e.honour_id AS "honourId",
  e.entered_by AS "enteredBy", e.created_at AS "createdAt"`;
const ENTRY_FROM = `contest_entry e JOIN person p ON p.id = e.person_id JOIN org_unit d ON d.id = e.district_id
  LEFT JOIN org_unit k ON k.id = e.kindergarten_id`;
/** Prizes first (first … excellence), then by score, then the rest; withdrawn entries last. */
const ENTRY_ORDER = `ORDER BY (e.status = 'withdrawn'), array_position(ARRAY['first','second','third','excellence','none']::text[], e.award) NULLS LAST,
  e.score DESC NULLS LAST, p.full_name, e.created_at`;

/** Plain SQL reads for contests: entries with names, an entrant's own entries, people who could be entered. */
@Injectable()
export class ContestQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The program's entries; `paths` null: all of them, else those whose kindergarten lies under one of the paths. */
  async entries(programId: string, paths: string[] | null, manager?: EntityManager): Promise<ContestEntryRow[]> {
    if (paths && paths.length === 0) return [];
    return (manager ?? this.db).query(
      `SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM}
        WHERE e.program_id = $1 AND ($2::text[] IS NULL OR coalesce(k.path, d.path) LIKE ANY($2::text[])) ${ENTRY_ORDER}`,
      [programId, paths ? prefixPatterns(paths) : null]);
  }

  async entry(entryId: string, manager?: EntityManager): Promise<ContestEntryRow | null> {
    const rows: ContestEntryRow[] = await (manager ?? this.db).query(`SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE e.id = $1`, [entryId]);
    return rows[0] ?? null;
  }

  /** The person's active (not withdrawn) entry in the contest. */
  async activeEntryId(programId: string, personId: string, manager?: EntityManager): Promise<string | null> {
    const rows: Array<{ id: string }> = await (manager ?? this.db).query(
      `SELECT id FROM contest_entry WHERE program_id = $1 AND person_id = $2 AND status <> 'withdrawn'`, [programId, personId]);
    return rows[0]?.id ?? null;
  }

  async ofPerson(personId: string): Promise<MyContestEntryRow[]> {
    return this.db.query(
      `SELECT ${ENTRY_COLUMNS}, g.code AS "programCode", g.name_zh AS "programNameZh", g.name_en AS "programNameEn", g.status AS "programStatus"
         FROM ${ENTRY_FROM} JOIN program g ON g.id = e.program_id
        WHERE e.person_id = $1 ORDER BY e.created_at DESC`, [personId]);
  }

  /** Staff under the paths, in the program's district, whose current post may enter and who have no active entry yet. */
  async candidates(programId: string, districtId: string, posts: string[], paths: string[]): Promise<ContestCandidate[]> {
    if (paths.length === 0 || posts.length === 0) return [];
    return this.db.query(
      `SELECT p.id AS "personId", p.full_name AS "fullName", k.name AS "kindergartenName", p.current_post AS post
         FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE p.district_id = $2 AND p.current_post = ANY($3::text[]) AND k.path LIKE ANY($4::text[])
          AND NOT EXISTS (SELECT 1 FROM contest_entry e WHERE e.program_id = $1 AND e.person_id = p.id AND e.status <> 'withdrawn')
        ORDER BY k.code, p.full_name LIMIT 1000`, [programId, districtId, posts, prefixPatterns(paths)]);
  }

  async districtName(districtId: string, manager?: EntityManager): Promise<string> {
    const rows: Array<{ name: string }> = await (manager ?? this.db).query('SELECT name FROM org_unit WHERE id = $1', [districtId]);
    return rows[0]?.name ?? '';
  }
}
