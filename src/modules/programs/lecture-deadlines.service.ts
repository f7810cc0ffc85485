import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { OrgScopeService, type OrgUnitRef } from '../org/org-scope.service.js';
import { LectureFilingDeadline } from './lecture.entities.js';
import { badSemester, cityNotFound } from './lecture-errors.js';
import { defaultDueOn, parseSemester, semesterLastDay } from './lecture-rules.js';
import type { SetDeadlineDto } from './lecture.dto.js';

export interface Deadline {
  semester: string;
  dueOn: string;
  /** No date set by the city: the documented default applies. */
  isDefault: boolean;
  defaultDueOn: string;
}

export interface DeadlineView extends Deadline {
  cityId: string;
  cityName: string;
  updatedAt: Date | null;
}

const segments = (path: string) => path.split('/').filter(Boolean);

/**
 * The city's filing deadline per semester. Only staff whose scope is the city itself set it (a
 * district's staff hold `lectures.oversee` over their district only, which is not the city).
 */
@Injectable()
export class LectureDeadlinesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly org: OrgScopeService,
    private readonly audit: AuditService,
  ) {}

  /** The cities the caller oversees as a whole (paths '/<city>/'). */
  overseenCityPaths(access: AccessContext): string[] {
    return access.scopePaths('lectures.oversee').filter((p) => segments(p).length === 1);
  }

  /** The named city, or the caller's only one, when they oversee it; otherwise it does not exist for them. */
  async overseenCity(access: AccessContext, cityId?: string): Promise<OrgUnitRef> {
    const paths = this.overseenCityPaths(access);
    const id = cityId ?? (paths.length === 1 ? segments(paths[0])[0] : null);
    if (!id) throw cityNotFound();
    const unit = await this.org.unit(id);
    if (!unit || unit.kind !== 'city' || !access.canAt('lectures.oversee', unit.path)) throw cityNotFound(id);
    return unit;
  }

  async deadline(cityId: string, semester: string, manager?: EntityManager): Promise<Deadline> {
    const row = await (manager ?? this.db.manager).findOneBy(LectureFilingDeadline, { cityId, semester });
    const fallback = defaultDueOn(semester);
    return { semester, dueOn: row?.dueOn ?? fallback, isDefault: !row, defaultDueOn: fallback };
  }

  async view(city: OrgUnitRef, semester: string): Promise<DeadlineView> {
    const row = await this.db.manager.findOneBy(LectureFilingDeadline, { cityId: city.id, semester });
    return { ...(await this.deadline(city.id, semester)), cityId: city.id, cityName: city.name, updatedAt: row?.updatedAt ?? null };
  }

  /** Sets the date; the same date again changes nothing. */
  async set(access: AccessContext, semester: string, input: SetDeadlineDto): Promise<DeadlineView> {
    const city = await this.overseenCity(access, input.cityId);
    if (!parseSemester(semester)) throw badSemester();
    const lastDay = semesterLastDay(semester);
    if (input.dueOn > lastDay) {
      throw ValidationFailed.field('dueOn', 'DUE_AFTER_SEMESTER', `dueOn must not be after the semester's last day (${lastDay})`);
    }
    await this.db.transaction(async (manager) => {
      const before = await manager.findOne(LectureFilingDeadline, { where: { cityId: city.id, semester }, lock: { mode: 'pessimistic_write' } });
      if (before?.dueOn === input.dueOn) return;
      await manager.upsert(LectureFilingDeadline, { cityId: city.id, semester, dueOn: input.dueOn, setBy: access.userId, updatedAt: new Date() }, ['cityId', 'semester']);
      await this.audit.record(access.userId, before ? 'update' : 'create', 'lecture_filing_deadline', `${city.id}:${semester}`, null,
        before ? { dueOn: before.dueOn } : null, { semester, dueOn: input.dueOn }, manager);
    });
    return this.view(city, semester);
  }
}
