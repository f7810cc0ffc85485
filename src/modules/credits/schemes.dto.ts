import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { POSTS } from '../people/person.entity.js';
import { CYCLE_KINDS, SCHEME_UNITS, type CycleKind, type SchemeUnit } from './credit.entities.js';

const NotNullWhenGiven = () => ValidateIf((_, value) => value !== undefined);
const RULES_EXAMPLE = [{ category: 'ethics', min: 8 }, { level: 'city', category: 'ethics', min: 2 }, { category: 'self_study', min: 4, max: 4 }];

export class ComplianceQueryDto {
  @ApiPropertyOptional({ description: 'a scheme code, e.g. sh-teacher-36' }) @IsOptional() @IsString() @Length(1, 60) scheme?: string;
  @ApiPropertyOptional({ description: 'a cycle code, e.g. 2026-2030; default: the cycle holding asOf' }) @IsOptional() @IsString() @Length(1, 40) cycle?: string;
  @ApiPropertyOptional({ description: 'the day to judge on (Shanghai date); default today' }) @IsOptional() @IsCalendarDate() asOf?: string;
}

/** Rules are checked by the service (checkSchemeRules), which names each problem as `rules[i].field`. */
export class UpdateSchemeDto {
  @ApiPropertyOptional() @NotNullWhenGiven() @IsString() @Length(1, 200) nameZh?: string;
  @ApiPropertyOptional() @NotNullWhenGiven() @IsString() @Length(1, 200) nameEn?: string;
  @ApiPropertyOptional({ example: 36 }) @NotNullWhenGiven() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.5) @Max(100_000) total?: number;
  @ApiPropertyOptional({ example: RULES_EXAMPLE }) @NotNullWhenGiven() @IsArray() @ArrayMaxSize(60) rules?: unknown[];
  @ApiPropertyOptional({ nullable: true, example: '2030-12-31' }) @IsOptional() @IsCalendarDate() effectiveTo?: string | null;
  @ApiProperty({ description: 'the version read; a stale one answers 409' }) @IsInt() @Min(1) version: number;
}

export class CreateSchemeDto {
  @ApiProperty({ example: 'sh-teacher-40' }) @Matches(/^[a-z][a-z0-9_.-]{1,59}$/) code: string;
  @ApiProperty() @IsString() @Length(1, 200) nameZh: string;
  @ApiProperty() @IsString() @Length(1, 200) nameEn: string;
  @ApiPropertyOptional({ nullable: true, description: 'org unit code of the region (e.g. SH); none: everywhere' }) @IsOptional() @IsString() @Length(1, 60) regionCode?: string | null;
  @ApiPropertyOptional({ enum: POSTS, isArray: true }) @IsOptional() @IsArray() @IsIn(POSTS, { each: true }) posts?: string[];
  @ApiPropertyOptional({ isArray: true, type: String }) @IsOptional() @IsArray() @Matches(/^[a-z][a-z0-9_]*$/, { each: true }) teacherStages?: string[];
  @ApiPropertyOptional({ isArray: true, type: String }) @IsOptional() @IsArray() @Matches(/^[a-z][a-z0-9_]*$/, { each: true }) principalStages?: string[];
  @ApiProperty({ enum: SCHEME_UNITS }) @IsIn(SCHEME_UNITS) unit: SchemeUnit;
  @ApiProperty({ enum: CYCLE_KINDS }) @IsIn(CYCLE_KINDS) cycleKind: CycleKind;
  @ApiProperty({ example: 36 }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.5) @Max(100_000) total: number;
  @ApiProperty({ example: RULES_EXAMPLE }) @IsArray() @ArrayMaxSize(60) rules: unknown[];
  @ApiProperty({ example: '2026-01-01' }) @IsCalendarDate() effectiveFrom: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsCalendarDate() effectiveTo?: string | null;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() editable?: boolean;
}
