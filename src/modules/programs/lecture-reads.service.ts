import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import type { CreditCategory } from '../catalog/catalog.entities.js';
import type { OrgUnitRef } from '../org/org-scope.service.js';
import { LectureCatalog } from './lecture-catalog.service.js';
import { LectureDeadlinesService } from './lecture-deadlines.service.js';
import { LectureSeries, LectureSession } from './lecture.entities.js';
import { badSemester } from './lecture-errors.js';
import { daysBetween, filingState, nextSemester, parseSemester, semesterMonths, semesterOf, type FilingState } from './lecture-rules.js';
import { LectureQuery, type SpeakerOption } from './lecture.query.js';
import { LectureSeriesService } from './lecture-series.service.js';

export interface Filing {
  state: FilingState;
  dueOn: string;
  isDefaultDeadline: boolean;
  /** Days until the due date (negative: days past it). */
  daysLeft: number;
  filedAt: Date | null;
  /** The last session change after the filing, or null. */
  changedAfterFilingAt: Date | null;
}

export interface SessionView {
  id: string;
  month: string;
  topic: string;
  speaker: { personId: string; fullName: string; kindergartenId: string; kindergartenName: string };
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  offeringId: string | null;
  meetingId: string | null;
  offeringStatus: string | null;
  /** Enrolled (and completed) learners; null when the caller does not manage the district's catalog. */
  seatsTaken: number | null;
}

export interface SeriesView {
  id: string;
  semester: string;
  title: string;
  status: 'draft' | 'filed';
  district: { id: string; name: string };
  cityId: string;
  filing: Filing;
  course: { id: string; code: string; hours: number; credits: number; creditsFromRule: boolean; category: CreditCategory; level: string } | null;
  sessions: SessionView[];
  months: string[];
  freeMonths: string[];
  canFile: boolean;
  createdAt: Date;
  version: number;
}

/** One semester on a district's page: its deadline and the district's series, if any. */
export interface DistrictSemester {
  semester: string;
  filing: Filing;
  series: { id: string; title: string; status: 'draft' | 'filed'; sessionCount: number } | null;
}

const monthOf = (session: LectureSession) => String(session.month).slice(0, 7);

