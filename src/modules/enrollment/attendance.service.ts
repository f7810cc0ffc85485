import { Injectable } from '@nestjs/common';
import { meetingView, type MeetingView } from '../catalog/offering-content.service.js';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { In, type DataSource, type Repository } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import type { Meeting } from '../catalog/catalog.entities.js';
import { OfferingDirectory, type OfferingContext } from '../catalog/offering-directory.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { AttendanceQuery } from './attendance.query.js';
import { AttendanceListeners } from './attendance-listeners.js';
import { LEARNER_STATUSES, creditedHours, hoursProblem, parseRecords, summarise, type AttendanceSummary } from './attendance-rules.js';
import { Enrollment, type AttendanceStatus, type EnrollmentStatus } from './enrollment.entities.js';
import { TeachingAccess } from './teaching-access.service.js';

export interface SheetRow {
  enrollmentId: string;
  personId: string;
  fullName: string;
  kindergarten: string | null;
  enrollmentStatus: EnrollmentStatus;
  status: AttendanceStatus | null;
  hours: number | null;
  source: 'trainer' | 'check_in' | null;
  markedAt: Date | null;
}

export interface AttendanceSheet {
  meeting: MeetingView;
  offering: { id: string; code: string; label: string; courseTitle: string };
  learners: SheetRow[];
}

export interface EnrollmentSummary extends AttendanceSummary {
  enrollmentId: string;
  personId: string;
  enrollmentStatus: EnrollmentStatus;
}

const offeringView = (c: OfferingContext) => ({ id: c.offering.id, code: c.offering.code, label: c.offering.label, courseTitle: c.course.title });

export type { MeetingView };

