import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsArray, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { isZonedDateTime } from '../../common/dates.js';
import { IsCalendarDate } from '../../common/validators.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES, type CourseLevel, type CreditCategory } from '../catalog/catalog.entities.js';
import type { Post } from '../people/person.entity.js';
import { PROGRAM_KINDS, PROGRAM_STATUSES, type ProgramCriterion, type ProgramKind, type ProgramStatus } from './programs.entities.js';
import { TIER_PATTERN } from './program-rules.js';
import { MAX_CREDITS_PER_ENTRY, MAX_HOURS_PER_ENTRY } from '../credits/ledger-rules.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
export const PROGRAM_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$/;

function IsZonedDateTime(options?: ValidationOptions) {
  return (object: object, propertyName: string) => registerDecorator({
    name: 'isZonedDateTime', target: object.constructor, propertyName,
    options: { message: `${propertyName} must be an ISO 8601 date-time with an offset, e.g. 2026-03-01T09:00:00+08:00`, ...options },
    validator: { validate: isZonedDateTime },
  });
}

/**
 * A program as district staff define it. PATCH sends any subset: the stored program with the
 * changes applied is checked as a whole with these same rules.
 */
export class ProgramInputDto {
  @ApiPropertyOptional({ enum: PROGRAM_KINDS, default: 'cohort' }) @IsOptional() @IsIn(PROGRAM_KINDS) kind?: ProgramKind;
  @ApiProperty({ example: 'seed', description: "seed, talent, navigator, or the district's own tier (then with tierNameZh/tierNameEn); contests: contest" })
  @Transform(trim) @IsString() @Matches(TIER_PATTERN) tier: string;
  @ApiPropertyOptional({ example: '骨干提升计划' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 50) tierNameZh?: string | null;
  @ApiPropertyOptional({ example: 'Backbone programme' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 50) tierNameEn?: string | null;
  @ApiProperty({ example: 'QP-SEED-8' }) @Transform(trim) @IsString() @Matches(PROGRAM_CODE_PATTERN) code: string;
  @ApiProperty({ example: '青浦区第八届名优教师培养工程·种子计划' }) @Transform(trim) @IsString() @Length(1, 200) nameZh: string;
  @ApiProperty({ example: "Qingpu 8th round: seed programme" }) @Transform(trim) @IsString() @Length(1, 200) nameEn: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(5000) description?: string | null;
  @ApiPropertyOptional({ example: 8 }) @IsOptional() @IsInt() @Min(1) @Max(1000) round?: number | null;
  @ApiPropertyOptional({ default: 3 }) @IsOptional() @IsInt() @Min(1) @Max(10) cycleYears?: number;
  @ApiProperty({ example: '2026-09-01' }) @IsCalendarDate() startsOn: string;
  @ApiPropertyOptional({ example: '2029-08-31', description: 'default: the day before the cycle’s last anniversary' }) @IsOptional() @IsCalendarDate() endsOn?: string;
  @ApiPropertyOptional({ description: '{maxAge, minAge, posts, minTitle, stages, honours, minYearsOfService, noEthicsBlock (default true)}' })
  @IsOptional() @IsObject() eligibility?: Record<string, unknown>;
  @ApiPropertyOptional({ description: '[{code, nameZh, nameEn, maxScore, weight}]; a cohort program needs at least one' })
  @IsOptional() @IsArray() criteria?: ProgramCriterion[];
  @ApiPropertyOptional({ default: 5, description: 'from this many reviewers on, one highest and one lowest total are dropped' })
  @IsOptional() @IsInt() @Min(3) @Max(50) trimFromReviewers?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100000) districtQuota?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100000) kindergartenQuota?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100000) groupQuota?: number | null;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(1000) reserveSize?: number;
  @ApiProperty({ example: '2026-05-01T09:00:00+08:00' }) @IsZonedDateTime() applicationsOpenAt: string;
  @ApiProperty({ example: '2026-05-31T17:00:00+08:00' }) @IsZonedDateTime() applicationsCloseAt: string;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(MAX_CREDITS_PER_ENTRY) credits?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsNumber({ maxDecimalPlaces: 1 }) @Min(0) @Max(MAX_HOURS_PER_ENTRY) hours?: number;
  @ApiPropertyOptional({ enum: CREDIT_CATEGORIES, default: 'practice' }) @IsOptional() @IsIn(CREDIT_CATEGORIES) creditCategory?: CreditCategory;
  @ApiPropertyOptional({ enum: COURSE_LEVELS, default: 'district' }) @IsOptional() @IsIn(COURSE_LEVELS) creditLevel?: CourseLevel;
  @ApiPropertyOptional({ example: '青浦区第八届种子计划学员' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) honourName?: string | null;
  @ApiPropertyOptional({ description: 'contests only: the posts that may enter' }) @IsOptional() @IsArray() contestPosts?: Post[];
  @ApiPropertyOptional() @IsOptional() @IsUUID() previousProgramId?: string | null;
  @ApiPropertyOptional({ description: "a district in your scope; default your own" }) @IsOptional() @IsUUID() districtId?: string;
}

export class ProgramListQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(TIER_PATTERN) tier?: string;
  @ApiPropertyOptional({ enum: PROGRAM_STATUSES }) @IsOptional() @IsIn(PROGRAM_STATUSES) status?: ProgramStatus;
  @ApiPropertyOptional({ enum: PROGRAM_KINDS }) @IsOptional() @IsIn(PROGRAM_KINDS) kind?: ProgramKind;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) round?: number;
}
