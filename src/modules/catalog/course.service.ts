import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed, type FieldProblem } from '../../common/errors.js';
import type { PageResult } from '../../common/pagination.js';
import { AuditService } from '../audit/audit.service.js';
import { CreditConversionService } from '../credits/credit-conversion.service.js';
import { OrgScopeService, type OrgUnitRef } from '../org/org-scope.service.js';
import { Course, CourseTrainer, type Audience, type CourseLevel, type CourseMode } from './catalog.entities.js';
import { CatalogChecks } from './catalog-checks.service.js';
import { courseCodeTaken, courseNotFound, levelNotPermitted, staleVersion, violatedUniqueConstraint } from './catalog-errors.js';
import { CatalogQuery, type OfferingRow } from './catalog.query.js';
import { CatalogReferenceQuery, type TrainerOption } from './catalog-reference.query.js';
import { districtLevelScope, districtPathOf, lastIdOf, sameSet } from './catalog-rules.js';
import { shanghaiDate } from '../../common/dates.js';
import { normaliseAudience } from './audience-rules.js';
import type { CourseListQueryDto, CreateCourseDto, UpdateCourseDto } from './course.dto.js';
import { CourseQuery, type CourseListItem } from './course.query.js';

const CODE_CONSTRAINT = 'course_district_id_code_key';

export interface OfferingSummary {
  id: string;
  code: string;
  label: string;
  status: string;
  capacity: number;
  seatsTaken: number;
  seatsLeft: number;
  enrolOpensAt: Date;
  enrolClosesAt: Date;
  firstMeetingAt: Date | null;
  lastMeetingAt: Date | null;
  meetingCount: number;
}

export interface CourseView {
  id: string;
  districtId: string;
  code: string;
  title: string;
  description: string;
  provider: string;
  category: Course['category'];
  tags: string[];
  level: CourseLevel;
  mode: CourseMode;
  hours: number;
  credits: number;
  creditsFromRule: boolean;
  audience: Audience;
  status: Course['status'];
  owner: { id: string; name: string; kind: string };
  trainers: TrainerOption[];
  offerings: OfferingSummary[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export function offeringSummary(row: OfferingRow): OfferingSummary {
  return {
    id: row.id, code: row.code, label: row.label, status: row.status, capacity: row.capacity, seatsTaken: row.seatsTaken,
    seatsLeft: Math.max(0, row.capacity - row.seatsTaken), enrolOpensAt: row.enrolOpensAt, enrolClosesAt: row.enrolClosesAt,
    firstMeetingAt: row.firstMeetingAt, lastMeetingAt: row.lastMeetingAt, meetingCount: row.meetingCount,
  };
}

/** What the audit log keeps of a course. */
const auditView = (course: Course, trainerUserIds: string[]) =>
  ({ ...course, audience: normaliseAudience(course.audience), trainerUserIds: [...trainerUserIds].sort() });

/**
 * Courses: district staff manage city and district courses of their district, kindergarten admins
 * the 园本 courses of their kindergarten. A course's scope is its owner's place in the org tree.
 */
@Injectable()
export class CourseService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly courses: CourseQuery,
    private readonly catalog: CatalogQuery,
    private readonly reference: CatalogReferenceQuery,
    private readonly checks: CatalogChecks,
    private readonly org: OrgScopeService,
    private readonly conversion: CreditConversionService,
    private readonly audit: AuditService,
  ) {}

