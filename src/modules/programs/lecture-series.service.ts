import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { OrgScopeService, type OrgUnitRef } from '../org/org-scope.service.js';
import { LectureCatalog } from './lecture-catalog.service.js';
import { LectureSeries, LectureSession } from './lecture.entities.js';
import { badSemester, scheduleEmpty, seriesNotFound } from './lecture-errors.js';
import { defaultSeriesTitle, parseSemester } from './lecture-rules.js';
import type { CreateSeriesDto, UpdateSeriesDto } from './lecture.dto.js';

export interface ManagedSeries {
  series: LectureSeries;
  district: OrgUnitRef;
}

const segments = (path: string) => path.split('/').filter(Boolean);
const seriesAudit = (s: LectureSeries) => ({ semester: s.semester, title: s.title, status: s.status, courseId: s.courseId });

/**
 * A district's series for a semester: created once (the same request again answers it), edited,
 * and filed with the city. Filing opens the sessions for enrolment; filing again answers the first filing.
 */
@Injectable()
export class LectureSeriesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly org: OrgScopeService,
    private readonly catalog: LectureCatalog,
    private readonly audit: AuditService,
  ) {}

  async create(access: AccessContext, input: CreateSeriesDto): Promise<{ series: LectureSeries; created: boolean }> {
    if (!parseSemester(input.semester)) throw badSemester();
    const district = await this.districtFor(access, input.districtId);
    return this.db.transaction(async (manager) => {
      // One creator at a time per district and semester: a double click waits here and finds the first series.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`lecture_series:${district.id}:${input.semester}`]);
      const existing = await manager.findOneBy(LectureSeries, { districtId: district.id, semester: input.semester });
      if (existing) return { series: existing, created: false };
      const title = input.title ?? defaultSeriesTitle(district.name, input.semester);
      const courseId = await this.catalog.createCourse(access, district, input.semester, { title, hours: input.hours, credits: input.credits, category: input.category });
      const series = await manager.save(manager.create(LectureSeries, {
        districtId: district.id, cityId: segments(district.path)[0], semester: input.semester, title, courseId,
        status: 'draft', filedAt: null, filedBy: null, createdAt: new Date(),
      }));
      await this.audit.record(access.userId, 'create', 'lecture_series', series.id, district.id, null, seriesAudit(series), manager);
      return { series, created: true };
    });
  }

  /** Title, and the hours, credits and category each session earns (kept on the series' course). */
  async update(access: AccessContext, id: string, input: UpdateSeriesDto): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { series } = await this.managed(manager, access, id, true);
      const before = seriesAudit(series);
      const courseFields = {
        ...(input.title !== undefined ? { title: input.title } : {}), ...(input.hours !== undefined ? { hours: input.hours } : {}),
        ...(input.credits !== undefined ? { credits: input.credits } : {}), ...(input.category !== undefined ? { category: input.category } : {}),
      };
      if (series.courseId && Object.keys(courseFields).length) await this.catalog.updateCourse(access, series.courseId, courseFields);
      if (input.title === undefined || input.title === series.title) return;
      series.title = input.title;
      await manager.save(series);
      await this.audit.record(access.userId, 'update', 'lecture_series', series.id, series.districtId, before, seriesAudit(series), manager);
    });
  }

  /** Files the schedule (at least one session); its sessions open for enrolment. Filing a filed schedule answers the first filing. */
  async file(access: AccessContext, id: string): Promise<{ filedNow: boolean }> {
    return this.db.transaction(async (manager) => {
      const { series } = await this.managed(manager, access, id, true);
      if (series.status === 'filed') return { filedNow: false };
      const sessions = await manager.find(LectureSession, { where: { seriesId: id }, order: { month: 'ASC' } });
      if (!sessions.length) throw scheduleEmpty();
      for (const session of sessions) if (session.offeringId) await this.catalog.publish(access, session.offeringId);
      // The database clock, so session changes after filing (audited at their own now()) compare with it exactly.
      await manager.createQueryBuilder().update(LectureSeries)
        .set({ status: 'filed', filedAt: () => 'now()', filedBy: access.userId, version: () => 'version + 1' }).where('id = :id', { id }).execute();
      await this.audit.record(access.userId, 'file', 'lecture_series', id, series.districtId, { status: 'draft' },
        { status: 'filed', sessions: sessions.length }, manager);
      return { filedNow: true };
    });
  }

  /** The series when the caller files for its district (`lock`: for the rest of the transaction); otherwise it does not exist. */
  async managed(manager: EntityManager, access: AccessContext, id: string, lock: boolean): Promise<ManagedSeries> {
    const series = await manager.findOne(LectureSeries, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    const district = series ? await this.org.unit(series.districtId, manager) : null;
    if (!series || !district || !access.canAt('lectures.file', district.path)) throw seriesNotFound(id);
    return { series, district };
  }

  /** The series for its district's filers and for the city's overseers. */
  async readable(access: AccessContext, id: string): Promise<ManagedSeries & { canFile: boolean }> {
    const series = await this.db.manager.findOneBy(LectureSeries, { id });
    const district = series ? await this.org.unit(series.districtId) : null;
    if (!series || !district) throw seriesNotFound(id);
    const canFile = access.canAt('lectures.file', district.path);
    if (!canFile && !access.canAt('lectures.oversee', `/${series.cityId}/`)) throw seriesNotFound(id);
    return { series, district, canFile };
  }

  /** The named district, or the caller's only one, when they file for it. */
  async districtFor(access: AccessContext, districtId?: string): Promise<OrgUnitRef> {
    const paths = access.scopePaths('lectures.file').filter((p) => segments(p).length === 2);
    const id = districtId ?? (paths.length === 1 ? segments(paths[0])[1] : null);
    if (!id) throw ValidationFailed.field('districtId', 'DISTRICT_REQUIRED', 'Name the district the series is for');
    const unit = await this.org.unit(id);
    if (!unit || unit.kind !== 'district' || !access.canAt('lectures.file', unit.path)) {
      throw ValidationFailed.field('districtId', 'UNKNOWN_DISTRICT', 'districtId is not a district you file for');
    }
    return unit;
  }
}
