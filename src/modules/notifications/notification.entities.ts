import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('notification')
export class Notification {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') userId: string;
  @Column('text') kind: string;
  @Column('text') title: string;
  @Column('text') body: string;
  @Column('text', { nullable: true }) link: string | null;
  /** Makes a retried job's notification a no-op. */
  @Column('text', { nullable: true }) dedupeKey: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) readAt: Date | null;
}

export type MailStatus = 'pending' | 'sent' | 'kept' | 'failed';

@Entity('mail_outbox')
export class MailOutbox {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') toAddress: string;
  @Column('text') subject: string;
  @Column('text') html: string;
  @Column('text') textBody: string;
  @Column('text') template: string;
  /** `kept`: no SMTP configured, the mail stays in the outbox page for district admins. */
  @Column('text') status: MailStatus;
  @Column('int') attempts: number;
  @Column('text', { nullable: true }) lastError: string | null;
  @Column('text', { nullable: true }) dedupeKey: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) sentAt: Date | null;
}
