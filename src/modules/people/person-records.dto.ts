import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { POSTS, type Post } from './person.entity.js';
import { CERTIFICATE_KINDS, HONOURS, STAGE_KINDS, TITLES, type CertificateKind, type Honour, type StageKind, type Title } from './person-records.entity.js';
import { STAGE_CODE_PATTERN } from './people.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Start a post at a kindergarten; a current post is ended the day before unless `endCurrentOn` says otherwise. */
export class AddEmploymentDto {
  @ApiProperty() @IsUUID('loose') orgUnitId: string;
  @ApiProperty({ enum: POSTS }) @IsIn(POSTS) post: Post;
  @ApiProperty({ example: '2025-09-01' }) @IsCalendarDate() startDate: string;
  @ApiPropertyOptional({ description: 'end date of the current employment; defaults to the day before startDate' })
  @IsOptional() @IsCalendarDate() endCurrentOn?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(500) note?: string;
}

export class UpdateEmploymentDto {
  @ApiPropertyOptional({ enum: POSTS }) @IsOptional() @IsIn(POSTS) post?: Post;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() startDate?: string;
  @ApiPropertyOptional({ nullable: true, description: 'null reopens the employment' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsCalendarDate() endDate?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(500) note?: string | null;
}

export class AddTitleDto {
  @ApiProperty({ enum: TITLES }) @IsIn(TITLES) title: Title;
  @ApiProperty() @IsCalendarDate() effectiveDate: string;
  @ApiProperty({ example: '上海市青浦区教育局' }) @Transform(trim) @IsString() @Length(1, 200) approvingBody: string;
  @ApiPropertyOptional({ description: 'true to record a title not higher than the current one' }) @IsOptional() @IsBoolean() isCorrection?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(500) correctionReason?: string;
}

export class AddCertificateDto {
  @ApiProperty({ enum: CERTIFICATE_KINDS }) @IsIn(CERTIFICATE_KINDS) kind: CertificateKind;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 100) number: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(200) issuer?: string;
  @ApiProperty() @IsCalendarDate() issuedOn: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() expiresOn?: string;
}

export class AddHonourDto {
  @ApiProperty({ enum: HONOURS }) @IsIn(HONOURS) honour: Honour;
  @ApiPropertyOptional({ description: 'required for honour "other"' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 200) name?: string;
  @ApiProperty() @IsCalendarDate() awardedOn: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(200) awardedBy?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() expiresOn?: string;
}

export class AddStageDto {
  @ApiProperty({ enum: STAGE_KINDS }) @IsIn(STAGE_KINDS) kind: StageKind;
  @ApiProperty({ description: 'code of an active stage definition of that kind' }) @Matches(STAGE_CODE_PATTERN) stage: string;
  @ApiProperty() @IsCalendarDate() effectiveDate: string;
}

export class StageListQueryDto {
  @IsOptional() @IsIn(STAGE_KINDS) kind?: StageKind;
  @IsOptional() @IsIn(['true', 'false']) includeInactive?: 'true' | 'false';
}

export class CreateStageDefinitionDto {
  @ApiProperty({ enum: STAGE_KINDS }) @IsIn(STAGE_KINDS) kind: StageKind;
  @ApiProperty({ example: 'expert_teacher' }) @Matches(STAGE_CODE_PATTERN) code: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 50) nameZh: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 100) nameEn: string;
  @ApiPropertyOptional({ description: 'defaults to after the last one' }) @IsOptional() @IsInt() @Min(0) sortOrder?: number;
}

export class UpdateStageDefinitionDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 50) nameZh?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 100) nameEn?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) sortOrder?: number;
  @ApiPropertyOptional({ description: 'false retires the stage: kept on old records, no longer offered' }) @IsOptional() @IsBoolean() active?: boolean;
}
