import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError } from '../../common/errors.js';
import type { CreditCategory } from '../catalog/catalog.entities.js';
import { CourseService, type CourseView } from '../catalog/course.service.js';
import { OfferingContentService } from '../catalog/offering-content.service.js';
import { OfferingDirectory } from '../catalog/offering-directory.service.js';
import { OfferingService } from '../catalog/offering.service.js';
import type { OrgUnitRef } from '../org/org-scope.service.js';
import { LECTURE_COURSE_DEFAULTS, enrolmentWindow, lectureCourseCode } from './lecture-rules.js';

export interface CourseFields {
  title: string;
  hours?: number;
  credits?: number | null;
  category?: CreditCategory;
}

export interface SessionOffering {
  code: string;
  topic: string;
  seriesCreatedAt: Date;
  startsAt: Date;
  endsAt: Date;
  place: string;
}

/**
 * The series in the catalog: one course per series, one offering with one meeting per session.
 * Everything goes through the catalog's services with the caller's own access, so its checks,
 * audit and idempotency apply; enrolment, attendance and completion then work as for any course.
 */
@Injectable()
export class LectureCatalog {
  constructor(
    private readonly courses: CourseService,
    private readonly offerings: OfferingService,
    private readonly content: OfferingContentService,
    private readonly directory: OfferingDirectory,
  ) {}

  /** Creates (or, for the same request again, finds) the series' published course. */
  async createCourse(access: AccessContext, district: OrgUnitRef, semester: string, fields: CourseFields): Promise<string> {
    const course = await this.courses.create(access, {
      code: lectureCourseCode(semester), title: fields.title, provider: district.name,
      description: '示范园园长大课堂：由示范园园长（副园长）每月为园长和教师授课。',
      category: fields.category ?? LECTURE_COURSE_DEFAULTS.category, level: LECTURE_COURSE_DEFAULTS.level, ownerOrgUnitId: district.id,
      mode: LECTURE_COURSE_DEFAULTS.mode, hours: fields.hours ?? LECTURE_COURSE_DEFAULTS.hours,
      ...(fields.credits !== undefined && fields.credits !== null ? { credits: fields.credits } : {}),
      audience: { posts: LECTURE_COURSE_DEFAULTS.audiencePosts },
    });
    await this.courses.publish(access, course.id);
    return course.id;
  }

  async updateCourse(access: AccessContext, courseId: string, fields: Partial<CourseFields>): Promise<void> {
    await this.courses.update(access, courseId, fields);
  }

  /** The course with its offerings (seats, status), or null for a caller who does not manage the district's catalog. */
  async course(access: AccessContext, courseId: string | null): Promise<CourseView | null> {
    if (!courseId) return null;
    try {
      return await this.courses.get(access, courseId);
    } catch (error) {
      if (error instanceof DomainError && error.status === 404) return null;
      throw error;
    }
  }

  /** A session's offering with its meeting; published at once when `publish` (the schedule is already filed). */
  async createSessionOffering(access: AccessContext, courseId: string, session: SessionOffering, publish: boolean): Promise<{ offeringId: string; meetingId: string }> {
    const window = enrolmentWindow(session.seriesCreatedAt, session.startsAt);
    const offeringId = await this.offerings.create(access, courseId, {
      code: session.code, label: session.topic, capacity: LECTURE_COURSE_DEFAULTS.capacity,
      enrolOpensAt: window.enrolOpensAt.toISOString(), enrolClosesAt: window.enrolClosesAt.toISOString(), withdrawDeadline: window.withdrawDeadline.toISOString(),
      approvalMode: 'none', waitlistMode: 'auto', minAttendanceShare: LECTURE_COURSE_DEFAULTS.minAttendanceShare,
    });
    const meeting = await this.content.addMeeting(access, offeringId, {
      title: session.topic, startsAt: session.startsAt.toISOString(), endsAt: session.endsAt.toISOString(), place: session.place,
    });
    if (publish) await this.offerings.publish(access, offeringId);
    return { offeringId, meetingId: meeting.id };
  }

  async publish(access: AccessContext, offeringId: string): Promise<void> {
    await this.offerings.publish(access, offeringId);
  }

  /** Follows a changed session: the offering's label and window, the meeting's title, times and place. */
  async updateSessionOffering(access: AccessContext, offeringId: string, session: SessionOffering): Promise<void> {
    const context = await this.directory.context(offeringId);
    if (context.offering.status === 'cancelled') return;
    const window = enrolmentWindow(session.seriesCreatedAt, session.startsAt);
    await this.offerings.update(access, offeringId, {
      label: session.topic, enrolOpensAt: window.enrolOpensAt.toISOString(), enrolClosesAt: window.enrolClosesAt.toISOString(),
      withdrawDeadline: window.withdrawDeadline.toISOString(),
    });
    const [meeting] = await this.directory.meetings(offeringId);
    const times = { title: session.topic, startsAt: session.startsAt.toISOString(), endsAt: session.endsAt.toISOString(), place: session.place };
    if (meeting) await this.content.updateMeeting(access, meeting.id, times);
    else await this.content.addMeeting(access, offeringId, times);
  }

  async meetings(offeringIds: string[]): Promise<Map<string, { id: string; place: string | null }>> {
    const found = new Map<string, { id: string; place: string | null }>();
    for (const offeringId of offeringIds) {
      const [meeting] = await this.directory.meetings(offeringId);
      if (meeting) found.set(offeringId, { id: meeting.id, place: meeting.place });
    }
    return found;
  }

  /** A removed session's offering leaves the catalog; only called when nobody holds a seat in it. */
  async withdrawOffering(manager: EntityManager, offeringId: string): Promise<void> {
    const { offering } = await this.directory.lock(manager, offeringId);
    if (offering.status !== 'cancelled') await this.directory.setStatus(manager, offeringId, 'cancelled', '已从示范园园长大课堂课表中删除');
  }
}
