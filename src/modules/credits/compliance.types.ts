import type { CourseLevel, CreditCategory } from '../catalog/catalog.entities.js';
import type { CycleKind, SchemeUnit } from './credit.entities.js';

/** One ledger entry's share counted toward a rule (an entry may count in several rules at once). */
export interface CountedEntry {
  entryId: string;
  title: string;
  occurredOn: string;
  category: CreditCategory;
  level: CourseLevel;
  /** The amount of this entry counted toward the rule, in the scheme's unit. */
  amount: number;
}

export interface RuleStatus {
  /** 'total', or the rule's category and/or level. */
  kind: 'total' | 'category' | 'level' | 'level_category';
  category: CreditCategory | null;
  level: CourseLevel | null;
  label: string;
  /** The label in English (`label` is Chinese). */
  labelEn?: string;
  required: number;
  /** For rules with an upper bound (e.g. 自主研修 = 4): no more than this counts. */
  maximum: number | null;
  earned: number;
  missing: number;
  met: boolean;
  counted: CountedEntry[];
}

/** A person's standing against one scheme over one period (a scheme in force for part of a cycle covers that part). */
export interface SchemePeriodStatus {
  schemeId: string;
  schemeCode: string;
  schemeName: string;
  unit: SchemeUnit;
  from: string;
  to: string;
  met: boolean;
  rules: RuleStatus[];
  schemeNameEn?: string;
  cycleKind?: CycleKind;
  /** The period's share of the cycle (1: the whole cycle); below 1 every amount of the scheme was pro-rated by it, rounded up to 0.5. */
  share?: number;
  /** Why the scheme was in force: the person's post and stages during the period. */
  post?: string | null;
  teacherStage?: string | null;
  principalStage?: string | null;
  /** The least amount still to earn in this period (placed where it counts most) to meet every rule. */
  needed?: number;
  /** The part of `needed` that must be earned in particular cells (level × category) because a minimum there wants it. */
  neededByCell?: Array<{ level: CourseLevel; category: CreditCategory; amount: number }>;
  /** The rest of `needed`: it only makes up the total, so it may be earned in any category and level (within the maxima). */
  neededAnywhere?: number;
}

export interface ComplianceResult {
  personId: string;
  cycle: { code: string; name: string; startsOn: string; endsOn: string; nameEn?: string } | null;
  asOf: string;
  periods: SchemePeriodStatus[];
  /** on_track: met or the pace is enough; behind: short of the pace; at_risk: cannot plausibly meet it by the cycle end. */
  standing: 'met' | 'on_track' | 'behind' | 'at_risk' | 'not_applicable';
  /** The scheme asked for, or the first period's scheme. */
  schemeCode?: string;
  unit?: SchemeUnit;
  /** Summed over the periods: the (pro-rated) total required and the least amount still to earn. */
  required?: number;
  needed?: number;
  /** Share of the requirement done (1 − needed / required) against the share of the cycle elapsed at asOf. */
  progressShare?: number;
  elapsedShare?: number;
  /** Whole months from asOf to the end of the cycle (0 once it has ended); null without an end. */
  monthsLeft?: number | null;
}
