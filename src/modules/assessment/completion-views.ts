import { shanghaiDate, shanghaiDateTime } from '../../common/dates.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import type { CompletionCondition } from './assessment.entities.js';
import type { RuleRow } from './completion.query.js';

export interface ConditionView {
  kind: CompletionCondition['kind'];
  itemId: string | null;
  met: boolean;
  /** For items: passed, failed, not_released, not_graded, not_submitted, archived. */
  state: string | null;
  /** What a person reads: "attended 6 of 8 hours, needs 6.4". */
  text: string;
  detail: Record<string, unknown>;
}

export interface RuleView {
  id: string;
  effectiveFrom: Date;
  effectiveFromText: string;
  minAttendanceShare: number;
  minPercent: number;
  requiredItems: Array<{ id: string; title: string }>;
  requireEvaluation: boolean;
  combine: 'all' | 'any';
  partialCreditFloor: number | null;
  floorPercent: number | null;
  inForce: boolean;
  upcoming: boolean;
  createdByName: string | null;
  createdAt: Date;
  /** One line: "attendance ≥ 80% · pass 示范课 · course evaluation · all of these". */
  summary: string;
}

const num = (value: unknown) => String(Math.round(Number(value ?? 0) * 100) / 100);
const percent = (share: number) => Math.round(share * 1000) / 10;

export function conditionView(condition: CompletionCondition, locale: Locale): ConditionView {
  const d = (condition.detail ?? {}) as Record<string, unknown>;
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `completion.condition.${key}`, params);
  let text: string;
  let state: string | null = null;
  if (condition.kind === 'attendance') {
    const params = { attended: num(d.attendedHours), scheduled: num(d.scheduledHours), required: num(d.requiredHours), percent: percent(Number(d.minShare ?? 0)) };
    text = t(condition.met ? 'attendanceMet' : 'attendanceMissing', params);
    if (!condition.met && d.partialFloor !== undefined && d.partialFloor !== null) {
      text += translate(locale, 'completion.condition.partialHint', { floor: percent(Number(d.partialFloor)) });
    }
  } else if (condition.kind === 'item') {
    state = String(d.state ?? 'not_graded');
    text = t(`item.${state}`, { title: d.title ?? '', points: num(d.points), pass: d.passPoints === null || d.passPoints === undefined ? '—' : num(d.passPoints) });
  } else {
    text = condition.met ? t('evaluationMet', { date: shanghaiDate(new Date(String(d.submittedAt))) }) : t('evaluationMissing');
  }
  return { kind: condition.kind, itemId: condition.itemId ?? null, met: condition.met, state, text, detail: d };
}

/** A short cell for the trainer's table. */
export function conditionCell(condition: CompletionCondition | undefined, locale: Locale): { met: boolean | null; text: string } {
  if (!condition) return { met: null, text: '—' };
  const d = (condition.detail ?? {}) as Record<string, unknown>;
  if (condition.kind === 'attendance') return { met: condition.met, text: `${num(d.attendedHours)}/${num(d.scheduledHours)}` };
  if (condition.kind === 'item') {
    const state = String(d.state ?? 'not_graded');
    const label = translate(locale, `completion.itemState.${state}`);
    return { met: condition.met, text: state === 'passed' || state === 'failed' ? `${label} ${num(d.points)}` : label };
  }
  return { met: condition.met, text: translate(locale, condition.met ? 'completion.evaluation.submitted' : 'completion.evaluation.missing') };
}

export function ruleView(rule: RuleRow, titles: Map<string, string>, inForceId: string | null, locale: Locale, now = new Date()): RuleView {
  const requiredItems = rule.requiredItemIds.map((id) => ({ id, title: titles.get(id) ?? id }));
  const parts: string[] = [];
  if (rule.minAttendanceShare > 0) parts.push(translate(locale, 'completion.rule.summaryAttendance', { percent: percent(rule.minAttendanceShare) }));
  for (const item of requiredItems) parts.push(translate(locale, 'completion.rule.summaryItem', { title: item.title }));
  if (rule.requireEvaluation) parts.push(translate(locale, 'completion.rule.summaryEvaluation'));
  const summary = parts.length
    ? `${parts.join(' · ')}${parts.length > 1 ? ` (${translate(locale, `completion.combine.${rule.combine}`)})` : ''}`
    : translate(locale, 'completion.rule.summaryNone');
  const floor = rule.partialCreditFloor;
  return {
    id: rule.id, effectiveFrom: rule.effectiveFrom, effectiveFromText: shanghaiDateTime(rule.effectiveFrom),
    minAttendanceShare: rule.minAttendanceShare, minPercent: percent(rule.minAttendanceShare), requiredItems,
    requireEvaluation: rule.requireEvaluation, combine: rule.combine, partialCreditFloor: floor, floorPercent: floor === null ? null : percent(floor),
    inForce: rule.id === inForceId, upcoming: rule.effectiveFrom.getTime() > now.getTime(), createdByName: rule.createdByName, createdAt: rule.createdAt,
    summary: floor === null ? summary : `${summary} · ${translate(locale, 'completion.rule.summaryFloor', { percent: percent(floor) })}`,
  };
}

/** The key a condition is matched by across rules (table columns). */
export function conditionKey(condition: Pick<CompletionCondition, 'kind' | 'itemId'>): string {
  return condition.kind === 'item' ? `item:${condition.itemId}` : condition.kind;
}