/** What the pages and the API show of series: the schedule with its sessions' offerings, and each semester's filing state. */
@Injectable()
export class LectureReads {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly series: LectureSeriesService,
    private readonly deadlines: LectureDeadlinesService,
    private readonly catalog: LectureCatalog,
    private readonly query: LectureQuery,
  ) {}

  async get(access: AccessContext, id: string): Promise<SeriesView> {
    const { series, district, canFile } = await this.series.readable(access, id);
    return this.view(access, series, district, canFile);
  }

  async view(access: AccessContext, series: LectureSeries, district: OrgUnitRef, canFile: boolean): Promise<SeriesView> {
    const sessions = await this.db.manager.find(LectureSession, { where: { seriesId: series.id }, order: { month: 'ASC' } });
    const [course, names, meetings, filing] = await Promise.all([
      this.catalog.course(access, series.courseId),
      this.query.speakerNames(sessions.map((s) => s.speakerPersonId), sessions.map((s) => s.speakerKindergartenId)),
      this.catalog.meetings(sessions.map((s) => s.offeringId).filter((o): o is string => !!o)),
      this.filing(series.cityId, series.semester, series),
    ]);
    const offerings = new Map((course?.offerings ?? []).map((o) => [o.id, o]));
    const months = semesterMonths(series.semester);
    return {
      id: series.id, semester: series.semester, title: series.title, status: series.status, district: { id: district.id, name: district.name },
      cityId: series.cityId, filing,
      course: course ? {
        id: course.id, code: course.code, hours: course.hours, credits: course.credits, creditsFromRule: course.creditsFromRule,
        category: course.category, level: course.level,
      } : null,
      sessions: sessions.map((s) => {
        const offering = s.offeringId ? offerings.get(s.offeringId) : undefined;
        const meeting = s.offeringId ? meetings.get(s.offeringId) : undefined;
        return {
          id: s.id, month: monthOf(s), topic: s.topic,
          speaker: {
            personId: s.speakerPersonId, fullName: names.people.get(s.speakerPersonId) ?? '',
            kindergartenId: s.speakerKindergartenId, kindergartenName: names.kindergartens.get(s.speakerKindergartenId) ?? '',
          },
          startsAt: s.startsAt, endsAt: s.endsAt, place: meeting?.place ?? null, offeringId: s.offeringId, meetingId: meeting?.id ?? null,
          offeringStatus: offering?.status ?? null, seatsTaken: offering ? offering.seatsTaken : null,
        };
      }),
      months, freeMonths: months.filter((m) => !sessions.some((s) => monthOf(s) === m)),
      canFile, createdAt: series.createdAt, version: series.version,
    };
  }

  /** Who may speak in the series: principals and vice principals of the district's demonstration kindergartens. */
  async speakers(access: AccessContext, seriesId: string): Promise<SpeakerOption[]> {
    const { district } = await this.series.managed(this.db.manager, access, seriesId, false);
    return this.query.speakerOptions(district.path);
  }

  /** Where a district stands for a semester: filed on time or late, not filed though late, or not due yet. */
  async filing(cityId: string, semester: string, series: LectureSeries | null): Promise<Filing> {
    const deadline = await this.deadlines.deadline(cityId, semester);
    const today = shanghaiDate();
    const filedAt = series?.status === 'filed' ? series.filedAt : null;
    return {
      state: filingState(deadline.dueOn, filedAt ? shanghaiDate(filedAt) : null, today), dueOn: deadline.dueOn, isDefaultDeadline: deadline.isDefault,
      daysLeft: daysBetween(today, deadline.dueOn), filedAt,
      changedAfterFilingAt: series ? await this.query.changedAfterFiling(series.id, filedAt) : null,
    };
  }

  /**
   * The districts the caller files for, each with the current and the next semester and any other
   * semester it has a series for (newest first); `semester` narrows it to one.
   */
  async districts(access: AccessContext, semester?: string): Promise<Array<{ district: { id: string; name: string }; semesters: DistrictSemester[] }>> {
    if (semester && !parseSemester(semester)) throw badSemester();
    const districts = await this.query.districtsUnder(access.scopePaths('lectures.file'));
    const all = districts.length ? await this.db.manager.findBy(LectureSeries, { districtId: In(districts.map((d) => d.id)) }) : [];
    const counts = await this.sessionCounts(all.map((s) => s.id));
    const current = semesterOf(shanghaiDate());
    const out = [];
    for (const district of districts) {
      const own = all.filter((s) => s.districtId === district.id);
      const wanted = semester ? [semester] : [...new Set([nextSemester(current), current, ...own.map((s) => s.semester)])].sort(bySemesterDesc);
      const semesters: DistrictSemester[] = [];
      for (const code of wanted) {
        const series = own.find((s) => s.semester === code) ?? null;
        semesters.push({
          semester: code, filing: await this.filing(district.cityId, code, series),
          series: series ? { id: series.id, title: series.title, status: series.status, sessionCount: counts.get(series.id) ?? 0 } : null,
        });
      }
      out.push({ district: { id: district.id, name: district.name }, semesters });
    }
    return out;
  }

  private async sessionCounts(seriesIds: string[]): Promise<Map<string, number>> {
    if (!seriesIds.length) return new Map();
    const rows: Array<{ seriesId: string; n: number }> = await this.db.manager.createQueryBuilder(LectureSession, 's')
      .select('s.series_id', 'seriesId').addSelect('count(*)::int', 'n').where('s.series_id IN (:...ids)', { ids: seriesIds })
      .groupBy('s.series_id').getRawMany();
    return new Map(rows.map((r) => [r.seriesId, Number(r.n)]));
  }
}

/** Newest semester first: 2027-spring before 2026-autumn before 2026-spring. */
export function bySemesterDesc(a: string, b: string): number {
  const key = (s: string) => { const p = parseSemester(s)!; return p.year * 2 + (p.term === 'autumn' ? 1 : 0); };
  return key(b) - key(a);
}
