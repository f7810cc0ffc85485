import { Injectable } from '@nestjs/common';
import { PreparedReads } from '../../database/prepared-reads.js';
import type { Audience, CourseLevel, CreditCategory } from '../catalog/catalog.entities.js';
import type { CreditSource } from './credit.entities.js';
import type { LearnerProfile } from '../people/people-directory.service.js';
import { ancestorIdsSql, bundleFields, bundleFrom, parseBundle, PLACE_SQL, type BundleRow, type ComplianceBundle } from './compliance-bundle.sql.js';

export interface TranscriptPerson {
  id: string;
  fullName: string;
  districtId: string;
  districtName: string;
  kindergartenName: string | null;
  /** Org path of the current kindergarten, or of the district when not employed. */
  orgPath: string;
}

export interface CycleRow {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  startsOn: string;
  endsOn: string;
}

export interface TranscriptEntry {
  id: string;
  title: string;
  occurredOn: string;
  category: CreditCategory;
  level: CourseLevel;
  hours: number;
  credits: number;
  source: CreditSource;
}

export interface OpenOfferingRow {
  offeringId: string;
  courseTitle: string;
  label: string;
  category: CreditCategory;
  level: CourseLevel;
  hours: number;
  credits: number;
  audience: Audience;
  enrolOpensAt: Date;
  enrolClosesAt: Date;
  firstMeetingAt: Date | null;
}

/**
 * What decides, besides each offering's own audience and window, whether the person may enrol
 * (EligibilityService.check's rules, read once for a whole list of offerings).
 */
export interface EnrolmentBlocks {
  /** An ethics sanction blocks enrolment on the day the page was read. */
  ethicsBlocked: boolean;
  /** Per course level, when the person's no-show block there ends (epoch ms); absent when none. */
  noShowUntil: Record<string, number>;
}

/** What one statement reads for a transcript page: the person, the cycles where they work, their learner profile, their compliance facts. */
export interface TranscriptPage {
  person: TranscriptPerson;
  cycles: CycleRow[];
  profile: LearnerProfile;
  blocks: EnrolmentBlocks;
  bundle: ComplianceBundle;
}

const PAGE_SQL = `SELECT json_build_object(
    'fullName', p.full_name, 'districtId', p.district_id, 'districtName', d.name, 'kindergartenName', k.name,
    'kindergartenId', k.id, 'kindergartenGrade', k.grade, 'ownership', k.ownership,
    'groupId', (SELECT gm.group_id FROM kindergarten_group_member gm WHERE gm.kindergarten_id = k.id),
    'title', (SELECT t.title FROM title_record t WHERE t.person_id = p.id ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1),
    'transcriptCycles', (SELECT json_agg(json_build_object('id', c.id, 'code', c.code, 'nameZh', c.name_zh, 'nameEn', c.name_en,
                                   'startsOn', to_char(c.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(c.ends_on, 'YYYY-MM-DD'))
                                   ORDER BY c.starts_on DESC, c.region_code NULLS LAST)
                           FROM credit_cycle c
                          WHERE c.region_code IS NULL OR c.region_code IN (SELECT o.code FROM org_unit o WHERE o.id = ANY (${ancestorIdsSql(PLACE_SQL)}))),
    'ethicsBlocked', EXISTS (SELECT 1 FROM ethics_sanction s WHERE s.person_id = p.id AND s.revoked_at IS NULL
                                AND s.decided_on <= $2::date AND s.blocks_until >= $2::date),
    'noShowUntil', (SELECT json_object_agg(n.level, floor(extract(epoch FROM n.last + make_interval(days => rule.block_days)) * 1000))
                      FROM (SELECT e.level, max(e.status_changed_at) AS last FROM enrollment e WHERE e.person_id = p.id AND e.status = 'no_show' GROUP BY e.level) n
                      CROSS JOIN LATERAL (SELECT r.block_days FROM no_show_rule r LEFT JOIN org_unit ro ON ro.id = r.region_id
                                           WHERE r.level = n.level AND (r.region_id IS NULL OR ${PLACE_SQL} LIKE ro.path || '%')
                                           ORDER BY ro.depth DESC NULLS LAST LIMIT 1) rule
                     WHERE rule.block_days > 0),
    ${bundleFields(null)}) AS page
  FROM ${bundleFrom('$1')}`;

