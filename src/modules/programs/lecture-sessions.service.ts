import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import type { OrgUnitRef } from '../org/org-scope.service.js';
import { LectureCatalog } from './lecture-catalog.service.js';
import { LectureSeries, LectureSession } from './lecture.entities.js';
import { sessionHasEnrolments, sessionNotFound } from './lecture-errors.js';
import { semesterMonths, sessionOfferingCode, shanghaiMonth, speakerProblem } from './lecture-rules.js';
import { LectureQuery, type SpeakerFacts } from './lecture.query.js';
import { LectureSeriesService } from './lecture-series.service.js';
import type { SessionDto, UpdateSessionDto } from './lecture.dto.js';

/** A session as it will be stored, checked before anything is written. */
interface SessionShape {
  month: string;
  topic: string;
  speakerPersonId: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
}

const monthOf = (session: LectureSession) => String(session.month).slice(0, 7);
const sessionAudit = (s: LectureSession) => ({
  sessionId: s.id, month: monthOf(s), topic: s.topic, speakerPersonId: s.speakerPersonId, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(),
});

/**
 * The monthly sessions of a series. Each is an offering (with one meeting) of the series' course.
 * Changes lock the series row, so a double click waits and finds what the first click made. A
 * filed schedule can still change: every change is audited on the series and the city sees the
 * schedule as "changed after filing"; a session added after filing opens for enrolment at once.
 */
