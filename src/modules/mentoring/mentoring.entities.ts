import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { numeric } from '../../database/numeric.js';
import type { CourseLevel, CreditCategory } from '../catalog/catalog.entities.js';

export interface TermTargets {
  mentorDemonstrations: number;
  menteeOpenLessons: number;
  /** Lesson observations, counted separately for each side (the mentor observing the mentee and the other way round). */
  observationsEachWay: number;
  lessonPlans: number;
}

/** A district's limits, term targets and credit rule; the row without a district is the default. */
@Entity('mentoring_rule')
export class MentoringRule {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) districtId: string | null;
  @Column('int') maxMentorsPerMentee: number;
  @Column('int') maxMenteesPerMentor: number;
  @Column('jsonb') termTargets: TermTargets;
  @Column('numeric', { transformer: numeric }) menteeCredits: number;
  @Column('numeric', { transformer: numeric }) mentorCredits: number;
  @Column('text') menteeCategory: CreditCategory;
  @Column('text') mentorCategory: CreditCategory;
  @Column('text') creditLevel: CourseLevel;
  @Column('uuid', { nullable: true }) updatedBy: string | null;
  @Column('timestamptz') updatedAt: Date;
}

export const PAIRING_KINDS = ['standard', 'probation'] as const;
export type PairingKind = (typeof PAIRING_KINDS)[number];
export const PAIRING_STATUSES = ['proposed', 'active', 'rejected', 'ended', 'cancelled'] as const;
export type PairingStatus = (typeof PAIRING_STATUSES)[number];
export const MENTOR_ROLES = ['lead', 'subject', 'class_management'] as const;
export type MentorRole = (typeof MENTOR_ROLES)[number];
export const FINAL_GRADES = ['excellent', 'pass', 'fail'] as const;
export type FinalGrade = (typeof FINAL_GRADES)[number];

export interface TermPlan {
  /** e.g. 2026-2027-1: the autumn term of school year 2026-2027 (2 is the spring term). */
  term: string;
  plan: string;
}

/** 师徒结对: one mentee and N mentors. A probation-year pairing (见习教师规范化培训) also names a base kindergarten and ends with a final grade. */
@Entity('mentor_pairing')
export class MentorPairing {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') districtId: string;
  @Column('text') kind: PairingKind;
  @Column('text') status: PairingStatus;
  @Column('text') source: 'admin' | 'mutual';
  @Column('uuid') menteePersonId: string;
  @Column('uuid') menteeKindergartenId: string;
  @Column('uuid', { nullable: true }) baseKindergartenId: string | null;
  @Column('date') startsOn: string;
  @Column('date') endsOn: string;
  @Column('text') goals: string;
  @Column('jsonb') termPlans: TermPlan[];
  @Column('uuid', { nullable: true }) proposedBy: string | null;
  @Column('timestamptz') proposedAt: Date;
  @Column('timestamptz', { nullable: true }) activatedAt: Date | null;
  @Column('text', { nullable: true }) finalGrade: FinalGrade | null;
  @Column('text', { nullable: true }) finalComment: string | null;
  @Column('uuid', { nullable: true }) finalAssessedBy: string | null;
  @Column('timestamptz', { nullable: true }) finalAssessedAt: Date | null;
  @Column('text', { nullable: true }) endedReason: string | null;
  @VersionColumn() version: number;
}

@Entity('mentor_link')
export class MentorLink {
  @PrimaryColumn('uuid') pairingId: string;
  @PrimaryColumn('uuid') mentorPersonId: string;
  @Column('uuid') districtId: string;
  @Column('uuid', { nullable: true }) mentorKindergartenId: string | null;
  @Column('text') role: MentorRole;
}

@Entity('pairing_consent')
export class PairingConsent {
  @PrimaryColumn('uuid') pairingId: string;
  @PrimaryColumn('uuid') personId: string;
  @Column('timestamptz') consentedAt: Date;
}

@Entity('pairing_approval')
export class PairingApproval {
  @PrimaryColumn('uuid') pairingId: string;
  @PrimaryColumn('uuid') kindergartenId: string;
  @Column('text') decision: 'approved' | 'rejected';
  @Column('text', { nullable: true }) reason: string | null;
  @Column('uuid', { nullable: true }) decidedBy: string | null;
  @Column('timestamptz') decidedAt: Date;
}

export const ACTIVITY_KINDS = ['observation', 'critique', 'demonstration', 'open_lesson', 'joint_planning', 'research'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** 听课, 评课, 示范课, 公开课, 集体备课, 教研: logged by one side, counted once the other side confirms. */
@Entity('mentoring_activity')
export class MentoringActivity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') pairingId: string;
  @Column('uuid') districtId: string;
  @Column('text') kind: ActivityKind;
  /** Who gave the lesson, observed, or wrote the plan: the side the activity counts for. */
  @Column('uuid') actorPersonId: string;
  @Column('uuid') loggedByPersonId: string;
  @Column('date') occurredOn: string;
  @Column('text') term: string;
  @Column('int') durationMinutes: number;
  @Column('text', { nullable: true }) notes: string | null;
  @Column('uuid', { array: true }) evidenceFileIds: string[];
  @Column('text') status: 'logged' | 'confirmed' | 'disputed';
  @Column('uuid', { nullable: true }) confirmedByPersonId: string | null;
  @Column('timestamptz', { nullable: true }) confirmedAt: Date | null;
  @Column('text', { nullable: true }) disputeReason: string | null;
  @Column('timestamptz') createdAt: Date;
}

/** A term review: submitted by the lead mentor, accepted (credit to both sides, once) or returned by the kindergarten admin. */
@Entity('mentoring_term_review')
export class MentoringTermReview {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') pairingId: string;
  @Column('uuid') districtId: string;
  @Column('text') term: string;
  @Column('text') status: 'submitted' | 'accepted' | 'returned';
  @Column('jsonb') targets: TermTargets;
  @Column('jsonb') progress: Record<string, unknown>;
  @Column('text') mentorComment: string;
  @Column('uuid', { nullable: true }) submittedBy: string | null;
  @Column('timestamptz') submittedAt: Date;
  @Column('text', { nullable: true }) adminComment: string | null;
  @Column('uuid', { nullable: true }) decidedBy: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt: Date | null;
  @VersionColumn() version: number;
}

export const ROTATION_KINDS = ['seconded', 'exchange', 'support'] as const;
export type RotationKind = (typeof ROTATION_KINDS)[number];

/** 柔性流动: a teacher serving another kindergarten for a period. */
@Entity('rotation')
export class Rotation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('uuid') homeKindergartenId: string;
  @Column('uuid') hostKindergartenId: string;
  @Column('text') kind: RotationKind;
  @Column('date') startsOn: string;
  @Column('date') endsOn: string;
  @Column('text') countAt: 'home' | 'host' | 'both';
  @Column('text', { nullable: true }) note: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz') createdAt: Date;
  @Column('date', { nullable: true }) endedEarlyOn: string | null;
}
