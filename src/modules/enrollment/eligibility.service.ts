import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { shanghaiDate } from '../../common/dates.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { audienceMisses } from '../catalog/audience.js';
import { CatalogService } from '../catalog/catalog.service.js';
import type { OfferingContext } from '../catalog/offering-directory.service.js';
import type { LearnerProfile } from '../people/people-directory.service.js';
import { EthicsService } from '../titles/ethics.service.js';
import type { IneligibleReason } from './enrollment-errors.js';
import { enrolmentBlocks, type EnrolmentBlock } from './eligibility-rules.js';
import type { EnrollmentStatus } from './enrollment.entities.js';

export interface Eligibility {
  eligible: boolean;
  reasons: IneligibleReason[];
}

/** What the person's enrolments say about a request: their enrolment in this offering, a completion of the course, a no-show block (a Shanghai date). */
export interface RequestFacts {
  existing: { id: string; status: EnrollmentStatus } | null;
  completed: boolean;
  noShowUntil: string | null;
}

/**
 * Whether a person may ask for a seat: the course audience, the enrolment window, a course
 * already completed, an ethics sanction, and the no-show rule of the course's level.
 */
@Injectable()
export class EligibilityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ethics: EthicsService,
    private readonly catalog: CatalogService,
  ) {}

  async check(context: OfferingContext, person: LearnerProfile, locale: Locale, now = new Date(), manager?: EntityManager, known?: RequestFacts): Promise<Eligibility> {
    const { offering, course } = context;
    // Program cohorts arrive with the programs module; until then nobody belongs to one.
    const misses = audienceMisses(course.audience, person);
    const facts = known ?? await this.facts(context, person, now, manager);
    const sanction = await this.ethics.activeBlock(person.personId, shanghaiDate(now));
    const blocks = enrolmentBlocks({
      audienceMisses: misses, enrolOpensAt: offering.enrolOpensAt, enrolClosesAt: offering.enrolClosesAt,
      completed: facts.completed, ethicsBlocked: !!sanction, noShowBlocked: !!facts.noShowUntil,
    }, now);
    const paramsOf = async (block: EnrolmentBlock): Promise<Record<string, string | number>> => {
      switch (block) {
        case 'NOT_IN_AUDIENCE':
          return { who: (await this.catalog.describeAudienceMisses(misses, locale)).map((d) => d.message).join(locale === 'en' ? '; ' : '；') };
        case 'ENROLLMENT_NOT_OPEN': return { opens: formatTime(offering.enrolOpensAt, locale) };
        case 'ENROLLMENT_CLOSED': return { closed: formatTime(offering.enrolClosesAt, locale) };
        case 'ALREADY_COMPLETED': return {};
        case 'ETHICS_BLOCKED': return { until: sanction!.blocksUntil };
        case 'NO_SHOW_BLOCKED': return { until: facts.noShowUntil! };
      }
    };
    const reasons: IneligibleReason[] = [];
    for (const code of blocks) {
      const params = await paramsOf(code);
      reasons.push({ code, message: translate(locale, `errors.${code}`, params), params });
    }
    return { eligible: reasons.length === 0, reasons };
  }

  /**
   * The person's enrolments as a request needs them, in one statement: their enrolment in this offering (a
   * repeated request answers it), a completed enrolment of the course, and the no-show block. A no-show at a
   * level blocks that level for the rule's days after it was recorded; the rule of the deepest region above
   * the person applies, the default (no region) otherwise.
   */
  async facts(context: OfferingContext, person: LearnerProfile, now = new Date(), manager?: EntityManager): Promise<RequestFacts> {
    const { offering, course } = context;
    const [row]: Array<{ existing: RequestFacts['existing']; completed: boolean; until: Date | null }> = await (manager ?? this.db.manager).query(
      `WITH rule AS (
         SELECT r.block_days FROM no_show_rule r LEFT JOIN org_unit o ON o.id = r.region_id
          WHERE r.level = $2 AND (r.region_id IS NULL OR $3 LIKE o.path || '%')
          ORDER BY o.depth DESC NULLS LAST LIMIT 1)
       SELECT (SELECT json_build_object('id', e.id, 'status', e.status) FROM enrollment e WHERE e.offering_id = $4 AND e.person_id = $1) AS existing,
              EXISTS (SELECT 1 FROM enrollment WHERE person_id = $1 AND course_id = $5 AND status = 'completed') AS completed,
              (SELECT max(e.status_changed_at) + make_interval(days => rule.block_days)
                 FROM enrollment e, rule
                WHERE e.person_id = $1 AND e.level = $2 AND e.status = 'no_show' AND rule.block_days > 0
                GROUP BY rule.block_days) AS until`,
      [person.personId, course.level, person.orgPath, offering.id, course.id]);
    const until = row.until;
    return {
      existing: row.existing, completed: row.completed,
      noShowUntil: until && new Date(until) > now ? shanghaiDate(new Date(until)) : null,
    };
  }
}

function formatTime(at: Date, locale: Locale): string {
  return at.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
}
