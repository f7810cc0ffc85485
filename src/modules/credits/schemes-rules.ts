import type { FieldProblem } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES } from '../catalog/catalog.entities.js';
import { allocate } from './allocation.js';
import type { SchemeRule, SchemeUnit } from './credit.entities.js';

const RULE_KEYS = new Set(['category', 'level', 'min', 'max']);
const MAX_AMOUNT = 100_000;
const cents = (x: number) => Math.round(x * 100);

function amountProblem(value: unknown, field: string): FieldProblem | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { field, code: 'isNumber', message: `${field} must be a number` };
  if (value < 0 || value > MAX_AMOUNT) return { field, code: 'min', message: `${field} must be between 0 and ${MAX_AMOUNT}` };
  if (Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) return { field, code: 'isNumber', message: `${field} has more than two decimals` };
  return null;
}

/**
 * Checks a scheme's rules against its total; answers the rules cleaned, and every problem named by
 * its field (`rules[3].min`). Beyond shapes: a maximum below its own minimum; the minima of the
 * categories, or of the levels, adding up to more than the total; a level's cell minima adding up
 * to more than that level's minimum (or the total when the level has none); and rules that no
 * amount of credit could meet together (e.g. a cell minimum above its category's maximum), found
 * exactly by the allocation engine.
 */
