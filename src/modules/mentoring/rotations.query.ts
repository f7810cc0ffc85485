import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { prefixPatterns } from '../org/org-scope.service.js';
import type { RotationKind } from './mentoring.entities.js';

export interface RotationView {
  id: string;
  personId: string;
  personName: string;
  homeKindergartenId: string;
  homeName: string;
  hostKindergartenId: string;
  hostName: string;
  kind: RotationKind;
  startsOn: string;
  endsOn: string;
  endedEarlyOn: string | null;
  /** The last day served: the early end when there is one. */
  lastDay: string;
  countAt: 'home' | 'host' | 'both';
  note: string | null;
  createdAt: Date;
}

/** Who serves where on a day: a running rotation, for headcounts and coverage planning. */
export interface RotationAssignment {
  rotationId: string;
  personId: string;
  personName: string;
  homeKindergartenId: string;
  hostKindergartenId: string;
  kind: RotationKind;
  countAt: 'home' | 'host' | 'both';
  startsOn: string;
  lastDay: string;
}

export interface HeadcountRow {
  kindergartenId: string;
  code: string;
  name: string;
  /** People whose current kindergarten this is. */
  staff: number;
  rotatedOut: number;
  /** Rotated out and counted only at the host. */
  countedAway: number;
  rotatedIn: number;
  /** Rotated in and counted here (host or both). */
  countedIn: number;
  headcount: number;
}

export interface UnitRef { id: string; kind: string; path: string; districtId: string | null; name: string }

const VIEW = `
  SELECT r.id, r.person_id AS "personId", p.full_name AS "personName", r.home_kindergarten_id AS "homeKindergartenId", h.name AS "homeName",
         r.host_kindergarten_id AS "hostKindergartenId", x.name AS "hostName", r.kind, to_char(r.starts_on, 'YYYY-MM-DD') AS "startsOn",
         to_char(r.ends_on, 'YYYY-MM-DD') AS "endsOn", to_char(r.ended_early_on, 'YYYY-MM-DD') AS "endedEarlyOn",
         to_char(coalesce(r.ended_early_on, r.ends_on), 'YYYY-MM-DD') AS "lastDay", r.count_at AS "countAt", r.note, r.created_at AS "createdAt"
    FROM rotation r
    JOIN person p ON p.id = r.person_id
    JOIN org_unit h ON h.id = r.home_kindergarten_id
    JOIN org_unit x ON x.id = r.host_kindergarten_id`;

