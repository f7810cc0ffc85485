import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('kindergarten_group')
export class KindergartenGroup {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') districtId: string;
  @Column('text') code: string;
  @Column('text') name: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity('kindergarten_group_member')
export class KindergartenGroupMember {
  @PrimaryColumn('uuid') groupId: string;
  @PrimaryColumn('uuid') kindergartenId: string;
  /** A lead kindergarten (引领园/核心园); a group has one or two. */
  @Column('boolean') isLead: boolean;
  @Column('date', { nullable: true }) joinedOn: string | null;
}
