import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { EducationLevel, Gender, Post } from './person.entity.js';
import type { CertificateKind, Title } from './person-records.entity.js';
import { dayBefore } from './people-rules.js';

/** A person as a staff import compares them: basic data, the open employment, the latest title, certificate numbers. */
export interface StaffState {
  personId: string;
  nationalIdHash: string;
  districtId: string;
  fullName: string;
  birthDate: string;
  phoneHash: string | null;
  educationLevel: EducationLevel;
  preschoolMajor: boolean;
  hireDate: string | null;
  employment: { orgUnitId: string; post: Post; startDate: string } | null;
  title: { title: Title; effectiveDate: string } | null;
  certificates: Array<{ kind: CertificateKind; number: string }>;
}

/** A phone as stored: ciphertext, lookup hash and the masked form. */
export interface StoredPhone {
  enc: string;
  hash: string;
  masked: string;
}

export interface NewStaffPerson {
  nationalIdHash: string;
  nationalIdEnc: string;
  nationalIdMasked: string;
  districtId: string;
  fullName: string;
  gender: Gender;
  birthDate: string;
  phone: StoredPhone | null;
  educationLevel: EducationLevel;
  preschoolMajor: boolean;
  hireDate: string | null;
}

/** Changed basic data of an existing person (absent: unchanged). */
export interface StaffPersonChange {
  nationalIdHash: string;
  fullName?: string;
  phone?: StoredPhone;
  educationLevel?: EducationLevel;
  preschoolMajor?: boolean;
  hireDate?: string;
}

/** A new (current) employment; an open one is ended the day before it starts. */
export interface StaffEmployment {
  nationalIdHash: string;
  orgUnitId: string;
  districtId: string;
  post: Post;
  startDate: string;
}

export interface StaffTitle {
  nationalIdHash: string;
  title: Title;
  effectiveDate: string;
  approvingBody: string;
}

export interface StaffCertificate {
  nationalIdHash: string;
  kind: CertificateKind;
  number: string;
  issuedOn: string;
}

/** One batch of staff writes; people are named by national ID hash, so new and existing people are written alike. */
export interface StaffBatch {
  newPeople: NewStaffPerson[];
  changes: StaffPersonChange[];
  employments: StaffEmployment[];
  titles: StaffTitle[];
  certificates: StaffCertificate[];
}

/**
 * Bulk writes of staff records for imports: a handful of multi-row statements per batch instead of
 * a transaction per person. Idempotent by national ID hash: a person already on record is not
 * inserted again, a certificate number already on record is not added again, and an employment
 * identical to the open one is not started twice. Runs in the caller's transaction; the caller
 * audits the batch (one entry per import, not per row).
 */
@Injectable()
export class PeopleBulkWriter {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The people with these national ID hashes (their rows locked for the transaction when `lock`), by hash. */
  async currentState(hashes: string[], manager?: EntityManager, lock = false): Promise<Map<string, StaffState>> {
    if (!hashes.length) return new Map();
    const rows: StaffState[] = await (manager ?? this.db.manager).query(
      `SELECT p.id AS "personId", p.national_id_hash AS "nationalIdHash", p.district_id AS "districtId", p.full_name AS "fullName",
              to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate", p.phone_hash AS "phoneHash", p.education_level AS "educationLevel",
              p.preschool_major AS "preschoolMajor", to_char(p.hire_date, 'YYYY-MM-DD') AS "hireDate",
              (SELECT json_build_object('orgUnitId', e.org_unit_id, 'post', e.post, 'startDate', to_char(e.start_date, 'YYYY-MM-DD'))
                 FROM employment e WHERE e.person_id = p.id AND e.end_date IS NULL ORDER BY e.start_date DESC LIMIT 1) AS employment,
              (SELECT json_build_object('title', t.title, 'effectiveDate', to_char(t.effective_date, 'YYYY-MM-DD'))
                 FROM title_record t WHERE t.person_id = p.id ORDER BY t.effective_date DESC, t.created_at DESC, t.id DESC LIMIT 1) AS title,
              coalesce((SELECT json_agg(json_build_object('kind', c.kind, 'number', c.number))
                 FROM person_certificate c WHERE c.person_id = p.id), '[]'::json) AS certificates
         FROM person p WHERE p.national_id_hash = ANY($1::text[])
        ${lock ? 'ORDER BY p.id FOR UPDATE OF p' : ''}`, [hashes]);
    return new Map(rows.map((row) => [row.nationalIdHash, row]));
  }

