import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { ZONED_DATE_TIME } from '../../common/dates.js';
import { IsCalendarDate } from '../../common/validators.js';
import { CREDIT_CATEGORIES, type CreditCategory } from '../catalog/catalog.entities.js';
import { SEMESTER_PATTERN } from './lecture-rules.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Optional, but a null is refused like any other wrong value. */
const Omittable = () => ValidateIf((_, value) => value !== undefined);
const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
const semesterMessage = { message: 'semester must look like 2026-autumn or 2027-spring' };
const zoned = { message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-12-03T13:30:00+08:00' };

export class SetDeadlineDto {
  @ApiProperty({ example: '2027-01-20' }) @IsCalendarDate() dueOn: string;
  @ApiPropertyOptional({ description: 'the city; default: the only city the caller oversees' }) @IsOptional() @IsUUID('loose') cityId?: string;
}

export class CreateSeriesDto {
  @ApiProperty({ example: '2026-autumn' }) @Matches(SEMESTER_PATTERN, semesterMessage) semester: string;
  @ApiPropertyOptional({ description: "the district; default: the caller's only district" }) @IsOptional() @IsUUID('loose') districtId?: string;
  @ApiPropertyOptional({ example: '青浦区示范园园长大课堂（2026年秋季学期）' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional({ example: 3, description: '学时 each session earns; default 3' })
  @IsOptional() @IsNumber({ maxDecimalPlaces: 1 }) @Min(0.5) @Max(100) hours?: number;
  @ApiPropertyOptional({ description: "学分 each session earns; default: from hours by the region's conversion rule" })
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(100) credits?: number;
  @ApiPropertyOptional({ enum: CREDIT_CATEGORIES, description: "default 'knowledge_skills'" }) @IsOptional() @IsIn(CREDIT_CATEGORIES) category?: CreditCategory;
}

export class UpdateSeriesDto {
  @ApiPropertyOptional() @Omittable() @Transform(trim) @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional() @Omittable() @IsNumber({ maxDecimalPlaces: 1 }) @Min(0.5) @Max(100) hours?: number;
  @ApiPropertyOptional({ nullable: true, description: 'null: back to the conversion rule' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(100) credits?: number | null;
  @ApiPropertyOptional({ enum: CREDIT_CATEGORIES }) @Omittable() @IsIn(CREDIT_CATEGORIES) category?: CreditCategory;
}

export class SessionDto {
  @ApiProperty({ example: '2026-12', description: 'a month of the semester (YYYY-MM); one session a month' })
  @Matches(MONTH_PATTERN, { message: 'month must be YYYY-MM' }) month: string;
  @ApiProperty({ example: '幼儿园课程领导力的实践与反思' }) @Transform(trim) @IsString() @Length(1, 200) topic: string;
  @ApiProperty({ description: 'the principal or vice principal of a demonstration kindergarten of the district' }) @IsUUID('loose') speakerPersonId: string;
  @ApiProperty({ example: '2026-12-10T13:30:00+08:00' }) @Matches(ZONED_DATE_TIME, zoned) startsAt: string;
  @ApiProperty({ example: '2026-12-10T16:30:00+08:00' }) @Matches(ZONED_DATE_TIME, zoned) endsAt: string;
  @ApiPropertyOptional({ description: "default: the speaker's kindergarten" }) @IsOptional() @Transform(trim) @IsString() @Length(1, 300) place?: string;
}

export class UpdateSessionDto {
  @ApiPropertyOptional() @Omittable() @Matches(MONTH_PATTERN, { message: 'month must be YYYY-MM' }) month?: string;
  @ApiPropertyOptional() @Omittable() @Transform(trim) @IsString() @Length(1, 200) topic?: string;
  @ApiPropertyOptional() @Omittable() @IsUUID('loose') speakerPersonId?: string;
  @ApiPropertyOptional() @Omittable() @Matches(ZONED_DATE_TIME, zoned) startsAt?: string;
  @ApiPropertyOptional() @Omittable() @Matches(ZONED_DATE_TIME, zoned) endsAt?: string;
  @ApiPropertyOptional() @Omittable() @Transform(trim) @IsString() @Length(1, 300) place?: string;
}

export class SemesterQuery {
  @ApiProperty({ example: '2026-autumn' }) @Matches(SEMESTER_PATTERN, semesterMessage) semester: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('loose') cityId?: string;
}

export class SeriesListQuery {
  @ApiPropertyOptional({ example: '2026-autumn' }) @IsOptional() @Matches(SEMESTER_PATTERN, semesterMessage) semester?: string;
}
