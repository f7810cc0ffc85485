import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min,
  ValidateIf, ValidateNested, registerDecorator, type ValidationOptions,
} from 'class-validator';
import { APPROVAL_MODES, MATERIAL_KINDS, WAITLIST_MODES, type ApprovalMode, type MaterialKind, type WaitlistMode } from './catalog.entities.js';
import { AudienceDto, Omittable } from './course.dto.js';
import { isZonedDateTime } from '../../common/dates.js';

export const OFFERING_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** ISO 8601 date-time with an offset, e.g. 2026-12-03T13:30:00+08:00. */
export function IsZonedDateTime(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isZonedDateTime',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be an ISO 8601 date-time with an offset, e.g. 2026-12-03T13:30:00+08:00`, ...options },
      validator: { validate: isZonedDateTime },
    });
}

export class PriorityTierDto {
  @ApiProperty({ example: '骨干教师优先' }) @Transform(trim) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ type: AudienceDto }) @IsDefined() @ValidateNested() @Type(() => AudienceDto) audience: AudienceDto;
}

/** The fields an offering shares between create and update; capacity and cancellation belong to the enrolment module. */
class OfferingFieldsDto {
  @ApiPropertyOptional({ example: '第一期' }) @Omittable() @Transform(trim) @IsString() @MaxLength(200) label?: string;
  @ApiPropertyOptional({ nullable: true, description: 'seats per kindergarten; null: no quota' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(100000) kindergartenQuota?: number | null;
  @ApiPropertyOptional({ enum: APPROVAL_MODES, description: "on create, default 'none'" }) @Omittable() @IsIn(APPROVAL_MODES) approvalMode?: ApprovalMode;
  @ApiPropertyOptional({ type: [PriorityTierDto] })
  @Omittable() @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => PriorityTierDto) priorityTiers?: PriorityTierDto[];
  @ApiPropertyOptional({ enum: WAITLIST_MODES, description: "on create, default 'auto'" }) @Omittable() @IsIn(WAITLIST_MODES) waitlistMode?: WaitlistMode;
  @ApiPropertyOptional({ nullable: true, description: "hours an offered seat is held; required for waitlistMode 'offer'" })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(720) offerExpiryHours?: number | null;
  @ApiPropertyOptional({ example: 0.8, description: 'share of meeting hours needed for completion' })
  @Omittable() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1) minAttendanceShare?: number;
  @ApiPropertyOptional({ description: 'default: the course\'s trainers' })
  @Omittable() @IsArray() @ArrayMaxSize(20) @IsUUID('loose', { each: true }) trainerUserIds?: string[];
}

export class CreateOfferingDto extends OfferingFieldsDto {
  @ApiProperty({ example: '2027S1', description: 'unique within the course' }) @Transform(trim) @Matches(OFFERING_CODE_PATTERN) code: string;
  @ApiProperty({ example: 60 }) @IsInt() @Min(0) @Max(100000) capacity: number;
  @ApiProperty({ example: '2026-11-01T00:00:00+08:00' }) @IsZonedDateTime() enrolOpensAt: string;
  @ApiProperty({ example: '2026-12-15T23:59:00+08:00' }) @IsZonedDateTime() enrolClosesAt: string;
  @ApiProperty({ example: '2026-12-20T23:59:00+08:00' }) @IsZonedDateTime() withdrawDeadline: string;
}

export class UpdateOfferingDto extends OfferingFieldsDto {
  @ApiPropertyOptional() @Omittable() @Transform(trim) @Matches(OFFERING_CODE_PATTERN) code?: string;
  @ApiPropertyOptional() @Omittable() @IsZonedDateTime() enrolOpensAt?: string;
  @ApiPropertyOptional() @Omittable() @IsZonedDateTime() enrolClosesAt?: string;
  @ApiPropertyOptional() @Omittable() @IsZonedDateTime() withdrawDeadline?: string;
  @ApiPropertyOptional({ description: 'the version read; a stale one answers 409' }) @Omittable() @IsInt() @Min(1) version?: number;
}

export class CreateMeetingDto {
  @ApiPropertyOptional({ example: '专题讲座：户外自主游戏的观察' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) title?: string;
  @ApiProperty({ example: '2026-12-03T13:30:00+08:00' }) @IsZonedDateTime() startsAt: string;
  @ApiProperty({ example: '2026-12-03T16:30:00+08:00' }) @IsZonedDateTime() endsAt: string;
  @ApiPropertyOptional({ example: '青浦区教师进修学院 301 室' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 300) place?: string;
  @ApiPropertyOptional({ example: 'https://meeting.example.cn/123' }) @IsOptional() @Transform(trim) @Matches(/^https?:\/\/\S+$/) @MaxLength(500) onlineUrl?: string;
  @ApiPropertyOptional({ description: 'default: the duration rounded to the half hour' }) @IsOptional() @IsNumber({ maxDecimalPlaces: 1 }) @Min(0.5) @Max(24) hours?: number;
}

export class UpdateMeetingDto {
  @ApiPropertyOptional() @Omittable() @Transform(trim) @IsString() @MaxLength(200) title?: string;
  @ApiPropertyOptional() @Omittable() @IsZonedDateTime() startsAt?: string;
  @ApiPropertyOptional() @Omittable() @IsZonedDateTime() endsAt?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @Length(1, 300) place?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @Matches(/^https?:\/\/\S+$/) @MaxLength(500) onlineUrl?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'null: the duration rounded to the half hour' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber({ maxDecimalPlaces: 1 }) @Min(0.5) @Max(24) hours?: number | null;
}

export class CreateMaterialDto {
  @ApiProperty({ enum: MATERIAL_KINDS }) @IsIn(MATERIAL_KINDS) kind: MaterialKind;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) title: string;
  @ApiPropertyOptional({ description: 'http(s) link or a path on this site; url or body is required' })
  @IsOptional() @Transform(trim) @Matches(/^(https?:\/\/|\/)\S*$/) @MaxLength(1000) url?: string;
  @ApiPropertyOptional({ description: 'the text of a page' }) @IsOptional() @IsString() @Length(1, 100000) body?: string;
  @ApiPropertyOptional({ description: 'default: after the last one' }) @IsOptional() @IsInt() @Min(0) @Max(10000) sortOrder?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() required?: boolean;
}

export class UpdateMaterialDto {
  @ApiPropertyOptional({ enum: MATERIAL_KINDS }) @Omittable() @IsIn(MATERIAL_KINDS) kind?: MaterialKind;
  @ApiPropertyOptional() @Omittable() @Transform(trim) @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @Matches(/^(https?:\/\/|\/)\S*$/) @MaxLength(1000) url?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 100000) body?: string | null;
  @ApiPropertyOptional() @Omittable() @IsInt() @Min(0) @Max(10000) sortOrder?: number;
  @ApiPropertyOptional() @Omittable() @IsBoolean() required?: boolean;
}
