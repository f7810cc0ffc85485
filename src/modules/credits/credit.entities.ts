import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { numeric } from '../../database/numeric.js';
import type { CourseLevel, CreditCategory } from '../catalog/catalog.entities.js';

export const CREDIT_SOURCES = ['course_completion', 'program', 'mentoring', 'contest', 'external_training', 'lecture_series', 'manual_adjustment', 'import'] as const;
export type CreditSource = (typeof CREDIT_SOURCES)[number];
export const CLAIM_STATUSES = ['submitted', 'kindergarten_approved', 'approved', 'rejected'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const SCHEME_UNITS = ['credits', 'hours'] as const;
export type SchemeUnit = (typeof SCHEME_UNITS)[number];
/** `region_cycle`: the region's five-year cycle; `probation_year`: the year after hiring; `before_post`: everything before taking the post. */
export const CYCLE_KINDS = ['region_cycle', 'probation_year', 'before_post'] as const;
export type CycleKind = (typeof CYCLE_KINDS)[number];

/** A five-year (or other) period that credits count toward. `regionCode` null: national. */
@Entity('credit_cycle')
export class CreditCycle {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { nullable: true }) regionCode: string | null;
  @Column('text') code: string;
  @Column('text') nameZh: string;
  @Column('text') nameEn: string;
  @Column('date') startsOn: string;
  @Column('date') endsOn: string;
}

/** One line of the ledger. Never updated or deleted (database triggers refuse it); a correction is a reversal row. */
@Entity('credit_entry')
export class CreditEntry {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('numeric', { transformer: numeric }) hours: number;
  @Column('numeric', { transformer: numeric }) credits: number;
  @Column('text') category: CreditCategory;
  @Column('text') level: CourseLevel;
  @Column('text') source: CreditSource;
  @Column('text', { nullable: true }) sourceId: string | null;
  /** Makes an award idempotent: the same key (e.g. `completion:<enrolment id>`) is recorded once. */
  @Column('text', { nullable: true }) sourceKey: string | null;
  @Column('text') title: string;
  @Column('uuid', { nullable: true }) cycleId: string | null;
  @Column('date') occurredOn: string;
  @Column('uuid', { nullable: true }) recordedBy: string | null;
  @Column('uuid', { nullable: true }) approvedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) recordedAt: Date;
  @Column('uuid', { nullable: true }) reversesEntryId: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  /** For `import` entries: where the entry was first recorded (the previous platform, the provincial platform, ...). */
  @Column('text', { nullable: true }) importedSource: string | null;
}

/** A minimum (and optionally a maximum) on the credits of a category, a level, or a category within a level. */
export interface SchemeRule {
  category?: CreditCategory;
  level?: CourseLevel;
  min?: number;
  max?: number;
}

@Entity('requirement_scheme')
export class RequirementScheme {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') code: string;
  @Column('text') nameZh: string;
  @Column('text') nameEn: string;
  /** Org unit code of the region it applies under (e.g. 'SH'); null: everywhere. */
  @Column('text', { nullable: true }) regionCode: string | null;
  @Column('text', { array: true }) posts: string[];
  @Column('text', { array: true }) teacherStages: string[];
  @Column('text', { array: true }) principalStages: string[];
  @Column('text') unit: SchemeUnit;
  @Column('text') cycleKind: CycleKind;
  @Column('numeric', { transformer: numeric }) total: number;
  @Column('jsonb') rules: SchemeRule[];
  @Column('date') effectiveFrom: string;
  @Column('date', { nullable: true }) effectiveTo: string | null;
  @Column('boolean') editable: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

@Entity('credit_claim')
export class CreditClaim {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('uuid', { nullable: true }) kindergartenId: string | null;
  @Column('text') title: string;
  @Column('text') provider: string;
  @Column('text') certificateNumber: string;
  @Column('numeric', { transformer: numeric }) hours: number;
  @Column('numeric', { transformer: numeric }) credits: number;
  @Column('text') category: CreditCategory;
  @Column('text') level: CourseLevel;
  @Column('date') occurredOn: string;
  @Column('uuid') evidenceFileId: string;
  @Column('text') status: ClaimStatus;
  @Column('uuid', { nullable: true }) kindergartenReviewedBy: string | null;
  @Column('timestamptz', { nullable: true }) kindergartenReviewedAt: Date | null;
  @Column('uuid', { nullable: true }) decidedBy: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt: Date | null;
  @Column('text', { nullable: true }) rejectReason: string | null;
  @Column('uuid', { nullable: true }) entryId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('compliance_reminder')
export class ComplianceReminder {
  @PrimaryColumn('uuid') personId: string;
  @PrimaryColumn('uuid') schemeId: string;
  @PrimaryColumn('date') cycleEndsOn: string;
  @PrimaryColumn('int') monthsBefore: number;
  @CreateDateColumn({ type: 'timestamptz' }) sentAt: Date;
}
