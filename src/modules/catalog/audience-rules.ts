import type { FieldProblem } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import type { AudienceMiss } from './audience.js';
import type { Audience } from './catalog.entities.js';

export const AUDIENCE_DIMENSIONS = [
  'posts', 'teacherStages', 'principalStages', 'titles', 'kindergartenGrades', 'ownerships', 'kindergartenIds', 'groupIds', 'cohortIds',
] as const satisfies ReadonlyArray<keyof Audience>;
const ID_DIMENSIONS = new Set<keyof Audience>(['kindergartenIds', 'groupIds', 'cohortIds']);

/** What an audience may name beyond the fixed lists: the stage ladders, and the district's kindergartens and groups. */
export interface AudienceReference {
  teacherStages: ReadonlySet<string>;
  principalStages: ReadonlySet<string>;
  kindergartenIds: ReadonlySet<string>;
  groupIds: ReadonlySet<string>;
}

/** The stored form: listed dimensions only, each without duplicates, ids in lower case. */
export function normaliseAudience(input: Partial<Record<keyof Audience, unknown>> | null | undefined): Audience {
  const audience: Audience = {};
  for (const dimension of AUDIENCE_DIMENSIONS) {
    const list = input?.[dimension];
    if (!Array.isArray(list) || list.length === 0) continue;
    audience[dimension] = [...new Set(list.map((v) => (ID_DIMENSIONS.has(dimension) ? String(v).toLowerCase() : String(v))))];
  }
  return audience;
}

/** Values the reference does not know, each named by its path (e.g. `audience.teacherStages`). */
export function audienceProblems(audience: Audience, reference: AudienceReference, prefix = 'audience'): FieldProblem[] {
  const checks: Array<[keyof Audience, ReadonlySet<string>, string]> = [
    ['teacherStages', reference.teacherStages, 'UNKNOWN_STAGE'],
    ['principalStages', reference.principalStages, 'UNKNOWN_STAGE'],
    ['kindergartenIds', reference.kindergartenIds, 'UNKNOWN_KINDERGARTEN'],
    ['groupIds', reference.groupIds, 'UNKNOWN_GROUP'],
  ];
  const problems: FieldProblem[] = [];
  for (const [dimension, known, code] of checks) {
    const unknown = (audience[dimension] ?? []).filter((value) => !known.has(value));
    if (unknown.length) problems.push({ field: `${prefix}.${dimension}`, code, message: `${prefix}.${dimension} has unknown values: ${unknown.join(', ')}` });
  }
  return problems;
}

/** Every kindergarten and group id the audiences name, to look them up once. */
export function audienceIds(audiences: Audience[]): { kindergartenIds: string[]; groupIds: string[] } {
  return {
    kindergartenIds: [...new Set(audiences.flatMap((a) => a.kindergartenIds ?? []))],
    groupIds: [...new Set(audiences.flatMap((a) => a.groupIds ?? []))],
  };
}

/** How the values of an audience read in words: stage, kindergarten and group names come from the database. */
export interface AudienceNames {
  stage(kind: 'teacher' | 'principal', code: string): string;
  kindergarten(id: string): string;
  group(id: string): string;
}

export interface AudienceReason {
  code: 'NOT_IN_AUDIENCE';
  dimension: keyof Audience;
  message: string;
}

/** The words for one dimension's values in the reader's language, e.g. 胜任型、骨干型. */
export function audienceValueWords(dimension: keyof Audience, values: string[], locale: Locale, names: AudienceNames): string {
  const word = (value: string): string => {
    switch (dimension) {
      case 'posts': return translate(locale, `people.post.${value}`);
      case 'teacherStages': return names.stage('teacher', value);
      case 'principalStages': return names.stage('principal', value);
      case 'titles': return value === 'none' ? translate(locale, 'catalog.audience.noTitle') : translate(locale, `people.title.${value}`);
      case 'kindergartenGrades': return translate(locale, `org.grade.${value}`);
      case 'ownerships': return translate(locale, `org.ownership.${value}`);
      case 'kindergartenIds': return names.kindergarten(value);
      case 'groupIds': return names.group(value);
      default: return value;
    }
  };
  return values.map(word).join(translate(locale, 'catalog.audience.separator'));
}

/** Why someone is not in an audience, one sentence per failed dimension, naming what it wanted in words. */
export function describeMisses(misses: AudienceMiss[], locale: Locale, names: AudienceNames): AudienceReason[] {
  return misses.map((miss) => ({
    code: 'NOT_IN_AUDIENCE',
    dimension: miss.dimension,
    message: translate(locale, `catalog.audience.miss.${miss.dimension}`, { values: audienceValueWords(miss.dimension, miss.allowed, locale, names) }),
  }));
}

/** An audience as lines such as "岗位：专任教师、园长", or none when it is open to everyone. */
export function describeAudience(audience: Audience, locale: Locale, names: AudienceNames): string[] {
  return AUDIENCE_DIMENSIONS.filter((d) => (audience[d]?.length ?? 0) > 0).map((dimension) =>
    dimension === 'cohortIds'
      ? translate(locale, 'catalog.audience.line.cohortIds', { count: audience.cohortIds!.length })
      : translate(locale, `catalog.audience.line.${dimension}`, { values: audienceValueWords(dimension, audience[dimension]!, locale, names) }));
}
