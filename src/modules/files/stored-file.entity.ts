import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const FILE_PURPOSES = ['claim_evidence', 'submission', 'import', 'certificate', 'mentoring_evidence', 'title_evidence',
  'program_attachment', 'program_output', 'import_result', 'export', 'other'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

/** An uploaded file's record; the bytes live in the storage backend under `storageKey`. */
@Entity('stored_file')
export class StoredFile {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) districtId: string | null;
  @Column('uuid', { nullable: true }) ownerUserId: string | null;
  @Column('text') purpose: FilePurpose;
  @Column('text') originalName: string;
  @Column('text') contentType: string;
  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) sizeBytes: number;
  @Column('text') sha256: string;
  @Column('text') storageKey: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
