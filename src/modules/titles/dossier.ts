import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ComplianceService } from '../credits/compliance.service.js';
import type { PersonEligibility } from './title-eligibility.service.js';

type Row = Record<string, unknown>;

/** The record behind an application as it stood at submission; stored as jsonb and never recomputed. */
export interface Dossier {
  assembledAt: string;
  person: Row;
  titleHistory: Row[];
  ledger: Row[];
  compliance: Row[];
  certificates: Row[];
  honours: Row[];
  mentoring: { asMentee: Row[]; asMentor: Row[] };
  publicLessons: Row[];
  programOutputs: Row[] | null;
  contests: Row[] | null;
  /** The title conditions as judged at submission; null for dossiers assembled for other decisions (program applications). */
  eligibility: PersonEligibility | null;
}

/** Tables from later issues: read when present, else the dossier says "not recorded" (null). */
const OPTIONAL_TABLES = { programOutputs: 'program_output', contests: 'contest_entry' } as const;

/** Assembles a title dossier from the record with plain SQL reads (outside any transaction: it reads through compliance too). */
@Injectable()
export class DossierAssembler {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly compliance: ComplianceService) {}

  async assemble(personId: string, eligibility: PersonEligibility | null = null): Promise<Dossier> {
    const q = (sql: string) => this.db.query(sql, [personId]) as Promise<Row[]>;
    const [person, titleHistory, ledger, certificates, honours, asMentee, asMentor, publicLessons, compliance, programOutputs, contests] = await Promise.all([
      q(`SELECT p.full_name AS "fullName", p.gender, p.birth_date::text AS "birthDate", p.education_level AS "educationLevel", p.preschool_major AS "preschoolMajor",
                p.hire_date::text AS "hireDate", p.current_post AS post, p.teacher_stage AS "teacherStage", k.name AS kindergarten, d.name AS district
           FROM person p JOIN org_unit d ON d.id = p.district_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id WHERE p.id = $1`),
      q(`SELECT title, effective_date::text AS "effectiveDate", approving_body AS "approvingBody" FROM title_record WHERE person_id = $1 ORDER BY effective_date, created_at`),
      q(`SELECT c.code AS "cycleCode", c.name_zh AS "cycleName", e.category, e.level, sum(e.hours)::float AS hours, sum(e.credits)::float AS credits, count(*)::int AS entries
           FROM credit_entry e LEFT JOIN credit_cycle c ON c.id = e.cycle_id WHERE e.person_id = $1
          GROUP BY c.code, c.name_zh, c.starts_on, e.category, e.level ORDER BY c.starts_on NULLS FIRST, e.category, e.level`),
      q(`SELECT kind, number, issuer, issued_on::text AS "issuedOn", expires_on::text AS "expiresOn" FROM person_certificate WHERE person_id = $1 ORDER BY issued_on`),
      q(`SELECT honour, name, awarded_on::text AS "awardedOn", awarded_by AS "awardedBy" FROM person_honour WHERE person_id = $1 ORDER BY awarded_on`),
      q(`SELECT mp.id, mp.kind, mp.status, mp.starts_on::text AS "startsOn", mp.ends_on::text AS "endsOn", mp.final_grade AS "finalGrade",
                (SELECT string_agg(mper.full_name, '、') FROM mentor_link l JOIN person mper ON mper.id = l.mentor_person_id WHERE l.pairing_id = mp.id) AS mentors,
                (SELECT count(*)::int FROM mentoring_activity a WHERE a.pairing_id = mp.id AND a.status = 'confirmed') AS "confirmedActivities"
           FROM mentor_pairing mp WHERE mp.mentee_person_id = $1 AND mp.status IN ('active','ended') ORDER BY mp.starts_on`),
      q(`SELECT mp.id, mp.kind, mp.status, l.role, mp.starts_on::text AS "startsOn", mp.ends_on::text AS "endsOn", mp.final_grade AS "finalGrade", me.full_name AS mentee,
                (SELECT count(*)::int FROM mentoring_activity a WHERE a.pairing_id = mp.id AND a.status = 'confirmed') AS "confirmedActivities"
           FROM mentor_link l JOIN mentor_pairing mp ON mp.id = l.pairing_id JOIN person me ON me.id = mp.mentee_person_id
          WHERE l.mentor_person_id = $1 AND mp.status IN ('active','ended') ORDER BY mp.starts_on`),
      q(`SELECT kind, occurred_on::text AS "occurredOn", term, duration_minutes AS "durationMinutes", status FROM mentoring_activity
          WHERE actor_person_id = $1 AND kind IN ('open_lesson','demonstration') AND status = 'confirmed' ORDER BY occurred_on`),
      this.complianceSummary(personId),
      this.optionalRows(OPTIONAL_TABLES.programOutputs, personId),
      this.optionalRows(OPTIONAL_TABLES.contests, personId),
    ]);
    return {
      assembledAt: new Date().toISOString(), person: person[0] ?? {}, titleHistory, ledger, compliance: compliance, certificates, honours,
      mentoring: { asMentee, asMentor }, publicLessons, programOutputs, contests, eligibility,
    };
  }

  private async complianceSummary(personId: string): Promise<Row[]> {
    const results = await this.compliance.compliance(personId);
    return results.map((r) => ({
      schemeCode: r.schemeCode ?? null, cycle: r.cycle?.name ?? null, standing: r.standing, required: r.required ?? null, needed: r.needed ?? null,
    }));
  }

  /** Rows of a table that may not exist yet (null when it does not, or has no person_id). */
  private async optionalRows(table: string, personId: string): Promise<Row[] | null> {
    const found: Array<{ ok: boolean }> = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'person_id') AS ok`, [table]);
    if (!found[0]?.ok) return null;
    const rows: Array<{ row: Row }> = await this.db.query(`SELECT to_jsonb(t) AS row FROM "${table}" t WHERE t.person_id = $1 LIMIT 200`, [personId]);
    return rows.map((r) => r.row);
  }
}
