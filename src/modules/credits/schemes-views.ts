import { DomainError, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES } from '../catalog/catalog.entities.js';
import type { SchemeView } from './schemes.service.js';

type Form = Record<string, unknown>;
const RULE_FIELDS = ['level', 'category', 'min', 'max'] as const;
const BLANK_ROWS = 3;

/** What the form posted for one scheme, as typed (strings), so it can be shown again with its errors. */
export interface SchemeFormState {
  values: { nameZh: string; nameEn: string; total: string; effectiveTo: string; version: string };
  rows: Array<Record<(typeof RULE_FIELDS)[number], string>>;
  errors: Record<string, string>;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map((v) => String(v ?? '')) : value === undefined ? [] : [String(value)]);
const amount = (text: string): unknown => (text.trim() === '' ? undefined : Number.isFinite(Number(text)) ? Number(text) : text);

/** The posted form: strings kept for re-display; rows with nothing filled in are dropped, remembering where each rule came from. */
export function readSchemeForm(body: Form): { state: SchemeFormState; input: Form; rowOfRule: number[] } {
  const columns = Object.fromEntries(RULE_FIELDS.map((f) => [f, list(body[`rule_${f}`])])) as Record<(typeof RULE_FIELDS)[number], string[]>;
  const count = Math.max(...RULE_FIELDS.map((f) => columns[f].length));
  const rows = Array.from({ length: count }, (_, i) => Object.fromEntries(RULE_FIELDS.map((f) => [f, columns[f][i] ?? ''])) as SchemeFormState['rows'][number]);
  const rowOfRule: number[] = [];
  const rules = rows.flatMap((row, i) => {
    if (RULE_FIELDS.every((f) => row[f].trim() === '')) return [];
    rowOfRule.push(i);
    const rule: Record<string, unknown> = {};
    if (row.level) rule.level = row.level;
    if (row.category) rule.category = row.category;
    if (amount(row.min) !== undefined) rule.min = amount(row.min);
    if (amount(row.max) !== undefined) rule.max = amount(row.max);
    return [rule];
  });
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  const values = { nameZh: text('nameZh'), nameEn: text('nameEn'), total: text('total'), effectiveTo: text('effectiveTo'), version: text('version') };
  const input: Form = {
    nameZh: values.nameZh, nameEn: values.nameEn, total: amount(values.total) ?? values.total, rules,
    effectiveTo: values.effectiveTo.trim() === '' ? null : values.effectiveTo, version: Number(values.version),
  };
  return { state: { values, rows, errors: {} }, input, rowOfRule };
}

/** Field errors in the reader's language, keyed `total`, `rule.3.min` (form rows), or `form` for a conflict. */
export function schemeFormErrors(error: unknown, locale: Locale, rowOfRule: number[]): Record<string, string> | null {
  let problems: FieldProblem[];
  if (error instanceof ValidationFailed) problems = error.problems;
  else if (error instanceof DomainError && error.status === 400 && Array.isArray((error.details as { fields?: unknown })?.fields)) problems = (error.details as { fields: FieldProblem[] }).fields;
  else if (error instanceof DomainError && error.code === 'CONFLICT') problems = [{ field: 'form', code: 'CONFLICT', message: error.message }];
  else return null;
  const errors: Record<string, string> = {};
  for (const p of problems) {
    const rule = /^rules\[(\d+)\](?:\.(\w+))?$/.exec(p.field);
    const field = rule ? `rule.${rowOfRule[Number(rule[1])] ?? 0}.${rule[2] ?? 'category'}` : p.field.replace(/^rules$/, 'form');
    if (errors[field]) continue;
    const key = `compliance.problem.${p.code}`;
    errors[field] = translate(locale, hasTranslation(locale, key) ? key : 'compliance.problem.invalid');
  }
  return errors;
}