export function checkSchemeRules(total: number, input: unknown): { rules: SchemeRule[]; problems: FieldProblem[] } {
  if (!Array.isArray(input)) return { rules: [], problems: [{ field: 'rules', code: 'isArray', message: 'rules must be an array' }] };
  const problems: FieldProblem[] = [];
  /** Rules that are sound on their own but not together with their neighbours (checked even when some shapes are wrong elsewhere). */
  const clashes: FieldProblem[] = [];
  const rules: SchemeRule[] = [];
  const targets = new Map<string, number>();
  input.forEach((raw, i) => {
    const at = `rules[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push({ field: at, code: 'isObject', message: `${at} must be an object` });
      return;
    }
    const r = raw as Record<string, unknown>;
    for (const key of Object.keys(r)) if (!RULE_KEYS.has(key)) problems.push({ field: `${at}.${key}`, code: 'unknown_field', message: `${at}.${key} is not an allowed field` });
    const blank = (v: unknown) => v === undefined || v === null || v === '';
    if (!blank(r.category) && !(CREDIT_CATEGORIES as readonly unknown[]).includes(r.category)) problems.push({ field: `${at}.category`, code: 'isIn', message: `${at}.category is not a credit category` });
    if (!blank(r.level) && !(COURSE_LEVELS as readonly unknown[]).includes(r.level)) problems.push({ field: `${at}.level`, code: 'isIn', message: `${at}.level is not a level` });
    if (blank(r.category) && blank(r.level)) problems.push({ field: `${at}.category`, code: 'SCHEME_RULE_NEEDS_TARGET', message: `${at} names neither a category nor a level` });
    const min = blank(r.min) ? undefined : r.min;
    const max = blank(r.max) ? undefined : r.max;
    const minProblem = min === undefined ? null : amountProblem(min, `${at}.min`);
    const maxProblem = max === undefined ? null : amountProblem(max, `${at}.max`);
    if (minProblem) problems.push(minProblem);
    if (maxProblem) problems.push(maxProblem);
    if (min === undefined && max === undefined) problems.push({ field: `${at}.min`, code: 'SCHEME_RULE_NEEDS_BOUND', message: `${at} has neither a minimum nor a maximum` });
    if (!minProblem && !maxProblem && min !== undefined && max !== undefined && (max as number) < (min as number)) {
      clashes.push({ field: `${at}.max`, code: 'SCHEME_MAX_BELOW_MIN', message: `${at}.max is below its minimum` });
    }
    const key = `${blank(r.level) ? '' : String(r.level)}|${blank(r.category) ? '' : String(r.category)}`;
    if (targets.has(key)) clashes.push({ field: `${at}.category`, code: 'SCHEME_RULE_DUPLICATE', message: `${at} repeats rules[${targets.get(key)}]` });
    else targets.set(key, i);
    const rule: SchemeRule = {};
    if (!blank(r.level)) rule.level = r.level as SchemeRule['level'];
    if (!blank(r.category)) rule.category = r.category as SchemeRule['category'];
    if (min !== undefined) rule.min = min as number;
    if (max !== undefined) rule.max = max as number;
    rules.push(rule);
  });
  if (problems.length > 0) return { rules, problems: [...problems, ...clashes] };
  return { rules, problems: minimaProblems(total, rules, clashes) };
}

function minimaProblems(total: number, rules: SchemeRule[], clashes: FieldProblem[]): FieldProblem[] {
  const problems: FieldProblem[] = [...clashes];
  const exceed = (i: number, what: string) => problems.push({ field: `rules[${i}].min`, code: 'SCHEME_MINIMA_EXCEED_TOTAL', message: `The minima ${what} exceed ${what === 'of the cells of a level' ? 'that level\'s minimum' : 'the total'} at rules[${i}]` });
  /** The index where the running sum of the chosen rules' minima first passes `limit`. */
  const crossing = (chosen: number[], limit: number) => {
    let sum = 0;
    return chosen.find((i) => (sum += cents(rules[i]!.min ?? 0)) > limit);
  };
  const indices = rules.map((_, i) => i);
  const categories = crossing(indices.filter((i) => rules[i]!.category && !rules[i]!.level), cents(total));
  if (categories !== undefined) exceed(categories, 'of the categories');
  const levels = crossing(indices.filter((i) => rules[i]!.level && !rules[i]!.category), cents(total));
  if (levels !== undefined) exceed(levels, 'of the levels');
  for (const level of COURSE_LEVELS) {
    const own = rules.find((r) => r.level === level && !r.category && r.min !== undefined);
    const cell = crossing(indices.filter((i) => rules[i]!.level === level && rules[i]!.category), cents(own?.min ?? total));
    if (cell !== undefined) exceed(cell, own ? 'of the cells of a level' : 'of the cells of a level without its own minimum');
  }
  if (problems.length > 0) return problems;
  // Maxima can make minima unmeetable together; the first rule that makes it so is named.
  const unmeetable = (upTo: number) => allocate({
    total: 0, entries: [], levels: COURSE_LEVELS, categories: CREDIT_CATEGORIES,
    rules: rules.slice(0, upTo + 1).map((r) => ({ level: r.level ?? null, category: r.category ?? null, min: cents(r.min ?? 0), max: r.max === undefined ? null : cents(r.max) })),
  }).unmeetable;
  const first = indices.find((i) => unmeetable(i));
  if (first !== undefined) problems.push({ field: `rules[${first}].min`, code: 'SCHEME_RULES_CONTRADICT', message: `rules[${first}] cannot be met together with the rules before it` });
  return problems;
}

const number = (x: number) => String(Math.round(x * 100) / 100);

/** A rule in words: "师德素养 ≥ 8 学分", "市级·知识技能 ≥ 4 学分", "自主研修 = 4 学分", "City · Practice ≤ 6 credits". */
export function describeRule(rule: SchemeRule | null, total: number, unit: SchemeUnit, locale: Locale): string {
  const what = rule
    ? [rule.level && translate(locale, `catalog.level.${rule.level}`), rule.category && translate(locale, `catalog.category.${rule.category}`)].filter(Boolean).join(locale === 'en' ? ' · ' : '·')
    : translate(locale, 'compliance.rule.total');
  const min = rule ? rule.min : total;
  const max = rule?.max;
  const bound = max !== undefined && min !== undefined && max === min ? `= ${number(min)}`
    : max !== undefined && min ? `${number(min)}–${number(max)}`
    : max !== undefined ? `≤ ${number(max)}` : `≥ ${number(min ?? 0)}`;
  return `${what} ${bound} ${translate(locale, `compliance.unit.${unit}`)}`;
}
