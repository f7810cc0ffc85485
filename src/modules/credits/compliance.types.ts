import type { CourseLevel, CreditCategory } from '../catalog/catalog.entities.js';
import type { SchemeUnit } from './credit.entities.js';

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
}

export interface ComplianceResult {
  personId: string;
  cycle: { code: string; name: string; startsOn: string; endsOn: string } | null;
  asOf: string;
  periods: SchemePeriodStatus[];
  /** on_track: met or the pace is enough; behind: short of the pace; at_risk: cannot plausibly meet it by the cycle end. */
  standing: 'met' | 'on_track' | 'behind' | 'at_risk' | 'not_applicable';
}
