import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { ValidationFailed } from '../../common/errors.js';
import { GradebookQueryDto } from '../assessment/gradebook.dto.js';
import { RosterQuery } from '../enrollment/enrollment.dto.js';
import { validateInput } from '../people/people.dto.js';

/** An offering's roster (GET /api/offerings/:id/roster): the offering and the roster's status filter. */
export class RosterExportFilters extends RosterQuery {
  @ApiProperty() @IsUUID('loose') offering: string;
}

/** An offering's gradebook (GET /api/offerings/:id/gradebook): the offering and the gradebook's filters. */
export class GradebookExportFilters extends GradebookQueryDto {
  @ApiProperty() @IsUUID('loose') offering: string;
}

/** Query keys that are not filters: the export's format, the list's paging, the language switch, the form's token. */
const NOT_FILTERS = new Set(['format', 'page', 'pageSize', 'lang', '_csrf']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The list's filters from a query string or form, validated by the list's own DTO (unknown or bad
 * fields: 400 naming them), as a plain object with sorted keys and lower-case ids, so the same
 * request always stores the same params (double clicks find the job already queued).
 */
export async function readFilters<P extends object>(dto: new () => P, raw: Record<string, unknown>): Promise<{ value: P; params: Record<string, string> }> {
  const input = Object.fromEntries(Object.entries(raw).filter(([key, value]) => !NOT_FILTERS.has(key) && value !== '' && value !== undefined));
  const arrays = Object.entries(input).filter(([, value]) => Array.isArray(value));
  if (arrays.length) throw new ValidationFailed(arrays.map(([field]) => ({ field, code: 'repeated', message: `${field} is given more than once` })));
  const { value, problems } = await validateInput(dto, input);
  if (problems.length) throw new ValidationFailed(problems);
  return { value, params: normalisedParams(value as Record<string, unknown>) };
}

export function normalisedParams(filters: Record<string, unknown>): Record<string, string> {
  const entries = Object.entries(filters)
    .filter(([key, value]) => !NOT_FILTERS.has(key) && value !== undefined && value !== null && value !== '')
    .map(([key, value]) => [key, typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : String(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}
