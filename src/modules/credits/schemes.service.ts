import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Conflict, DomainError, NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { ComplianceQuery, type SchemeRow } from './compliance.query.js';
import type { SchemeRule } from './credit.entities.js';
import { checkSchemeRules, describeRule } from './schemes-rules.js';
import type { CreateSchemeDto, UpdateSchemeDto } from './schemes.dto.js';

export interface SchemeView extends Omit<SchemeRow, 'rules' | 'updatedAt'> {
  rules: Array<{ category: string | null; level: string | null; min: number | null; max: number | null; text: string; textEn: string }>;
  totalText: string;
  totalTextEn: string;
  updatedAt: string;
}

export function schemeView(row: SchemeRow): SchemeView {
  return {
    ...row,
    updatedAt: new Date(row.updatedAt).toISOString(),
    totalText: describeRule(null, row.total, row.unit, 'zh-CN'),
    totalTextEn: describeRule(null, row.total, row.unit, 'en'),
    rules: row.rules.map((r) => ({
      category: r.category ?? null, level: r.level ?? null, min: r.min ?? null, max: r.max ?? null,
      text: describeRule(r, row.total, row.unit, 'zh-CN'), textEn: describeRule(r, row.total, row.unit, 'en'),
    })),
  };
}

/** Rule problems answer 400: VALIDATION_FAILED for shapes, else the first rule's own code (e.g. SCHEME_MINIMA_EXCEED_TOTAL), fields listed either way. */
function rulesRefused(problems: FieldProblem[]): DomainError {
  const own = problems.find((p) => p.code.startsWith('SCHEME_'));
  if (!own) return new ValidationFailed(problems);
  return new DomainError(own.code, 400, own.message, { field: own.field, fields: problems }, { field: own.field });
}

const staleVersion = (current: number) =>
  new Conflict('CONFLICT', 'The scheme was changed by someone else', { currentVersion: current, field: 'version', fields: [{ field: 'version', code: 'CONFLICT', message: 'stale version' }] });

/** Requirement schemes: read by everyone signed in; district staff edit the editable ones and add new effective-dated ones. */
@Injectable()
export class SchemesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: ComplianceQuery,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<SchemeView[]> {
    return (await this.query.schemes()).map(schemeView);
  }

  async get(code: string): Promise<SchemeView> {
    const row = await this.query.scheme(code);
    if (!row) throw new NotFound('scheme', code);
    return schemeView(row);
  }

  async update(access: AccessContext, code: string, dto: UpdateSchemeDto): Promise<SchemeView> {
    return inTransaction(this.db, async (m) => {
      const rows: Array<{ id: string }> = await m.query(`SELECT id FROM requirement_scheme WHERE code = $1 FOR UPDATE`, [code]);
      if (!rows[0]) throw new NotFound('scheme', code);
      const before = (await this.query.scheme(code, m))!;
      if (!before.editable) throw new Conflict('SCHEME_NOT_EDITABLE', `The scheme ${code} is national policy and cannot be edited`);
      if (dto.version !== before.version) throw staleVersion(before.version);
      const total = dto.total ?? before.total;
      const { rules, problems } = checkSchemeRules(total, dto.rules ?? before.rules);
      const effectiveTo = dto.effectiveTo === undefined ? before.effectiveTo : dto.effectiveTo;
      if (effectiveTo && effectiveTo < before.effectiveFrom) {
        problems.push({ field: 'effectiveTo', code: 'isOnOrAfter', message: 'effectiveTo must not be before effectiveFrom' });
      }
      if (problems.length) throw rulesRefused(problems);
      await m.query(
        `UPDATE requirement_scheme SET name_zh = $2, name_en = $3, total = $4, rules = $5::jsonb, effective_to = $6, version = version + 1, updated_at = now()
          WHERE id = $1`,
        [before.id, dto.nameZh ?? before.nameZh, dto.nameEn ?? before.nameEn, total, JSON.stringify(rules), effectiveTo]);
      const after = (await this.query.scheme(code, m))!;
      await this.audit.record(access.userId, 'update', 'requirement_scheme', before.id, access.districtIdFor('credits.manage'), auditSide(before), auditSide(after), m);
      return schemeView(after);
    });
  }

  async create(access: AccessContext, dto: CreateSchemeDto): Promise<SchemeView> {
    const { rules, problems } = checkSchemeRules(dto.total, dto.rules);
    if (dto.effectiveTo && dto.effectiveTo < dto.effectiveFrom) {
      problems.push({ field: 'effectiveTo', code: 'isOnOrAfter', message: 'effectiveTo must not be before effectiveFrom' });
    }
    return inTransaction(this.db, async (m) => {
      if (dto.regionCode) {
        const region: unknown[] = await m.query(`SELECT 1 FROM org_unit WHERE code = $1 AND kind IN ('city', 'district')`, [dto.regionCode]);
        if (region.length === 0) problems.push({ field: 'regionCode', code: 'SCHEME_REGION_NOT_FOUND', message: `No city or district with the code ${dto.regionCode}` });
      }
      if (await this.query.scheme(dto.code, m)) problems.push({ field: 'code', code: 'SCHEME_CODE_TAKEN', message: `The scheme code ${dto.code} is already used` });
      if (problems.length) throw rulesRefused(problems);
      const [{ id }]: Array<{ id: string }> = await m.query(
        `INSERT INTO requirement_scheme (code, name_zh, name_en, region_code, posts, teacher_stages, principal_stages, unit, cycle_kind, total, rules, effective_from, effective_to, editable)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14) RETURNING id`,
        [dto.code, dto.nameZh, dto.nameEn, dto.regionCode ?? null, dto.posts ?? [], dto.teacherStages ?? [], dto.principalStages ?? [],
          dto.unit, dto.cycleKind, dto.total, JSON.stringify(rules), dto.effectiveFrom, dto.effectiveTo ?? null, dto.editable ?? true]);
      const created = (await this.query.scheme(dto.code, m))!;
      await this.audit.record(access.userId, 'create', 'requirement_scheme', id, access.districtIdFor('credits.manage'), null, auditSide(created), m);
      return schemeView(created);
    });
  }
}

function auditSide(row: SchemeRow): Record<string, unknown> {
  const { updatedAt: _updatedAt, rules, ...rest } = row;
  return { ...rest, rules: JSON.stringify(rules as SchemeRule[]) };
}
