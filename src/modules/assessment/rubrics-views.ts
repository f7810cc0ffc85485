import { shanghaiDate } from '../../common/dates.js';
import { DomainError, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import type { RubricCriterion, RubricMethod } from './assessment.entities.js';
import { RUBRIC_LIMITS } from './rubric-rules.js';
import type { RubricListItem } from './rubrics.query.js';
import type { RubricView } from './rubrics.service.js';

/** What the editor form posts back: every field as text, criteria and levels as the form's nested lists. */
export interface EditorValues {
  name: string;
  description: string;
  method: RubricMethod;
  version: string;
  criteria: Array<{ id?: string; title?: string; description?: string; maxPoints?: string; levels?: Array<Record<string, string>> }>;
}

const BLANK_LEVELS = ['待改进', '合格', '优秀'];

/** A new rubric starts with one criterion of three levels (or one guide criterion), ready to fill in. */
export function blankEditor(method: RubricMethod): EditorValues {
  const criterion = method === 'rubric'
    ? { title: '', description: '', levels: BLANK_LEVELS.map((title, i) => ({ title, points: String(i * 2 + 1), description: '' })) }
    : { title: '', description: '', maxPoints: '' };
  return { name: '', description: '', method, version: '', criteria: [criterion] };
}

export function editorValues(rubric: RubricView): EditorValues {
  return {
    name: rubric.name, description: rubric.description ?? '', method: rubric.method, version: String(rubric.version),
    criteria: rubric.criteria.map((c: RubricCriterion) => ({
      id: c.id, title: c.title, description: c.description ?? '', maxPoints: c.maxPoints === undefined ? '' : String(c.maxPoints),
      levels: (c.levels ?? []).map((l) => ({ id: l.id, title: l.title, points: String(l.points), description: l.description ?? '' })),
    })),
  };
}

/** The posted form as editor values; anything that is not text is dropped. */
export function postedEditor(body: Record<string, unknown>, method: RubricMethod): EditorValues {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const list = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [])
    .filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
  return {
    name: text(body.name), description: text(body.description), method, version: text(body.version),
    criteria: list(body.criteria).slice(0, RUBRIC_LIMITS.maxCriteria + 1).map((c) => ({
      id: text(c.id) || undefined, title: text(c.title), description: text(c.description), maxPoints: text(c.maxPoints),
      levels: list(c.levels).slice(0, RUBRIC_LIMITS.maxLevels + 1).map((l) => ({
        id: text(l.id), title: text(l.title), points: text(l.points), description: text(l.description),
      })),
    })),
  };
}

/** The criteria as the API takes them (blank ids dropped, so the server keeps or assigns them). */
export function criteriaInput(values: EditorValues): unknown[] {
  return values.criteria.map((c) => ({
    ...(c.id ? { id: c.id } : {}), title: c.title, description: c.description,
    ...(values.method === 'guide' ? { maxPoints: c.maxPoints } : {
      levels: (c.levels ?? []).map((l) => ({ ...(l.id ? { id: l.id } : {}), title: l.title, points: l.points, description: l.description })),
    }),
  }));
}

/** Add and remove buttons change the form without saving (they work without scripts): `addCriterion`, `removeCriterion:2`, `addLevel:1`, `removeLevel:1:3`. */
export function applyEditorOp(values: EditorValues, op: string): EditorValues {
  const [kind, a, b] = op.split(':');
  const i = Number(a);
  const j = Number(b);
  const criteria = values.criteria.map((c) => ({ ...c, levels: [...(c.levels ?? [])] }));
  if (kind === 'addCriterion' && criteria.length < RUBRIC_LIMITS.maxCriteria) {
    criteria.push(values.method === 'rubric'
      ? { title: '', description: '', levels: [{ title: '', points: '', description: '' }, { title: '', points: '', description: '' }] }
      : { title: '', description: '', maxPoints: '', levels: [] });
  } else if (kind === 'removeCriterion' && criteria[i] && criteria.length > 1) {
    criteria.splice(i, 1);
  } else if (kind === 'addLevel' && criteria[i] && criteria[i].levels.length < RUBRIC_LIMITS.maxLevels) {
    criteria[i].levels.push({ id: '', title: '', points: '', description: '' });
  } else if (kind === 'removeLevel' && criteria[i]?.levels[j] && criteria[i].levels.length > RUBRIC_LIMITS.minLevels) {
    criteria[i].levels.splice(j, 1);
  }
  return { ...values, criteria };
}

/** The editor's view model: every field with its value, its input name and its message, if any. */
export function editorView(values: EditorValues, errors: Record<string, string>) {
  const err = (path: string) => errors[path] ?? null;
  return {
    name: values.name, description: values.description, method: values.method, version: values.version,
    nameError: err('name'), descriptionError: err('description'), criteriaError: err('criteria') ?? err('version'),
    canAddCriterion: values.criteria.length < RUBRIC_LIMITS.maxCriteria, canRemoveCriterion: values.criteria.length > 1,
    criteria: values.criteria.map((c, i) => {
      const path = `criteria[${i}]`;
      const levels = c.levels ?? [];
      return {
        index: i, number: i + 1, id: c.id ?? '', title: c.title ?? '', description: c.description ?? '', maxPoints: c.maxPoints ?? '',
        titleError: err(`${path}.title`), descriptionError: err(`${path}.description`), maxPointsError: err(`${path}.maxPoints`), levelsError: err(`${path}.levels`),
        canAddLevel: levels.length < RUBRIC_LIMITS.maxLevels, canRemoveLevel: levels.length > RUBRIC_LIMITS.minLevels,
        levels: levels.map((l, j) => ({
          index: j, criterion: i, id: l.id ?? '', title: l.title ?? '', points: l.points ?? '', description: l.description ?? '',
          titleError: err(`${path}.levels[${j}].title`), pointsError: err(`${path}.levels[${j}].points`), descriptionError: err(`${path}.levels[${j}].description`),
        })),
      };
    }),
  };
}

/** Messages by field path for a refusal about fields; null when the refusal is about something else. */
export function editorErrors(error: unknown, locale: Locale): Record<string, string> | null {
  const problems: FieldProblem[] | undefined = error instanceof ValidationFailed ? error.problems
    : error instanceof DomainError ? (error.details as { fields?: FieldProblem[] } | undefined)?.fields : undefined;
  if (!problems) return null;
  const errors: Record<string, string> = {};
  for (const p of problems) {
    if (errors[p.field]) continue;
    const key = `rubrics.problem.${p.code}`;
    errors[p.field] = hasTranslation(locale, key) ? translate(locale, key) : translate(locale, 'rubrics.problem.invalid');
  }
  return errors;
}

export function listRows(items: RubricListItem[]) {
  return items.map((r) => ({ ...r, updatedOn: shanghaiDate(new Date(r.updatedAt)), archived: !!r.archivedAt }));
}
