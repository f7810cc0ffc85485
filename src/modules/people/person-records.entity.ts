import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Post } from './person.entity.js';

export const TITLES = ['third', 'second', 'first', 'senior', 'professorial'] as const;
export type Title = (typeof TITLES)[number];
/** 高级 and 正高级 are the senior titles the district's targets count. */
export const SENIOR_TITLES: readonly Title[] = ['senior', 'professorial'];
export const CERTIFICATE_KINDS = ['teacher_qualification', 'principal_training', 'caregiver', 'health_care', 'other'] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];
export const HONOURS = ['special_teacher', 'special_principal', 'district_backbone', 'subject_leader', 'other'] as const;
export type Honour = (typeof HONOURS)[number];
export const STAGE_KINDS = ['teacher', 'principal'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

@Entity('employment')
export class Employment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('uuid') orgUnitId: string;
  @Column('uuid') districtId: string;
  @Column('text') post: Post;
  @Column('date') startDate: string;
  @Column('date', { nullable: true }) endDate: string | null;
  @Column('text', { nullable: true }) note: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('title_record')
export class TitleRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('text') title: Title;
  @Column('date') effectiveDate: string;
  @Column('text') approvingBody: string;
  /** A lower title than the current one is only accepted as an explicit correction with a reason. */
  @Column('boolean') isCorrection: boolean;
  @Column('text', { nullable: true }) correctionReason: string | null;
  @Column('uuid', { nullable: true }) recordedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('person_certificate')
export class PersonCertificate {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('text') kind: CertificateKind;
  @Column('text') number: string;
  @Column('text', { nullable: true }) issuer: string | null;
  @Column('date') issuedOn: string;
  @Column('date', { nullable: true }) expiresOn: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('person_honour')
export class PersonHonour {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('text') honour: Honour;
  @Column('text', { nullable: true }) name: string | null;
  @Column('date') awardedOn: string;
  @Column('text', { nullable: true }) awardedBy: string | null;
  @Column('date', { nullable: true }) expiresOn: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('stage_record')
export class StageRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('text') kind: StageKind;
  @Column('text') stage: string;
  @Column('date') effectiveDate: string;
  @Column('uuid', { nullable: true }) recordedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** The configurable stage lists (新手型/胜任型/骨干型; 后备 … 专家型). */
@Entity('stage_definition')
export class StageDefinition {
  @PrimaryColumn('text') kind: StageKind;
  @PrimaryColumn('text') code: string;
  @Column('text') nameZh: string;
  @Column('text') nameEn: string;
  @Column('int') sortOrder: number;
  @Column('boolean') active: boolean;
}
