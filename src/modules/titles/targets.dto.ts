import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNumber, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { MEASURES, type Measure } from './target-measures.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trim({ value }));
/** Form posts send numbers as text. */
const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value);
export const UNITS = ['percent', 'count'] as const;

/** A threshold is a percent (0-100, checked against the unit by the service) or a count. */
const threshold = () => (target: object, key: string) => {
  ApiProperty({ description: 'percent: 0-100; count: 0 or more', example: 95 })(target, key);
  Transform(toNumber)(target, key);
  IsNumber({ maxDecimalPlaces: 2 })(target, key);
  Min(0)(target, key);
  Max(99_999_999)(target, key);
};

export class CreateTargetDto {
  @ApiProperty({ example: 'senior-title-coverage' }) @Transform(trim) @IsString() @Matches(/^[a-z0-9_.-]{1,60}$/) code: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) nameZh: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) nameEn: string;
  @ApiProperty({ enum: MEASURES }) @IsIn(MEASURES) measure: Measure;
  @ApiPropertyOptional({ example: { ownership: 'public' }, description: 'ownership: public | private | all; groups: expected number of groups' })
  @IsOptional() @IsObject() scope?: Record<string, unknown>;
  @ApiProperty({ enum: UNITS }) @IsIn(UNITS) unit: (typeof UNITS)[number];
  @threshold() threshold: number;
  @ApiProperty({ example: '2025-12-31' }) @Transform(trim) @IsCalendarDate() deadline: string;
  @ApiPropertyOptional() @IsOptional() @Transform(blankToUndefined) @IsString() @MaxLength(200) source?: string;
}

/** A change to a definition; on a default (every district's) row it writes the district's own override. */
export class UpdateTargetDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 200) nameZh?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 200) nameEn?: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() scope?: Record<string, unknown>;
  @ApiPropertyOptional({ enum: UNITS }) @IsOptional() @IsIn(UNITS) unit?: (typeof UNITS)[number];
  @IsOptional() @threshold() threshold?: number;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsCalendarDate() deadline?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(blankToUndefined) @IsString() @MaxLength(200) source?: string;
}

export class TargetsQueryDto {
  @ApiPropertyOptional({ description: 'a district, town, zone or kindergarten in the caller\'s scope' })
  @IsOptional() @Transform(blankToUndefined) @IsUUID() orgUnit?: string;
  @ApiPropertyOptional({ description: 'the day counted (default today)' }) @IsOptional() @Transform(blankToUndefined) @IsCalendarDate() asOf?: string;
}

export class CoverageQueryDto extends TargetsQueryDto {
  @ApiPropertyOptional({ enum: ['public', 'all'], default: 'public' }) @IsOptional() @Transform(blankToUndefined) @IsIn(['public', 'all']) ownership?: 'public' | 'all';
}

export class GapsQueryDto {
  @ApiPropertyOptional() @IsOptional() @Transform(blankToUndefined) @IsUUID() orgUnit?: string;
  @ApiPropertyOptional({ example: '2027-08-31', description: 'the plan covers what can be done by this day (default: the end of this year)' })
  @IsOptional() @Transform(blankToUndefined) @IsCalendarDate() by?: string;
}

export class StaffingQueryDto extends CoverageQueryDto {}
