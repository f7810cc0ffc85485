import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { numeric } from '../../database/numeric.js';

export const RUBRIC_METHODS = ['rubric', 'guide'] as const;
export type RubricMethod = (typeof RUBRIC_METHODS)[number];

export interface RubricLevel {
  id: string;
  title: string;
  points: number;
  description?: string;
}
/** A rubric criterion has levels; a marking-guide criterion has only a maximum (levels absent). */
export interface RubricCriterion {
  id: string;
  title: string;
  description?: string;
  levels?: RubricLevel[];
  maxPoints?: number;
}

/** A reusable rubric (criteria with levels) or marking guide (criteria with a maximum and free comments). */
@Entity('rubric')
export class Rubric {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') districtId: string;
  @Column('uuid', { nullable: true }) ownerUserId: string | null;
  @Column('text') method: RubricMethod;
  @Column('text') name: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('jsonb') criteria: RubricCriterion[];
  @Column('numeric', { transformer: numeric }) maxPoints: number;
  @Column('timestamptz', { nullable: true }) archivedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

export const ITEM_KINDS = ['assignment', 'survey', 'offline'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const SUBMISSION_MODES = ['text', 'file'] as const;
export type SubmissionMode = (typeof SUBMISSION_MODES)[number];
/** `accept`: late work is taken as it is; `penalty`: points lose `latePenaltyPercent`; `refuse`: no submission after the due date. */
export const LATE_POLICIES = ['accept', 'penalty', 'refuse'] as const;
export type LatePolicy = (typeof LATE_POLICIES)[number];
export const GRADING_METHODS = ['rubric', 'guide', 'points', 'pass_fail', 'none'] as const;
export type GradingMethod = (typeof GRADING_METHODS)[number];
export const QUESTION_KINDS = ['rating', 'choice', 'multi', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export interface SurveyQuestion {
  id: string;
  kind: QuestionKind;
  prompt: string;
  /** For `choice` and `multi`. */
  options?: string[];
  required: boolean;
}

/** An assignment, a course evaluation survey, or an item graded offline from observation. */
@Entity('assessment_item')
export class AssessmentItem {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') offeringId: string;
  @Column('uuid') districtId: string;
  @Column('text') kind: ItemKind;
  @Column('text') title: string;
  @Column('text', { nullable: true }) instructions: string | null;
  @Column('int') position: number;
  @Column('text', { array: true }) submissionModes: SubmissionMode[];
  @Column('timestamptz', { nullable: true }) dueAt: Date | null;
  @Column('text') latePolicy: LatePolicy;
  @Column('int', { nullable: true }) latePenaltyPercent: number | null;
  /** Sniffed file types (see files/file-types.ts) a submission may hold. */
  @Column('text', { array: true }) allowedFileTypes: string[];
  @Column('int', { nullable: true }) maxFileBytes: number | null;
  @Column('int') maxFiles: number;
  @Column('text') gradingMethod: GradingMethod;
  @Column('uuid', { nullable: true }) rubricId: string | null;
  /** For `points` the maximum; for rubric and guide a copy of the rubric's maximum. */
  @Column('numeric', { nullable: true, transformer: numeric }) maxPoints: number | null;
  /** The pass threshold in points (pass/fail items are passed or not directly). */
  @Column('numeric', { nullable: true, transformer: numeric }) passPoints: number | null;
  @Column('boolean') secondMarking: boolean;
  @Column('jsonb') questions: SurveyQuestion[];
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @Column('timestamptz', { nullable: true }) archivedAt: Date | null;
  @VersionColumn() version: number;
}

export type SurveyAnswers = Record<string, string | number | string[]>;

/** One attempt; every attempt is kept and the latest is graded. */
@Entity('submission')
export class Submission {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') itemId: string;
  @Column('uuid') enrollmentId: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('int') attempt: number;
  @Column('text', { nullable: true }) body: string | null;
  @Column('uuid', { array: true }) fileIds: string[];
  @Column('jsonb', { nullable: true }) answers: SurveyAnswers | null;
  @Column('timestamptz') submittedAt: Date;
  @Column('boolean') late: boolean;
  @Column('uuid', { nullable: true }) submittedBy: string | null;
}

export interface CriterionMark {
  criterionId: string;
  /** The rubric level chosen; absent for a marking guide. */
  levelId?: string;
  points: number;
  comment?: string;
}

export type MarkerRole = 'first' | 'second';

/** One marker's mark; with second marking there are two, reconciled into the grade. */
@Entity('grade_mark')
export class GradeMark {
  @PrimaryColumn('uuid') itemId: string;
  @PrimaryColumn('uuid') enrollmentId: string;
  @PrimaryColumn('uuid') markerUserId: string;
  @Column('uuid') districtId: string;
  @Column('text') role: MarkerRole;
  @Column('uuid', { nullable: true }) submissionId: string | null;
  @Column('numeric', { nullable: true, transformer: numeric }) points: number | null;
  @Column('boolean', { nullable: true }) passed: boolean | null;
  @Column('jsonb') criteria: CriterionMark[];
  @Column('text', { nullable: true }) feedback: string | null;
  @Column('timestamptz') markedAt: Date;
}

/** The agreed grade; the learner sees it only once released. */
@Entity('grade')
export class Grade {
  @PrimaryColumn('uuid') itemId: string;
  @PrimaryColumn('uuid') enrollmentId: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('uuid', { nullable: true }) submissionId: string | null;
  /** Before any late penalty. */
  @Column('numeric', { nullable: true, transformer: numeric }) rawPoints: number | null;
  @Column('numeric', { nullable: true, transformer: numeric }) points: number | null;
  @Column('boolean') passed: boolean;
  @Column('jsonb') criteria: CriterionMark[];
  @Column('text', { nullable: true }) feedback: string | null;
  @Column('uuid', { nullable: true }) gradedBy: string | null;
  @Column('timestamptz') gradedAt: Date;
  @Column('timestamptz', { nullable: true }) releasedAt: Date | null;
  @Column('uuid', { nullable: true }) releasedBy: string | null;
  @VersionColumn() version: number;
}

/** A change to a released grade: who, when, why. */
@Entity('grade_history')
export class GradeHistory {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid') itemId: string;
  @Column('uuid') enrollmentId: string;
  @Column('uuid') districtId: string;
  @Column('uuid', { nullable: true }) changedBy: string | null;
  @Column('timestamptz') changedAt: Date;
  @Column('text') reason: string;
  @Column('jsonb') before: Record<string, unknown>;
  @Column('jsonb') after: Record<string, unknown>;
}

/** Effective-dated: a learner not yet complete is judged by the latest rule in force. */
@Entity('completion_rule')
export class CompletionRule {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') offeringId: string;
  @Column('uuid') districtId: string;
  @Column('timestamptz') effectiveFrom: Date;
  @Column('numeric', { transformer: numeric }) minAttendanceShare: number;
  @Column('uuid', { array: true }) requiredItemIds: string[];
  @Column('boolean') requireEvaluation: boolean;
  @Column('text') combine: 'all' | 'any';
  /** When set, a learner whose attended share is at least this floor (but below the minimum) gets credit in proportion to hours attended. */
  @Column('numeric', { nullable: true, transformer: numeric }) partialCreditFloor: number | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export interface CompletionCondition {
  kind: 'attendance' | 'item' | 'evaluation';
  itemId?: string;
  met: boolean;
  /** E.g. the share attended, the grade, the submission time. */
  detail?: Record<string, unknown>;
}

/** A completed enrolment. At most one open completion per enrolment; a reopen keeps the row and a later completion gets the next sequence. */
@Entity('completion')
export class Completion {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') enrollmentId: string;
  @Column('uuid') offeringId: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('int') sequence: number;
  @Column('uuid') ruleId: string;
  @Column('timestamptz') completedAt: Date;
  @Column('numeric', { transformer: numeric }) attendedHours: number;
  @Column('numeric', { transformer: numeric }) scheduledHours: number;
  @Column('numeric', { transformer: numeric }) hours: number;
  @Column('numeric', { transformer: numeric }) credits: number;
  @Column('boolean') partial: boolean;
  @Column('jsonb') conditions: CompletionCondition[];
  @Column('uuid', { nullable: true }) creditEntryId: string | null;
  @Column('timestamptz', { nullable: true }) reopenedAt: Date | null;
  @Column('uuid', { nullable: true }) reopenedBy: string | null;
  @Column('text', { nullable: true }) reopenReason: string | null;
  @Column('uuid', { nullable: true }) reversalEntryId: string | null;
}