/** Attendance per meeting (the trainer's sheet), and the hours each learner has attended. */
@Injectable()
export class AttendanceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Enrollment) private readonly enrollments: Repository<Enrollment>,
    private readonly query: AttendanceQuery,
    private readonly offerings: OfferingDirectory,
    private readonly teaching: TeachingAccess,
    private readonly people: PeopleDirectory,
    private readonly audit: AuditService,
    private readonly listeners: AttendanceListeners,
  ) {}

  async sheet(access: AccessContext, meetingId: string): Promise<AttendanceSheet> {
    const { meeting, context } = await this.teaching.meeting(access, meetingId);
    return this.sheetOf(meeting, context);
  }

  /** Marks many learners at once: every record is checked first, then all are written together or none. */
  async mark(access: AccessContext, meetingId: string, raw: unknown[]): Promise<AttendanceSheet> {
    const { meeting, context } = await this.teaching.meeting(access, meetingId);
    const { records, problems } = parseRecords(raw);
    const found = records.length ? await this.enrollments.findBy({ id: In(records.map((r) => r.enrollmentId)) }) : [];
    const byId = new Map(found.map((e) => [e.id, e]));
    const rows = [];
    for (const record of records) {
      const field = (name: string) => `records[${record.index}].${name}`;
      const enrollment = byId.get(record.enrollmentId);
      const problem = hoursProblem(record.status, meeting.hours, record.hours);
      if (!enrollment || enrollment.offeringId !== meeting.offeringId) {
        problems.push({ field: field('enrollmentId'), code: 'not_in_offering', message: `${field('enrollmentId')} is not an enrolment in this offering` });
      } else if (!LEARNER_STATUSES.includes(enrollment.status)) {
        problems.push({ field: field('enrollmentId'), code: 'not_enrolled', message: `${field('enrollmentId')} is ${enrollment.status}, not a learner of this offering` });
      } else if (!problem) {
        rows.push({ enrollment, status: record.status, hours: creditedHours(record.status, meeting.hours, record.hours) });
      }
      if (problem) problems.push({ field: field('hours'), ...problem } satisfies FieldProblem);
    }
    if (problems.length) throw new ValidationFailed(problems);
    await this.write(access, meeting, context, rows);
    return this.sheetOf(meeting, context);
  }

  /** "Mark all present": every learner without a mark yet; marks already made (by hand or check-in) stay. */
  async markAllPresent(access: AccessContext, meetingId: string): Promise<number> {
    const { meeting, context } = await this.teaching.meeting(access, meetingId);
    const sheet = await this.sheetOf(meeting, context);
    const unmarked = sheet.learners.filter((l) => l.status === null && l.enrollmentStatus === 'enrolled');
    if (!unmarked.length) return 0;
    const found = await this.enrollments.findBy({ id: In(unmarked.map((l) => l.enrollmentId)) });
    await this.write(access, meeting, context, found.map((enrollment) => ({ enrollment, status: 'present' as const, hours: meeting.hours })));
    return found.length;
  }

  /** Hours attended per learner of the offering, for completion (the assessment module reads these). */
  async summaries(offeringId: string): Promise<EnrollmentSummary[]> {
    const context = await this.offerings.context(offeringId);
    const scheduled = sumHours(await this.offerings.meetings(offeringId));
    const rows = await this.query.attendedHours(offeringId, LEARNER_STATUSES);
    return rows.map((r) => ({
      enrollmentId: r.enrollmentId, personId: r.personId, enrollmentStatus: r.status,
      ...summarise(r.hours, scheduled, context.offering.minAttendanceShare),
    }));
  }

  async summary(enrollmentId: string): Promise<AttendanceSummary> {
    const enrollment = await this.enrollments.findOneBy({ id: enrollmentId });
    if (!enrollment) throw new NotFound('enrollment', enrollmentId);
    const [context, meetings, marks] = await Promise.all([
      this.offerings.context(enrollment.offeringId), this.offerings.meetings(enrollment.offeringId), this.query.marksOfEnrollment(enrollmentId),
    ]);
    return summarise(marks.reduce((sum, m) => sum + m.hours, 0), sumHours(meetings), context.offering.minAttendanceShare);
  }

  /** One learner's attendance, meeting by meeting: for the learner themself, or whoever teaches or manages the offering. */
  async enrollmentAttendance(access: AccessContext, enrollmentId: string) {
    const enrollment = await this.enrollments.findOneBy({ id: enrollmentId });
    if (!enrollment) throw new NotFound('enrollment', enrollmentId);
    const context = await this.offerings.context(enrollment.offeringId);
    if (!access.isSelf(enrollment.personId) && !(await this.teaching.canTeach(access, context))) throw new NotFound('enrollment', enrollmentId);
    const [meetings, marks] = await Promise.all([this.offerings.meetings(enrollment.offeringId), this.query.marksOfEnrollment(enrollmentId)]);
    const byMeeting = new Map(marks.map((m) => [m.meetingId, m]));
    return {
      enrollmentId, offeringId: enrollment.offeringId, personId: enrollment.personId, enrollmentStatus: enrollment.status,
      ...summarise(marks.reduce((sum, m) => sum + m.hours, 0), sumHours(meetings), context.offering.minAttendanceShare),
      minAttendanceShare: context.offering.minAttendanceShare,
      meetings: meetings.map((m) => {
        const mark = byMeeting.get(m.id);
        return { ...meetingView(m), status: mark?.status ?? null, hoursCredited: mark?.hours ?? null, source: mark?.source ?? null };
      }),
    };
  }

  /** The trainer's roster: every learner with their enrolment status and hours so far, and the meetings. */
  async roster(access: AccessContext, offeringId: string) {
    const context = await this.teaching.offering(access, offeringId);
    const [meetings, summaries] = await Promise.all([this.offerings.meetings(offeringId), this.summaries(offeringId)]);
    const profiles = new Map((await this.people.learnerProfiles(summaries.map((s) => s.personId))).map((p) => [p.personId, p]));
    const learners = summaries.map((s) => ({ ...s, fullName: profiles.get(s.personId)?.fullName ?? '', kindergarten: profiles.get(s.personId)?.kindergartenName ?? null }));
    return {
      offering: { ...offeringView(context), status: context.offering.status, minAttendanceShare: context.offering.minAttendanceShare },
      meetings: meetings.map(meetingView),
      learners: learners.sort(byName),
    };
  }

  private async sheetOf(meeting: Meeting, context: OfferingContext): Promise<AttendanceSheet> {
    const [learners, marks] = await Promise.all([this.query.learners(meeting.offeringId, LEARNER_STATUSES), this.query.marksOfMeeting(meeting.id)]);
    const profiles = new Map((await this.people.learnerProfiles(learners.map((l) => l.personId))).map((p) => [p.personId, p]));
    const byEnrollment = new Map(marks.map((m) => [m.enrollmentId, m]));
    const rows: SheetRow[] = learners.map((l) => {
      const mark = byEnrollment.get(l.enrollmentId);
      const profile = profiles.get(l.personId);
      return {
        enrollmentId: l.enrollmentId, personId: l.personId, fullName: profile?.fullName ?? '', kindergarten: profile?.kindergartenName ?? null,
        enrollmentStatus: l.status, status: mark?.status ?? null, hours: mark?.hours ?? null, source: mark?.source ?? null, markedAt: mark?.markedAt ?? null,
      };
    });
    return { meeting: meetingView(meeting), offering: offeringView(context), learners: rows.sort(byName) };
  }

  /** Upserts the marks; a changed existing mark is audited with what it was. Trainer marks replace check-ins. */
  private async write(
    access: AccessContext, meeting: Meeting, context: OfferingContext,
    rows: Array<{ enrollment: Enrollment; status: AttendanceStatus; hours: number }>,
  ): Promise<void> {
    if (!rows.length) return;
    await this.db.transaction(async (manager) => {
      const before = new Map((await this.query.lockMarks(manager, meeting.id, rows.map((r) => r.enrollment.id))).map((m) => [m.enrollmentId, m]));
      await this.query.upsertTrainerMarks(manager, meeting.id, access.userId, rows.map((r) => ({
        enrollmentId: r.enrollment.id, personId: r.enrollment.personId, districtId: r.enrollment.districtId, status: r.status, hours: r.hours,
      })));
      for (const row of rows) {
        const old = before.get(row.enrollment.id);
        if (!old || (old.status === row.status && old.hours === row.hours && old.source === 'trainer')) continue;
        await this.audit.record(access.userId, 'update', 'attendance', `${meeting.id}:${row.enrollment.id}`, context.offering.districtId,
          { meetingId: meeting.id, enrollmentId: row.enrollment.id, status: old.status, hours: old.hours, source: old.source },
          { meetingId: meeting.id, enrollmentId: row.enrollment.id, status: row.status, hours: row.hours, source: 'trainer' }, manager);
      }
    });
    await this.listeners.changed(rows.map((r) => r.enrollment.id));
  }
}

function sumHours(meetings: Meeting[]): number {
  return meetings.reduce((sum, m) => sum + m.hours, 0);
}

function byName(a: { kindergarten: string | null; fullName: string }, b: { kindergarten: string | null; fullName: string }): number {
  return (a.kindergarten ?? '').localeCompare(b.kindergarten ?? '', 'zh-CN') || a.fullName.localeCompare(b.fullName, 'zh-CN');
}
