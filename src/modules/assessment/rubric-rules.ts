import type { FieldProblem } from '../../common/errors.js';
import type { RubricCriterion, RubricLevel, RubricMethod } from './assessment.entities.js';

export const RUBRIC_LIMITS = {
  minCriteria: 1, maxCriteria: 20, minLevels: 2, maxLevels: 10,
  title: 200, levelTitle: 100, description: 2000, maxPoints: 1000,
} as const;

/** What a client (API body, editor form, spreadsheet) sends for one criterion; every field is checked. */
export interface CriterionInput {
  id?: unknown;
  title?: unknown;
  description?: unknown;
  levels?: unknown;
  maxPoints?: unknown;
}

export interface NormalisedCriteria {
  criteria: RubricCriterion[];
  maxPoints: number;
  problems: FieldProblem[];
}

/** A criterion's maximum: its highest level for a rubric, its own maximum for a marking guide. */
export function criterionMax(criterion: RubricCriterion): number {
  if (criterion.levels) return Math.max(0, ...criterion.levels.map((l) => l.points));
  return criterion.maxPoints ?? 0;
}

export function rubricMax(criteria: RubricCriterion[]): number {
  return round2(criteria.reduce((sum, c) => sum + criterionMax(c), 0));
}

/**
 * Checks and cleans criteria, naming every problem by its request path (`criteria[2].levels[1].points`).
 * Ids are the server's: a criterion or level keeps the id it had in `previous` when the client sends that
 * id or the same title; anything new gets the next free short id (c3, c3l4), so grades keep pointing at
 * the criteria they were given for.
 */
export function normaliseCriteria(method: RubricMethod, input: unknown, previous: RubricCriterion[] = []): NormalisedCriteria {
  const problems: FieldProblem[] = [];
  const add = (field: string, code: string, message: string) => problems.push({ field, code, message });
  if (!Array.isArray(input)) {
    add('criteria', 'REQUIRED', 'criteria must be a list');
    return { criteria: [], maxPoints: 0, problems };
  }
  if (input.length < RUBRIC_LIMITS.minCriteria) add('criteria', 'TOO_FEW_CRITERIA', 'Give at least one criterion');
  if (input.length > RUBRIC_LIMITS.maxCriteria) add('criteria', 'TOO_MANY_CRITERIA', `At most ${RUBRIC_LIMITS.maxCriteria} criteria`);

  const criteriaIds = new IdPool(previous.map((c) => c.id), (n) => `c${n}`);
  const seenTitles = new Set<string>();
  const criteria: RubricCriterion[] = [];
  input.slice(0, RUBRIC_LIMITS.maxCriteria).forEach((raw, i) => {
    const path = `criteria[${i}]`;
    const item = (raw && typeof raw === 'object' ? raw : {}) as CriterionInput;
    const title = text(item.title, `${path}.title`, RUBRIC_LIMITS.title, true, add);
    const description = text(item.description, `${path}.description`, RUBRIC_LIMITS.description, false, add);
    if (title && seenTitles.has(title.toLowerCase())) add(`${path}.title`, 'DUPLICATE_TITLE', `Another criterion is already called ${title}`);
    if (title) seenTitles.add(title.toLowerCase());
    const before = matchPrevious(previous, item.id, title, criteriaIds);
    const id = criteriaIds.take(before?.id);
    const criterion: RubricCriterion = { id, title: title ?? '', ...(description ? { description } : {}) };
    if (method === 'rubric') {
      criterion.levels = levelsOf(item.levels, path, id, before?.levels ?? [], add);
    } else {
      const max = points(item.maxPoints, `${path}.maxPoints`, add);
      if (max !== null && max <= 0) add(`${path}.maxPoints`, 'MAX_POINTS_NOT_POSITIVE', 'The maximum must be more than 0');
      criterion.maxPoints = max ?? 0;
    }
    criteria.push(criterion);
  });
  const maxPoints = rubricMax(criteria);
  if (!problems.length && maxPoints <= 0) add('criteria', 'RUBRIC_MAX_ZERO', 'The highest levels must add up to more than 0 points');
  return { criteria, maxPoints, problems };
}

