import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { numeric } from '../../database/numeric.js';
import type { Post } from '../people/person.entity.js';

export const CONTEST_AWARDS = ['first', 'second', 'third', 'excellence', 'none'] as const;
export type ContestAward = (typeof CONTEST_AWARDS)[number];
export const CONTEST_ENTRY_STATUSES = ['entered', 'withdrawn', 'judged'] as const;
export type ContestEntryStatus = (typeof CONTEST_ENTRY_STATUSES)[number];

/** An entry in a contest (业务竞赛); a judged award feeds the record (ledger credit and an honour). */
@Entity('contest_entry')
export class ContestEntry {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') programId: string;
  @Column('uuid') personId: string;
  @Column('uuid') districtId: string;
  @Column('uuid', { nullable: true }) kindergartenId: string | null;
  @Column('text') post: Post;
  @Column('text') status: ContestEntryStatus;
  @Column('numeric', { nullable: true, transformer: numeric }) score: number | null;
  @Column('text', { nullable: true }) award: ContestAward | null;
  @Column('uuid', { nullable: true }) judgedBy: string | null;
  @Column('timestamptz', { nullable: true }) judgedAt: Date | null;
  @Column('uuid', { nullable: true }) creditEntryId: string | null;
  @Column('uuid', { nullable: true }) honourId: string | null;
  @Column('uuid', { nullable: true }) enteredBy: string | null;
  @Column('timestamptz') createdAt: Date;
  @VersionColumn() version: number;
}
