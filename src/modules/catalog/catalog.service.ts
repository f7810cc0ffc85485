import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import type { PageResult } from '../../common/pagination.js';
import { PeopleDirectory, type LearnerProfile } from '../people/people-directory.service.js';
import { audienceMisses, type AudienceMiss } from './audience.js';
import { audienceIds, describeAudience, describeMisses, type AudienceNames } from './audience-rules.js';
import type { Audience, PriorityTier } from './catalog.entities.js';
import { offeringNotFound } from './catalog-errors.js';
import { CatalogQuery, type OfferingRow } from './catalog.query.js';
import { CatalogReferenceQuery, type TrainerOption } from './catalog-reference.query.js';
import { ownerPathsReaching, reaches } from './catalog-rules.js';
import { shanghaiDateTime } from '../../common/dates.js';
import type { CatalogQueryDto } from './catalog.dto.js';
import { materialView, meetingView, type MaterialView, type MeetingView } from './offering-content.service.js';
import { OfferingDirectory } from './offering-directory.service.js';

export interface EligibilityReason {
  code: string;
  message: string;
}

export interface Eligibility {
  eligible: boolean;
  reasons: EligibilityReason[];
}

/** One offering as the catalog shows it. `eligibility` is there when the caller has a person record. */
export interface CatalogItem {
  id: string;
  code: string;
  label: string;
  status: OfferingRow['status'];
  course: {
    id: string; code: string; title: string; provider: string; category: OfferingRow['category']; tags: string[];
    level: OfferingRow['level']; mode: OfferingRow['mode']; hours: number; credits: number;
  };
  owner: { id: string; name: string };
  firstMeetingAt: Date | null;
  lastMeetingAt: Date | null;
  meetingCount: number;
  capacity: number;
  kindergartenQuota: number | null;
  seatsTaken: number;
  seatsLeft: number;
  enrolOpensAt: Date;
  enrolClosesAt: Date;
  withdrawDeadline: Date;
  approvalMode: OfferingRow['approvalMode'];
  waitlistMode: OfferingRow['waitlistMode'];
  enrolmentOpen: boolean;
  eligibility?: Eligibility;
}

/** An offering's page: the catalog card with the course's description and audience, trainers, meetings and materials. */
export interface OfferingView extends CatalogItem {
  description: string;
  audience: Audience;
  /** The audience in words, one line per dimension; empty when open to everyone. */
  audienceLines: string[];
  priorityTiers: PriorityTier[];
  offerExpiryHours: number | null;
  minAttendanceShare: number;
  cancelledReason: string | null;
  courseStatus: OfferingRow['courseStatus'];
  trainers: TrainerOption[];
  meetings: MeetingView[];
  materials: MaterialView[];
  version: number;
  /** Whether the caller manages this offering (catalog.manage over the course's owner). */
  viewerCanManage: boolean;
}

/**
 * The learner's catalog: published offerings of the courses that reach the caller (owned by their
 * kindergarten or above, or inside the subtree they manage), with seats and, for a person, whether
 * they may enrol and why not, in words.
 */
@Injectable()
export class CatalogService {
  constructor(
    private readonly query: CatalogQuery,
    private readonly reference: CatalogReferenceQuery,
    private readonly directory: OfferingDirectory,
    private readonly people: PeopleDirectory,
  ) {}

  async browse(access: AccessContext, filter: CatalogQueryDto): Promise<PageResult<CatalogItem>> {
    const profile = access.personId ? await this.people.learnerProfile(access.personId) : null;
    const eligibleOnly = filter.eligible === 'true' || filter.eligible === 'on';
    const { items, total } = await this.query.browse({
      visibleOwnerPaths: ownerPathsReaching(this.placesOf(access, profile)),
      managedPaths: access.scopePaths('catalog.manage'),
      q: filter.q, category: filter.category, level: filter.level, mode: filter.mode, tag: filter.tag, from: filter.from, to: filter.to,
      ...(eligibleOnly ? { eligibleFor: profile, cohortIds: [] } : {}),
      page: filter.page, pageSize: filter.pageSize,
    });
    const names = profile ? await this.namesFor(items.map((i) => i.audience), access.locale) : null;
    return {
      items: items.map((row) => this.item(row, profile, names, access.locale)),
      total, page: filter.page, pageSize: filter.pageSize,
    };
  }

