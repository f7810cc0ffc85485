import { Injectable, type PipeTransform, type ValidationError } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { NotFound, type FieldProblem } from '../../common/errors.js';
import { PageQuery } from '../../common/pagination.js';
import { IsCalendarDate, IsNationalId } from '../../common/validators.js';
import { safeValidate } from '../../common/validation.js';
import { EDUCATION_LEVELS, GENDERS, POSTS, type EducationLevel, type Gender, type Post } from './person.entity.js';
import { TITLES, type Title } from './person-records.entity.js';

/** Mainland mobile numbers, as staff give them. */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;
export const STAGE_CODE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export { RecordIdPipe } from '../../common/record-id.pipe.js';

export class FirstEmploymentDto {
  @ApiProperty({ description: 'kindergarten (org unit of kind kindergarten) in the caller\'s scope' })
  @IsUUID('loose') orgUnitId: string;
  @ApiProperty({ enum: POSTS }) @IsIn(POSTS) post: Post;
  @ApiProperty({ example: '2024-09-01' }) @IsCalendarDate() startDate: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class CreatePersonDto {
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 100) fullName: string;
  @ApiProperty({ description: '18-character resident ID; checksum, birth date and sex digit are checked' })
  @Transform(trim) @IsNationalId() nationalId: string;
  @ApiPropertyOptional({ enum: GENDERS, description: 'must agree with the national ID; derived from it when absent' })
  @IsOptional() @IsIn(GENDERS) gender?: Gender;
  @ApiPropertyOptional({ description: 'must agree with the national ID; derived from it when absent' })
  @IsOptional() @IsCalendarDate() birthDate?: string;
  @ApiPropertyOptional({ example: '13812345678' }) @IsOptional() @Transform(trim) @Matches(PHONE_PATTERN) phone?: string;
  @ApiProperty({ enum: EDUCATION_LEVELS }) @IsIn(EDUCATION_LEVELS) educationLevel: EducationLevel;
  @ApiPropertyOptional({ description: 'education in preschool education (学前教育专业)' }) @IsOptional() @IsBoolean() preschoolMajor?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() hireDate?: string;
  @ApiProperty({ type: FirstEmploymentDto })
  @IsDefined() @ValidateNested() @Type(() => FirstEmploymentDto) employment: FirstEmploymentDto;
}

export class UpdatePersonDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 100) fullName?: string;
  @ApiPropertyOptional({ description: 'needs people.sensitive; birth date and gender follow the new ID' })
  // Present means a correction: null is no national ID (the record must keep one), not "leave it".
  @ValidateIf((_, value) => value !== undefined) @Transform(trim) @IsNationalId() nationalId?: string;
  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @Matches(PHONE_PATTERN) phone?: string | null;
  @ApiPropertyOptional({ enum: EDUCATION_LEVELS }) @IsOptional() @IsIn(EDUCATION_LEVELS) educationLevel?: EducationLevel;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() preschoolMajor?: boolean;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsCalendarDate() hireDate?: string | null;
  @ApiPropertyOptional({ description: 'the version read; a stale one answers 409' }) @IsOptional() @IsInt() @Min(1) version?: number;
}

/** A filter form sends its empty selects as `name=`: that means no filter. */
const blankIsAbsent = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class PeopleListQueryDto extends PageQuery {
  @IsOptional() @Transform(blankIsAbsent) @IsUUID('loose') orgUnitId?: string;
  @IsOptional() @Transform(blankIsAbsent) @IsIn(POSTS) post?: Post;
  @IsOptional() @Transform(blankIsAbsent) @IsIn(TITLES) title?: Title;
  @IsOptional() @Transform(blankIsAbsent) @Matches(STAGE_CODE_PATTERN) stage?: string;
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([code, message]) => ({
      field, code: code === 'whitelistValidation' ? 'unknown_field' : code, message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Validates a page form (already converted to the API's types) the way the API pipe would. */
export async function validateInput<T extends object>(cls: new () => T, plain: object): Promise<{ value: T; problems: FieldProblem[] }> {
  const value = plainToInstance(cls, plain);
  const errors = await safeValidate(value, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  return { value, problems: flatten(errors) };
}
