import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numeric } from '../../database/numeric.js';

/**
 * How many 学时 make one 学分 in a region (a city or district), from a date on. Centralised
 * (face-to-face) and other training may differ, e.g. 6 and 8; Shanghai uses 10 for both.
 */
@Entity('credit_conversion_rule')
export class CreditConversionRule {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') regionId: string;
  @Column('numeric', { transformer: numeric }) hoursPerCreditCentralised: number;
  @Column('numeric', { transformer: numeric }) hoursPerCreditOther: number;
  @Column('date') effectiveFrom: string;
  @Column('uuid', { nullable: true }) recordedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