function levelsOf(raw: unknown, path: string, criterionId: string, previous: RubricLevel[], add: Add): RubricLevel[] {
  if (!Array.isArray(raw)) {
    add(`${path}.levels`, 'TOO_FEW_LEVELS', `Give at least ${RUBRIC_LIMITS.minLevels} levels`);
    return [];
  }
  if (raw.length < RUBRIC_LIMITS.minLevels) add(`${path}.levels`, 'TOO_FEW_LEVELS', `Give at least ${RUBRIC_LIMITS.minLevels} levels`);
  if (raw.length > RUBRIC_LIMITS.maxLevels) add(`${path}.levels`, 'TOO_MANY_LEVELS', `At most ${RUBRIC_LIMITS.maxLevels} levels`);
  const ids = new IdPool(previous.map((l) => l.id), (n) => `${criterionId}l${n}`);
  const seen = new Set<string>();
  return raw.slice(0, RUBRIC_LIMITS.maxLevels).map((rawLevel, j) => {
    const levelPath = `${path}.levels[${j}]`;
    const level = (rawLevel && typeof rawLevel === 'object' ? rawLevel : {}) as Record<string, unknown>;
    const title = text(level.title, `${levelPath}.title`, RUBRIC_LIMITS.levelTitle, true, add);
    if (title && seen.has(title.toLowerCase())) add(`${levelPath}.title`, 'DUPLICATE_TITLE', `Another level of this criterion is already called ${title}`);
    if (title) seen.add(title.toLowerCase());
    const description = text(level.description, `${levelPath}.description`, RUBRIC_LIMITS.description, false, add);
    const before = matchPrevious(previous, level.id, title, ids);
    return { id: ids.take(before?.id), title: title ?? '', points: points(level.points, `${levelPath}.points`, add) ?? 0, ...(description ? { description } : {}) };
  });
}

type Add = (field: string, code: string, message: string) => void;

function text(value: unknown, field: string, max: number, required: boolean, add: Add): string | null {
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) {
    if (required) add(field, 'REQUIRED', `${field} is required`);
    return null;
  }
  if (typeof value !== 'string') {
    add(field, 'NOT_TEXT', `${field} must be text`);
    return null;
  }
  const trimmed = value.trim();
  if (trimmed.length > max) add(field, 'TOO_LONG', `${field} is longer than ${max} characters`);
  return trimmed;
}

/** Points as a number with at most two decimals, from a number or numeric text (forms and spreadsheets send text). */
export function parsePoints(value: unknown): { points: number | null; code: string | null } {
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) return { points: null, code: 'POINTS_REQUIRED' };
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(number)) return { points: null, code: 'POINTS_NOT_NUMBER' };
  if (number < 0) return { points: null, code: 'POINTS_NEGATIVE' };
  if (number > RUBRIC_LIMITS.maxPoints) return { points: null, code: 'POINTS_TOO_LARGE' };
  if (Math.abs(round2(number) - number) > 1e-9) return { points: null, code: 'POINTS_PRECISION' };
  return { points: number, code: null };
}

const POINT_MESSAGES: Record<string, string> = {
  POINTS_REQUIRED: 'points are required', POINTS_NOT_NUMBER: 'points must be a number', POINTS_NEGATIVE: 'points cannot be negative',
  POINTS_TOO_LARGE: `points cannot exceed ${RUBRIC_LIMITS.maxPoints}`, POINTS_PRECISION: 'points have at most two decimals',
};

export function pointsMessage(code: string): string {
  return POINT_MESSAGES[code] ?? 'invalid points';
}

function points(value: unknown, field: string, add: Add): number | null {
  const parsed = parsePoints(value);
  if (parsed.code) add(field, parsed.code, `${field}: ${pointsMessage(parsed.code)}`);
  return parsed.points;
}

function matchPrevious<T extends { id: string; title: string }>(previous: T[], id: unknown, title: string | null, pool: IdPool): T | undefined {
  const free = previous.filter((p) => !pool.used.has(p.id));
  return free.find((p) => typeof id === 'string' && p.id === id) ?? free.find((p) => title !== null && p.title.toLowerCase() === title.toLowerCase());
}

/** Short ids: each previous one may be kept once; new ones count on from the highest number present. */
class IdPool {
  readonly used = new Set<string>();
  private next: number;
  constructor(previous: string[], private readonly make: (n: number) => string) {
    this.next = Math.max(0, ...previous.map((id) => Number(/(\d+)$/.exec(id)?.[1] ?? 0))) + 1;
  }
  take(kept: string | undefined): string {
    const id = kept ?? this.make(this.next++);
    this.used.add(id);
    return id;
  }
}

/** Whether two versions of criteria would score work differently (descriptions are wording only). */
export function criteriaChanged(before: RubricCriterion[], after: RubricCriterion[]): boolean {
  const shape = (criteria: RubricCriterion[]) => JSON.stringify(criteria.map((c) => ({
    id: c.id, title: c.title, maxPoints: c.maxPoints ?? null, levels: (c.levels ?? []).map((l) => ({ id: l.id, title: l.title, points: l.points })),
  })));
  return shape(before) !== shape(after);
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
