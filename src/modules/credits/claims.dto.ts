import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES, type CourseLevel, type CreditCategory } from '../catalog/catalog.entities.js';
import { CLAIM_STATUSES, type ClaimStatus } from './credit.entities.js';
import { MAX_CREDITS_PER_ENTRY, MAX_HOURS_PER_ENTRY } from './ledger-rules.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Multipart fields are text: a number typed in a form, blank for "not given". Anything else stays as sent and fails isNumber. */
const formNumber = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : value;
};

/** The text fields of a claim; the certificate itself comes as the multipart file field `evidence`. */
export class SubmitClaimDto {
  @ApiProperty({ example: '上海市学前教育学会年会专题研修' }) @Transform(trim) @IsString() @Length(1, 200) title: string;
  @ApiProperty({ example: '上海市学前教育学会' }) @Transform(trim) @IsString() @Length(1, 200) provider: string;
  @ApiProperty({ example: 'SHPE-2026-00871' }) @Transform(trim) @IsString() @Length(1, 100) @Matches(/^[^\u0000-\u001f]+$/) certificateNumber: string;
  @ApiProperty({ example: 12, description: '学时' }) @Transform(formNumber) @IsNumber({ maxDecimalPlaces: 1 }) @Min(0.5) @Max(MAX_HOURS_PER_ENTRY) hours: number;
  @ApiPropertyOptional({ example: 1.2, description: '学分; omitted: converted from the hours by the region\'s rule for non-centralised training' })
  @IsOptional() @Transform(formNumber) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(MAX_CREDITS_PER_ENTRY) credits?: number;
  @ApiProperty({ enum: CREDIT_CATEGORIES }) @IsIn(CREDIT_CATEGORIES) category: CreditCategory;
  @ApiProperty({ enum: COURSE_LEVELS }) @IsIn(COURSE_LEVELS) level: CourseLevel;
  @ApiProperty({ example: '2026-10-18' }) @Transform(trim) @IsCalendarDate() occurredOn: string;
}

export const CLAIM_DECISIONS = ['approve', 'reject'] as const;
export type ClaimDecision = (typeof CLAIM_DECISIONS)[number];

export class ClaimDecisionDto {
  @ApiProperty({ enum: CLAIM_DECISIONS }) @IsIn(CLAIM_DECISIONS) decision: ClaimDecision;
  @ApiPropertyOptional({ description: 'required to reject' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(1000) reason?: string;
}

export class ClaimListQuery {
  @ApiPropertyOptional({ enum: CLAIM_STATUSES, description: 'default: what waits for the caller (submitted for a kindergarten, kindergarten_approved for the district)' })
  @IsOptional() @IsIn([...CLAIM_STATUSES, 'all']) status?: ClaimStatus | 'all';
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page: number = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize: number = 25;
}

export class MyClaimsQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page: number = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize: number = 25;
}
