import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numeric } from '../../database/numeric.js';
import type { CourseLevel } from '../catalog/catalog.entities.js';

export const ENROLLMENT_STATUSES = [
  'pending_approval', 'enrolled', 'waitlisted', 'offered', 'withdrawn', 'declined', 'cancelled', 'no_show', 'completed',
] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];
/** The statuses that hold a seat against capacity and quota (a completed learner keeps theirs: it is never offered again). */
export const SEAT_HOLDING: readonly EnrollmentStatus[] = ['enrolled', 'offered', 'completed'];
/** Learners who attend: a learner who completed early may still come to the remaining meetings. */
export const ATTENDING: EnrollmentStatus[] = ['enrolled', 'completed'];
/** Statuses still in play: a new request for the same person returns the enrolment as it is. */
export const ACTIVE_STATUSES: readonly EnrollmentStatus[] = ['pending_approval', 'enrolled', 'waitlisted', 'offered'];
export type ApprovalStep = 'kindergarten' | 'district';

export const ATTENDANCE_STATUSES = ['present', 'late', 'left_early', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

@Entity('enrollment')
export class Enrollment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') offeringId: string;
  @Column('uuid') courseId: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  /** The learner's kindergarten when they asked; the per-kindergarten quota counts by it. */
  @Column('uuid', { nullable: true }) kindergartenId: string | null;
  @Column('text') level: CourseLevel;
  @Column('text') status: EnrollmentStatus;
  @Column('text', { nullable: true }) approvalStep: ApprovalStep | null;
  @Column('int') priorityTier: number;
  /** Waitlist order within a tier, and an approved request's place: first come, first served. */
  @Column('timestamptz') requestedAt: Date;
  @Column('timestamptz', { nullable: true }) offerExpiresAt: Date | null;
  @Column('text', { nullable: true }) declineReason: string | null;
  @Column('timestamptz') statusChangedAt: Date;
  @Column('uuid', { nullable: true }) requestedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** One status change. Rows with `notify` are also the outbox of learner notifications. */
@Entity('enrollment_event')
export class EnrollmentEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid') enrollmentId: string;
  @Column('uuid') districtId: string;
  @Column('text', { nullable: true }) fromStatus: EnrollmentStatus | null;
  @Column('text') toStatus: EnrollmentStatus;
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('boolean') notify: boolean;
  @Column('timestamptz', { nullable: true }) notifiedAt: Date | null;
  @Column('timestamptz') at: Date;
}

@Entity('material_progress')
export class MaterialProgress {
  @PrimaryColumn('uuid') materialId: string;
  @PrimaryColumn('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('int') percent: number;
  @Column('timestamptz', { nullable: true }) completedAt: Date | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity('attendance')
export class Attendance {
  @PrimaryColumn('uuid') meetingId: string;
  @PrimaryColumn('uuid') enrollmentId: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('text') status: AttendanceStatus;
  @Column('numeric', { transformer: numeric }) hours: number;
  @Column('text') source: 'trainer' | 'check_in';
  @Column('uuid', { nullable: true }) markedBy: string | null;
  @Column('timestamptz') markedAt: Date;
}

@Entity('check_in_code')
export class CheckInCode {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') meetingId: string;
  @Column('text') code: string;
  @Column('uuid', { nullable: true }) issuedBy: string | null;
  @Column('timestamptz') issuedAt: Date;
  @Column('timestamptz') expiresAt: Date;
  @Column('uuid', { nullable: true }) usedByPersonId: string | null;
  @Column('timestamptz', { nullable: true }) usedAt: Date | null;
}

/** A no-show at `level` blocks enrolment at that level for `blockDays`; a region row overrides the default (null region). */
@Entity('no_show_rule')
export class NoShowRule {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) regionId: string | null;
  @Column('text') level: CourseLevel;
  @Column('int') blockDays: number;
}
