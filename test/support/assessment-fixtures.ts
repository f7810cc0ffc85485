import type pg from 'pg';

export interface ItemOptions {
  kind?: 'assignment' | 'survey' | 'offline';
  title?: string;
  submissionModes?: Array<'text' | 'file'>;
  /** Offset from now in hours; null for no due date. */
  dueIn?: number | null;
  latePolicy?: 'accept' | 'penalty' | 'refuse';
  latePenaltyPercent?: number | null;
  allowedFileTypes?: string[];
  maxFileBytes?: number | null;
  gradingMethod?: 'rubric' | 'guide' | 'points' | 'pass_fail' | 'none';
  rubricId?: string | null;
  maxPoints?: number | null;
  passPoints?: number | null;
  secondMarking?: boolean;
  questions?: unknown[];
  position?: number;
}

/** A four-criterion rubric like the demonstration-lesson rubric trainers use (max 20 points). */
export const LESSON_RUBRIC = [1, 2, 3, 4].map((n) => ({
  id: `c${n}`, title: ['教学目标', '活动设计', '师幼互动', '反思'][n - 1], description: '',
  levels: [
    { id: `c${n}l1`, title: '待改进', points: 1 },
    { id: `c${n}l2`, title: '合格', points: 3 },
    { id: `c${n}l3`, title: '优秀', points: 5 },
  ],
}));

/** Rows straight into the assessment tables, for tests that are about something else (grading, completion, certificates). */
export function assessmentFixtures(pool: pg.Pool) {
  const one = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> => (await pool.query(sql, params)).rows[0] as T;
  return {
    async createRubric(options: { districtCode?: string; method?: 'rubric' | 'guide'; name?: string; criteria?: unknown[]; maxPoints?: number; ownerUsername?: string } = {}): Promise<string> {
      const criteria = options.criteria ?? LESSON_RUBRIC;
      const row = await one<{ id: string }>(
        `INSERT INTO rubric (district_id, owner_user_id, method, name, criteria, max_points)
         VALUES ((SELECT id FROM org_unit WHERE code = $1), (SELECT id FROM app_user WHERE username = $2), $3, $4, $5, $6) RETURNING id`,
        [options.districtCode ?? 'SH-QP', options.ownerUsername ?? 'trainer', options.method ?? 'rubric', options.name ?? '示范课评价量规',
          JSON.stringify(criteria), options.maxPoints ?? 20]);
      return row.id;
    },
    async createItem(offeringId: string, options: ItemOptions = {}): Promise<string> {
      const kind = options.kind ?? 'assignment';
      const method = options.gradingMethod ?? (kind === 'survey' ? 'none' : options.rubricId ? 'rubric' : 'points');
      const dueAt = options.dueIn === null || options.dueIn === undefined ? null : new Date(Date.now() + options.dueIn * 3_600_000);
      const row = await one<{ id: string }>(
        `INSERT INTO assessment_item (offering_id, district_id, kind, title, position, submission_modes, due_at, late_policy, late_penalty_percent,
           allowed_file_types, max_file_bytes, grading_method, rubric_id, max_points, pass_points, second_marking, questions)
         SELECT o.id, o.district_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 FROM offering o WHERE o.id = $1 RETURNING id`,
        [offeringId, kind, options.title ?? (kind === 'survey' ? '课程评价' : '作业'), options.position ?? 0,
          options.submissionModes ?? (kind === 'assignment' ? ['text', 'file'] : []), dueAt, options.latePolicy ?? 'accept',
          options.latePenaltyPercent ?? null, options.allowedFileTypes ?? ['application/pdf'], options.maxFileBytes ?? null, method,
          options.rubricId ?? null, options.maxPoints ?? (method === 'points' || method === 'rubric' || method === 'guide' ? 100 : null),
          options.passPoints ?? (method === 'points' ? 60 : null), options.secondMarking ?? false, JSON.stringify(options.questions ?? [])]);
      return row.id;
    },
    async submit(itemId: string, enrollmentId: string, options: { body?: string; answers?: Record<string, unknown>; late?: boolean; minutesAgo?: number } = {}): Promise<string> {
      const row = await one<{ id: string }>(
        `INSERT INTO submission (item_id, enrollment_id, person_id, district_id, attempt, body, answers, submitted_at, late)
         SELECT $1, e.id, e.person_id, e.district_id,
                coalesce((SELECT max(attempt) FROM submission WHERE item_id = $1 AND enrollment_id = e.id), 0) + 1,
                $3, $4, now() - make_interval(mins => $5), $6
           FROM enrollment e WHERE e.id = $2 RETURNING id`,
        [itemId, enrollmentId, options.body ?? (options.answers ? null : '我的作业'), options.answers ? JSON.stringify(options.answers) : null,
          options.minutesAgo ?? 0, options.late ?? false]);
      return row.id;
    },
    /** An agreed grade, released unless `released: false`. */
    async grade(itemId: string, enrollmentId: string, options: { points?: number | null; passed: boolean; released?: boolean; graderUsername?: string }): Promise<void> {
      await pool.query(
        `INSERT INTO grade (item_id, enrollment_id, person_id, district_id, raw_points, points, passed, graded_by, graded_at, released_at, released_by)
         SELECT $1, e.id, e.person_id, e.district_id, $3, $3, $4, u.id, now(), CASE WHEN $5 THEN now() END, CASE WHEN $5 THEN u.id END
           FROM enrollment e, app_user u WHERE e.id = $2 AND u.username = $6`,
        [itemId, enrollmentId, options.points ?? null, options.passed, options.released ?? true, options.graderUsername ?? 'trainer']);
    },
  };
}
export type AssessmentFixtures = ReturnType<typeof assessmentFixtures>;
