import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CERTIFICATE_STATUSES = ['pending', 'issued', 'revoked', 'superseded'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** What a certificate states, frozen when it is issued. */
export interface CertificateSnapshot {
  fullName: string;
  courseTitle: string;
  offeringLabel: string;
  hours: number;
  credits: number;
  /** yyyy-mm-dd, Shanghai. */
  completedOn: string;
  issuer: string;
  partial: boolean;
}

/** One certificate per open completion; a re-issue supersedes the old one, a revocation keeps the row so it verifies as revoked. */
@Entity('certificate')
export class Certificate {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') completionId: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('text') code: string;
  @Column('text') status: CertificateStatus;
  @Column('jsonb') snapshot: CertificateSnapshot;
  @Column('uuid', { nullable: true }) fileId: string | null;
  @Column('timestamptz', { nullable: true }) issuedAt: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  @Column('uuid', { nullable: true }) revokedBy: string | null;
  @Column('text', { nullable: true }) revokeReason: string | null;
  @Column('uuid', { nullable: true }) supersededBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
