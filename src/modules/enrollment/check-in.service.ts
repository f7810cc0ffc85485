import { AttendanceListeners } from './attendance-listeners.js';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import { In, type DataSource, type EntityManager, type Repository } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { OfferingDirectory } from '../catalog/offering-directory.service.js';
import { AttendanceQuery, type MarkRow } from './attendance.query.js';
import { checkInClosed, checkInCodeExpired, checkInCodeInvalid, checkInCodeUsed, notEnrolledInOffering } from './attendance-errors.js';
import { checkInOpensAt, checkInStatus, creditedHours, isCheckInOpen } from './attendance-rules.js';
import { ATTENDING, Enrollment } from './enrollment.entities.js';
import { TeachingAccess } from './teaching-access.service.js';

/** What the trainer's code screen shows. */
export interface CheckInScreen {
  meetingId: string;
  code: string;
  expiresAt: Date;
  checkInUrl: string;
  /** The check-in URL as a QR code (SVG markup). */
  qrSvg: string;
  opensAt: Date;
  closesAt: Date;
  open: boolean;
  checkedIn: number;
  learners: number;
}

export interface CheckInResult {
  meetingId: string;
  enrollmentId: string;
  status: MarkRow['status'];
  hours: number;
  source: MarkRow['source'];
  markedAt: Date;
}

export interface LearnerMeeting {
  id: string;
  courseTitle: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  open: boolean;
  mark: MarkRow | null;
}

interface CodeRow {
  id: string;
  usedByPersonId: string | null;
  expiresAt: Date;
}

const toResult = (mark: MarkRow): CheckInResult => ({
  meetingId: mark.meetingId, enrollmentId: mark.enrollmentId, status: mark.status, hours: mark.hours, source: mark.source, markedAt: mark.markedAt,
});

/**
 * Self check-in with a rotating six-digit code: each code serves one learner once, then the
 * trainer's screen (polling) shows a fresh one. Only within the meeting's window.
 */
