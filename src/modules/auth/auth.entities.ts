import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const ROLES = ['teacher', 'trainer', 'kindergarten_admin', 'group_admin', 'district_admin', 'expert'] as const;
export type Role = (typeof ROLES)[number];

@Entity('app_user')
export class AppUser {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') username: string;
  @Column('uuid', { nullable: true }) personId: string | null;
  @Column('text') displayName: string;
  @Column('text') passwordHash: string;
  @Column('text') locale: 'zh-CN' | 'en';
  @Column('timestamptz', { nullable: true }) disabledAt: Date | null;
  @Column('timestamptz') passwordChangedAt: Date;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('role_assignment')
export class RoleAssignment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') userId: string;
  @Column('text') role: Role;
  @Column('uuid', { nullable: true }) orgUnitId: string | null;
  @Column('uuid', { nullable: true }) groupId: string | null;
  @Column('uuid', { nullable: true }) grantedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('auth_session')
export class AuthSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') userId: string;
  @Column('text') tokenHash: string;
  @Column('text') kind: 'web' | 'api';
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  @Column('timestamptz') lastSeenAt: Date;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { nullable: true }) userAgent: string | null;
}

@Entity('login_throttle')
export class LoginThrottle {
  @PrimaryColumn('text') key: string;
  @Column('int') failures: number;
  @Column('timestamptz') windowStartedAt: Date;
}
