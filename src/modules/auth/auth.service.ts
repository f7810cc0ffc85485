import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { AccessContext, type Grant } from '../../common/access-context.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { PreparedReads } from '../../database/prepared-reads.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { AuditService } from '../audit/audit.service.js';
import { AppUser, AuthSession } from './auth.entities.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { hashPassword, isAcceptablePassword, verifyPassword } from './passwords.js';
import { hashToken, newToken } from './tokens.js';

interface SessionRow {
  session_id: string;
  last_seen_at: Date;
  id: string;
  username: string;
  display_name: string;
  person_id: string | null;
  locale: 'zh-CN' | 'en';
  grants: Grant[];
}

/**
 * A user's grants as JSON: each role assignment with the org paths it reaches (its org unit's path,
 * or the paths of its group's member kindergartens; none when the unit is gone).
 */
const grantsSql = (userId: string) => `(SELECT coalesce(json_agg(json_build_object(
      'role', a.role, 'orgUnitId', a.org_unit_id, 'groupId', a.group_id,
      'orgPaths', CASE
        WHEN a.org_unit_id IS NOT NULL THEN (SELECT coalesce(json_agg(o.path), '[]') FROM org_unit o WHERE o.id = a.org_unit_id)
        WHEN a.group_id IS NOT NULL THEN (SELECT coalesce(json_agg(o.path), '[]') FROM kindergarten_group_member m JOIN org_unit o ON o.id = m.kindergarten_id WHERE m.group_id = a.group_id)
        ELSE '[]' END)), '[]')
    FROM role_assignment a WHERE a.user_id = ${userId})`;

const SESSION_LOOKUP_SQL = `SELECT s.id AS session_id, s.last_seen_at, u.id, u.username, u.display_name, u.person_id, u.locale, ${grantsSql('u.id')} AS grants
    FROM auth_session s JOIN app_user u ON u.id = s.user_id
   WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`;

export interface LoginMeta {
  ip: string;
  userAgent: string | null;
  kind: 'web' | 'api';
}

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(AppUser) private readonly users: Repository<AppUser>,
    @InjectRepository(AuthSession) private readonly sessions: Repository<AuthSession>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly throttle: LoginThrottleService,
    private readonly people: PeopleDirectory,
    private readonly audit: AuditService,
    private readonly reads: PreparedReads,
  ) {}

  /** Signs in by username or phone; answers a new session token. Failures are throttled per account and address. */
  async login(identifier: string, password: string, meta: LoginMeta): Promise<{ token: string; expiresAt: Date; user: AppUser }> {
    await this.throttle.assertAllowed(identifier, meta.ip);
    const user = await this.findUser(identifier);
    const ok = user && !user.disabledAt && (await verifyPassword(user.passwordHash, password));
    if (!ok) {
      await this.throttle.recordFailure(identifier, meta.ip);
      throw new DomainError('INVALID_CREDENTIALS', 401, 'Wrong username or password');
    }
    await this.throttle.recordSuccess(identifier);
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3600_000);
    await this.sessions.insert({
      userId: user.id, tokenHash: hashToken(token), kind: meta.kind, expiresAt, lastSeenAt: new Date(),
      ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null,
    });
    return { token, expiresAt, user };
  }

  private async findUser(identifier: string): Promise<AppUser | null> {
    const trimmed = identifier.trim();
    const byName = await this.users.createQueryBuilder('u').where('lower(u.username) = lower(:name)', { name: trimmed }).getOne();
    if (byName) return byName;
    if (!/^1\d{10}$/.test(trimmed)) return null;
    const personIds = await this.people.personIdsByPhone(trimmed);
    if (personIds.length !== 1) return null;
    return this.users.findOneBy({ personId: personIds[0] });
  }

  /**
   * The access context of a live session token, or null when it is unknown, expired, revoked or its
   * user disabled. One statement reads the session, the user and their grants with the org paths
   * they reach: this runs on every request, and nothing of it is cached, so a revoked session or a
   * disabled user stops working at once.
   */
  async resolve(token: string, viaCookie: boolean): Promise<AccessContext | null> {
    const [row] = await this.reads.query<SessionRow>('auth-session-lookup', SESSION_LOOKUP_SQL, [hashToken(token)]);
    if (!row) return null;
    if (Date.now() - row.last_seen_at.getTime() > 60_000) {
      await this.sessions.update({ id: row.session_id }, { lastSeenAt: new Date() });
    }
    return new AccessContext(row.id, row.session_id, row.username, row.display_name, row.person_id, row.locale, row.grants, viaCookie);
  }

  async grantsOf(userId: string): Promise<Grant[]> {
    const [row]: Array<{ grants: Grant[] }> = await this.sessions.query(`SELECT ${grantsSql('$1::uuid')} AS grants`, [userId]);
    return row.grants;
  }

  async logout(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Revokes every session of the user, e.g. "sign out everywhere" or after a password change. */
  async logoutEverywhere(userId: string, exceptSessionId?: string): Promise<number> {
    const query = this.sessions.createQueryBuilder().update().set({ revokedAt: () => 'now()' })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (exceptSessionId) query.andWhere('id <> :exceptSessionId', { exceptSessionId });
    return (await query.execute()).affected ?? 0;
  }

  async changePassword(access: AccessContext, current: string, next: string): Promise<void> {
    const user = await this.users.findOneByOrFail({ id: access.userId });
    if (!isAcceptablePassword(next)) {
      throw ValidationFailed.field('newPassword', 'weak_password', 'newPassword needs at least 8 characters with letters and digits');
    }
    if (!(await verifyPassword(user.passwordHash, current))) {
      throw new DomainError('WRONG_PASSWORD', 400, 'The current password is wrong', { fields: [{ field: 'currentPassword', code: 'wrong_password', message: 'wrong password' }] });
    }
    await this.users.update({ id: user.id }, { passwordHash: await hashPassword(next), passwordChangedAt: new Date() });
    await this.logoutEverywhere(user.id, access.sessionId);
    await this.audit.record(access.userId, 'password_change', 'user', user.id, null, null, null);
  }
}
