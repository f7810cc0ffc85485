import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AuditLog } from './audit-log.entity.js';

export interface AuditQuery {
  districtIds: string[] | 'all';
  entityType?: string;
  entityId?: string;
  page: number;
  pageSize: number;
}

/** Who changed which record, when, from what to what. Written in the same transaction as the change. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditLog) private readonly log: Repository<AuditLog>) {}

  async record(
    actorUserId: string | null,
    action: string,
    entityType: string,
    entityId: string,
    districtId: string | null,
    before: object | null,
    after: object | null,
    manager?: EntityManager,
  ): Promise<void> {
    const repository = manager ? manager.getRepository(AuditLog) : this.log;
    await repository.createQueryBuilder().insert().into(AuditLog).values({
      actorUserId, action, entityType, entityId, districtId,
      before: (before ? diffSide(before, after) : null) as never,
      after: (after ? diffSide(after, before) : null) as never,
    }).execute();
  }

  async list(query: AuditQuery): Promise<{ items: (AuditLog & { actorName: string | null })[]; total: number }> {
    const qb = this.log.createQueryBuilder('a')
      .leftJoin('app_user', 'u', 'u.id = a.actor_user_id')
      .addSelect('u.display_name', 'actor_name')
      .orderBy('a.occurred_at', 'DESC').addOrderBy('a.id', 'DESC');
    if (query.districtIds !== 'all') qb.andWhere('a.district_id = ANY(:districtIds)', { districtIds: query.districtIds });
    if (query.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
    const total = await qb.getCount();
    const { entities, raw } = await qb.offset((query.page - 1) * query.pageSize).limit(query.pageSize).getRawAndEntities();
    return { items: entities.map((e, i) => Object.assign(e, { actorName: (raw[i]?.actor_name as string) ?? null })), total };
  }
}

/** Keeps only the fields that differ, so an update's entry says exactly what changed. */
function diffSide(side: object, other: object | null): Record<string, unknown> {
  const entries = Object.entries(side).filter(([key, value]) => {
    if (['updatedAt', 'createdAt', 'version'].includes(key)) return false;
    if (!other) return true;
    return JSON.stringify(value) !== JSON.stringify((other as Record<string, unknown>)[key]);
  });
  return Object.fromEntries(entries);
}
