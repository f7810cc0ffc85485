import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { numeric } from '../../database/numeric.js';

export const CREDIT_CATEGORIES = ['ethics', 'knowledge_skills', 'practice', 'self_study'] as const;
export type CreditCategory = (typeof CREDIT_CATEGORIES)[number];
export const COURSE_LEVELS = ['city', 'district', 'kindergarten'] as const;
export type CourseLevel = (typeof COURSE_LEVELS)[number];
export const COURSE_MODES = ['offline', 'online', 'hybrid'] as const;
export type CourseMode = (typeof COURSE_MODES)[number];
export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];
export const APPROVAL_MODES = ['none', 'kindergarten', 'kindergarten_then_district'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];
/** `none`: no waitlist, a full offering refuses; `auto`: the next in line is enrolled; `offer`: they are offered the seat until it expires. */
export const WAITLIST_MODES = ['none', 'auto', 'offer'] as const;
export type WaitlistMode = (typeof WAITLIST_MODES)[number];
export const OFFERING_STATUSES = ['draft', 'published', 'cancelled', 'closed'] as const;
export type OfferingStatus = (typeof OFFERING_STATUSES)[number];
export const MATERIAL_KINDS = ['document', 'video', 'page'] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];

/**
 * Who a course is for. Each listed dimension must match (an empty or absent list matches
 * everyone); within a dimension any value matches.
 */
export interface Audience {
  posts?: string[];
  teacherStages?: string[];
  principalStages?: string[];
  /** Title codes; 'none' matches people without a title. */
  titles?: string[];
  kindergartenGrades?: string[];
  ownerships?: string[];
  kindergartenIds?: string[];
  groupIds?: string[];
  cohortIds?: string[];
}

/** Waitlist priority: a person belongs to the first tier whose audience matches them; everyone else comes after. */
export interface PriorityTier {
  name: string;
  audience: Audience;
}

@Entity('course')
export class Course {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') districtId: string;
  /** The district for district and city courses; the kindergarten for its 园本 courses. */
  @Column('uuid') ownerOrgUnitId: string;
  @Column('text') code: string;
  @Column('text') title: string;
  @Column('text') description: string;
  @Column('text') provider: string;
  @Column('text') category: CreditCategory;
  @Column('text', { array: true }) tags: string[];
  @Column('text') level: CourseLevel;
  @Column('text') mode: CourseMode;
  @Column('numeric', { transformer: numeric }) hours: number;
  @Column('numeric', { transformer: numeric }) credits: number;
  @Column('boolean') creditsFromRule: boolean;
  @Column('jsonb') audience: Audience;
  @Column('text') status: CourseStatus;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

@Entity('course_trainer')
export class CourseTrainer {
  @PrimaryColumn('uuid') courseId: string;
  @PrimaryColumn('uuid') userId: string;
}

@Entity('offering')
export class Offering {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') courseId: string;
  @Column('uuid') districtId: string;
  @Column('text') code: string;
  @Column('text') label: string;
  @Column('int') capacity: number;
  @Column('int', { nullable: true }) kindergartenQuota: number | null;
  @Column('timestamptz') enrolOpensAt: Date;
  @Column('timestamptz') enrolClosesAt: Date;
  @Column('timestamptz') withdrawDeadline: Date;
  @Column('text') approvalMode: ApprovalMode;
  @Column('jsonb') priorityTiers: PriorityTier[];
  @Column('text') waitlistMode: WaitlistMode;
  @Column('int', { nullable: true }) offerExpiryHours: number | null;
  @Column('numeric', { transformer: numeric }) minAttendanceShare: number;
  @Column('text') status: OfferingStatus;
  @Column('text', { nullable: true }) cancelledReason: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

@Entity('offering_trainer')
export class OfferingTrainer {
  @PrimaryColumn('uuid') offeringId: string;
  @PrimaryColumn('uuid') userId: string;
}

@Entity('meeting')
export class Meeting {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') offeringId: string;
  @Column('uuid') districtId: string;
  @Column('text') title: string;
  @Column('timestamptz') startsAt: Date;
  @Column('timestamptz') endsAt: Date;
  @Column('text', { nullable: true }) place: string | null;
  @Column('text', { nullable: true }) onlineUrl: string | null;
  @Column('numeric', { transformer: numeric }) hours: number;
  @Column('timestamptz', { nullable: true }) remindedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('material')
export class Material {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') offeringId: string;
  @Column('text') kind: MaterialKind;
  @Column('text') title: string;
  @Column('text', { nullable: true }) url: string | null;
  @Column('text', { nullable: true }) body: string | null;
  @Column('int') sortOrder: number;
  @Column('boolean') required: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
