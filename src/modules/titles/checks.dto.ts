import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsCalendarDate, IsNationalId } from '../../common/validators.js';

export const CHECK_KINDS = ['pre_employment', 'yearly'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];
export const CHECK_RESULTS = ['clear', 'hit'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimmedOrAbsent = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value ?? undefined);

export class RecordCheckDto {
  @ApiProperty({ enum: CHECK_KINDS }) @IsIn(CHECK_KINDS) kind: CheckKind;
  @ApiProperty({ example: '2026-08-20', description: "the date of the person's written authorisation" }) @IsCalendarDate() authorisedOn: string;
  @ApiProperty({ description: 'reference of the authorisation (form number)' }) @Transform(trim) @IsString() @Length(1, 200) authorisationRef: string;
  @ApiProperty({ example: '2026-08-22', description: 'the date of the query; not before the authorisation' }) @IsCalendarDate() checkedOn: string;
  @ApiProperty({ enum: CHECK_RESULTS }) @IsIn(CHECK_RESULTS) result: CheckResult;
  @ApiPropertyOptional() @Transform(trimmedOrAbsent) @IsOptional() @IsString() @Length(1, 2000) note?: string;
}

/** A candidate's pre-employment check, recorded by national ID before their person record exists. */
export class RecordCandidateCheckDto {
  @ApiProperty({ description: "the candidate's national ID; stored only as its keyed lookup hash" }) @Transform(trim) @IsNationalId() nationalId: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 100) fullName: string;
  @ApiProperty({ enum: ['pre_employment'] }) @IsIn(['pre_employment']) kind: 'pre_employment';
  @ApiProperty({ example: '2026-08-20' }) @IsCalendarDate() authorisedOn: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) authorisationRef: string;
  @ApiProperty({ example: '2026-08-22' }) @IsCalendarDate() checkedOn: string;
  @ApiProperty({ enum: CHECK_RESULTS }) @IsIn(CHECK_RESULTS) result: CheckResult;
  @ApiPropertyOptional() @Transform(trimmedOrAbsent) @IsOptional() @IsString() @Length(1, 2000) note?: string;
}

export class DueChecksQueryDto {
  @ApiPropertyOptional({ description: 'the day to judge on (Shanghai); today by default' }) @IsOptional() @IsCalendarDate() asOf?: string;
}