  /** Who holds each certificate number (`kind:number` → national ID hash of the holder). */
  async certificateHolders(certificates: Array<{ kind: CertificateKind; number: string }>, manager?: EntityManager): Promise<Map<string, string>> {
    if (!certificates.length) return new Map();
    const rows: Array<{ key: string; hash: string }> = await (manager ?? this.db.manager).query(
      `SELECT c.kind || ':' || c.number AS key, p.national_id_hash AS hash
         FROM person_certificate c JOIN person p ON p.id = c.person_id
        WHERE (c.kind, c.number) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [certificates.map((c) => c.kind), certificates.map((c) => c.number)]);
    return new Map(rows.map((row) => [row.key, row.hash]));
  }

  /** Writes the batch in `manager`'s transaction; answers how many people were inserted. */
  async write(manager: EntityManager, batch: StaffBatch): Promise<{ createdPeople: number }> {
    const inserted = await this.insertPeople(manager, batch.newPeople, batch.employments);
    const hashes = [...new Set([...batch.changes, ...batch.employments, ...batch.titles, ...batch.certificates].map((w) => w.nationalIdHash))];
    const ids = new Map([...inserted, ...(await this.personIds(manager, hashes.filter((h) => !inserted.has(h))))]);
    const id = (hash: string) => {
      const found = ids.get(hash);
      if (!found) throw new Error('bulk write names a person who is not on record');
      return found;
    };
    await this.updatePeople(manager, batch.changes, id);
    // A person inserted just now starts with their employment; everyone else moves (or is re-hired).
    await this.firstEmployments(manager, batch.employments.filter((e) => inserted.has(e.nationalIdHash)), id);
    await this.startEmployments(manager, batch.employments.filter((e) => !inserted.has(e.nationalIdHash)), id);
    if (batch.titles.length) {
      const t = batch.titles;
      await manager.query(
        `INSERT INTO title_record (person_id, title, effective_date, approving_body, is_correction)
         SELECT x.person_id, x.title, x.effective_date, x.approving_body, false
           FROM unnest($1::uuid[], $2::text[], $3::date[], $4::text[]) AS x(person_id, title, effective_date, approving_body)
          WHERE NOT EXISTS (SELECT 1 FROM title_record r WHERE r.person_id = x.person_id AND r.title = x.title AND r.effective_date = x.effective_date)`,
        [t.map((r) => id(r.nationalIdHash)), t.map((r) => r.title), t.map((r) => r.effectiveDate), t.map((r) => r.approvingBody)]);
    }
    if (batch.certificates.length) {
      const c = batch.certificates;
      await manager.query(
        `INSERT INTO person_certificate (person_id, kind, number, issued_on)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[]) ON CONFLICT (kind, number) DO NOTHING`,
        [c.map((r) => id(r.nationalIdHash)), c.map((r) => r.kind), c.map((r) => r.number), c.map((r) => r.issuedOn)]);
    }
    return { createdPeople: inserted.size };
  }

  /** Inserts the people not yet on record (a national ID already there is skipped), placed at their employment's kindergarten; answers hash → id. */
  private async insertPeople(manager: EntityManager, people: NewStaffPerson[], employments: StaffEmployment[]): Promise<Map<string, string>> {
    if (!people.length) return new Map();
    const post = new Map(employments.map((e) => [e.nationalIdHash, e]));
    const column = <K extends keyof NewStaffPerson>(key: K) => people.map((p) => p[key]);
    const rows: Array<{ id: string; hash: string }> = await manager.query(
      `INSERT INTO person (national_id_hash, national_id_enc, national_id_masked, district_id, full_name, gender, birth_date,
                           phone_enc, phone_hash, phone_masked, education_level, preschool_major, hire_date, current_org_unit_id, current_post)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::date[],
                            $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[], $13::date[], $14::uuid[], $15::text[])
       ON CONFLICT (national_id_hash) DO NOTHING RETURNING id, national_id_hash AS hash`,
      [column('nationalIdHash'), column('nationalIdEnc'), column('nationalIdMasked'), column('districtId'), column('fullName'),
        column('gender'), column('birthDate'), people.map((p) => p.phone?.enc ?? null), people.map((p) => p.phone?.hash ?? null),
        people.map((p) => p.phone?.masked ?? null), column('educationLevel'), column('preschoolMajor'), column('hireDate'),
        people.map((p) => post.get(p.nationalIdHash)?.orgUnitId ?? null), people.map((p) => post.get(p.nationalIdHash)?.post ?? null)]);
    return new Map(rows.map((r) => [r.hash, r.id]));
  }

  /** The first employment of people inserted in this batch (their current kindergarten and post are already set). */
  private async firstEmployments(manager: EntityManager, employments: StaffEmployment[], id: (hash: string) => string): Promise<void> {
    if (!employments.length) return;
    await manager.query(
      `INSERT INTO employment (person_id, org_unit_id, district_id, post, start_date)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::date[])`,
      [employments.map((e) => id(e.nationalIdHash)), employments.map((e) => e.orgUnitId), employments.map((e) => e.districtId),
        employments.map((e) => e.post), employments.map((e) => e.startDate)]);
  }

  private async personIds(manager: EntityManager, hashes: string[]): Promise<Map<string, string>> {
    if (!hashes.length) return new Map();
    const rows: Array<{ id: string; hash: string }> = await manager.query(
      `SELECT id, national_id_hash AS hash FROM person WHERE national_id_hash = ANY($1::text[])`, [hashes]);
    return new Map(rows.map((r) => [r.hash, r.id]));
  }

  /** Only the given fields change; a field left out keeps its value. */
  private async updatePeople(manager: EntityManager, changes: StaffPersonChange[], id: (hash: string) => string): Promise<void> {
    if (!changes.length) return;
    await manager.query(
      `UPDATE person p SET
         full_name = coalesce(x.full_name, p.full_name),
         phone_enc = CASE WHEN x.phone_hash IS NULL THEN p.phone_enc ELSE x.phone_enc END,
         phone_hash = coalesce(x.phone_hash, p.phone_hash),
         phone_masked = CASE WHEN x.phone_hash IS NULL THEN p.phone_masked ELSE x.phone_masked END,
         education_level = coalesce(x.education_level, p.education_level),
         preschool_major = coalesce(x.preschool_major, p.preschool_major),
         hire_date = coalesce(x.hire_date, p.hire_date),
         updated_at = now(), version = p.version + 1
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::date[])
             AS x(id, full_name, phone_enc, phone_hash, phone_masked, education_level, preschool_major, hire_date)
       WHERE p.id = x.id`,
      [changes.map((c) => id(c.nationalIdHash)), changes.map((c) => c.fullName ?? null), changes.map((c) => c.phone?.enc ?? null),
        changes.map((c) => c.phone?.hash ?? null), changes.map((c) => c.phone?.masked ?? null), changes.map((c) => c.educationLevel ?? null),
        changes.map((c) => c.preschoolMajor ?? null), changes.map((c) => c.hireDate ?? null)]);
  }

  /**
   * Ends each person's open employment the day before the new one starts (never before it began), starts
   * the new one, and points the person's current kindergarten and post at it. The same employment again
   * (same kindergarten, post and start) is left as it is.
   */
  private async startEmployments(manager: EntityManager, employments: StaffEmployment[], id: (hash: string) => string): Promise<void> {
    if (!employments.length) return;
    const params = [employments.map((e) => id(e.nationalIdHash)), employments.map((e) => e.orgUnitId), employments.map((e) => e.districtId),
      employments.map((e) => e.post), employments.map((e) => e.startDate), employments.map((e) => dayBefore(e.startDate))];
    const input = `unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::date[], $6::date[]) AS x(person_id, org_unit_id, district_id, post, start_date, end_on)`;
    await manager.query(
      `WITH x AS (SELECT * FROM ${input})
       UPDATE employment e SET end_date = greatest(x.end_on, e.start_date)
         FROM x
        WHERE e.person_id = x.person_id AND e.end_date IS NULL
          AND NOT (e.org_unit_id = x.org_unit_id AND e.post = x.post AND e.start_date = x.start_date)`, params);
    await manager.query(
      `INSERT INTO employment (person_id, org_unit_id, district_id, post, start_date)
       SELECT x.person_id, x.org_unit_id, x.district_id, x.post, x.start_date FROM ${input}
        WHERE NOT EXISTS (SELECT 1 FROM employment e WHERE e.person_id = x.person_id AND e.end_date IS NULL)`, params);
    await manager.query(
      `UPDATE person p SET current_org_unit_id = x.org_unit_id, current_post = x.post, district_id = x.district_id,
              updated_at = now(), version = p.version + 1
         FROM ${input}
        WHERE p.id = x.person_id AND (p.current_org_unit_id IS DISTINCT FROM x.org_unit_id OR p.current_post IS DISTINCT FROM x.post
                                      OR p.district_id <> x.district_id)`, params);
  }
}