@Injectable()
export class RotationsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The person with their current kindergarten (null when they have none). */
  async person(personId: string): Promise<{ id: string; districtId: string; home: UnitRef | null } | null> {
    const rows: Array<{ id: string; district_id: string; home: UnitRef | null }> = await this.db.query(
      `SELECT p.id, p.district_id,
              CASE WHEN k.id IS NULL THEN NULL ELSE json_build_object('id', k.id, 'kind', k.kind, 'path', k.path, 'districtId', k.district_id, 'name', k.name) END AS home
         FROM person p LEFT JOIN org_unit k ON k.id = p.current_org_unit_id AND k.kind = 'kindergarten' WHERE p.id = $1`, [personId]);
    return rows[0] ? { id: rows[0].id, districtId: rows[0].district_id, home: rows[0].home } : null;
  }

  async unit(id: string): Promise<UnitRef | null> {
    const rows: UnitRef[] = await this.db.query(`SELECT id, kind, path, district_id AS "districtId", name FROM org_unit WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async view(id: string, manager?: EntityManager): Promise<RotationView | null> {
    const rows: RotationView[] = await (manager ?? this.db).query(`${VIEW} WHERE r.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Where a rotation sits: its home's path, for scope checks. */
  async place(id: string): Promise<{ homePath: string; hostPath: string } | null> {
    const rows: Array<{ homePath: string; hostPath: string }> = await this.db.query(
      `SELECT h.path AS "homePath", x.path AS "hostPath" FROM rotation r JOIN org_unit h ON h.id = r.home_kindergarten_id
         JOIN org_unit x ON x.id = r.host_kindergarten_id WHERE r.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The person's rotations sharing a day with the period (by their last day served), except `exceptId`. */
  overlapping(manager: EntityManager, personId: string, from: string, to: string, exceptId: string | null = null): Promise<RotationView[]> {
    return manager.query(`${VIEW} WHERE r.person_id = $1 AND r.starts_on <= $3 AND coalesce(r.ended_early_on, r.ends_on) >= $2
      AND ($4::uuid IS NULL OR r.id <> $4) ORDER BY r.starts_on`, [personId, from, to, exceptId]);
  }

  /** Rotations whose home or host lies under one of the paths. */
  async list(paths: string[], filter: { on?: string; personId?: string; kindergartenId?: string; page: number; pageSize: number }) {
    const where = `(h.path LIKE ANY($1::text[]) OR x.path LIKE ANY($1::text[]))
      AND ($2::date IS NULL OR (r.starts_on <= $2 AND coalesce(r.ended_early_on, r.ends_on) >= $2))
      AND ($3::uuid IS NULL OR r.person_id = $3) AND ($4::uuid IS NULL OR $4 IN (r.home_kindergarten_id, r.host_kindergarten_id))`;
    const params = [prefixPatterns(paths), filter.on ?? null, filter.personId ?? null, filter.kindergartenId ?? null];
    const [items, [{ total }]] = await Promise.all([
      this.db.query(`${VIEW} WHERE ${where} ORDER BY r.starts_on DESC, p.full_name LIMIT $5 OFFSET $6`,
        [...params, filter.pageSize, (filter.page - 1) * filter.pageSize]) as Promise<RotationView[]>,
      this.db.query(`SELECT count(*)::int AS total FROM rotation r JOIN org_unit h ON h.id = r.home_kindergarten_id
        JOIN org_unit x ON x.id = r.host_kindergarten_id WHERE ${where}`, params) as Promise<Array<{ total: number }>>,
    ]);
    return { items, total };
  }

  /** Staff of the kindergartens under the paths, for the rotation form. */
  peopleUnder(paths: string[]): Promise<Array<{ id: string; name: string; kindergartenName: string }>> {
    if (!paths.length) return Promise.resolve([]);
    return this.db.query(
      `SELECT p.id, p.full_name AS name, k.name AS "kindergartenName" FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id AND k.kind = 'kindergarten'
        WHERE k.path LIKE ANY($1::text[]) ORDER BY k.code, p.full_name`, [prefixPatterns(paths)]);
  }

  /** Every open kindergarten (a host may lie in another district). */
  kindergartens(): Promise<Array<{ id: string; name: string }>> {
    return this.db.query(`SELECT id, name FROM org_unit WHERE kind = 'kindergarten' AND status IS DISTINCT FROM 'closed' ORDER BY code`);
  }

  activeAt(date: string, kindergartenIds?: string[]): Promise<RotationAssignment[]> {
    return this.db.query(
      `SELECT r.id AS "rotationId", r.person_id AS "personId", p.full_name AS "personName", r.home_kindergarten_id AS "homeKindergartenId",
              r.host_kindergarten_id AS "hostKindergartenId", r.kind, r.count_at AS "countAt", to_char(r.starts_on, 'YYYY-MM-DD') AS "startsOn",
              to_char(coalesce(r.ended_early_on, r.ends_on), 'YYYY-MM-DD') AS "lastDay"
         FROM rotation r JOIN person p ON p.id = r.person_id
        WHERE r.starts_on <= $1 AND coalesce(r.ended_early_on, r.ends_on) >= $1
          AND ($2::uuid[] IS NULL OR r.home_kindergarten_id = ANY($2) OR r.host_kindergarten_id = ANY($2))
        ORDER BY r.host_kindergarten_id, p.full_name`, [date, kindergartenIds ?? null]);
  }

  /** Each kindergarten under the paths on a day: its own staff, less those counted only at a host, plus those counted here as host. */
  headcount(on: string, paths: string[]): Promise<HeadcountRow[]> {
    if (!paths.length) return Promise.resolve([]);
    return this.db.query(
      `WITH kg AS (SELECT id, code, name FROM org_unit WHERE kind = 'kindergarten' AND path LIKE ANY($2::text[])),
            running AS (SELECT * FROM rotation WHERE starts_on <= $1 AND coalesce(ended_early_on, ends_on) >= $1),
            staff AS (SELECT current_org_unit_id AS id, count(*)::int AS n FROM person WHERE current_org_unit_id IN (SELECT id FROM kg) GROUP BY 1),
            away AS (SELECT home_kindergarten_id AS id, count(*)::int AS n, (count(*) FILTER (WHERE count_at = 'host'))::int AS counted FROM running GROUP BY 1),
            here AS (SELECT host_kindergarten_id AS id, count(*)::int AS n, (count(*) FILTER (WHERE count_at IN ('host', 'both')))::int AS counted FROM running GROUP BY 1)
       SELECT kg.id AS "kindergartenId", kg.code, kg.name, coalesce(staff.n, 0) AS staff, coalesce(away.n, 0) AS "rotatedOut",
              coalesce(away.counted, 0) AS "countedAway", coalesce(here.n, 0) AS "rotatedIn", coalesce(here.counted, 0) AS "countedIn",
              coalesce(staff.n, 0) - coalesce(away.counted, 0) + coalesce(here.counted, 0) AS headcount
         FROM kg LEFT JOIN staff ON staff.id = kg.id LEFT JOIN away ON away.id = kg.id LEFT JOIN here ON here.id = kg.id
        ORDER BY kg.code`, [on, prefixPatterns(paths)]);
  }
}
