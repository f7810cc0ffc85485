import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { numeric } from '../../database/numeric.js';

/** 研修团队计划: the five parts of a team plan. */
export interface TeamPlan {
  basis?: string;
  goals?: string;
  content?: string;
  schedule?: string;
  expectedOutputs?: string;
}

/** 研修团队: a team of a program's cohort, led by a host (主持人), optionally at a base (基地). */
@Entity('program_team')
export class ProgramTeam {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') programId: string;
  @Column('uuid') districtId: string;
  @Column('text') name: string;
  @Column('uuid') hostPersonId: string;
  @Column('uuid', { nullable: true }) baseOrgUnitId: string | null;
  @Column('text', { nullable: true }) baseName: string | null;
  @Column('jsonb') plan: TeamPlan;
  @Column('timestamptz', { nullable: true }) planUpdatedAt: Date | null;
  @Column('uuid', { array: true }) requiredCourseIds: string[];
  @Column('numeric', { nullable: true, transformer: numeric }) creditTarget: number | null;
  @Column('timestamptz') createdAt: Date;
  @VersionColumn() version: number;
}

export const MEMBER_STATUSES = ['active', 'exited', 'moved', 'completed', 'failed'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export const ASSESSMENT_RESULTS = ['excellent', 'pass', 'fail'] as const;
export type AssessmentResult = (typeof ASSESSMENT_RESULTS)[number];

/** A person in a program's cohort (selected, moved in from another tier, or promoted from an earlier round). */
@Entity('program_member')
export class ProgramMember {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') programId: string;
  @Column('uuid') districtId: string;
  @Column('uuid') personId: string;
  @Column('uuid', { nullable: true }) teamId: string | null;
  @Column('uuid', { nullable: true }) applicationId: string | null;
  @Column('text') status: MemberStatus;
  @Column('date') joinedOn: string;
  @Column('date', { nullable: true }) leftOn: string | null;
  @Column('text', { nullable: true }) exitReason: string | null;
  @Column('uuid', { nullable: true }) movedToMemberId: string | null;
  @Column('text', { nullable: true }) midtermResult: AssessmentResult | null;
  @Column('text', { nullable: true }) midtermComment: string | null;
  @Column('uuid', { nullable: true }) midtermBy: string | null;
  @Column('timestamptz', { nullable: true }) midtermAt: Date | null;
  @Column('text', { nullable: true }) finalResult: AssessmentResult | null;
  @Column('text', { nullable: true }) finalComment: string | null;
  @Column('uuid', { nullable: true }) finalBy: string | null;
  @Column('timestamptz', { nullable: true }) finalAt: Date | null;
  @Column('uuid', { nullable: true }) creditEntryId: string | null;
  @Column('uuid', { nullable: true }) honourId: string | null;
  @Column('timestamptz') createdAt: Date;
  @VersionColumn() version: number;
}

@Entity('program_milestone')
export class ProgramMilestone {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') teamId: string;
  @Column('text') title: string;
  @Column('date') dueOn: string;
  @Column('date', { nullable: true }) doneOn: string | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('timestamptz') createdAt: Date;
}

export const OUTPUT_KINDS = ['research_report', 'public_lesson', 'contest_award', 'paper', 'other'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];
export const OUTPUT_STATUSES = ['submitted', 'accepted', 'returned'] as const;
export type OutputStatus = (typeof OUTPUT_STATUSES)[number];

/** A member's output (研究报告, 公开课, 竞赛获奖, 论文 ...): submitted, then accepted or returned by the host or district staff. */
@Entity('program_output')
export class ProgramOutput {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') programId: string;
  @Column('uuid', { nullable: true }) teamId: string | null;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('text') kind: OutputKind;
  @Column('text') title: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('date') occurredOn: string;
  @Column('uuid', { array: true }) fileIds: string[];
  @Column('text') status: OutputStatus;
  @Column('text', { nullable: true }) reviewComment: string | null;
  @Column('uuid', { nullable: true }) reviewedBy: string | null;
  @Column('timestamptz', { nullable: true }) reviewedAt: Date | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz') createdAt: Date;
  @VersionColumn() version: number;
}