  /**
   * One offering: managers and its trainers see it in any state; anyone else only once published,
   * and only when its course reaches them. Otherwise it does not exist.
   */
  async offering(access: AccessContext, id: string): Promise<OfferingView> {
    const row = await this.query.offering(id);
    if (!row) throw offeringNotFound(id);
    const profile = access.personId ? await this.people.learnerProfile(access.personId) : null;
    const manages = access.canAt('catalog.manage', row.ownerPath);
    const visible = manages || (row.status !== 'draft' && this.placesOf(access, profile).some((p) => reaches(row.ownerPath, p)))
      || await this.directory.isTrainer(id, access.userId);
    if (!visible) throw offeringNotFound(id);
    const [{ offering }, meetings, materials, trainerIds] = await Promise.all([
      this.directory.context(id), this.directory.meetings(id), this.directory.materials(id), this.directory.trainerUserIds(id),
    ]);
    const [names, trainerNames] = await Promise.all([
      this.namesFor([row.audience], access.locale), this.reference.displayNames(trainerIds),
    ]);
    return {
      ...this.item(row, profile, names, access.locale),
      description: row.description, audience: row.audience, audienceLines: describeAudience(row.audience, access.locale, names),
      priorityTiers: offering.priorityTiers, offerExpiryHours: offering.offerExpiryHours, minAttendanceShare: offering.minAttendanceShare,
      cancelledReason: offering.cancelledReason, courseStatus: row.courseStatus,
      trainers: trainerIds.map((userId) => ({ userId, displayName: trainerNames.get(userId) ?? '' })),
      meetings: meetings.map(meetingView), materials: materials.map(materialView),
      version: offering.version, viewerCanManage: manages,
    };
  }

  /** Audience misses (from audienceMisses) in words, e.g. "仅面向：骨干型教师"; for the enrolment module's refusals too. */
  async describeAudienceMisses(misses: AudienceMiss[], locale: Locale): Promise<Array<{ code: 'NOT_IN_AUDIENCE'; message: string }>> {
    const names = await this.namesFor(misses.map((m) => ({ [m.dimension]: m.allowed })), locale);
    return describeMisses(misses, locale, names).map(({ code, message }) => ({ code, message }));
  }

  /** Where the caller sits: their own kindergarten, and the places their roles reach. */
  private placesOf(access: AccessContext, profile: LearnerProfile | null): string[] {
    return [...(profile ? [profile.orgPath] : []), ...access.grants.flatMap((g) => g.orgPaths)];
  }

  private item(row: OfferingRow, profile: LearnerProfile | null, names: AudienceNames | null, locale: Locale): CatalogItem {
    const now = Date.now();
    const enrolmentOpen = row.status === 'published' && now >= row.enrolOpensAt.getTime() && now < row.enrolClosesAt.getTime();
    const item: CatalogItem = {
      id: row.id, code: row.code, label: row.label, status: row.status,
      course: {
        id: row.courseId, code: row.courseCode, title: row.courseTitle, provider: row.provider, category: row.category, tags: row.tags,
        level: row.level, mode: row.mode, hours: row.hours, credits: row.credits,
      },
      owner: { id: row.ownerOrgUnitId, name: row.ownerName },
      firstMeetingAt: row.firstMeetingAt, lastMeetingAt: row.lastMeetingAt, meetingCount: row.meetingCount,
      capacity: row.capacity, kindergartenQuota: row.kindergartenQuota, seatsTaken: row.seatsTaken, seatsLeft: Math.max(0, row.capacity - row.seatsTaken),
      enrolOpensAt: row.enrolOpensAt, enrolClosesAt: row.enrolClosesAt, withdrawDeadline: row.withdrawDeadline,
      approvalMode: row.approvalMode, waitlistMode: row.waitlistMode, enrolmentOpen,
    };
    if (profile && names) item.eligibility = this.eligibility(row, profile, names, locale, now);
    return item;
  }

  private eligibility(row: OfferingRow, profile: LearnerProfile, names: AudienceNames, locale: Locale, now: number): Eligibility {
    const reasons: EligibilityReason[] = describeMisses(audienceMisses(row.audience, profile), locale, names).map(({ code, message }) => ({ code, message }));
    if (row.status === 'cancelled') reasons.push({ code: 'OFFERING_CANCELLED', message: translate(locale, 'catalog.reason.OFFERING_CANCELLED') });
    else if (row.status === 'draft') reasons.push({ code: 'OFFERING_NOT_PUBLISHED', message: translate(locale, 'catalog.reason.OFFERING_NOT_PUBLISHED') });
    else if (row.status === 'closed' || now >= row.enrolClosesAt.getTime()) {
      reasons.push({ code: 'ENROLLMENT_CLOSED', message: translate(locale, 'catalog.reason.ENROLLMENT_CLOSED', { at: shanghaiDateTime(row.enrolClosesAt) }) });
    } else if (now < row.enrolOpensAt.getTime()) {
      reasons.push({ code: 'ENROLLMENT_NOT_OPEN', message: translate(locale, 'catalog.reason.ENROLLMENT_NOT_OPEN', { at: shanghaiDateTime(row.enrolOpensAt) }) });
    }
    return { eligible: reasons.length === 0, reasons };
  }

  /** Names for the stage codes, kindergartens and groups the audiences mention, looked up once. */
  private async namesFor(audiences: Audience[], locale: Locale): Promise<AudienceNames> {
    const ids = audienceIds(audiences);
    const [stages, { kindergartens, groups }] = await Promise.all([this.reference.stageNames(), this.reference.names(ids.kindergartenIds, ids.groupIds)]);
    return {
      stage: (kind, code) => {
        const stage = stages.find((s) => s.kind === kind && s.code === code);
        return stage ? (locale === 'en' ? stage.nameEn : stage.nameZh) : code;
      },
      kindergarten: (id) => kindergartens.get(id) ?? id,
      group: (id) => groups.get(id) ?? id,
    };
  }
}