/*
 * From the courses that reach the person's place (their owners are the units in the path) into
 * each course's open offerings by index; OFFSET 0 keeps that nested loop rather than a scan of
 * every open offering in the city joined afterwards.
 */
const OPEN_OFFERINGS_SQL = `SELECT o.id AS "offeringId", c.title AS "courseTitle", o.label, c.category, c.level,
    c.hours::float AS hours, c.credits::float AS credits, c.audience, o.enrol_opens_at AS "enrolOpensAt", o.enrol_closes_at AS "enrolClosesAt",
    (SELECT min(m.starts_at) FROM meeting m WHERE m.offering_id = o.id) AS "firstMeetingAt"
  FROM course c
  CROSS JOIN LATERAL (SELECT o.id, o.label, o.enrol_opens_at, o.enrol_closes_at FROM offering o
                       WHERE o.course_id = c.id AND o.status = 'published' AND now() >= o.enrol_opens_at AND now() < o.enrol_closes_at
                      OFFSET 0) o
 WHERE c.status = 'published'
   AND c.owner_org_unit_id = ANY (${ancestorIdsSql('$2')})
   AND c.category = ANY($3::text[]) AND c.level = ANY($4::text[])
   AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = $1 AND e.course_id = c.id
                      AND e.status IN ('pending_approval', 'enrolled', 'waitlisted', 'offered', 'completed'))
 ORDER BY o.enrol_closes_at, o.id
 LIMIT $5`;

/**
 * What a transcript reads, in two statements: the page (person, cycles, learner profile, enrolment
 * blocks and every compliance fact with the whole ledger), then, when a rule is unmet, the open
 * offerings that could fill it.
 */
@Injectable()
export class TranscriptQuery {
  constructor(private readonly reads: PreparedReads) {}

  /** Null when there is no such person. `today`: the day ethics blocks are judged on. */
  async page(personId: string, today: string): Promise<TranscriptPage | null> {
    const [{ page: row }] = await this.reads.query<{ page: BundleRow & PageRow }>('transcript-page', PAGE_SQL, [personId, today]);
    const bundle = parseBundle(row);
    if (!bundle.person || !row.orgPath) return null;
    const orgPath = row.orgPath;
    return {
      person: { id: personId, fullName: row.fullName, districtId: row.districtId, districtName: row.districtName, kindergartenName: row.kindergartenName, orgPath },
      cycles: row.transcriptCycles ?? [],
      profile: {
        personId, fullName: row.fullName, districtId: row.districtId, orgPath,
        kindergartenId: row.kindergartenId, kindergartenName: row.kindergartenName, kindergartenGrade: row.kindergartenGrade, ownership: row.ownership,
        groupId: row.groupId, post: row.currentPost, teacherStage: row.teacherStage, principalStage: row.principalStage, title: row.title,
      },
      blocks: { ethicsBlocked: row.ethicsBlocked, noShowUntil: row.noShowUntil ?? {} },
      bundle,
    };
  }

  /**
   * Published offerings open for enrolment now whose course reaches the person's place and has one
   * of the wanted category/level pairs, leaving out courses the person is already in or has completed.
   */
  async openOfferings(personId: string, orgPath: string, categories: CreditCategory[], levels: CourseLevel[], limit = 40): Promise<OpenOfferingRow[]> {
    if (!categories.length || !levels.length) return [];
    return this.reads.query<OpenOfferingRow>('transcript-open-offerings', OPEN_OFFERINGS_SQL, [personId, orgPath, categories, levels, limit]);
  }
}

interface PageRow {
  fullName: string;
  districtId: string;
  districtName: string;
  kindergartenName: string | null;
  kindergartenId: string | null;
  kindergartenGrade: string | null;
  ownership: string | null;
  groupId: string | null;
  title: string | null;
  transcriptCycles: CycleRow[] | null;
  ethicsBlocked: boolean;
  noShowUntil: Record<string, number> | null;
}
