import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsCalendarDate } from '../../common/validators.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES, type CourseLevel, type CreditCategory } from '../catalog/catalog.entities.js';
import { CREDIT_SOURCES, type CreditSource } from './credit.entities.js';
import { MANUAL_SOURCES, MAX_CREDITS_PER_ENTRY, MAX_HOURS_PER_ENTRY } from './ledger-rules.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreditListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'a credit cycle code (e.g. 2026-2030) or id' }) @IsOptional() @IsString() @MaxLength(60) cycle?: string;
  @ApiPropertyOptional({ enum: CREDIT_CATEGORIES }) @IsOptional() @IsIn(CREDIT_CATEGORIES) category?: CreditCategory;
  @ApiPropertyOptional({ enum: COURSE_LEVELS }) @IsOptional() @IsIn(COURSE_LEVELS) level?: CourseLevel;
  @ApiPropertyOptional({ enum: CREDIT_SOURCES }) @IsOptional() @IsIn(CREDIT_SOURCES) source?: CreditSource;
}

export class RecordCreditDto {
  @ApiProperty({ example: 6, description: '学时' }) @IsNumber({ maxDecimalPlaces: 1 }) @Min(0) @Max(MAX_HOURS_PER_ENTRY) hours: number;
  @ApiPropertyOptional({ example: 0.6, description: '学分; omitted: converted from the hours by the region\'s rule' })
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(MAX_CREDITS_PER_ENTRY) credits?: number;
  @ApiProperty({ enum: CREDIT_CATEGORIES }) @IsIn(CREDIT_CATEGORIES) category: CreditCategory;
  @ApiProperty({ enum: COURSE_LEVELS }) @IsIn(COURSE_LEVELS) level: CourseLevel;
  @ApiProperty({ enum: MANUAL_SOURCES }) @IsIn(MANUAL_SOURCES) source: (typeof MANUAL_SOURCES)[number];
  @ApiPropertyOptional({ description: 'the contest, series, program or pairing this is for' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 100) sourceId?: string;
  @ApiProperty({ example: '青浦区幼儿教师教学评比一等奖' }) @Transform(trim) @IsString() @Length(1, 200) title: string;
  @ApiProperty({ example: '2026-10-15' }) @IsCalendarDate() occurredOn: string;
  @ApiPropertyOptional({ description: 'required for a manual adjustment' })
  @ValidateIf((o: RecordCreditDto) => o.source === 'manual_adjustment' || o.reason !== undefined) @Transform(trim) @IsString() @Length(1, 1000) reason?: string;
  @ApiPropertyOptional({ description: 'the same key again answers the entry already recorded (safe retries)' })
  @IsOptional() @Matches(/^[A-Za-z0-9_.:-]{1,80}$/) idempotencyKey?: string;
}

export class ReverseCreditDto {
  @ApiProperty({ example: '重复登记' }) @Transform(trim) @IsString() @Length(1, 1000) reason: string;
}
