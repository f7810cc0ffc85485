import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ETHICS_SANCTION_KINDS = ['warning', 'demerit', 'demotion_or_removal', 'dismissal'] as const;
export type EthicsSanctionKind = (typeof ETHICS_SANCTION_KINDS)[number];

/** 师德失范处理. While `blocksUntil` has not passed, the person cannot enrol, be selected, awarded or promoted. */
@Entity('ethics_sanction')
export class EthicsSanction {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('text') kind: EthicsSanctionKind;
  @Column('date') decidedOn: string;
  @Column('date', { nullable: true }) sanctionUntil: string | null;
  @Column('date') blocksUntil: string;
  @Column('text') reason: string;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  @Column('uuid', { nullable: true }) revokedBy: string | null;
  @Column('text', { nullable: true }) revokeReason: string | null;
  @Column('timestamptz', { nullable: true }) correctedAt: Date | null;
  @Column('uuid', { nullable: true }) recordedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