@Injectable()
export class CheckInService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Enrollment) private readonly enrollments: Repository<Enrollment>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly offerings: OfferingDirectory,
    private readonly teaching: TeachingAccess,
    private readonly query: AttendanceQuery,
    private readonly listeners: AttendanceListeners,
  ) {}

  /** The site's address for links in QR codes: the configured base URL, else the one the request came to. */
  baseUrl(requestBase: string): string {
    return (this.config.APP_BASE_URL ?? requestBase).replace(/\/+$/, '');
  }

  /** The meeting's current unused, unexpired code, or a new one. Serialised per meeting so two screens agree. */
  async currentCode(access: AccessContext, meetingId: string, baseUrl: string): Promise<CheckInScreen> {
    const { meeting } = await this.teaching.meeting(access, meetingId);
    const now = new Date();
    const code = await this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`check-in-code:${meetingId}`]);
      const [current] = await manager.query(
        `SELECT code, expires_at AS "expiresAt" FROM check_in_code
          WHERE meeting_id = $1 AND used_by_person_id IS NULL AND expires_at > $2 ORDER BY issued_at DESC LIMIT 1`, [meetingId, now]);
      return (current as { code: string; expiresAt: Date } | undefined) ?? this.issue(manager, meetingId, access.userId, now);
    });
    const checkInUrl = `${baseUrl}/check-in?meeting=${meetingId}&code=${code.code}`;
    const [qrSvg, checkedIn, learners] = await Promise.all([
      QRCode.toString(checkInUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
      this.query.countMarks(meetingId),
      this.enrollments.countBy({ offeringId: meeting.offeringId, status: In(ATTENDING) }),
    ]);
    return {
      meetingId, code: code.code, expiresAt: code.expiresAt, checkInUrl, qrSvg,
      opensAt: checkInOpensAt(meeting), closesAt: meeting.endsAt, open: isCheckInOpen(meeting, now), checkedIn, learners,
    };
  }

  /** A learner checks in. Idempotent for the same person; the code is claimed race-safely so it serves one person only. */
  async checkIn(access: AccessContext, meetingId: string, code: string): Promise<CheckInResult> {
    const meeting = await this.offerings.meeting(meetingId);
    if (!meeting) throw new NotFound('meeting', meetingId);
    const personId = access.personId;
    const enrollment = personId ? await this.enrollments.findOneBy({ offeringId: meeting.offeringId, personId }) : null;
    if (!personId || !enrollment || !ATTENDING.includes(enrollment.status)) throw notEnrolledInOffering();
    const now = new Date();
    if (!isCheckInOpen(meeting, now)) throw checkInClosed(checkInOpensAt(meeting), meeting.endsAt);

    const result = await this.db.transaction(async (manager) => {
      const row = await this.codeRow(manager, meetingId, code);
      if (!row) throw checkInCodeInvalid();
      if (row.usedByPersonId && row.usedByPersonId !== personId) throw checkInCodeUsed();
      // Already checked in (or marked by the trainer): answer the mark that stands; a fresh code stays free for someone else.
      const existing = await this.query.markOf(meetingId, enrollment.id, manager);
      if (existing) return toResult(existing);
      if (!row.usedByPersonId) {
        if (row.expiresAt <= now) throw checkInCodeExpired();
        const claimed = await manager.query(
          `WITH claimed AS (
             UPDATE check_in_code SET used_by_person_id = $2, used_at = $3
              WHERE id = $1 AND used_by_person_id IS NULL AND expires_at > $3 RETURNING id)
           SELECT id FROM claimed`, [row.id, personId, now]);
        if (!claimed.length) {
          const again = await this.codeRow(manager, meetingId, code);
          if (again?.usedByPersonId !== personId) throw again?.usedByPersonId ? checkInCodeUsed() : checkInCodeExpired();
        }
      }
      const status = checkInStatus(meeting, now);
      return toResult(await this.query.insertCheckIn(manager, meetingId, {
        enrollmentId: enrollment.id, personId, districtId: enrollment.districtId, status, hours: creditedHours(status, meeting.hours),
      }));
    });
    await this.listeners.changed([enrollment.id]);
    return result;
  }

  /** A meeting as its learner sees it on the check-in page, with their mark; null when it is not theirs. */
  async learnerMeeting(access: AccessContext, meetingId: string, now = new Date()): Promise<LearnerMeeting | null> {
    const meeting = await this.offerings.meeting(meetingId);
    const enrollment = meeting && access.personId ? await this.enrollments.findOneBy({ offeringId: meeting.offeringId, personId: access.personId }) : null;
    if (!meeting || !enrollment || !ATTENDING.includes(enrollment.status)) return null;
    const { course } = await this.offerings.context(meeting.offeringId);
    const mark = await this.query.markOf(meeting.id, enrollment.id);
    return { id: meeting.id, courseTitle: course.title, title: meeting.title, startsAt: meeting.startsAt, endsAt: meeting.endsAt, open: isCheckInOpen(meeting, now), mark };
  }

  /** The caller's meetings open for check-in right now (usually one), for a learner who types the code by hand. */
  async openMeetings(access: AccessContext, now = new Date()): Promise<LearnerMeeting[]> {
    if (!access.personId) return [];
    const mine = await this.enrollments.findBy({ personId: access.personId, status: In(ATTENDING) });
    const open: LearnerMeeting[] = [];
    for (const enrollment of mine) {
      for (const meeting of await this.offerings.meetings(enrollment.offeringId)) {
        if (!isCheckInOpen(meeting, now)) continue;
        const { course } = await this.offerings.context(meeting.offeringId);
        open.push({
          id: meeting.id, courseTitle: course.title, title: meeting.title, startsAt: meeting.startsAt, endsAt: meeting.endsAt, open: true,
          mark: await this.query.markOf(meeting.id, enrollment.id),
        });
      }
    }
    return open;
  }

  private async codeRow(manager: EntityManager, meetingId: string, code: string): Promise<CodeRow | null> {
    const [row] = await manager.query(
      `SELECT id, used_by_person_id AS "usedByPersonId", expires_at AS "expiresAt" FROM check_in_code WHERE meeting_id = $1 AND code = $2`,
      [meetingId, code]);
    return row ?? null;
  }

  private async issue(manager: EntityManager, meetingId: string, userId: string, now: Date): Promise<{ code: string; expiresAt: Date }> {
    const expiresAt = new Date(now.getTime() + this.config.CHECK_IN_CODE_SECONDS * 1000);
    // Codes are unique per meeting for good (an old code must still read as expired or used), so a rare clash draws again.
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const [row] = await manager.query(
        `INSERT INTO check_in_code (meeting_id, code, issued_by, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (meeting_id, code) DO NOTHING RETURNING code, expires_at AS "expiresAt"`,
        [meetingId, candidate, userId, now, expiresAt]);
      if (row) return row;
    }
    throw new Error(`no free check-in code for meeting ${meetingId}`);
  }
}
