import type { ComplianceResult } from './compliance.types.js';

/** Reminders go out 12, 6 and 3 months before a cycle ends (compliance_reminder.months_before). */
export const REMINDER_MONTHS = [3, 6, 12] as const;
export type ReminderMonths = (typeof REMINDER_MONTHS)[number];

/** `date` (YYYY-MM-DD) plus whole months; a day past the target month's end becomes its last day (08-31 + 6 → 02-28). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * The tightest threshold the cycle end falls within, seen from `asOf`: a cycle ending in two
 * months gets the 3-month reminder only (the 12- and 6-month ones are past, never sent late).
 */
export function thresholdFor(asOf: string, endsOn: string): ReminderMonths | null {
  if (endsOn < asOf) return null;
  return REMINDER_MONTHS.find((months) => endsOn <= addMonths(asOf, months)) ?? null;
}

export interface DueReminder {
  months: ReminderMonths;
  /** The scheme in force at the cycle end (a person who changed post mid-cycle is reminded of the one that judges them). */
  schemeId: string;
  schemeName: { 'zh-CN': string; en: string };
  cycleName: { 'zh-CN': string; en: string };
  cycleEndsOn: string;
}

/** Whether this standing calls for a reminder now: behind or at risk, and the cycle end within a threshold. */
export function dueReminder(result: ComplianceResult, asOf: string): DueReminder | null {
  if (result.standing !== 'behind' && result.standing !== 'at_risk') return null;
  const last = result.periods[result.periods.length - 1];
  if (!result.cycle || !last) return null;
  const months = thresholdFor(asOf, result.cycle.endsOn);
  if (!months) return null;
  return {
    months, schemeId: last.schemeId, cycleEndsOn: result.cycle.endsOn,
    schemeName: { 'zh-CN': last.schemeName, en: last.schemeNameEn ?? last.schemeName },
    cycleName: { 'zh-CN': result.cycle.name, en: result.cycle.nameEn ?? result.cycle.name },
  };
}
