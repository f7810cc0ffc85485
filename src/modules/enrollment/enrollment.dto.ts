import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from './enrollment.entities.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RequestEnrollmentDto {
  @ApiPropertyOptional({ description: 'enrol someone else (admins and trainers, within their scope); omit to enrol yourself' })
  @IsOptional() @IsUUID('loose') personId?: string;
}

export class WithdrawDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(500) reason?: string;
}

export class DeclineDto {
  @ApiProperty({ example: '本学期园内教学任务安排冲突' }) @Transform(trim) @IsString() @Length(1, 500) reason: string;
}

export class CapacityDto {
  @ApiProperty() @IsInt() @Min(0) @Max(100000) capacity: number;
  @ApiPropertyOptional({ description: 'below the seats taken: move the latest seat holders to the head of the waitlist' })
  @IsOptional() @IsBoolean() bumpToWaitlist?: boolean;
}

export class CancelOfferingDto {
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 500) reason: string;
}

export class MyEnrollmentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ENROLLMENT_STATUSES }) @IsOptional() @IsIn(ENROLLMENT_STATUSES) status?: EnrollmentStatus;
  @ApiPropertyOptional() @IsOptional() @IsUUID('loose') offeringId?: string;
}

export class RosterQuery {
  @ApiPropertyOptional({ enum: ENROLLMENT_STATUSES }) @IsOptional() @IsIn(ENROLLMENT_STATUSES) status?: EnrollmentStatus;
}

export class ApprovalsQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page: number = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize: number = 50;
}
