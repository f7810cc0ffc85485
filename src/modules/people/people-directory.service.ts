import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { FieldCipher } from '../../common/field-cipher.js';
import { PreparedReads } from '../../database/prepared-reads.js';
import { Person } from './person.entity.js';

/** What audience rules and waitlist tiers look at: the person's post, stages, title and kindergarten. */
export interface LearnerProfile {
  personId: string;
  fullName: string;
  districtId: string;
  /** Org path of the current kindergarten, or of the district when not employed. */
  orgPath: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  kindergartenGrade: string | null;
  ownership: string | null;
  groupId: string | null;
  post: string | null;
  teacherStage: string | null;
  principalStage: string | null;
  /** The latest title, or null for none. */
  title: string | null;
}

/** Small look-ups other modules need about people (sign-in by phone, display names, learner profiles). */
@Injectable()
export class PeopleDirectory {
  constructor(
    @InjectRepository(Person) private readonly people: Repository<Person>,
    private readonly cipher: FieldCipher,
    private readonly reads: PreparedReads,
  ) {}

  async personIdsByPhone(phone: string): Promise<string[]> {
    const rows = await this.people.find({ select: { id: true }, where: { phoneHash: this.cipher.lookupHash(phone) } });
    return rows.map((r) => r.id);
  }

  /** The org path of the person's current kindergarten (or district when not employed), for scope checks elsewhere. */
  async personOrgPath(personId: string): Promise<{ path: string; districtId: string; fullName: string } | null> {
    const rows: { path: string; district_id: string; full_name: string }[] = await this.people.query(
      `SELECT coalesce(k.path, d.path) AS path, p.district_id, p.full_name FROM person p
         JOIN org_unit d ON d.id = p.district_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE p.id = $1`, [personId]);
    return rows[0] ? { path: rows[0].path, districtId: rows[0].district_id, fullName: rows[0].full_name } : null;
  }

  async learnerProfile(personId: string): Promise<LearnerProfile | null> {
    return (await this.learnerProfiles([personId]))[0] ?? null;
  }

  async learnerProfiles(personIds: string[]): Promise<LearnerProfile[]> {
    if (personIds.length === 0) return [];
    // On every enrolment and catalog search: a prepared statement with a generic plan (not planned each time).
    const rows = await this.reads.query<Record<string, string | null>>('learner-profiles',
      `SELECT p.id, p.full_name, p.district_id, coalesce(k.path, d.path) AS path, k.id AS kindergarten_id, k.name AS kindergarten_name,
              k.grade, k.ownership, gm.group_id, p.current_post, p.teacher_stage, p.principal_stage,
              (SELECT t.title FROM title_record t WHERE t.person_id = p.id ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1) AS title
         FROM person p
         JOIN org_unit d ON d.id = p.district_id
         LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
         LEFT JOIN kindergarten_group_member gm ON gm.kindergarten_id = k.id
        WHERE p.id = ANY($1::uuid[])`, [personIds]);
    return rows.map((r) => ({
      personId: r.id!, fullName: r.full_name!, districtId: r.district_id!, orgPath: r.path!,
      kindergartenId: r.kindergarten_id, kindergartenName: r.kindergarten_name, kindergartenGrade: r.grade, ownership: r.ownership,
      groupId: r.group_id, post: r.current_post, teacherStage: r.teacher_stage, principalStage: r.principal_stage, title: r.title,
    }));
  }
}
