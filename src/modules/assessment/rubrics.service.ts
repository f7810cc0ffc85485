import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { districtIdOfPath, type AccessContext } from '../../common/access-context.js';
import { DomainError, NotFound, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import type { PageResult } from '../../common/pagination.js';
import { AuditService } from '../audit/audit.service.js';
import { Rubric, type RubricCriterion, type RubricMethod } from './assessment.entities.js';
import { criteriaChanged, normaliseCriteria } from './rubric-rules.js';
import { readTable, XLSX_TYPE } from '../../common/spreadsheet.js';
import { rubricCsv, rubricFromRows, rubricXlsx, type ParsedSheet, type SheetProblem } from './rubric-sheet.js';
import type { CreateRubricDto, RubricListQuery, SheetFormat, UpdateRubricDto } from './rubric.dto.js';
import { RubricsQuery, type RubricListItem } from './rubrics.query.js';

export interface RubricView {
  id: string;
  districtId: string;
  method: RubricMethod;
  name: string;
  description: string | null;
  criteria: RubricCriterion[];
  maxPoints: number;
  ownerUserId: string | null;
  ownerName: string | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  /** The caller may edit and archive it (its owner, or who manages the district's catalog). */
  canEdit: boolean;
  /** Grading has begun with it: its scoring is fixed (wording may still change). */
  inUse: boolean;
}

export interface SheetImport {
  bytes: Buffer;
  fileName: string;
  name?: string;
  method?: RubricMethod;
  dryRun: boolean;
  districtId?: string;
}

/** What a dry run answers: the rubric it would create, every row read, and every problem found. */
export interface ImportPreview {
  dryRun: true;
  name: string;
  method: RubricMethod;
  criteria: RubricCriterion[];
  maxPoints: number;
  rows: ParsedSheet['rows'];
  problems: SheetProblem[];
}

/** Rubric sheets are small (20 criteria of 10 levels); anything bigger is not one. */
export const RUBRIC_SHEET_MAX_BYTES = 256 * 1024;

export const rubricNotFound = (id?: string) => new NotFound('rubric', id);
const notEditable = () => new DomainError('RUBRIC_NOT_EDITABLE', 403, 'Only the rubric\'s owner or a catalog manager of its district may change it');
const archived = () => new DomainError('RUBRIC_ARCHIVED', 409, 'The rubric is archived');
const inUse = () => new DomainError('RUBRIC_IN_USE', 409, 'Grades were given with this rubric: its criteria, levels and points can no longer change; copy it instead');
const stale = (current: number) => new DomainError('CONFLICT', 409, 'The rubric was changed by someone else', {
  currentVersion: current, fields: [{ field: 'version', code: 'CONFLICT', message: 'stale version' }],
});

/**
 * Rubrics and marking guides belong to a district and are shared by everyone who teaches there
 * (`offering.teach`); the owner or a catalog manager of the district changes them. Outside, they do not exist.
 */
@Injectable()
export class RubricsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly query: RubricsQuery, private readonly audit: AuditService) {}

  /** The districts whose rubrics the caller may use: their teaching scope (districts under a wider one), and those of offerings they train. */
  async districtsOf(access: AccessContext, manager?: EntityManager): Promise<string[]> {
    const paths = access.scopePaths('offering.teach');
    const direct = paths.map(districtIdOfPath).filter((id): id is string => !!id);
    const wide = paths.filter((p) => !districtIdOfPath(p));
    const [under, trained] = await Promise.all([this.query.districtsUnder(wide, manager), this.query.trainedDistricts(access.userId, manager)]);
    return [...new Set([...direct, ...under, ...trained])];
  }

  async list(access: AccessContext, query: RubricListQuery): Promise<PageResult<RubricListItem>> {
    const districtIds = await this.districtsOf(access);
    const { items, total } = await this.query.list({
      districtIds, q: query.q?.trim() || undefined, method: query.method, includeArchived: query.archived === 'true' || query.archived === 'on',
      page: query.page, pageSize: query.pageSize,
    });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async get(access: AccessContext, id: string): Promise<RubricView> {
    return this.view(access, await this.readable(access, id));
  }

  /** For items and grading: a rubric the caller may grade with (readable, not archived), else 404. */
  async usable(access: AccessContext, id: string): Promise<Rubric> {
    const rubric = await this.readable(access, id);
    if (rubric.archivedAt) throw rubricNotFound(id);
    return rubric;
  }

  /** The same request again (same owner, name, method and content, not archived) answers the rubric it made. */
  async create(access: AccessContext, input: CreateRubricDto): Promise<RubricView> {
    const districtId = await this.homeDistrict(access, input.districtId);
    const { criteria, maxPoints, problems } = normaliseCriteria(input.method, input.criteria);
    if (problems.length) throw new ValidationFailed(problems);
    const rubric = await this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('rubric:' || $1))`, [access.userId]);
      const earlier = await manager.createQueryBuilder(Rubric, 'r')
        .where('r.district_id = :districtId AND r.owner_user_id = :owner AND r.name = :name AND r.method = :method AND r.archived_at IS NULL',
          { districtId, owner: access.userId, name: input.name, method: input.method })
        .andWhere('coalesce(r.description, \'\') = :description AND r.criteria = CAST(:criteria AS jsonb)', { description: input.description ?? '', criteria: JSON.stringify(criteria) })
        .getOne();
      if (earlier) return earlier;
      const created = await manager.save(manager.create(Rubric, {
        districtId, ownerUserId: access.userId, method: input.method, name: input.name, description: input.description || null, criteria, maxPoints,
      }));
      await this.audit.record(access.userId, 'create', 'rubric', created.id, districtId, null, auditView(created), manager);
      return created;
    });
    return this.view(access, rubric);
  }

  async update(access: AccessContext, id: string, input: UpdateRubricDto): Promise<RubricView> {
    const rubric = await this.db.transaction(async (manager) => {
      const current = await this.editable(access, id, manager);
      if (input.version !== current.version) throw stale(current.version);
      const before = auditView(current);
      if (input.name !== undefined) current.name = input.name;
      if (input.description !== undefined) current.description = input.description || null;
      if (input.criteria !== undefined) {
        const next = normaliseCriteria(current.method, input.criteria, current.criteria);
        if (next.problems.length) throw new ValidationFailed(next.problems);
        if (criteriaChanged(current.criteria, next.criteria)) {
          if (await this.query.inUse(id, manager)) throw inUse();
          const above = await this.query.itemsPassingAbove(id, next.maxPoints, manager);
          if (above.length) {
            throw ValidationFailed.field('criteria', 'RUBRIC_MAX_BELOW_PASS_POINTS', `The new maximum ${next.maxPoints} is below the pass mark of: ${above.join(', ')}`);
          }
        }
        current.criteria = next.criteria;
        current.maxPoints = next.maxPoints;
      }
      const after = auditView(current);
      if (JSON.stringify(after) === JSON.stringify(before)) return current;
      const saved = await manager.save(current);
      await this.query.syncItemMaximum(id, saved.maxPoints, manager);
      await this.audit.record(access.userId, 'update', 'rubric', id, saved.districtId, before, after, manager);
      return saved;
    });
    return this.view(access, rubric);
  }

  /** A new rubric the caller owns, "(副本)" after the name; a repeated copy answers the first. */
  async copy(access: AccessContext, id: string): Promise<RubricView> {
    const source = await this.readable(access, id);
    const name = `${source.name.slice(0, 194)} (副本)`;
    return this.create(access, { name, description: source.description ?? undefined, method: source.method, criteria: source.criteria, districtId: source.districtId });
  }

  async archive(access: AccessContext, id: string): Promise<RubricView> {
    const rubric = await this.db.transaction(async (manager) => {
      const current = await this.editable(access, id, manager, true);
      if (current.archivedAt) return current;
      current.archivedAt = new Date();
      const saved = await manager.save(current);
      await this.audit.record(access.userId, 'archive', 'rubric', id, saved.districtId, { archivedAt: null }, { archivedAt: saved.archivedAt }, manager);
      return saved;
    });
    return this.view(access, rubric);
  }

  /** A dry run answers what would be created and every bad row; applying with any problem writes nothing. */
  async importSheet(access: AccessContext, input: SheetImport, locale: Locale): Promise<ImportPreview | RubricView> {
    if (input.bytes.length > RUBRIC_SHEET_MAX_BYTES) {
      throw ValidationFailed.field('file', 'FILE_TOO_LARGE', `A rubric sheet is at most ${RUBRIC_SHEET_MAX_BYTES / 1024} KB`);
    }
    const table = await readTable(input.bytes);
    if (!table) throw ValidationFailed.field('file', 'FILE_UNREADABLE', 'The file is neither an XLSX workbook nor a CSV text file');
    const sheet = rubricFromRows(table, input.method);
    if (sheet.missing.length) {
      const columns = sheet.missing.join(', ');
      throw new DomainError('RUBRIC_SHEET_COLUMNS_MISSING', 400, `The sheet lacks the columns: ${columns}`,
        { missing: sheet.missing, fields: [{ field: 'file', code: 'RUBRIC_SHEET_COLUMNS_MISSING', message: `missing columns: ${columns}` }] }, { columns });
    }
    const problems = sheet.problems.map((p) => ({ ...p, message: problemText(locale, p) }));
    const name = input.name ?? (input.fileName.replace(/\.[^.]*$/, '').trim().slice(0, 200) || translate(locale, 'rubrics.import.defaultName'));
    if (input.dryRun) {
      return { dryRun: true, name, method: sheet.method, criteria: sheet.criteria, maxPoints: sheet.maxPoints, rows: sheet.rows, problems };
    }
    if (problems.length) {
      throw new DomainError('RUBRIC_SHEET_INVALID', 400, `${problems.length} problem(s) in the sheet; nothing was imported`,
        { problems, fields: [{ field: 'file', code: 'RUBRIC_SHEET_INVALID', message: `${problems.length} problem(s)` }] }, { count: problems.length });
    }
    return this.create(access, { name, method: sheet.method, criteria: sheet.criteria, districtId: input.districtId });
  }

  async exportSheet(access: AccessContext, id: string, format: SheetFormat): Promise<{ fileName: string; contentType: string; body: Buffer }> {
    const rubric = await this.readable(access, id);
    const fileName = `${rubric.name.replace(/[\\/:*?"<>|]/g, '_')}.${format}`;
    if (format === 'csv') return { fileName, contentType: 'text/csv; charset=utf-8', body: Buffer.from(rubricCsv(rubric), 'utf8') };
    return { fileName, contentType: XLSX_TYPE, body: await rubricXlsx(rubric) };
  }

  async readable(access: AccessContext, id: string, manager?: EntityManager, lock = false): Promise<Rubric> {
    const rubric = await (manager ?? this.db.manager).findOne(Rubric, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!rubric || !(await this.districtsOf(access, manager)).includes(rubric.districtId)) throw rubricNotFound(id);
    return rubric;
  }

  /** Locked for the rest of the transaction; archived rubrics may only be archived again (a no-op). */
  private async editable(access: AccessContext, id: string, manager: EntityManager, archiving = false): Promise<Rubric> {
    const rubric = await this.readable(access, id, manager, true);
    if (!(await this.canEdit(access, rubric, manager))) throw notEditable();
    if (rubric.archivedAt && !archiving) throw archived();
    return rubric;
  }

  private async canEdit(access: AccessContext, rubric: Rubric, manager?: EntityManager): Promise<boolean> {
    if (rubric.ownerUserId === access.userId) return true;
    return access.canAt('catalog.manage', await this.query.districtPath(rubric.districtId, manager));
  }

  /** The district a new rubric belongs to: the one asked for (among the caller's), else the caller's first. */
  private async homeDistrict(access: AccessContext, wanted: string | undefined): Promise<string> {
    const districts = await this.districtsOf(access);
    if (wanted && !districts.includes(wanted.toLowerCase())) {
      throw ValidationFailed.field('districtId', 'DISTRICT_NOT_PERMITTED', 'You do not teach in that district');
    }
    const districtId = wanted?.toLowerCase() ?? districts[0];
    if (!districtId) throw ValidationFailed.field('districtId', 'DISTRICT_REQUIRED', 'You teach in no district yet, so a rubric has nowhere to belong');
    return districtId;
  }

  private async view(access: AccessContext, rubric: Rubric): Promise<RubricView> {
    const [ownerName, editable, used] = await Promise.all([
      this.query.ownerName(rubric.ownerUserId), this.canEdit(access, rubric), this.query.inUse(rubric.id),
    ]);
    return {
      id: rubric.id, districtId: rubric.districtId, method: rubric.method, name: rubric.name, description: rubric.description,
      criteria: rubric.criteria, maxPoints: rubric.maxPoints, ownerUserId: rubric.ownerUserId, ownerName, archivedAt: rubric.archivedAt,
      createdAt: rubric.createdAt, updatedAt: rubric.updatedAt, version: rubric.version, canEdit: editable, inUse: used,
    };
  }
}

function problemText(locale: Locale, problem: SheetProblem): string {
  const key = `rubrics.problem.${problem.code}`;
  return hasTranslation(locale, key) ? translate(locale, key) : problem.message;
}

function auditView(rubric: Rubric) {
  return { name: rubric.name, description: rubric.description, method: rubric.method, criteria: rubric.criteria, maxPoints: rubric.maxPoints };
}
