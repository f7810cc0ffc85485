import type { TestApp } from './test-app.js';
import { catalogFixtures } from './catalog-fixtures.js';
import { assessmentFixtures } from './assessment-fixtures.js';
import { CompletionService } from '../../src/modules/assessment/completion.service.js';

const HOUR = 3_600_000;

export interface CourseRun {
  courseId: string;
  offeringId: string;
  meetingIds: string[];
}

/** Offerings with meetings in the past or future, attendance through the real API, and direct calls of the completion service. */
export function completionFixtures(t: TestApp) {
  const fx = catalogFixtures(t.db.pool);
  const ax = assessmentFixtures(t.db.pool);
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  return {
    fx, ax, auth,
    /** A course of `meetings` meetings of `hoursEach` hours, taught by `trainer`; `startsInHours` places the first (negative: past). */
    async run(options: { title?: string; credits?: number; meetings?: number; hoursEach?: number; startsInHours?: number; minAttendanceShare?: number; ownerCode?: string } = {}): Promise<CourseRun> {
      const meetings = options.meetings ?? 2;
      const hoursEach = options.hoursEach ?? 4;
      const courseId = await fx.createCourse({ title: options.title ?? '幼儿园游戏化教学实践', hours: meetings * hoursEach, credits: options.credits ?? 2, ownerCode: options.ownerCode });
      const offeringId = await fx.createOffering(courseId, { trainers: ['trainer'], minAttendanceShare: options.minAttendanceShare ?? 0, label: '第一期' });
      const meetingIds: string[] = [];
      const first = Date.now() + (options.startsInHours ?? -72) * HOUR;
      for (let i = 0; i < meetings; i++) {
        const startsAt = new Date(first + i * 24 * HOUR);
        meetingIds.push(await fx.addMeeting(offeringId, { startsAt, endsAt: new Date(startsAt.getTime() + hoursEach * HOUR) }));
      }
      return { courseId, offeringId, meetingIds };
    },
    /** Marks attendance as the trainer would (the attendance listener then evaluates completion). */
    async mark(meetingId: string, records: Array<{ enrollmentId: string; status: string; hours?: number }>, username = 'trainer') {
      const res = await t.http().put(`/api/meetings/${meetingId}/attendance`).set(auth(await t.token(username))).send({ records });
      if (res.status !== 200) throw new Error(`attendance ${res.status}: ${JSON.stringify(res.body)}`);
    },
    evaluate: (ids: string[]) => t.app.get(CompletionService).evaluate(ids),
    count: async (sql: string, params: unknown[] = []) => Number((await t.db.pool.query(sql, params)).rows[0].count),
    one: async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await t.db.pool.query(sql, params)).rows[0] as T,
  };
}
