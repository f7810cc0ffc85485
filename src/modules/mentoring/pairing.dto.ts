import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES, type CourseLevel, type CreditCategory } from '../catalog/catalog.entities.js';
import { MENTOR_ROLES, PAIRING_KINDS, PAIRING_STATUSES, type MentorRole, type PairingKind, type PairingStatus } from './mentoring.entities.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const blankIsAbsent = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class MentorChoiceDto {
  @ApiProperty() @IsUUID() personId: string;
  @ApiProperty({ enum: MENTOR_ROLES }) @IsIn(MENTOR_ROLES) role: MentorRole;
}

export class TermPlanDto {
  @ApiProperty({ example: '2026-2027-1' }) @IsString() term: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 5000) plan: string;
}

export class ProposePairingDto {
  @ApiPropertyOptional({ enum: PAIRING_KINDS, default: 'standard' }) @IsOptional() @IsIn(PAIRING_KINDS) kind: PairingKind = 'standard';
  @ApiProperty() @IsUUID() menteePersonId: string;
  @ApiProperty({ type: [MentorChoiceDto], description: 'exactly one lead; probation: one mentor' })
  @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => MentorChoiceDto) mentors: MentorChoiceDto[];
  @ApiPropertyOptional({ description: 'default: today' }) @IsOptional() @Matches(DATE, { message: 'startsOn must be a date YYYY-MM-DD' }) startsOn?: string;
  @ApiPropertyOptional({ description: 'default: one year after startsOn' }) @IsOptional() @Matches(DATE, { message: 'endsOn must be a date YYYY-MM-DD' }) endsOn?: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 5000) goals: string;
  @ApiPropertyOptional({ type: [TermPlanDto] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => TermPlanDto) termPlans?: TermPlanDto[];
  @ApiPropertyOptional({ description: 'probation only (required there): the base kindergarten' }) @IsOptional() @IsUUID() baseKindergartenId?: string;
}

export class DecisionDto {
  @ApiProperty({ enum: ['approved', 'rejected'] }) @IsIn(['approved', 'rejected']) decision: 'approved' | 'rejected';
  @ApiPropertyOptional({ description: 'required when rejected' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) reason?: string;
  @ApiPropertyOptional({ description: 'needed only when you decide for several kindergartens of the pairing' }) @IsOptional() @IsUUID() kindergartenId?: string;
}

export class UpdatePairingDto {
  @ApiProperty({ description: 'the version read; a stale one answers 409' }) @IsInt() @Min(1) version: number;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 5000) goals?: string;
  @ApiPropertyOptional({ type: [TermPlanDto] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => TermPlanDto) termPlans?: TermPlanDto[];
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, { message: 'endsOn must be a date YYYY-MM-DD' }) endsOn?: string;
}

export class EndPairingDto {
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 2000) reason: string;
}

export class CancelPairingDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) reason?: string;
}

export class PairingListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PAIRING_STATUSES }) @IsOptional() @Transform(blankIsAbsent) @IsIn(PAIRING_STATUSES) status?: PairingStatus;
  @ApiPropertyOptional({ enum: PAIRING_KINDS }) @IsOptional() @Transform(blankIsAbsent) @IsIn(PAIRING_KINDS) kind?: PairingKind;
  @ApiPropertyOptional() @IsOptional() @Transform(blankIsAbsent) @IsUUID() kindergartenId?: string;
  @ApiPropertyOptional({ description: '`true`: only active pairings with a finished term lacking an accepted review' })
  @IsOptional() @Transform(blankIsAbsent) @IsIn(['true', 'false', 'on']) overdue?: 'true' | 'false' | 'on';
  @IsOptional() @IsIn(['zh-CN', 'en']) lang?: string;
}

export class SuggestionQuery {
  @ApiProperty() @IsUUID() menteePersonId: string;
  @ApiPropertyOptional({ default: 10 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50) limit: number = 10;
  @IsOptional() @IsIn(['zh-CN', 'en']) lang?: string;
}

export class TermTargetsDto {
  @ApiProperty() @IsInt() @Min(0) @Max(50) mentorDemonstrations: number;
  @ApiProperty() @IsInt() @Min(0) @Max(50) menteeOpenLessons: number;
  @ApiProperty() @IsInt() @Min(0) @Max(100) observationsEachWay: number;
  @ApiProperty() @IsInt() @Min(0) @Max(50) lessonPlans: number;
}

export class MentoringRuleDto {
  @ApiProperty({ minimum: 1, maximum: 10 }) @IsInt() @Min(1) @Max(10) maxMentorsPerMentee: number;
  @ApiProperty({ minimum: 1, maximum: 20 }) @IsInt() @Min(1) @Max(20) maxMenteesPerMentor: number;
  @ApiProperty({ type: TermTargetsDto }) @ValidateNested() @Type(() => TermTargetsDto) termTargets: TermTargetsDto;
  @ApiProperty() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(9999) menteeCredits: number;
  @ApiProperty() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(9999) mentorCredits: number;
  @ApiPropertyOptional({ enum: CREDIT_CATEGORIES }) @IsOptional() @IsIn(CREDIT_CATEGORIES) menteeCategory?: CreditCategory;
  @ApiPropertyOptional({ enum: CREDIT_CATEGORIES }) @IsOptional() @IsIn(CREDIT_CATEGORIES) mentorCategory?: CreditCategory;
  @ApiPropertyOptional({ enum: COURSE_LEVELS }) @IsOptional() @IsIn(COURSE_LEVELS) creditLevel?: CourseLevel;
  @ApiPropertyOptional({ description: 'default: your district' }) @IsOptional() @IsUUID() districtId?: string;
}

export class RuleQuery {
  @ApiPropertyOptional({ description: 'default: your district' }) @IsOptional() @IsUUID() districtId?: string;
}
