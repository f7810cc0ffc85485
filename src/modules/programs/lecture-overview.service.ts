import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { LectureDeadlinesService, type DeadlineView } from './lecture-deadlines.service.js';
import { badSemester } from './lecture-errors.js';
import { daysBetween, filingState, parseSemester, type FilingState } from './lecture-rules.js';
import { LectureQuery } from './lecture.query.js';

export interface OverviewDistrict {
  districtId: string;
  districtName: string;
  state: FilingState;
  seriesId: string | null;
  title: string | null;
  filedAt: Date | null;
  sessionCount: number;
  changedAfterFilingAt: Date | null;
}

export interface Overview {
  city: { id: string; name: string };
  semester: string;
  deadline: DeadlineView & { daysLeft: number };
  districts: OverviewDistrict[];
  totals: Record<FilingState, number>;
}

/** The city's view of a semester: every district under it, whether and when it filed, and against which deadline. */
@Injectable()
export class LectureOverviewService {
  constructor(private readonly deadlines: LectureDeadlinesService, private readonly query: LectureQuery) {}

  async overview(access: AccessContext, semester: string, cityId?: string): Promise<Overview> {
    const city = await this.deadlines.overseenCity(access, cityId);
    if (!parseSemester(semester)) throw badSemester();
    const [deadline, rows] = await Promise.all([this.deadlines.view(city, semester), this.query.overview(city.path, semester)]);
    const today = shanghaiDate();
    const districts = rows.map((r): OverviewDistrict => {
      const filedAt = r.status === 'filed' ? r.filedAt : null;
      return {
        districtId: r.districtId, districtName: r.districtName, state: filingState(deadline.dueOn, filedAt ? shanghaiDate(filedAt) : null, today),
        seriesId: r.seriesId, title: r.title, filedAt, sessionCount: r.sessionCount, changedAfterFilingAt: r.changedAfterFilingAt,
      };
    });
    const totals: Record<FilingState, number> = { filed_on_time: 0, filed_late: 0, not_filed_late: 0, not_due: 0 };
    for (const d of districts) totals[d.state] += 1;
    return { city: { id: city.id, name: city.name }, semester, deadline: { ...deadline, daysLeft: daysBetween(today, deadline.dueOn) }, districts, totals };
  }
}
