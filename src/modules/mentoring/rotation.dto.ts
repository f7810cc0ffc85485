import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { ROTATION_KINDS, type RotationKind } from './mentoring.entities.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trim({ value }));
export const COUNT_AT = ['home', 'host', 'both'] as const;

export class CreateRotationDto {
  @ApiProperty() @Transform(trim) @IsUUID() personId: string;
  @ApiProperty() @Transform(trim) @IsUUID() hostKindergartenId: string;
  @ApiProperty({ enum: ROTATION_KINDS }) @IsIn(ROTATION_KINDS) kind: RotationKind;
  @ApiProperty({ example: '2027-02-01' }) @Transform(trim) @IsCalendarDate() startsOn: string;
  @ApiProperty({ example: '2027-08-31' }) @Transform(trim) @IsCalendarDate() endsOn: string;
  @ApiPropertyOptional({ enum: COUNT_AT, default: 'both', description: 'where headcount reports count the person while the rotation runs' })
  @IsOptional() @Transform(blankToUndefined) @IsIn(COUNT_AT) countAt?: (typeof COUNT_AT)[number];
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @Transform(blankToUndefined) @IsString() @MaxLength(2000) note?: string;
}

export class EndRotationDto {
  @ApiProperty({ description: 'the last day served, before the planned end' }) @Transform(trim) @IsCalendarDate() endedEarlyOn: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @Transform(blankToUndefined) @IsString() @MaxLength(2000) note?: string;
}

export class RotationListQuery {
  @ApiPropertyOptional({ description: 'only rotations running on this day' }) @IsOptional() @Transform(blankToUndefined) @IsCalendarDate() on?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(blankToUndefined) @IsUUID() personId?: string;
  @ApiPropertyOptional({ description: 'home or host' }) @IsOptional() @Transform(blankToUndefined) @IsUUID() kindergartenId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page: number = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize: number = 50;
}

export class HeadcountQuery {
  @ApiProperty({ example: '2026-11-25' }) @Transform(trim) @IsCalendarDate() on: string;
}
