import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Conflict, NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import type { CreateTargetDto, UpdateTargetDto } from './targets.dto.js';
import { WorkforceTarget } from './titles.entities.js';

export interface DefinitionAnswer {
  target: WorkforceTarget;
  /** False when the same definition was there already (a retry). */
  changed: boolean;
}

const OWNERSHIPS = ['public', 'private', 'all'];
const DEFINITION_FIELDS = ['nameZh', 'nameEn', 'measure', 'scope', 'unit', 'threshold', 'deadline', 'source'] as const;

/** Problems with a definition as it would be stored: the percent ceiling depends on the unit, the scope's keys are known ones. */
export function definitionProblems(target: Pick<WorkforceTarget, 'unit' | 'threshold' | 'scope'>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (target.unit === 'percent' && target.threshold > 100) {
    problems.push({ field: 'threshold', code: 'THRESHOLD_ABOVE_100', message: 'a percent threshold must lie between 0 and 100' });
  }
  for (const [key, value] of Object.entries(target.scope ?? {})) {
    if (key === 'ownership' && !OWNERSHIPS.includes(value as string)) {
      problems.push({ field: 'scope.ownership', code: 'isIn', message: 'scope.ownership must be public, private or all' });
    } else if (key === 'groups' && !(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 1000)) {
      problems.push({ field: 'scope.groups', code: 'isInt', message: 'scope.groups must be a whole number from 1' });
    } else if (key !== 'ownership' && key !== 'groups') {
      problems.push({ field: `scope.${key}`, code: 'unknown_field', message: `scope.${key} is not an allowed field` });
    }
  }
  return problems;
}

const same = (a: WorkforceTarget, b: Partial<WorkforceTarget>) =>
  DEFINITION_FIELDS.every((f) => b[f] === undefined || JSON.stringify(a[f] ?? null) === JSON.stringify(b[f] ?? null));

/** Target definitions as data: a district adds its own, and overrides or archives a default code with its own row. */
@Injectable()
export class TargetDefinitionsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService) {}

  async create(access: AccessContext, input: CreateTargetDto): Promise<DefinitionAnswer> {
    const districtId = this.districtOf(access);
    const values = { ...input, scope: input.scope ?? {}, source: input.source ?? null };
    const problems = definitionProblems(values);
    if (problems.length) throw new ValidationFailed(problems);
    return inTransaction(this.db, async (m) => {
      const repo = m.getRepository(WorkforceTarget);
      const inserted: Array<{ id: string }> = await m.query(
        `INSERT INTO workforce_target (district_id, code, name_zh, name_en, measure, scope, unit, threshold, deadline, source, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (district_id, code) DO NOTHING RETURNING id`,
        [districtId, values.code, values.nameZh, values.nameEn, values.measure, values.scope, values.unit, values.threshold, values.deadline, values.source, access.userId]);
      if (!inserted.length) {
        const existing = await repo.findOneByOrFail({ districtId, code: values.code });
        if (!existing.archivedAt && same(existing, values)) return { target: existing, changed: false };
        throw new Conflict('TARGET_CODE_TAKEN', `The district already has a target ${values.code}`, { field: 'code', id: existing.id });
      }
      const target = await repo.findOneByOrFail({ id: inserted[0].id });
      await this.audit.record(access.userId, 'create', 'workforce_target', target.id, districtId, null, { ...target }, m);
      return { target, changed: true };
    });
  }

  /** A change to a district's row; on a default it writes (or updates) the district's override of that code. */
  async update(access: AccessContext, id: string, input: UpdateTargetDto): Promise<DefinitionAnswer> {
    const districtId = this.districtOf(access);
    return inTransaction(this.db, async (m) => {
      const row = await this.own(m, districtId, id);
      const merged = { ...row, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as WorkforceTarget;
      const problems = definitionProblems(merged);
      if (problems.length) throw new ValidationFailed(problems);
      if (row.districtId && same(row, input)) return { target: row, changed: false };
      return { target: await this.write(m, access, districtId, row, merged), changed: true };
    });
  }

  /** Archives the district's row (an override of a default hides the default for the district); a second archive changes nothing. */
  async archive(access: AccessContext, id: string): Promise<DefinitionAnswer> {
    const districtId = this.districtOf(access);
    return inTransaction(this.db, async (m) => {
      const row = await this.own(m, districtId, id);
      if (row.districtId && row.archivedAt) return { target: row, changed: false };
      return { target: await this.write(m, access, districtId, row, { ...row, archivedAt: new Date() }), changed: true };
    });
  }

  /** The district's row for the id, locked; for a default, the district's override of its code when there is one. */
  private async own(m: EntityManager, districtId: string, id: string): Promise<WorkforceTarget> {
    const repo = m.getRepository(WorkforceTarget);
    const row = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!row || (row.districtId && row.districtId !== districtId)) throw new NotFound('target', id);
    if (row.districtId) return row;
    return (await repo.findOne({ where: { districtId, code: row.code }, lock: { mode: 'pessimistic_write' } })) ?? row;
  }

  private async write(m: EntityManager, access: AccessContext, districtId: string, row: WorkforceTarget, next: WorkforceTarget): Promise<WorkforceTarget> {
    const repo = m.getRepository(WorkforceTarget);
    const values = {
      nameZh: next.nameZh, nameEn: next.nameEn, measure: next.measure, scope: next.scope, unit: next.unit, threshold: next.threshold,
      deadline: next.deadline, source: next.source, archivedAt: next.archivedAt, updatedBy: access.userId, updatedAt: new Date(),
    };
    if (row.districtId) {
      await repo.update({ id: row.id }, values as never);
      const saved = await repo.findOneByOrFail({ id: row.id });
      await this.audit.record(access.userId, next.archivedAt && !row.archivedAt ? 'archive' : 'update', 'workforce_target', row.id, districtId, { ...row }, { ...saved }, m);
      return saved;
    }
    const saved = await repo.save(repo.create({ ...values, districtId, code: row.code }));
    await this.audit.record(access.userId, 'override', 'workforce_target', saved.id, districtId, { ...row }, { ...saved }, m);
    return saved;
  }

  private districtOf(access: AccessContext): string {
    const districtId = access.districtIdFor('targets.manage');
    if (!districtId) throw new NotFound('district');
    return districtId;
  }
}
