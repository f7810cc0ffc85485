import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Conflict, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { validateInput } from '../people/people.dto.js';
import { AuditService } from '../audit/audit.service.js';
import { ProgramInputDto } from './program-definition.dto.js';
import { ProgramListQuery, type ProgramListFilters, type ProgramListRow } from './program-list.query.js';
import { cycleEnd, DEFAULT_CYCLE_YEARS, definitionProblems, normaliseCriteria, windowState } from './program-rules.js';
import { ProgramsDirectory } from './programs-directory.service.js';
import { Program, type ProgramEligibility } from './programs.entities.js';

/** The fields of a program a PATCH may send (everything the form edits). */
const INPUT_FIELDS = [
  'kind', 'tier', 'tierNameZh', 'tierNameEn', 'code', 'nameZh', 'nameEn', 'description', 'round', 'cycleYears', 'startsOn', 'endsOn', 'eligibility',
  'criteria', 'trimFromReviewers', 'districtQuota', 'kindergartenQuota', 'groupQuota', 'reserveSize', 'applicationsOpenAt', 'applicationsCloseAt',
  'credits', 'hours', 'creditCategory', 'creditLevel', 'honourName', 'contestPosts', 'previousProgramId',
] as const;

export const programLocked = (status: string) =>
  new Conflict('PROGRAM_LOCKED', 'A program can be changed only while it is a draft or open for applications', { status });

/** The program with what its readers need besides the stored fields. */
export function programView(p: Program, now = new Date()) {
  return { ...p, window: windowState(p, now) };
}
export type ProgramView = ReturnType<typeof programView>;

