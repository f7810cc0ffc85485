import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { ACTIVITY_KINDS, type ActivityKind } from './mentoring.entities.js';
import { isTermCode } from './terms.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Multipart fields are text: a whole number typed in a form, blank for "not given"; anything else fails isInt. */
const formInt = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === '') return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : value;
};
const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trim({ value }));

/** The text fields of a log; evidence files come as the multipart file field `files` (or `files[]`). */
export class LogActivityDto {
  @ApiProperty({ enum: ACTIVITY_KINDS }) @IsIn(ACTIVITY_KINDS) kind: ActivityKind;
  @ApiPropertyOptional({ description: 'who gave the lesson, observed, or wrote the plan; a party of the pairing; default the caller' })
  @IsOptional() @Transform(blankToUndefined) @IsUUID() actorPersonId?: string;
  @ApiProperty({ example: '2026-11-18' }) @Transform(trim) @IsCalendarDate() occurredOn: string;
  @ApiProperty({ example: 45, minimum: 1, maximum: 1440 }) @Transform(formInt) @IsInt() @Min(1) @Max(1440) durationMinutes: number;
  @ApiPropertyOptional({ maxLength: 5000 }) @IsOptional() @Transform(blankToUndefined) @IsString() @MaxLength(5000) notes?: string;
}

export class DisputeActivityDto {
  @ApiProperty({ example: '当天我不在园' }) @Transform(trim) @IsString() @Length(1, 1000) reason: string;
}

export class TermQuery {
  @ApiPropertyOptional({ example: '2026-2027-1', description: 'default: the current term' })
  @IsOptional() @Transform(blankToUndefined) @IsString() term?: string;
}

/** A term code's problem, named `field`. */
export function termProblem(value: unknown, field = 'term') {
  return isTermCode(value) ? null : { field, code: 'isTermCode', message: `${field} must be a term such as 2026-2027-1` };
}
