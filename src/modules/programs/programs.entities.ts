import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { numeric } from '../../database/numeric.js';
import type { CourseLevel, CreditCategory } from '../catalog/catalog.entities.js';
import type { Honour, Title } from '../people/person-records.entity.js';
import type { Post } from '../people/person.entity.js';

export const PROGRAM_KINDS = ['cohort', 'contest'] as const;
export type ProgramKind = (typeof PROGRAM_KINDS)[number];
/** Built-in tiers; a district may add its own (with its names on the program). */
export const BUILT_IN_TIERS = ['seed', 'talent', 'navigator', 'contest'] as const;
export const PROGRAM_STATUSES = ['draft', 'published', 'selection_closed', 'running', 'closed'] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];

/** Who may apply; every present key is a condition, all must hold. */
export interface ProgramEligibility {
  maxAge?: number;
  minAge?: number;
  posts?: Post[];
  minTitle?: Title;
  /** Teacher stages (stage_definition codes), any one. */
  stages?: string[];
  /** Honours, any one. */
  honours?: Honour[];
  minYearsOfService?: number;
  /** Refuse people under an ethics block (教师〔2018〕19号: talent programmes withdrawn for ≥ 24 months). */
  noEthicsBlock?: boolean;
}

export interface ProgramCriterion {
  code: string;
  nameZh: string;
  nameEn: string;
  maxScore: number;
  weight: number;
}

/** A talent program (种子/拔尖/领航 or a custom tier), or a contest (业务竞赛, kind `contest`). */
@Entity('program')
export class Program {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') districtId: string;
  @Column('text') kind: ProgramKind;
  @Column('text') tier: string;
  @Column('text', { nullable: true }) tierNameZh: string | null;
  @Column('text', { nullable: true }) tierNameEn: string | null;
  @Column('text') code: string;
  @Column('text') nameZh: string;
  @Column('text') nameEn: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('int', { nullable: true }) round: number | null;
  @Column('int') cycleYears: number;
  @Column('date') startsOn: string;
  @Column('date') endsOn: string;
  @Column('jsonb') eligibility: ProgramEligibility;
  @Column('jsonb') criteria: ProgramCriterion[];
  /** From this many scores on, the highest and lowest are dropped before averaging. */
  @Column('int') trimFromReviewers: number;
  @Column('int', { nullable: true }) districtQuota: number | null;
  @Column('int', { nullable: true }) kindergartenQuota: number | null;
  @Column('int', { nullable: true }) groupQuota: number | null;
  @Column('int') reserveSize: number;
  @Column('timestamptz') applicationsOpenAt: Date;
  @Column('timestamptz') applicationsCloseAt: Date;
  @Column('numeric', { transformer: numeric }) credits: number;
  @Column('numeric', { transformer: numeric }) hours: number;
  @Column('text') creditCategory: CreditCategory;
  @Column('text') creditLevel: CourseLevel;
  /** The honour recorded on completion (or on a contest award), e.g. 青浦区第八届种子计划学员. */
  @Column('text', { nullable: true }) honourName: string | null;
  /** For contests: the posts that may enter (保育员, 营养员, 卫生保健). */
  @Column('text', { array: true }) contestPosts: Post[];
  @Column('text') status: ProgramStatus;
  @Column('timestamptz', { nullable: true }) selectionClosedAt: Date | null;
  /** The program of the previous tier or round a member can be promoted from. */
  @Column('uuid', { nullable: true }) previousProgramId: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
  @VersionColumn() version: number;
}

export const APPLICATION_SOURCES = ['self', 'nomination'] as const;
export type ProgramApplicationSource = (typeof APPLICATION_SOURCES)[number];
export const PROGRAM_APPLICATION_STATUSES = ['submitted', 'withdrawn', 'selected', 'reserve', 'not_selected'] as const;
export type ProgramApplicationStatus = (typeof PROGRAM_APPLICATION_STATUSES)[number];

@Entity('program_application')
export class ProgramApplication {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') programId: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('uuid', { nullable: true }) kindergartenId: string | null;
  @Column('uuid', { nullable: true }) groupId: string | null;
  @Column('text') source: ProgramApplicationSource;
  @Column('uuid', { nullable: true }) nominatedBy: string | null;
  @Column('text') statement: string;
  @Column('uuid', { array: true }) attachmentFileIds: string[];
  @Column('jsonb') dossier: Record<string, unknown>;
  @Column('text') status: ProgramApplicationStatus;
  @Column('numeric', { nullable: true, transformer: numeric }) score: number | null;
  @Column('int', { nullable: true }) reviewerCount: number | null;
  @Column('int', { nullable: true }) reserveRank: number | null;
  @Column('uuid', { nullable: true }) decidedBy: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt: Date | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz') createdAt: Date;
  @VersionColumn() version: number;
}

@Entity('program_review_assignment')
export class ProgramReviewAssignment {
  @PrimaryColumn('uuid') applicationId: string;
  @PrimaryColumn('uuid') reviewerUserId: string;
  @Column('uuid') programId: string;
  @Column('uuid', { nullable: true }) assignedBy: string | null;
  @Column('timestamptz') assignedAt: Date;
}

@Entity('program_review_score')
export class ProgramReviewScore {
  @PrimaryColumn('uuid') applicationId: string;
  @PrimaryColumn('uuid') reviewerUserId: string;
  @Column('jsonb') scores: Record<string, number>;
  @Column('numeric', { transformer: numeric }) total: number;
  @Column('text', { nullable: true }) comment: string | null;
  @Column('timestamptz') submittedAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