/** 人才培养计划 definitions: district staff create, edit, publish and start programs (and contests, a light program). */
@Injectable()
export class ProgramDefinitionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly directory: ProgramsDirectory,
    private readonly listQuery: ProgramListQuery,
    private readonly audit: AuditService,
  ) {}

  async list(access: AccessContext, filters: ProgramListFilters): Promise<ProgramListRow[]> {
    const managedPaths = access.scopePaths('programs.manage');
    const grantPaths = access.grants.flatMap((g) => g.orgPaths);
    const viewerDistrictIds = await this.listQuery.viewerDistrictIds(access.personId, grantPaths);
    return this.listQuery.list({ managedPaths, viewerDistrictIds }, filters);
  }

  async get(access: AccessContext, id: string): Promise<ProgramView> {
    return programView(await this.directory.forViewer(access, id));
  }

  async create(access: AccessContext, body: Record<string, unknown>): Promise<ProgramView> {
    const districtId = await this.districtFor(access, body.districtId);
    const input = await this.checked(body);
    const program = await this.db.transaction(async (manager) => {
      await this.codeFree(manager, input.code);
      const saved = await manager.save(manager.create(Program, { ...this.stored(input), districtId, status: 'draft', createdBy: access.userId }));
      await this.audit.record(access.userId, 'create', 'program', saved.id, districtId, null, { ...saved }, manager);
      return saved;
    });
    return programView(program);
  }

  /** Changes any fields while the program is a draft or open; the kind stays, and criteria stay once a reviewer has scored. */
  async update(access: AccessContext, id: string, body: Record<string, unknown>): Promise<ProgramView> {
    const { version, ...changes } = body;
    const program = await this.db.transaction(async (manager) => {
      const current = await this.lockManaged(access, id, manager);
      if (version !== undefined && version !== current.version) throw new Conflict('CONFLICT', 'The program was changed by someone else', { version: current.version });
      if (current.status !== 'draft' && current.status !== 'published') throw programLocked(current.status);
      const stored = Object.fromEntries(INPUT_FIELDS.map((f) => [f, jsonValue(current[f])]));
      const input = await this.checked({ ...stored, ...changes, endsOn: changes.endsOn ?? (changes.startsOn || changes.cycleYears ? undefined : stored.endsOn) });
      const problems: FieldProblem[] = [];
      if (input.kind !== current.kind) problems.push({ field: 'kind', code: 'immutable', message: 'the kind of a program cannot change' });
      if (problems.length) throw new ValidationFailed(problems);
      if (JSON.stringify(input.criteria) !== JSON.stringify(normaliseCriteria(current.criteria)) && (await this.scored(manager, id))) {
        throw new Conflict('CRITERIA_IN_USE', 'Reviewers have scored against these criteria; they can no longer change');
      }
      if (input.code !== current.code) await this.codeFree(manager, input.code);
      const before = { ...current };
      Object.assign(current, this.stored(input), { updatedAt: new Date() });
      const saved = await manager.save(current);
      await this.audit.record(access.userId, 'update', 'program', id, current.districtId, before, { ...saved }, manager);
      return saved;
    });
    return programView(program);
  }

  /** Draft → published: teachers of the district see it and may apply inside the window. Again: unchanged. */
  publish(access: AccessContext, id: string): Promise<ProgramView> {
    return this.transition(access, id, 'publish', ['draft'], 'published');
  }

  /** The round is closed (selection_closed) → running: the cohort's work begins. Again: unchanged. */
  start(access: AccessContext, id: string): Promise<ProgramView> {
    return this.transition(access, id, 'start', ['selection_closed'], 'running');
  }

  /**
   * Running → closed, once every member has an outcome (completed, failed, exited or moved): the cohort's
   * record is final and its alumni stay searchable. Contests close by publishing their results instead.
   */
  close(access: AccessContext, id: string): Promise<ProgramView> {
    return this.transition(access, id, 'close', ['running'], 'closed', async (manager, program) => {
      if (program.kind !== 'cohort') throw new Conflict('PROGRAM_IS_CONTEST', 'A contest closes when its results are published');
      const rows: Array<{ n: number }> = await manager.query(`SELECT count(*)::int AS n FROM program_member WHERE program_id = $1 AND status = 'active'`, [id]);
      if (rows[0].n > 0) throw new Conflict('PROGRAM_HAS_ACTIVE_MEMBERS', `${rows[0].n} members still have no final outcome`, { active: rows[0].n });
    });
  }

  private async transition(access: AccessContext, id: string, action: string, from: Program['status'][], to: Program['status'],
    precondition?: (manager: EntityManager, program: Program) => Promise<void>): Promise<ProgramView> {
    const program = await this.db.transaction(async (manager) => {
      const current = await this.lockManaged(access, id, manager);
      if (current.status === to) return current;
      if (!from.includes(current.status)) {
        throw new Conflict('PROGRAM_WRONG_STATUS', `Cannot ${action} a program that is ${current.status}`, { status: current.status });
      }
      await precondition?.(manager, current);
      const before = { status: current.status };
      current.status = to;
      current.updatedAt = new Date();
      const saved = await manager.save(current);
      await this.audit.record(access.userId, action, 'program', id, current.districtId, before, { status: to }, manager);
      return saved;
    });
    return programView(program);
  }

  private async lockManaged(access: AccessContext, id: string, manager: EntityManager): Promise<Program> {
    await this.directory.forManager(access, id, 'programs.manage', manager);
    return manager.findOneOrFail(Program, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Field formats (DTO), then the cross-field rules; every problem listed at once. */
  private async checked(body: Record<string, unknown>) {
    const { districtId: _ignored, ...rest } = body;
    const { value, problems } = await validateInput(ProgramInputDto, rest);
    const kind = value.kind ?? 'cohort';
    const cycleYears = value.cycleYears ?? DEFAULT_CYCLE_YEARS;
    const endsOn = value.endsOn ?? (value.startsOn && /^\d{4}-\d{2}-\d{2}$/.test(value.startsOn) ? cycleEnd(value.startsOn, cycleYears) : '');
    const eligibility = value.eligibility ?? {};
    const criteria = value.criteria ?? [];
    const contestPosts = value.contestPosts ?? [];
    const formatFields = new Set(problems.map((p) => p.field.split(/[.[]/)[0]));
    const cross = definitionProblems({
      kind, tier: value.tier, tierNameZh: value.tierNameZh, tierNameEn: value.tierNameEn, startsOn: value.startsOn, endsOn,
      applicationsOpenAt: value.applicationsOpenAt, applicationsCloseAt: value.applicationsCloseAt, eligibility, criteria, contestPosts,
    }, await this.listQuery.stageCodes()).filter((p) => !formatFields.has(p.field.split(/[.[]/)[0]));
    if (problems.length || cross.length) throw new ValidationFailed([...problems, ...cross]);
    return { ...value, kind, cycleYears, endsOn, eligibility: eligibility as ProgramEligibility, criteria: normaliseCriteria(criteria), contestPosts };
  }

  private stored(input: Awaited<ReturnType<ProgramDefinitionsService['checked']>>): Partial<Program> {
    return {
      kind: input.kind, tier: input.tier, tierNameZh: input.tierNameZh || null, tierNameEn: input.tierNameEn || null, code: input.code,
      nameZh: input.nameZh, nameEn: input.nameEn, description: input.description || null, round: input.round ?? null, cycleYears: input.cycleYears,
      startsOn: input.startsOn, endsOn: input.endsOn,
      // 教师〔2018〕19号 withdraws talent-programme eligibility under an ethics sanction: refused unless a program says otherwise.
      eligibility: { noEthicsBlock: true, ...input.eligibility }, criteria: input.criteria,
      trimFromReviewers: input.trimFromReviewers ?? 5, districtQuota: input.districtQuota ?? null, kindergartenQuota: input.kindergartenQuota ?? null,
      groupQuota: input.groupQuota ?? null, reserveSize: input.reserveSize ?? 0,
      applicationsOpenAt: new Date(input.applicationsOpenAt), applicationsCloseAt: new Date(input.applicationsCloseAt),
      credits: input.credits ?? 0, hours: input.hours ?? 0, creditCategory: input.creditCategory ?? 'practice', creditLevel: input.creditLevel ?? 'district',
      honourName: input.honourName || null, contestPosts: input.contestPosts, previousProgramId: input.previousProgramId ?? null,
    };
  }

  /** The caller's district for a new program, or the one named (which must be in their scope). */
  private async districtFor(access: AccessContext, named: unknown): Promise<string> {
    if (named !== undefined) {
      const rows: Array<{ path: string }> = typeof named === 'string' && /^[0-9a-f-]{36}$/i.test(named)
        ? await this.db.query(`SELECT path FROM org_unit WHERE id = $1 AND kind = 'district'`, [named]) : [];
      if (!rows[0] || !access.canAt('programs.manage', rows[0].path)) throw ValidationFailed.field('districtId', 'not_in_scope', 'districtId must be a district you manage');
      return named as string;
    }
    const own = access.districtIdFor('programs.manage');
    if (!own) throw ValidationFailed.field('districtId', 'required', 'name the district (districtId)');
    return own;
  }

  private async codeFree(manager: EntityManager, code: string): Promise<void> {
    const taken = await manager.query('SELECT id FROM program WHERE lower(code) = lower($1)', [code]);
    if (taken.length) throw new Conflict('PROGRAM_CODE_TAKEN', `The code ${code} is used by another program`, { field: 'code', programId: taken[0].id });
  }

  private async scored(manager: EntityManager, programId: string): Promise<boolean> {
    const rows = await manager.query(
      'SELECT 1 FROM program_review_score s JOIN program_application a ON a.id = s.application_id WHERE a.program_id = $1 LIMIT 1', [programId]);
    return rows.length > 0;
  }
}

/** A stored value as a request would send it (dates as ISO strings), so a PATCH re-checks the whole program the same way. */
function jsonValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}