  async list(access: AccessContext, query: CourseListQueryDto): Promise<PageResult<CourseListItem>> {
    const { items, total } = await this.courses.list({
      scopePaths: access.scopePaths('catalog.manage'), q: query.q, category: query.category, level: query.level, mode: query.mode,
      status: query.status, tag: query.tag, page: query.page, pageSize: query.pageSize,
    });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async get(access: AccessContext, id: string): Promise<CourseView> {
    const { course, owner } = await this.managed(this.db.manager, access, id, false);
    return this.view(course, owner);
  }

  /** Creates a draft course; the same request again (same code, same content) answers the course it made. */
  async create(access: AccessContext, input: CreateCourseDto): Promise<CourseView> {
    const owner = await this.ownerFor(access, input.level, input.ownerOrgUnitId);
    const districtPath = districtPathOf(owner.path)!;
    const audience = normaliseAudience(input.audience);
    const trainerUserIds = [...new Set((input.trainerUserIds ?? []).map((id) => id.toLowerCase()))];
    const problems: FieldProblem[] = [
      ...await this.checks.trainerProblems(districtPath, trainerUserIds),
      ...await this.checks.audienceProblems(owner.districtId!, [['audience', audience]]),
    ];
    const credits = input.credits ?? await this.conversion.creditsFor(owner.path, input.hours, input.mode === 'online' ? 'other' : 'centralised', shanghaiDate());
    if (credits === null) problems.push({ field: 'credits', code: 'CREDITS_RULE_MISSING', message: 'No credit conversion rule applies here: give credits' });
    if (problems.length) throw new ValidationFailed(problems);

    const wanted = {
      districtId: owner.districtId!, ownerOrgUnitId: owner.id, code: input.code, title: input.title, description: input.description ?? '',
      provider: input.provider ?? '', category: input.category, tags: input.tags ?? [], level: input.level, mode: input.mode,
      hours: input.hours, credits: credits!, creditsFromRule: input.credits === undefined, audience,
    };
    const repeat = async () => {
      const existing = await this.db.manager.findOneBy(Course, { districtId: wanted.districtId, code: wanted.code });
      if (!existing) return null;
      const trainers = (await this.db.manager.findBy(CourseTrainer, { courseId: existing.id })).map((t) => t.userId);
      if (!this.sameCourse(existing, trainers, wanted, trainerUserIds) || !access.canAt('catalog.manage', owner.path)) throw courseCodeTaken(wanted.code);
      return this.view(existing, owner);
    };
    const earlier = await repeat();
    if (earlier) return earlier;
    let course: Course;
    try {
      course = await this.db.transaction(async (manager) => {
        const created = await manager.save(manager.create(Course, { ...wanted, status: 'draft', createdBy: access.userId }));
        await this.setTrainers(manager, created.id, trainerUserIds);
        await this.audit.record(access.userId, 'create', 'course', created.id, created.districtId, null, auditView(created, trainerUserIds), manager);
        return created;
      });
    } catch (error) {
      // Two identical requests at once: the unique code lets one through; the other answers like a repeat.
      if (violatedUniqueConstraint(error) === CODE_CONSTRAINT) {
        const winner = await repeat();
        if (winner) return winner;
      }
      throw error;
    }
    return this.view(course, owner);
  }

  async update(access: AccessContext, id: string, input: UpdateCourseDto): Promise<CourseView> {
    try {
      await this.db.transaction(async (manager) => {
        const { course, owner } = await this.managed(manager, access, id, true);
        if (input.version !== undefined && input.version !== course.version) throw staleVersion(course.version);
        const trainersBefore = (await manager.findBy(CourseTrainer, { courseId: id })).map((t) => t.userId);
        const before = auditView({ ...course }, trainersBefore);
        const problems: FieldProblem[] = [];
        if (input.level !== undefined && input.level !== course.level && (input.level === 'kindergarten' || course.level === 'kindergarten')) {
          problems.push({ field: 'level', code: 'LEVEL_CHANGE_NOT_ALLOWED', message: 'A 园本 course stays with its kindergarten; other courses cannot become 园本' });
        }
        const hoursOrModeChanged = (input.hours !== undefined && input.hours !== course.hours) || (input.mode !== undefined && input.mode !== course.mode);
        for (const field of ['code', 'title', 'description', 'provider', 'category', 'tags', 'level', 'mode', 'hours'] as const) {
          if (input[field] !== undefined) (course as unknown as Record<string, unknown>)[field] = input[field];
        }
        if (input.audience !== undefined) course.audience = normaliseAudience(input.audience);
        if (input.credits !== undefined && input.credits !== null) {
          course.credits = input.credits;
          course.creditsFromRule = false;
        } else if (input.credits === null || (course.creditsFromRule && hoursOrModeChanged)) {
          const credits = await this.conversion.creditsFor(owner.path, course.hours, course.mode === 'online' ? 'other' : 'centralised', shanghaiDate());
          if (credits === null) problems.push({ field: 'credits', code: 'CREDITS_RULE_MISSING', message: 'No credit conversion rule applies here: give credits' });
          else Object.assign(course, { credits, creditsFromRule: true });
        }
        const trainerUserIds = input.trainerUserIds ? [...new Set(input.trainerUserIds.map((t) => t.toLowerCase()))] : trainersBefore;
        if (input.trainerUserIds) problems.push(...await this.checks.trainerProblems(districtPathOf(owner.path)!, trainerUserIds, manager));
        if (input.audience !== undefined) problems.push(...await this.checks.audienceProblems(course.districtId, [['audience', course.audience]], manager));
        if (problems.length) throw new ValidationFailed(problems);
        const after = auditView(course, trainerUserIds);
        if (JSON.stringify(after) === JSON.stringify(before)) return;
        await manager.save(course);
        if (input.trainerUserIds) await this.setTrainers(manager, id, trainerUserIds);
        await this.audit.record(access.userId, 'update', 'course', id, course.districtId, before, after, manager);
      });
    } catch (error) {
      if (violatedUniqueConstraint(error) === CODE_CONSTRAINT) throw courseCodeTaken(input.code ?? '');
      throw error;
    }
    return this.get(access, id);
  }

  async publish(access: AccessContext, id: string): Promise<CourseView> {
    return this.setStatus(access, id, 'published');
  }

  async archive(access: AccessContext, id: string): Promise<CourseView> {
    return this.setStatus(access, id, 'archived');
  }

  /** The course under the caller's catalog.manage scope, locked on request; anything else does not exist. */
  async managed(manager: EntityManager, access: AccessContext, id: string, lock: boolean): Promise<{ course: Course; owner: OrgUnitRef }> {
    const course = await manager.findOne(Course, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    const owner = course ? await this.org.unit(course.ownerOrgUnitId, manager) : null;
    if (!course || !owner || !access.canAt('catalog.manage', owner.path)) throw courseNotFound(id);
    return { course, owner };
  }

  private async setStatus(access: AccessContext, id: string, status: 'published' | 'archived'): Promise<CourseView> {
    await this.db.transaction(async (manager) => {
      const { course } = await this.managed(manager, access, id, true);
      if (course.status === status) return;
      const before = { status: course.status };
      course.status = status;
      await manager.save(course);
      await this.audit.record(access.userId, status === 'published' ? 'publish' : 'archive', 'course', id, course.districtId, before, { status }, manager);
    });
    return this.get(access, id);
  }

  /**
   * Who owns a new course: the district for city and district courses, a kindergarten for 园本
   * courses. Without `ownerOrgUnitId`, the caller's only district (or only kindergarten).
   */
  private async ownerFor(access: AccessContext, level: CourseLevel, ownerOrgUnitId?: string): Promise<OrgUnitRef> {
    const scope = access.scopePaths('catalog.manage');
    if (level !== 'kindergarten') {
      const districts = districtLevelScope(access);
      if (!districts.length) throw levelNotPermitted(level);
      const id = ownerOrgUnitId ?? (districts.length === 1 && districtPathOf(districts[0]) === districts[0] ? lastIdOf(districts[0]) : null);
      if (!id) throw ValidationFailed.field('ownerOrgUnitId', 'OWNER_REQUIRED', 'Name the district that owns the course');
      const unit = await this.org.unit(id);
      if (!unit || unit.kind !== 'district' || !access.canAt('catalog.manage', unit.path)) {
        throw ValidationFailed.field('ownerOrgUnitId', 'UNKNOWN_DISTRICT', 'ownerOrgUnitId is not a district in your scope');
      }
      return unit;
    }
    const id = ownerOrgUnitId ?? (scope.length === 1 ? lastIdOf(scope[0]) : null);
    const unit = id ? await this.org.unit(id) : null;
    if (!ownerOrgUnitId && unit?.kind !== 'kindergarten') {
      throw ValidationFailed.field('ownerOrgUnitId', 'OWNER_REQUIRED', 'Name the kindergarten that owns the 园本 course');
    }
    if (!unit || unit.kind !== 'kindergarten' || unit.status === 'closed' || !unit.districtId || !access.canAt('catalog.manage', unit.path)) {
      throw ValidationFailed.field('ownerOrgUnitId', 'UNKNOWN_KINDERGARTEN', 'ownerOrgUnitId is not an open kindergarten in your scope');
    }
    return unit;
  }

  private sameCourse(existing: Course, trainers: string[], wanted: Omit<Course, 'id' | 'status' | 'createdBy' | 'createdAt' | 'updatedAt' | 'version'>, wantedTrainers: string[]): boolean {
    const { creditsFromRule, credits, audience, tags, ...rest } = wanted;
    const fieldsMatch = (Object.keys(rest) as Array<keyof typeof rest>).every((key) => existing[key] === rest[key]);
    const creditsMatch = creditsFromRule ? existing.creditsFromRule : !existing.creditsFromRule && existing.credits === credits;
    return fieldsMatch && creditsMatch && sameSet(existing.tags, tags) && sameSet(trainers, wantedTrainers)
      && JSON.stringify(normaliseAudience(existing.audience)) === JSON.stringify(audience);
  }

  private async setTrainers(manager: EntityManager, courseId: string, userIds: string[]): Promise<void> {
    await manager.delete(CourseTrainer, { courseId });
    if (userIds.length) await manager.insert(CourseTrainer, userIds.map((userId) => ({ courseId, userId })));
  }

  private async view(course: Course, owner: OrgUnitRef): Promise<CourseView> {
    const trainerIds = (await this.db.manager.findBy(CourseTrainer, { courseId: course.id })).map((t) => t.userId);
    const [names, offerings] = await Promise.all([this.reference.displayNames(trainerIds), this.catalog.offeringsOfCourse(course.id)]);
    return {
      id: course.id, districtId: course.districtId, code: course.code, title: course.title, description: course.description,
      provider: course.provider, category: course.category, tags: course.tags, level: course.level, mode: course.mode,
      hours: course.hours, credits: course.credits, creditsFromRule: course.creditsFromRule, audience: course.audience, status: course.status,
      owner: { id: owner.id, name: owner.name, kind: owner.kind },
      trainers: trainerIds.map((userId) => ({ userId, displayName: names.get(userId) ?? '' })).sort((a, b) => a.displayName.localeCompare(b.displayName)),
      offerings: offerings.map(offeringSummary),
      version: course.version, createdAt: course.createdAt, updatedAt: course.updatedAt,
    };
  }
}
