import { Column, Entity, PrimaryGeneratedColumn, VersionColumn, CreateDateColumn, UpdateDateColumn } from 'typeorm';

export const ORG_UNIT_KINDS = ['city', 'district', 'town', 'zone', 'kindergarten'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];
export const OWNERSHIPS = ['public', 'private'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];
export const KINDERGARTEN_GRADES = ['city_demonstration', 'district_demonstration', 'first', 'second', 'third', 'unrated'] as const;
export type KindergartenGrade = (typeof KINDERGARTEN_GRADES)[number];
export const KINDERGARTEN_STATUSES = ['operating', 'planned', 'closed'] as const;
export type KindergartenStatus = (typeof KINDERGARTEN_STATUSES)[number];

/** Which kinds may sit directly under which: city → district → town / zone → kindergarten. */
export const ALLOWED_PARENT_KINDS: Record<OrgUnitKind, OrgUnitKind[]> = {
  city: [],
  district: ['city'],
  town: ['district'],
  zone: ['district', 'town'],
  kindergarten: ['district', 'town', 'zone'],
};

@Entity('org_unit')
export class OrgUnit {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') kind: OrgUnitKind;
  @Column('uuid', { nullable: true }) parentId: string | null;
  /** Materialised path of ids, '/<city>/<district>/.../<self>/': a subtree is a prefix match. */
  @Column('text') path: string;
  @Column('int') depth: number;
  @Column('uuid', { nullable: true }) districtId: string | null;
  @Column('text') code: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) nameEn: string | null;
  @Column('text', { nullable: true }) ownership: Ownership | null;
  @Column('boolean', { nullable: true }) inclusive: boolean | null;
  @Column('text', { nullable: true }) grade: KindergartenGrade | null;
  @Column('text', { nullable: true }) status: KindergartenStatus | null;
  @Column('int', { nullable: true }) foundedYear: number | null;
  @Column('int', { nullable: true }) openingYear: number | null;
  @Column('int', { nullable: true }) kindergartenClasses: number | null;
  @Column('int', { nullable: true }) nurseryClasses: number | null;
  @Column('int', { nullable: true }) childrenEnrolled: number | null;
  @Column('text', { nullable: true }) address: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}