export function emptySchemeForm(scheme: SchemeView): SchemeFormState {
  const text = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));
  return {
    values: { nameZh: scheme.nameZh, nameEn: scheme.nameEn, total: String(scheme.total), effectiveTo: scheme.effectiveTo ?? '', version: String(scheme.version) },
    rows: scheme.rules.map((r) => ({ level: r.level ?? '', category: r.category ?? '', min: text(r.min), max: text(r.max) })),
    errors: {},
  };
}

interface StageName { kind: string; code: string; nameZh: string; nameEn: string }

/** One scheme as the page shows it: its rules in words and, for staff who may, its form. */
export function schemeCard(scheme: SchemeView, locale: Locale, stages: StageName[], canManage: boolean, form: SchemeFormState | null) {
  const en = locale === 'en';
  const stageName = (kind: string, code: string) => {
    const s = stages.find((x) => x.kind === kind && x.code === code);
    return s ? (en ? s.nameEn : s.nameZh) : code;
  };
  const sep = en ? ', ' : '、';
  const audience = [
    scheme.regionCode ? translate(locale, 'schemes.region', { code: scheme.regionCode }) : translate(locale, 'schemes.everywhere'),
    scheme.posts.length ? scheme.posts.map((p) => translate(locale, `people.post.${p}`)).join(sep) : translate(locale, 'schemes.allPosts'),
    ...(scheme.teacherStages.length ? [translate(locale, 'schemes.teacherStages', { stages: scheme.teacherStages.map((c) => stageName('teacher', c)).join(sep) })] : []),
    ...(scheme.principalStages.length ? [translate(locale, 'schemes.principalStages', { stages: scheme.principalStages.map((c) => stageName('principal', c)).join(sep) })] : []),
  ].join(' · ');
  const editable = canManage && scheme.editable;
  const state = editable ? form ?? emptySchemeForm(scheme) : null;
  const filled = state ? [...state.rows] : [];
  while (filled.length > 0 && RULE_FIELDS.every((f) => filled.at(-1)![f].trim() === '')) filled.pop();
  const rows = state ? [...filled, ...Array.from({ length: BLANK_ROWS }, () => ({ level: '', category: '', min: '', max: '' }))] : [];
  return {
    code: scheme.code,
    name: en ? scheme.nameEn : scheme.nameZh,
    unit: translate(locale, `compliance.unit.${scheme.unit}`),
    cycle: translate(locale, `compliance.cycleKind.${scheme.cycleKind}`),
    audience,
    effective: scheme.effectiveTo
      ? translate(locale, 'schemes.effectiveRange', { from: scheme.effectiveFrom, to: scheme.effectiveTo })
      : translate(locale, 'schemes.effectiveOpen', { from: scheme.effectiveFrom }),
    totalText: en ? scheme.totalTextEn : scheme.totalText,
    rules: scheme.rules.map((r) => (en ? r.textEn : r.text)),
    editable: scheme.editable,
    version: scheme.version,
    form: state && {
      open: Object.keys(state.errors).length > 0,
      values: state.values,
      errors: Object.fromEntries(['nameZh', 'nameEn', 'total', 'effectiveTo'].map((f) => [f, state.errors[f] ?? null])),
      formError: state.errors.form ?? state.errors.version ?? null,
      rows: rows.map((row, i) => ({
        index: i,
        min: row.min, max: row.max,
        levels: [{ value: '', text: translate(locale, 'schemes.anyLevel'), selected: row.level === '' },
          ...COURSE_LEVELS.map((l) => ({ value: l, text: translate(locale, `catalog.level.${l}`), selected: row.level === l }))],
        categories: [{ value: '', text: translate(locale, 'schemes.anyCategory'), selected: row.category === '' },
          ...CREDIT_CATEGORIES.map((c) => ({ value: c, text: translate(locale, `catalog.category.${c}`), selected: row.category === c }))],
        errors: Object.fromEntries(RULE_FIELDS.map((f) => [f, state.errors[`rule.${i}.${f}`] ?? null])),
        fields: Object.fromEntries(RULE_FIELDS.map((f) => [f, `rule.${i}.${f}`])),
      })),
    },
  };
}
