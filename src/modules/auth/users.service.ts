import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { districtIdOfPath, type AccessContext } from '../../common/access-context.js';
import { Conflict, NotFound, ValidationFailed } from '../../common/errors.js';
import { OrgScopeService } from '../org/org-scope.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { AuditService } from '../audit/audit.service.js';
import { AppUser, RoleAssignment } from './auth.entities.js';
import { AuthService } from './auth.service.js';
import { hashPassword, isAcceptablePassword } from './passwords.js';
import { UsersQuery } from './users.query.js';
import type { CreateUserDto, RoleGrantDto } from './users.dto.js';

const ORG_ROLES = ['trainer', 'kindergarten_admin', 'district_admin'];

/** Accounts and their scoped roles, managed by district administrators inside their subtree. */
@Injectable()
export class UsersService {
  private readonly query: UsersQuery;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(AppUser) private readonly users: Repository<AppUser>,
    private readonly orgScope: OrgScopeService,
    private readonly people: PeopleDirectory,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
  ) {
    this.query = new UsersQuery(db);
  }

  list(access: AccessContext, q: string | undefined, page: number, pageSize: number) {
    return this.query.list(access.scopePaths('roles.manage'), { q }, page, pageSize);
  }

  async get(access: AccessContext, userId: string) {
    const { items } = await this.query.list(access.scopePaths('roles.manage'), { userId }, 1, 1);
    if (!items[0]) throw new NotFound('user', userId);
    return items[0];
  }

  async create(access: AccessContext, input: CreateUserDto): Promise<{ id: string }> {
    const problems = [];
    if (!isAcceptablePassword(input.password)) problems.push({ field: 'password', code: 'weak_password', message: 'password needs at least 8 characters with letters and digits' });
    if (input.personId) {
      const person = await this.people.personOrgPath(input.personId);
      if (!person || !access.canAt('roles.manage', person.path)) problems.push({ field: 'personId', code: 'not_found', message: 'personId is not a person in your scope' });
    }
    if (problems.length) throw new ValidationFailed(problems);
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction(async (manager) => {
      const taken = await manager.getRepository(AppUser).createQueryBuilder('u')
        .where('lower(u.username) = lower(:username)', { username: input.username }).getOne();
      if (taken) throw new Conflict('USERNAME_TAKEN', 'The username is taken', { fields: [{ field: 'username', code: 'taken', message: 'username is taken' }] });
      if (input.personId && (await manager.getRepository(AppUser).existsBy({ personId: input.personId }))) {
        throw new Conflict('PERSON_HAS_ACCOUNT', 'The person already has an account', { fields: [{ field: 'personId', code: 'taken', message: 'personId already has an account' }] });
      }
      const user = await manager.getRepository(AppUser).save(manager.getRepository(AppUser).create({
        username: input.username, displayName: input.displayName, passwordHash, personId: input.personId ?? null, locale: 'zh-CN', disabledAt: null, passwordChangedAt: new Date(),
      }));
      await this.audit.record(access.userId, 'create', 'user', user.id, access.districtIdFor('roles.manage'), null, { username: user.username, displayName: user.displayName, personId: user.personId }, manager);
      if (input.personId) await this.insertRole(manager, access, user.id, { role: 'teacher' });
      for (const grant of input.roles ?? []) {
        if (grant.role === 'teacher' && input.personId) continue;
        await this.grantChecked(manager, access, user.id, grant, 'roles');
      }
      return { id: user.id };
    });
  }

  async grant(access: AccessContext, userId: string, grant: RoleGrantDto): Promise<{ id: string }> {
    await this.assertVisible(access, userId);
    return this.db.transaction((manager) => this.grantChecked(manager, access, userId, grant, ''));
  }

  private async grantChecked(manager: EntityManager, access: AccessContext, userId: string, grant: RoleGrantDto, prefix: string): Promise<{ id: string }> {
    const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
    if (grant.role === 'group_admin') {
      if (!grant.groupId || grant.orgUnitId) throw ValidationFailed.field(field('groupId'), 'required', 'group_admin needs groupId and no orgUnitId');
      const path = await this.query.groupDistrictPath(grant.groupId);
      if (!path || !access.canAt('roles.manage', path)) throw ValidationFailed.field(field('groupId'), 'not_found', 'groupId is not a group in your scope');
    } else if (ORG_ROLES.includes(grant.role) || grant.orgUnitId) {
      if (!grant.orgUnitId || grant.groupId) throw ValidationFailed.field(field('orgUnitId'), 'required', `${grant.role} needs orgUnitId and no groupId`);
      const path = (await this.orgScope.unit(grant.orgUnitId))?.path;
      if (!path || !access.canAt('roles.manage', path)) throw ValidationFailed.field(field('orgUnitId'), 'not_found', 'orgUnitId is not an org unit in your scope');
    } else if (grant.groupId) {
      throw ValidationFailed.field(field('groupId'), 'not_allowed', `${grant.role} takes no groupId`);
    }
    return this.insertRole(manager, access, userId, grant);
  }

  /** Granting a role the user already holds answers the existing assignment (a retry creates nothing). */
  private async insertRole(manager: EntityManager, access: AccessContext, userId: string, grant: RoleGrantDto): Promise<{ id: string }> {
    const repository = manager.getRepository(RoleAssignment);
    const existing = await repository.createQueryBuilder('r')
      .where('r.user_id = :userId AND r.role = :role', { userId, role: grant.role })
      .andWhere(grant.orgUnitId ? 'r.org_unit_id = :orgUnitId' : 'r.org_unit_id IS NULL', { orgUnitId: grant.orgUnitId })
      .andWhere(grant.groupId ? 'r.group_id = :groupId' : 'r.group_id IS NULL', { groupId: grant.groupId }).getOne();
    if (existing) return { id: existing.id };
    const path = grant.orgUnitId ? (await this.orgScope.unit(grant.orgUnitId))?.path
      : grant.groupId ? await this.query.groupDistrictPath(grant.groupId) : null;
    const districtId = districtIdOfPath(path) ?? access.districtIdFor('roles.manage');
    const saved = await repository.save(repository.create({ userId, role: grant.role, orgUnitId: grant.orgUnitId ?? null, groupId: grant.groupId ?? null, grantedBy: access.userId }));
    await this.audit.record(access.userId, 'grant', 'role_assignment', saved.id, districtId, null, { userId, role: grant.role, orgUnitId: saved.orgUnitId, groupId: saved.groupId }, manager);
    return { id: saved.id };
  }

  async revoke(access: AccessContext, userId: string, assignmentId: string): Promise<void> {
    await this.assertVisible(access, userId);
    await this.db.transaction(async (manager) => {
      const assignment = await manager.getRepository(RoleAssignment).findOneBy({ id: assignmentId, userId });
      if (!assignment) throw new NotFound('role assignment', assignmentId);
      const path = assignment.orgUnitId ? (await this.orgScope.unit(assignment.orgUnitId))?.path
        : assignment.groupId ? await this.query.groupDistrictPath(assignment.groupId) : null;
      if (path && !access.canAt('roles.manage', path)) throw new NotFound('role assignment', assignmentId);
      await manager.getRepository(RoleAssignment).delete({ id: assignmentId });
      await this.audit.record(access.userId, 'revoke', 'role_assignment', assignmentId, districtIdOfPath(path) ?? access.districtIdFor('roles.manage'), { userId, role: assignment.role, orgUnitId: assignment.orgUnitId, groupId: assignment.groupId }, null, manager);
    });
  }

  /** Disabling stops every token of the user at once. */
  async setDisabled(access: AccessContext, userId: string, disabled: boolean): Promise<void> {
    await this.assertVisible(access, userId);
    if (userId === access.userId) throw ValidationFailed.field('userId', 'self', 'you cannot disable your own account');
    await this.users.update({ id: userId }, { disabledAt: disabled ? new Date() : null });
    if (disabled) await this.auth.logoutEverywhere(userId);
    await this.audit.record(access.userId, disabled ? 'disable' : 'enable', 'user', userId, access.districtIdFor('roles.manage'), null, { disabled });
  }

  private async assertVisible(access: AccessContext, userId: string): Promise<void> {
    if (!(await this.query.visible(access.scopePaths('roles.manage'), userId))) throw new NotFound('user', userId);
  }
}
