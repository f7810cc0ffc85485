import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Forbidden, NotFound, ValidationFailed } from '../../common/errors.js';
import type { PageResult } from '../../common/pagination.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { GroupQuery, type GroupListRow, type GroupMemberRow, type GroupRow } from './group.query.js';
import { OrgTreeQuery } from './org-tree.query.js';
import { groupMemberProblems, type MemberInput } from './org-rules.js';
import { groupCodeTaken, kindergartenInOtherGroup, violatedUniqueConstraint } from './org-errors.js';
import type { CreateGroupDto, UpdateGroupDto } from './group.dto.js';

export interface GroupDetail extends Omit<GroupRow, 'districtPath'> {
  members: Array<Omit<GroupMemberRow, 'path'> & { inScope: boolean }>;
  leads: Array<{ id: string; name: string }>;
  canWrite: boolean;
}

const memberSnapshot = (members: GroupMemberRow[] | MemberInput[]) =>
  members.map((m) => ({ kindergartenId: m.kindergartenId, isLead: m.isLead })).sort((a, b) => a.kindergartenId.localeCompare(b.kindergartenId));

/** Kindergarten groups (学前教育集团): one or two lead kindergartens and members of one district. */
@Injectable()
export class GroupService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queries: GroupQuery,
    private readonly units: OrgTreeQuery,
    private readonly audit: AuditService,
  ) {}

  async list(access: AccessContext, q: string | undefined, page: number, pageSize: number): Promise<PageResult<GroupListRow>> {
    const scope = access.scopePaths('org.read');
    if (!scope.length) return { items: [], total: 0, page, pageSize };
    return { ...(await this.queries.list(scope, q, page, pageSize)), page, pageSize };
  }

  async detail(access: AccessContext, id: string): Promise<GroupDetail> {
    const group = await this.queries.group(id);
    const members = group ? await this.queries.members(id) : [];
    const { districtPath, ...rest } = this.visible(access, group, members);
    return {
      ...rest,
      members: members.map(({ path, ...m }) => ({ ...m, inScope: access.canAt('org.read', path) })),
      leads: members.filter((m) => m.isLead).map((m) => ({ id: m.kindergartenId, name: m.name })),
      canWrite: access.canAt('org.write', districtPath),
    };
  }

  /** For the members form: the district's kindergartens free to join, and the current members. */
  async memberChoices(access: AccessContext, id: string) {
    const detail = await this.detail(access, id);
    if (!detail.canWrite) throw new Forbidden();
    const current = new Map(detail.members.map((m) => [m.kindergartenId, m]));
    const candidates = await this.queries.candidates(detail.districtId, id);
    return candidates.map(({ path: _path, ...k }) => ({ ...k, isMember: current.has(k.kindergartenId), isLead: current.get(k.kindergartenId)?.isLead ?? false }));
  }

  async create(access: AccessContext, dto: CreateGroupDto): Promise<GroupDetail> {
    const id = await this.mapClashes(dto.code, () => inTransaction(this.db, async (m) => {
      const district = await this.units.unit(dto.districtId, m, 'FOR SHARE');
      if (!district || district.kind !== 'district' || !access.canAt('org.read', district.path)) {
        throw ValidationFailed.field('districtId', 'ORG_DISTRICT_NOT_FOUND', 'No such district in your scope');
      }
      if (!access.canAt('org.write', district.path)) throw new Forbidden();
      await this.checkMembers(m, access, district.id, null, dto.members);
      if ((await m.query('SELECT 1 FROM kindergarten_group WHERE code = $1', [dto.code])).length) throw groupCodeTaken(dto.code);
      const groupId = randomUUID();
      await m.query('INSERT INTO kindergarten_group (id, district_id, code, name) VALUES ($1, $2, $3, $4)', [groupId, district.id, dto.code, dto.name]);
      await this.writeMembers(m, groupId, dto.members);
      await this.audit.record(access.userId, 'create', 'kindergarten_group', groupId, district.id, null,
        { code: dto.code, name: dto.name, districtId: district.id, members: memberSnapshot(dto.members) }, m);
      return groupId;
    }));
    return this.detail(access, id);
  }

  async update(access: AccessContext, id: string, dto: UpdateGroupDto): Promise<GroupDetail> {
    await this.mapClashes(dto.code ?? '', () => inTransaction(this.db, async (m) => {
      const group = await this.writable(m, access, id);
      const after = { code: dto.code ?? group.code, name: dto.name ?? group.name };
      if (after.code !== group.code && (await m.query('SELECT 1 FROM kindergarten_group WHERE code = $1', [after.code])).length) {
        throw groupCodeTaken(after.code);
      }
      await m.query('UPDATE kindergarten_group SET code = $2, name = $3, updated_at = now() WHERE id = $1', [id, after.code, after.name]);
      await this.audit.record(access.userId, 'update', 'kindergarten_group', id, group.districtId, { code: group.code, name: group.name }, after, m);
    }));
    return this.detail(access, id);
  }

  /** Replaces the member list; members staying keep their joining date. */
  async replaceMembers(access: AccessContext, id: string, members: MemberInput[]): Promise<GroupDetail> {
    await this.mapClashes('', () => inTransaction(this.db, async (m) => {
      const group = await this.writable(m, access, id);
      const before = await this.queries.members(id, m);
      await this.checkMembers(m, access, group.districtId, id, members);
      await m.query('DELETE FROM kindergarten_group_member WHERE group_id = $1 AND NOT (kindergarten_id = ANY($2::uuid[]))',
        [id, members.map((k) => k.kindergartenId)]);
      await this.writeMembers(m, id, members);
      await m.query('UPDATE kindergarten_group SET updated_at = now() WHERE id = $1', [id]);
      await this.audit.record(access.userId, 'replace_members', 'kindergarten_group', id, group.districtId,
        { members: memberSnapshot(before) }, { members: memberSnapshot(members) }, m);
    }));
    return this.detail(access, id);
  }

  private visible(access: AccessContext, group: GroupRow | null, members: { path: string }[]): GroupRow {
    // A group shows to readers of its district and to readers of any member (a group admin, a principal).
    if (!group || !(access.canAt('org.read', group.districtPath) || members.some((k) => access.canAt('org.read', k.path)))) {
      throw new NotFound('kindergarten_group');
    }
    return group;
  }

  private async writable(m: EntityManager, access: AccessContext, id: string): Promise<GroupRow> {
    const locked = await this.queries.group(id, m, 'lock');
    const group = this.visible(access, locked, locked ? await this.queries.members(id, m) : []);
    if (!access.canAt('org.write', group.districtPath)) throw new Forbidden();
    return group;
  }

  /** Every member must be a kindergarten of the group's district that the caller may write, in no other group. */
  private async checkMembers(m: EntityManager, access: AccessContext, districtId: string, groupId: string | null, members: MemberInput[]) {
    const problems = groupMemberProblems(members);
    const refs = new Map((await this.queries.kindergartens(m, members.map((k) => k.kindergartenId))).map((r) => [r.id, r]));
    members.forEach((member, i) => {
      const ref = refs.get(member.kindergartenId);
      if (!ref || ref.kind !== 'kindergarten' || ref.districtId !== districtId || !access.canAt('org.write', ref.path)) {
        problems.push({ field: `members.${i}.kindergartenId`, code: 'GROUP_MEMBER_INVALID', message: 'Not a kindergarten of the group\'s district in your scope' });
      }
    });
    if (problems.length) throw new ValidationFailed(problems);
    const taken = members.findIndex((member) => {
      const other = refs.get(member.kindergartenId)!.groupId;
      return other !== null && other !== groupId;
    });
    if (taken >= 0) throw kindergartenInOtherGroup(`members.${taken}.kindergartenId`, refs.get(members[taken].kindergartenId)!.groupName ?? '');
  }

  private async writeMembers(m: EntityManager, groupId: string, members: MemberInput[]): Promise<void> {
    await m.query(
      `INSERT INTO kindergarten_group_member (group_id, kindergarten_id, is_lead, joined_on)
       SELECT $1, x.id, x.lead, current_date FROM unnest($2::uuid[], $3::boolean[]) AS x(id, lead)
       ON CONFLICT (group_id, kindergarten_id) DO UPDATE SET is_lead = EXCLUDED.is_lead`,
      [groupId, members.map((k) => k.kindergartenId), members.map((k) => k.isLead)],
    );
  }

  /** Unique-index losses of a concurrent writer answer like the pre-checks. */
  private async mapClashes<T>(code: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const constraint = violatedUniqueConstraint(error);
      if (constraint === 'kindergarten_group_code_key') throw groupCodeTaken(code);
      if (constraint === 'kindergarten_group_member_kindergarten_id_key') throw kindergartenInOtherGroup('members', '');
      throw error;
    }
  }
}
