import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LOCALES, type Locale } from '../../common/i18n/i18n.js';
import { PageQuery } from '../../common/pagination.js';
import { KINDERGARTEN_GRADES, OWNERSHIPS } from '../org/org-unit.entity.js';
import { POSTS } from '../people/person.entity.js';
import { TITLES } from '../people/person-records.entity.js';
import { COURSE_LEVELS, COURSE_MODES, COURSE_STATUSES, CREDIT_CATEGORIES, type CourseLevel, type CourseMode, type CourseStatus, type CreditCategory } from './catalog.entities.js';

export const COURSE_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{1,39}$/;
export const STAGE_CODE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const AUDIENCE_TITLES = [...TITLES, 'none'] as const;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Tags trimmed, blanks dropped, duplicates removed, so "安吉游戏, 安吉游戏 " is one tag. */
const tagList = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? [...new Set(value.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== ''))] : value;
/** Optional, but not nullable: a null is validated (and refused) like any other value of the wrong type. */
export const Omittable = () => ValidateIf((_, value) => value !== undefined);
/** A filter form sends its empty selects as `name=`: that means no filter. */
export const blankIsAbsent = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** Who a course (or a waitlist tier) is for; each listed dimension must match, an empty list matches everyone. */
export class AudienceDto {
  @ApiPropertyOptional({ enum: POSTS, isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsIn(POSTS, { each: true }) posts?: string[];
  @ApiPropertyOptional({ description: 'teacher stage codes (GET /api/stages)' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @Matches(STAGE_CODE_PATTERN, { each: true }) teacherStages?: string[];
  @ApiPropertyOptional({ description: 'principal stage codes' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @Matches(STAGE_CODE_PATTERN, { each: true }) principalStages?: string[];
  @ApiPropertyOptional({ enum: AUDIENCE_TITLES, isArray: true, description: "'none': people without a title" })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsIn(AUDIENCE_TITLES, { each: true }) titles?: string[];
  @ApiPropertyOptional({ enum: KINDERGARTEN_GRADES, isArray: true })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsIn(KINDERGARTEN_GRADES, { each: true }) kindergartenGrades?: string[];
  @ApiPropertyOptional({ enum: OWNERSHIPS, isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(5) @IsIn(OWNERSHIPS, { each: true }) ownerships?: string[];
  @ApiPropertyOptional({ description: 'kindergartens of the district' })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @IsUUID('loose', { each: true }) kindergartenIds?: string[];
  @ApiPropertyOptional({ description: 'kindergarten groups of the district' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsUUID('loose', { each: true }) groupIds?: string[];
  @ApiPropertyOptional({ description: 'program cohorts (stored as given)' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsUUID('loose', { each: true }) cohortIds?: string[];
}

export class CreateCourseDto {
  @ApiProperty({ example: 'QP-2026-KS01', description: 'unique in the district' }) @Transform(trim) @Matches(COURSE_CODE_PATTERN) code: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) title: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20000) description?: string;
  @ApiPropertyOptional({ example: '青浦区教师进修学院' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) provider?: string;
  @ApiPropertyOptional({ description: 'users holding the trainer or expert role' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsUUID('loose', { each: true }) trainerUserIds?: string[];
  @ApiProperty({ enum: CREDIT_CATEGORIES }) @IsIn(CREDIT_CATEGORIES) category: CreditCategory;
  @ApiPropertyOptional({ example: ['安吉游戏'] })
  @IsOptional() @Transform(tagList) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 40, { each: true }) tags?: string[];
  @ApiProperty({ enum: COURSE_LEVELS }) @IsIn(COURSE_LEVELS) level: CourseLevel;
  @ApiPropertyOptional({ description: 'the owning kindergarten of a kindergarten-level (园本) course; the district for the other levels' })
  @IsOptional() @IsUUID('loose') ownerOrgUnitId?: string;
  @ApiProperty({ enum: COURSE_MODES }) @IsIn(COURSE_MODES) mode: CourseMode;
  @ApiProperty({ example: 12 }) @IsNumber({ maxDecimalPlaces: 1 }) @Min(0.5) @Max(1000) hours: number;
  @ApiPropertyOptional({ description: 'absent: from hours by the region\'s conversion rule' })
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1000) credits?: number;
  @ApiPropertyOptional({ type: AudienceDto }) @IsOptional() @ValidateNested() @Type(() => AudienceDto) audience?: AudienceDto;
}

export class UpdateCourseDto {
  @ApiPropertyOptional() @Omittable() @Transform(trim) @Matches(COURSE_CODE_PATTERN) code?: string;
  @ApiPropertyOptional() @Omittable() @Transform(trim) @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional() @Omittable() @IsString() @MaxLength(20000) description?: string;
  @ApiPropertyOptional() @Omittable() @Transform(trim) @IsString() @MaxLength(200) provider?: string;
  @ApiPropertyOptional() @Omittable() @IsArray() @ArrayMaxSize(20) @IsUUID('loose', { each: true }) trainerUserIds?: string[];
  @ApiPropertyOptional({ enum: CREDIT_CATEGORIES }) @Omittable() @IsIn(CREDIT_CATEGORIES) category?: CreditCategory;
  @ApiPropertyOptional() @Omittable() @Transform(tagList) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 40, { each: true }) tags?: string[];
  @ApiPropertyOptional({ enum: COURSE_LEVELS, description: 'city ↔ district only; a 园本 course stays with its kindergarten' })
  @Omittable() @IsIn(COURSE_LEVELS) level?: CourseLevel;
  @ApiPropertyOptional({ enum: COURSE_MODES }) @Omittable() @IsIn(COURSE_MODES) mode?: CourseMode;
  @ApiPropertyOptional() @Omittable() @IsNumber({ maxDecimalPlaces: 1 }) @Min(0.5) @Max(1000) hours?: number;
  @ApiPropertyOptional({ nullable: true, description: 'null: back to the conversion rule' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1000) credits?: number | null;
  @ApiPropertyOptional({ type: AudienceDto }) @Omittable() @ValidateNested() @Type(() => AudienceDto) audience?: AudienceDto;
  @ApiPropertyOptional({ description: 'the version read; a stale one answers 409' }) @Omittable() @IsInt() @Min(1) version?: number;
}

export class CourseListQueryDto extends PageQuery {
  @IsOptional() @Transform(blankIsAbsent) @IsIn(CREDIT_CATEGORIES) category?: CreditCategory;
  @IsOptional() @Transform(blankIsAbsent) @IsIn(COURSE_LEVELS) level?: CourseLevel;
  @IsOptional() @Transform(blankIsAbsent) @IsIn(COURSE_MODES) mode?: CourseMode;
  @IsOptional() @Transform(blankIsAbsent) @IsIn(COURSE_STATUSES) status?: CourseStatus;
  @IsOptional() @Transform(blankIsAbsent) @IsString() @MaxLength(40) tag?: string;
  /** `?lang=` picks the answer's language on API calls. */
  @IsOptional() @IsIn(LOCALES) lang?: Locale;
}
