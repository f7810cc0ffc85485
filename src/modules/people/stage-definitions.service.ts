import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, FindOptionsWhere, Repository } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { AuditService } from '../audit/audit.service.js';
import { StageDefinition, STAGE_KINDS, type StageKind } from './person-records.entity.js';
import type { CreateStageDefinitionDto, UpdateStageDefinitionDto } from './person-records.dto.js';
import { StageDefinitionExists, StageDefinitionNotFound } from './people-errors.js';

/**
 * The configurable stage ladders (teacher: 新手型/胜任型/骨干型; principal: 后备 … 专家型).
 * Stages are retired, never deleted, because stage records keep pointing at them.
 */
@Injectable()
export class StageDefinitionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(StageDefinition) private readonly stages: Repository<StageDefinition>,
    private readonly audit: AuditService,
  ) {}

  /** Every stage, retired ones too, in ladder order, held in memory: pages describe stages on every request. */
  private cache: { rows: Promise<StageDefinition[]>; at: number } | null = null;

  /**
   * The same as `list(undefined, true)`, from memory. A change made here clears it at once; a change made
   * by another process is seen within a minute.
   */
  async all(): Promise<StageDefinition[]> {
    if (!this.cache || Date.now() - this.cache.at > 60_000) {
      const rows = this.list(undefined, true);
      this.cache = { rows, at: Date.now() };
      rows.catch(() => { if (this.cache?.rows === rows) this.cache = null; });
    }
    return this.cache.rows;
  }

  async list(kind?: StageKind, includeInactive = false): Promise<StageDefinition[]> {
    const where: FindOptionsWhere<StageDefinition> = {};
    if (kind) where.kind = kind;
    if (!includeInactive) where.active = true;
    return this.stages.find({ where, order: { kind: 'DESC', sortOrder: 'ASC', code: 'ASC' } });
  }

  async create(access: AccessContext, input: CreateStageDefinitionDto): Promise<StageDefinition> {
    return this.db.transaction(async (manager) => {
      // Serialises concurrent creations of the same ladder so sort orders and the duplicate check hold.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`stage_definition:${input.kind}`]);
      if (await manager.existsBy(StageDefinition, { kind: input.kind, code: input.code })) throw new StageDefinitionExists(input.kind, input.code);
      const [{ next }] = await manager.query('SELECT coalesce(max(sort_order), 0) + 1 AS next FROM stage_definition WHERE kind = $1', [input.kind]);
      const stage = await manager.save(manager.create(StageDefinition, {
        kind: input.kind, code: input.code, nameZh: input.nameZh, nameEn: input.nameEn, sortOrder: input.sortOrder ?? Number(next), active: true,
      }));
      await this.audit.record(access.userId, 'create', 'stage_definition', `${stage.kind}:${stage.code}`, null, null, { ...stage }, manager);
      return stage;
    }).finally(() => { this.cache = null; });
  }

  /** Renames, reorders, retires (active: false) or brings back a stage. */
  async update(access: AccessContext, kind: string, code: string, input: UpdateStageDefinitionDto): Promise<StageDefinition> {
    if (!(STAGE_KINDS as readonly string[]).includes(kind)) throw new StageDefinitionNotFound(kind, code);
    return this.db.transaction(async (manager) => {
      const stage = await manager.findOne(StageDefinition, { where: { kind: kind as StageKind, code }, lock: { mode: 'pessimistic_write' } });
      if (!stage) throw new StageDefinitionNotFound(kind, code);
      const before = { ...stage };
      if (input.nameZh !== undefined) stage.nameZh = input.nameZh;
      if (input.nameEn !== undefined) stage.nameEn = input.nameEn;
      if (input.sortOrder !== undefined) stage.sortOrder = input.sortOrder;
      if (input.active !== undefined) stage.active = input.active;
      await manager.save(stage);
      await this.audit.record(access.userId, 'update', 'stage_definition', `${kind}:${code}`, null, before, { ...stage }, manager);
      return stage;
    }).finally(() => { this.cache = null; });
  }
}
