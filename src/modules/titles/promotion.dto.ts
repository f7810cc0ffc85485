import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import type { FieldProblem } from '../../common/errors.js';
import { IsCalendarDate } from '../../common/validators.js';
import { EDUCATION_LEVELS } from '../people/person.entity.js';
import { CERTIFICATE_KINDS, TITLES, type Title } from '../people/person-records.entity.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from './titles.entities.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class TitleRulesQuery {
  @ApiPropertyOptional({ example: 'SH', description: 'an org unit code; answers the rules on its path and the one in force per title' })
  @IsOptional() @IsString() @Length(1, 60) region?: string;
}

export class CreateTitleRuleDto {
  @ApiProperty({ example: 'SH-QP', description: 'org unit code of the region (within your scope)' }) @IsString() @Length(1, 60) regionCode: string;
  @ApiProperty({ enum: TITLES }) @IsIn(TITLES) title: Title;
  @ApiProperty({ example: '2026-09-01' }) @IsCalendarDate() effectiveFrom: string;
  @ApiProperty({ description: '{yearsAtPrevious: {bachelor: 5, ...}, minEducation, creditsComplete, certificates: [kind], extra: [{code, zh, en, ...}]}' })
  @IsObject() conditions: Record<string, unknown>;
}

/** Problems of a rule's conditions, each named by its path (`conditions.yearsAtPrevious.bachelor`). */
export function conditionProblems(c: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const bad = (field: string, code: string, message: string) => problems.push({ field: `conditions.${field}`, code, message });
  const known = ['fromTitle', 'yearsAtPrevious', 'minEducation', 'creditsComplete', 'certificates', 'extra'];
  for (const key of Object.keys(c)) if (!known.includes(key)) bad(key, 'unknown_field', `conditions.${key} is not an allowed field`);
  const years = c.yearsAtPrevious;
  if (typeof years !== 'object' || years === null || Array.isArray(years)) bad('yearsAtPrevious', 'isObject', 'yearsAtPrevious must map education levels to years');
  else {
    for (const [level, value] of Object.entries(years)) {
      if (!(EDUCATION_LEVELS as readonly string[]).includes(level)) bad(`yearsAtPrevious.${level}`, 'unknown_field', `${level} is not an education level`);
      else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 30) bad(`yearsAtPrevious.${level}`, 'range', 'years must be a number from 0 to 30');
    }
    if (Object.keys(years).length === 0) bad('yearsAtPrevious', 'arrayNotEmpty', 'name the years for at least one education level');
  }
  if (!(EDUCATION_LEVELS as readonly unknown[]).includes(c.minEducation)) bad('minEducation', 'isIn', `minEducation must be one of ${EDUCATION_LEVELS.join(', ')}`);
  if (c.creditsComplete !== undefined && typeof c.creditsComplete !== 'boolean') bad('creditsComplete', 'isBoolean', 'creditsComplete must be true or false');
  const certificates = c.certificates ?? [];
  if (!Array.isArray(certificates)) bad('certificates', 'isArray', 'certificates must be a list of certificate kinds');
  else certificates.forEach((k, i) => {
    if (!(CERTIFICATE_KINDS as readonly unknown[]).includes(k)) bad(`certificates[${i}]`, 'isIn', `must be one of ${CERTIFICATE_KINDS.join(', ')}`);
  });
  const extra = c.extra ?? [];
  if (!Array.isArray(extra)) bad('extra', 'isArray', 'extra must be a list of conditions');
  else extra.forEach((x: Record<string, unknown>, i) => {
    if (typeof x !== 'object' || x === null) return bad(`extra[${i}]`, 'isObject', 'each extra condition is an object');
    if (typeof x.code !== 'string' || !/^[a-z0-9_]{1,40}$/.test(x.code)) bad(`extra[${i}].code`, 'matches', 'code must be lowercase letters, digits or _');
    for (const label of ['zh', 'en']) {
      if (typeof x[label] !== 'string' || !(x[label] as string).trim() || (x[label] as string).length > 200) bad(`extra[${i}].${label}`, 'length', `${label} must be 1-200 characters`);
    }
    if (x.years !== undefined && (typeof x.years !== 'number' || x.years <= 0 || x.years > 30)) bad(`extra[${i}].years`, 'range', 'years must be more than 0 and at most 30');
  });
  return problems;
}

export class OpenApplicationDto {
  @ApiPropertyOptional({ description: 'the applicant; default yourself' }) @IsOptional() @IsUUID() personId?: string;
  @ApiProperty({ enum: TITLES }) @IsIn(TITLES) toTitle: Title;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(0, 10000) statement?: string;
}

export class UpdateApplicationDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(0, 10000) statement?: string;
  @ApiPropertyOptional({ description: 'an attachment id to remove' }) @IsOptional() @IsUUID() removeAttachment?: string;
}

export class SubmitApplicationDto {
  @ApiPropertyOptional({ description: "a reviewer's reason to submit although not every condition is met yet" })
  @IsOptional() @Transform(trim) @IsString() @Length(1, 2000) overrideReason?: string;
}

export class KindergartenDecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] }) @IsIn(['approve', 'reject']) decision: 'approve' | 'reject';
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(0, 2000) comment?: string;
  @ApiPropertyOptional({ description: 'required when rejecting' })
  @ValidateIf((o: KindergartenDecisionDto) => o.decision === 'reject' || o.reasons !== undefined)
  @Transform(trim) @IsString() @Length(1, 4000) reasons?: string;
}

export class DistrictDecisionDto extends KindergartenDecisionDto {
  @ApiPropertyOptional({ example: '2026-09-01', description: 'required when approving: the new title takes effect then' })
  @ValidateIf((o: DistrictDecisionDto) => o.decision === 'approve' || o.effectiveDate !== undefined)
  @IsCalendarDate() effectiveDate?: string;
}

export class ApplicationListQuery {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES }) @IsOptional() @IsIn(APPLICATION_STATUSES) status?: ApplicationStatus;
  @ApiPropertyOptional({ description: 'kindergarten org unit id' }) @IsOptional() @IsUUID() kindergarten?: string;
}