@Injectable()
export class LectureSessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly series: LectureSeriesService,
    private readonly catalog: LectureCatalog,
    private readonly query: LectureQuery,
    private readonly audit: AuditService,
  ) {}

  async add(access: AccessContext, seriesId: string, input: SessionDto): Promise<{ session: LectureSession; created: boolean }> {
    const shape: SessionShape = { ...input, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), place: input.place ?? null };
    return this.db.transaction(async (manager) => {
      const { series, district } = await this.series.managed(manager, access, seriesId, true);
      const sessions = await manager.findBy(LectureSession, { seriesId });
      const same = sessions.find((s) => monthOf(s) === shape.month && s.topic === shape.topic && s.speakerPersonId === shape.speakerPersonId
        && s.startsAt.getTime() === shape.startsAt.getTime() && s.endsAt.getTime() === shape.endsAt.getTime());
      if (same) return { session: same, created: false };
      const speaker = (await this.checked(manager, series, district, shape, sessions, null, true))!;
      const course = await this.catalog.course(access, series.courseId);
      const code = sessionOfferingCode(shape.month, (course?.offerings ?? []).map((o) => o.code));
      const { offeringId } = await this.catalog.createSessionOffering(access, series.courseId!, {
        code, topic: shape.topic, seriesCreatedAt: series.createdAt, startsAt: shape.startsAt, endsAt: shape.endsAt,
        place: shape.place ?? speaker.kindergartenName!,
      }, series.status === 'filed');
      const session = await manager.save(manager.create(LectureSession, {
        seriesId, month: `${shape.month}-01`, topic: shape.topic, speakerPersonId: speaker.personId, speakerKindergartenId: speaker.kindergartenId!,
        offeringId, startsAt: shape.startsAt, endsAt: shape.endsAt, createdAt: new Date(),
      }));
      await this.audit.record(access.userId, 'session_added', 'lecture_series', seriesId, series.districtId, null, sessionAudit(session), manager);
      return { session, created: true };
    });
  }

  async update(access: AccessContext, seriesId: string, sessionId: string, input: UpdateSessionDto): Promise<LectureSession> {
    return this.db.transaction(async (manager) => {
      const { series, district } = await this.series.managed(manager, access, seriesId, true);
      const sessions = await manager.findBy(LectureSession, { seriesId });
      const session = sessions.find((s) => s.id === sessionId);
      if (!session) throw sessionNotFound(sessionId);
      const before = sessionAudit(session);
      const shape: SessionShape = {
        month: input.month ?? monthOf(session), topic: input.topic ?? session.topic, speakerPersonId: input.speakerPersonId ?? session.speakerPersonId,
        startsAt: input.startsAt ? new Date(input.startsAt) : session.startsAt, endsAt: input.endsAt ? new Date(input.endsAt) : session.endsAt,
        place: input.place ?? null,
      };
      const after = {
        sessionId: session.id, month: shape.month, topic: shape.topic, speakerPersonId: shape.speakerPersonId,
        startsAt: shape.startsAt.toISOString(), endsAt: shape.endsAt.toISOString(),
      };
      if (JSON.stringify(after) === JSON.stringify(before) && input.place === undefined) return session;
      // A speaker kept as they were is not checked again (their post may have changed since).
      const speakerChanged = shape.speakerPersonId !== session.speakerPersonId;
      const speaker = await this.checked(manager, series, district, shape, sessions, session.id, speakerChanged);
      if (session.offeringId) {
        const meetings = await this.catalog.meetings([session.offeringId]);
        await this.catalog.updateSessionOffering(access, session.offeringId, {
          code: '', topic: shape.topic, seriesCreatedAt: series.createdAt, startsAt: shape.startsAt, endsAt: shape.endsAt,
          place: shape.place ?? meetings.get(session.offeringId)?.place ?? speaker?.kindergartenName ?? '',
        });
      }
      Object.assign(session, {
        month: `${shape.month}-01`, topic: shape.topic, startsAt: shape.startsAt, endsAt: shape.endsAt,
        ...(speaker ? { speakerPersonId: speaker.personId, speakerKindergartenId: speaker.kindergartenId! } : {}),
      });
      await manager.save(session);
      await this.audit.record(access.userId, 'session_changed', 'lecture_series', seriesId, series.districtId, before, sessionAudit(session), manager);
      return session;
    });
  }

  /** Removes a session nobody holds a seat in; its offering is withdrawn from the catalog. */
  async remove(access: AccessContext, seriesId: string, sessionId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { series } = await this.series.managed(manager, access, seriesId, true);
      const session = await manager.findOneBy(LectureSession, { id: sessionId, seriesId });
      if (!session) throw sessionNotFound(sessionId);
      if (session.offeringId) {
        const offering = (await this.catalog.course(access, series.courseId))?.offerings.find((o) => o.id === session.offeringId);
        if (offering && offering.status !== 'cancelled' && offering.seatsTaken > 0) throw sessionHasEnrolments(offering.seatsTaken);
      }
      await manager.delete(LectureSession, { id: sessionId });
      if (session.offeringId) await this.catalog.withdrawOffering(manager, session.offeringId);
      await this.audit.record(access.userId, 'session_removed', 'lecture_series', seriesId, series.districtId, sessionAudit(session), null, manager);
    });
  }

  /** Every problem with the session at once (400 naming the fields), else the speaker. */
  private async checked(
    manager: EntityManager, series: LectureSeries, district: OrgUnitRef, shape: SessionShape, sessions: LectureSession[], selfId: string | null,
    checkSpeaker: boolean,
  ): Promise<SpeakerFacts | null> {
    const problems: FieldProblem[] = [];
    const months = semesterMonths(series.semester);
    if (!months.includes(shape.month)) {
      problems.push({ field: 'month', code: 'MONTH_OUTSIDE_SEMESTER', message: `month must be one of the semester's months: ${months.join(', ')}` });
    } else if (sessions.some((s) => s.id !== selfId && monthOf(s) === shape.month)) {
      problems.push({ field: 'month', code: 'MONTH_TAKEN', message: `The schedule already has a session in ${shape.month}: one session a month` });
    }
    if (shanghaiMonth(shape.startsAt) !== shape.month) {
      problems.push({ field: 'startsAt', code: 'NOT_IN_MONTH', message: `startsAt must fall in ${shape.month} (Shanghai time)` });
    }
    if (shape.endsAt.getTime() <= shape.startsAt.getTime()) {
      problems.push({ field: 'endsAt', code: 'ENDS_BEFORE_START', message: 'endsAt must be after startsAt' });
    } else if (shape.endsAt.getTime() - shape.startsAt.getTime() > 12 * 3600_000) {
      problems.push({ field: 'endsAt', code: 'SESSION_TOO_LONG', message: 'A session lasts at most 12 hours' });
    }
    const speaker = checkSpeaker ? await this.query.speaker(shape.speakerPersonId, manager) : null;
    const problem = checkSpeaker ? speakerProblem(speaker, district) : null;
    if (problem) problems.push({ field: 'speakerPersonId', ...problem });
    if (problems.length) throw new ValidationFailed(problems);
    return speaker;
  }
}
