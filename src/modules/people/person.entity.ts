import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export const GENDERS = ['female', 'male'] as const;
export type Gender = (typeof GENDERS)[number];
export const EDUCATION_LEVELS = ['high_school', 'secondary_vocational', 'junior_college', 'bachelor', 'master', 'doctorate'] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];
export const POSTS = ['teacher', 'principal', 'vice_principal', 'caregiver', 'health', 'nutrition', 'other'] as const;
export type Post = (typeof POSTS)[number];

@Entity('person')
export class Person {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') districtId: string;
  @Column('text') fullName: string;
  @Column('text') gender: Gender;
  @Column('date') birthDate: string;
  /** AES-GCM ciphertext; read through the people service, which masks it for most viewers. */
  @Column('text') nationalIdEnc: string;
  /** Keyed hash for exact matching (imports, uniqueness) without decrypting. */
  @Column('text') nationalIdHash: string;
  @Column('text') nationalIdMasked: string;
  @Column('text', { nullable: true }) phoneEnc: string | null;
  @Column('text', { nullable: true }) phoneHash: string | null;
  @Column('text', { nullable: true }) phoneMasked: string | null;
  @Column('text') educationLevel: EducationLevel;
  /** Whether the education was in preschool education (学前教育专业). */
  @Column('boolean') preschoolMajor: boolean;
  @Column('date', { nullable: true }) hireDate: string | null;
  @Column('text', { nullable: true }) teacherStage: string | null;
  @Column('text', { nullable: true }) principalStage: string | null;
  /** Kindergarten of the current employment, kept in step by the people service for scope queries. */
  @Column('uuid', { nullable: true }) currentOrgUnitId: string | null;
  @Column('text', { nullable: true }) currentPost: Post | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}
