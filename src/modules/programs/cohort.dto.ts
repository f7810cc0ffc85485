import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min, ValidateIf,
} from 'class-validator';
import { ValidationFailed } from '../../common/errors.js';
import { PageQuery } from '../../common/pagination.js';
import { IsCalendarDate } from '../../common/validators.js';
import { validateInput } from '../people/people.dto.js';
import { ASSESSMENT_RESULTS, OUTPUT_KINDS, type AssessmentResult, type OutputKind } from './cohort.entities.js';
import { ASSESSMENT_STAGES, type AssessmentStage } from './cohort-rules.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const blankIsAbsent = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const blankIsNull = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? null : typeof value === 'string' ? value.trim() : value);

export class CreateTeamDto {
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ description: '主持人: a program member or an outside expert of the district' }) @IsUUID('loose') hostPersonId: string;
  @ApiPropertyOptional({ type: [String], description: 'program member ids; each in no other team' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsUUID('loose', { each: true }) memberIds?: string[];
  @ApiPropertyOptional({ description: '基地: an org unit of the district' }) @IsOptional() @IsUUID('loose') baseOrgUnitId?: string;
  @ApiPropertyOptional({ description: '基地 name' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) baseName?: string;
  @ApiPropertyOptional({ type: [String], description: 'course ids of the district catalog' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('loose', { each: true }) requiredCourseIds?: string[];
  @ApiPropertyOptional({ description: 'credits to earn during the program period' })
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(500) creditTarget?: number;
}

export class UpdateTeamDto {
  @ApiProperty({ description: 'the version read; a stale one answers 409' }) @IsInt() @Min(1) version: number;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('loose') hostPersonId?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID('loose') baseOrgUnitId?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @Transform(blankIsNull) @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(200) baseName?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('loose', { each: true }) requiredCourseIds?: string[];
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(500) creditTarget?: number | null;
}

export class TeamPlanDto {
  @ApiProperty({ description: 'the version read; a stale one answers 409' }) @Type(() => Number) @IsInt() @Min(1) version: number;
  @ApiPropertyOptional({ description: '研修基础' }) @IsOptional() @IsString() @MaxLength(5000) basis?: string;
  @ApiPropertyOptional({ description: '研修目标' }) @IsOptional() @IsString() @MaxLength(5000) goals?: string;
  @ApiPropertyOptional({ description: '研修内容' }) @IsOptional() @IsString() @MaxLength(5000) content?: string;
  @ApiPropertyOptional({ description: '进度安排' }) @IsOptional() @IsString() @MaxLength(5000) schedule?: string;
  @ApiPropertyOptional({ description: '预期成果' }) @IsOptional() @IsString() @MaxLength(5000) expectedOutputs?: string;
}

export class AddMembersDto {
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @IsUUID('loose', { each: true }) memberIds: string[];
}

export class MemberTeamDto {
  @ApiProperty({ nullable: true, description: 'null: take the member out of their team' }) @ValidateIf((_, v) => v !== null) @IsUUID('loose') teamId: string | null;
}

export class MilestoneDto {
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) title: string;
  @ApiProperty() @IsCalendarDate() dueOn: string;
  @ApiPropertyOptional() @IsOptional() @Transform(blankIsAbsent) @IsCalendarDate() doneOn?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) note?: string;
}

export class UpdateMilestoneDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() dueOn?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @Transform(blankIsNull) @ValidateIf((_, v) => v !== null) @IsCalendarDate() doneOn?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @Transform(blankIsNull) @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(2000) note?: string | null;
}

export class OutputDto {
  @ApiProperty({ enum: OUTPUT_KINDS }) @IsIn(OUTPUT_KINDS) kind: OutputKind;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) title: string;
  @ApiProperty() @IsCalendarDate() occurredOn: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(5000) description?: string;
}

export class ReviewOutputDto {
  @ApiPropertyOptional({ description: 'required when returning' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) comment?: string;
}

export class AssessmentDto {
  @ApiProperty({ enum: ASSESSMENT_STAGES }) @IsIn(ASSESSMENT_STAGES) stage: AssessmentStage;
  @ApiProperty({ enum: ASSESSMENT_RESULTS }) @IsIn(ASSESSMENT_RESULTS) result: AssessmentResult;
  @ApiPropertyOptional({ description: 'required for fail' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) comment?: string;
}

export class ExitDto {
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 1000) reason: string;
  @ApiPropertyOptional({ description: 'default: today' }) @IsOptional() @Transform(blankIsAbsent) @IsCalendarDate() leftOn?: string;
}

export class TransferDto {
  @ApiProperty({ description: 'the cohort program to move or promote into' }) @IsUUID('loose') targetProgramId: string;
}

export class AlumniQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'seed' }) @IsOptional() @Transform(blankIsAbsent) @IsString() @MaxLength(40) tier?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(blankIsAbsent) @Type(() => Number) @IsInt() @Min(1) @Max(1000) round?: number;
  @ApiPropertyOptional() @IsOptional() @Transform(blankIsAbsent) @IsUUID('loose') kindergartenId?: string;
  @IsOptional() @IsIn(['zh-CN', 'en']) lang?: string;
}

/** A page form or multipart body checked the way the API pipe checks a JSON body; 400 listing every bad field. */
export async function checkedInput<T extends object>(cls: new () => T, plain: object): Promise<T> {
  const { value, problems } = await validateInput(cls, plain);
  if (problems.length) throw new ValidationFailed(problems);
  return value;
}
