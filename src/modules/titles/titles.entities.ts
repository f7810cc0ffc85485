import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { numeric } from '../../database/numeric.js';
import type { EducationLevel } from '../people/person.entity.js';
import type { CertificateKind, Title } from '../people/person-records.entity.js';

/** An extra condition of a title rule, e.g. a year in a rural or weaker kindergarten; checked by its code. */
export interface ExtraCondition {
  code: string;
  zh: string;
  en: string;
  [setting: string]: unknown;
}

export interface TitleConditions {
  /** The title held before (null for the first title). */
  fromTitle: Title | null;
  /** Years at the previous title (or since starting work, for the first title) by education level; a level absent cannot apply. */
  yearsAtPrevious: Partial<Record<EducationLevel, number>>;
  minEducation: EducationLevel;
  /** The person's requirement scheme complete for the current credit cycle. */
  creditsComplete: boolean;
  certificates: CertificateKind[];
  extra: ExtraCondition[];
}

/** Effective-dated per region (org unit code, e.g. SH; null = national defaults from DOMAIN.md). */
@Entity('title_rule')
export class TitleRule {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { nullable: true }) regionCode: string | null;
  @Column('text') title: Title;
  @Column('date') effectiveFrom: string;
  @Column('jsonb') conditions: TitleConditions;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz') createdAt: Date;
}

export const APPLICATION_STATUSES = ['draft', 'submitted', 'kindergarten_approved', 'approved', 'rejected', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** 职称申报: opened by the teacher or the kindergarten admin; the dossier is frozen at submission; kindergarten review, then district review. */
@Entity('title_application')
export class TitleApplication {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('uuid', { nullable: true }) kindergartenId: string | null;
  @Column('text', { nullable: true }) fromTitle: Title | null;
  @Column('text') toTitle: Title;
  @Column('text') status: ApplicationStatus;
  @Column('text', { nullable: true }) statement: string | null;
  @Column('uuid', { array: true }) attachmentFileIds: string[];
  @Column('jsonb', { nullable: true }) dossier: Record<string, unknown> | null;
  @Column('jsonb', { nullable: true }) eligibility: Record<string, unknown> | null;
  @Column('uuid', { nullable: true }) openedBy: string | null;
  @Column('timestamptz') openedAt: Date;
  @Column('timestamptz', { nullable: true }) submittedAt: Date | null;
  @Column('uuid', { nullable: true }) kindergartenDecidedBy: string | null;
  @Column('timestamptz', { nullable: true }) kindergartenDecidedAt: Date | null;
  @Column('text', { nullable: true }) kindergartenComment: string | null;
  @Column('uuid', { nullable: true }) districtDecidedBy: string | null;
  @Column('timestamptz', { nullable: true }) districtDecidedAt: Date | null;
  @Column('text', { nullable: true }) districtComment: string | null;
  @Column('text', { nullable: true }) rejectionReasons: string | null;
  @Column('date', { nullable: true }) effectiveDate: string | null;
  @Column('uuid', { nullable: true }) titleRecordId: string | null;
  @VersionColumn() version: number;
}

/** 入职查询: before employment and yearly; a hit blocks the employment record. District HR only. */
@Entity('background_check')
export class BackgroundCheck {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Null for a candidate checked before their person record exists. */
  @Column('uuid', { nullable: true }) personId: string | null;
  /** The national ID's keyed lookup hash (FieldCipher.lookupHash), for a candidate's check. */
  @Column('text', { nullable: true }) nationalIdHash: string | null;
  @Column('text', { nullable: true }) candidateName: string | null;
  @Column('uuid') districtId: string;
  @Column('text') kind: 'pre_employment' | 'yearly';
  @Column('date') authorisedOn: string;
  @Column('text') authorisationRef: string;
  @Column('date') checkedOn: string;
  @Column('text') result: 'clear' | 'hit';
  @Column('text', { nullable: true }) note: string | null;
  @Column('uuid', { nullable: true }) recordedBy: string | null;
  @Column('timestamptz') createdAt: Date;
}

/** 师德承诺书: one a person a year. */
@Entity('integrity_pledge')
export class IntegrityPledge {
  @PrimaryColumn('uuid') personId: string;
  @PrimaryColumn('int') year: number;
  @Column('uuid') districtId: string;
  @Column('timestamptz') signedAt: Date;
}

/** A workforce target: a measure computed live from the record, a scope, a threshold and a deadline. */
@Entity('workforce_target')
export class WorkforceTarget {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) districtId: string | null;
  @Column('text') code: string;
  @Column('text') nameZh: string;
  @Column('text') nameEn: string;
  @Column('text') measure: string;
  @Column('jsonb') scope: Record<string, unknown>;
  @Column('text') unit: 'percent' | 'count';
  @Column('numeric', { transformer: numeric }) threshold: number;
  @Column('date') deadline: string;
  @Column('text', { nullable: true }) source: string | null;
  @Column('timestamptz', { nullable: true }) archivedAt: Date | null;
  @Column('uuid', { nullable: true }) updatedBy: string | null;
  @Column('timestamptz') updatedAt: Date;
}

/** The national staffing standard (2013) or a region's, effective-dated. */
@Entity('staffing_standard')
export class StaffingStandard {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { nullable: true }) regionCode: string | null;
  @Column('date') effectiveFrom: string;
  @Column('jsonb') rules: Record<string, unknown>;
}
